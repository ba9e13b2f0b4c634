# SPDX-License-Identifier: MIT
# Unit tests of the PV backends: the shared ring macros (abi io/ring.h) and
# the console ring, and blkback's request checks, device ids and the
# xenbus handshake table.
# Linked against libpvhv.a; no /dev/kvm needed. One line each.
BACKENDS_UNIT_TESTS = \
	unit/check_blkback_serve \
	unit/check_blkif \
	unit/check_ring
check_PROGRAMS += $(BACKENDS_UNIT_TESTS)
TESTS += $(BACKENDS_UNIT_TESTS)
unit_check_blkback_serve_SOURCES = unit/check_blkback_serve.c \
	$(FIXTURE_SOURCES)
