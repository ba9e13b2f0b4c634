# SPDX-License-Identifier: MIT
# Unit tests of hypervisor/core: one Check suite per core file, linked
# against libpvhv.a (no /dev/kvm needed). A new one is one line here:
# unit/check_NAME, from unit/check_NAME.c (flags: tests/Makefile.am).
CORE_UNIT_TESTS = \
	unit/check_console_buffer \
	unit/check_domain \
	unit/check_exits \
	unit/check_guest_memory \
	unit/check_hypercall \
	unit/check_io \
	unit/check_loader \
	unit/check_log \
	unit/check_map_budget \
	unit/check_ratelimit
check_PROGRAMS += $(CORE_UNIT_TESTS)
TESTS += $(CORE_UNIT_TESTS)
