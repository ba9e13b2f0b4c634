# SPDX-License-Identifier: MIT
# Unit tests of hypervisor/host: the event loop (descriptors, removal from
# callbacks, tasks, timers in order, a stop with callbacks pending,
# signals), the disk I/O engines and worker threads, the locks on disk
# images (real files). Linked against libpvhv.a. One line each.
HOST_UNIT_TESTS = \
	unit/check_disk_io \
	unit/check_disk_lock \
	unit/check_loop
check_PROGRAMS += $(HOST_UNIT_TESTS)
TESTS += $(HOST_UNIT_TESTS)
