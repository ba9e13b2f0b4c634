# SPDX-License-Identifier: MIT
# Unit tests of hypervisor/host: the event loop (descriptors, removal from
# callbacks, tasks, timers in order, a stop with callbacks pending,
# signals). Linked against libpvhv.a.
HOST_UNIT_TESTS = unit/check_loop
check_PROGRAMS += $(HOST_UNIT_TESTS)
TESTS += $(HOST_UNIT_TESTS)

unit_check_loop_SOURCES = unit/check_loop.c
unit_check_loop_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
unit_check_loop_CFLAGS = $(HOST_CFLAGS)
unit_check_loop_LDFLAGS = $(HOST_LDFLAGS)
unit_check_loop_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)
