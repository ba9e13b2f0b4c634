# SPDX-License-Identifier: MIT
# Unit tests of the PV backends: the shared ring macros (abi io/ring.h) and
# the console ring, and blkback's request checks, device ids and the
# xenbus handshake table, and the locks on disk images (real files).
# Linked against libpvhv.a; no /dev/kvm needed.
BACKENDS_UNIT_TESTS = unit/check_ring unit/check_blkif unit/check_disk_lock \
	unit/check_blkback_engine unit/check_blkback_serve
check_PROGRAMS += $(BACKENDS_UNIT_TESTS)
TESTS += $(BACKENDS_UNIT_TESTS)

unit_check_ring_SOURCES = unit/check_ring.c
unit_check_ring_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
unit_check_ring_CFLAGS = $(HOST_CFLAGS)
unit_check_ring_LDFLAGS = $(HOST_LDFLAGS)
unit_check_ring_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)

unit_check_blkif_SOURCES = unit/check_blkif.c
unit_check_blkif_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
unit_check_blkif_CFLAGS = $(HOST_CFLAGS)
unit_check_blkif_LDFLAGS = $(HOST_LDFLAGS)
unit_check_blkif_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)

unit_check_disk_lock_SOURCES = unit/check_disk_lock.c
unit_check_disk_lock_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
unit_check_disk_lock_CFLAGS = $(HOST_CFLAGS)
unit_check_disk_lock_LDFLAGS = $(HOST_LDFLAGS)
unit_check_disk_lock_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)

unit_check_blkback_engine_SOURCES = unit/check_blkback_engine.c
unit_check_blkback_engine_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
unit_check_blkback_engine_CFLAGS = $(HOST_CFLAGS)
unit_check_blkback_engine_LDFLAGS = $(HOST_LDFLAGS)
unit_check_blkback_engine_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)

unit_check_blkback_serve_SOURCES = unit/check_blkback_serve.c
unit_check_blkback_serve_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
unit_check_blkback_serve_CFLAGS = $(HOST_CFLAGS)
unit_check_blkback_serve_LDFLAGS = $(HOST_LDFLAGS)
unit_check_blkback_serve_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)
