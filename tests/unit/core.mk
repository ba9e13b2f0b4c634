# SPDX-License-Identifier: MIT
# Unit tests of hypervisor/core: one Check suite per core file, linked
# against libpvhv.a (no /dev/kvm needed). A new one is one line here:
# unit/check_NAME, from unit/check_NAME.c (flags: tests/Makefile.am).
CORE_UNIT_TESTS = \
	unit/check_acpi \
	unit/check_console_buffer \
	unit/check_domain \
	unit/check_domain_build \
	unit/check_device_list \
	unit/check_exits \
	unit/check_guest_memory \
	unit/check_hypercall \
	unit/check_io \
	unit/check_loader \
	unit/check_log \
	unit/check_map_budget \
	unit/check_ratelimit \
	unit/check_error \
	unit/check_domain_lookup
check_PROGRAMS += $(CORE_UNIT_TESTS)
TESTS += $(CORE_UNIT_TESTS)

# Domains made by the real domain_build over a fake platform (no /dev/kvm):
# a test that needs one adds its SOURCES line here.
FIXTURE_SOURCES = unit/domain_fixture.c unit/domain_fixture.h \
	unit/fake_platform.c unit/fake_platform.h
unit_check_domain_build_SOURCES = unit/check_domain_build.c $(FIXTURE_SOURCES)
unit_check_device_list_SOURCES = unit/check_device_list.c $(FIXTURE_SOURCES)
unit_check_exits_SOURCES = unit/check_exits.c $(FIXTURE_SOURCES)
unit_check_hypercall_SOURCES = unit/check_hypercall.c $(FIXTURE_SOURCES)
unit_check_domain_SOURCES = unit/check_domain.c $(FIXTURE_SOURCES)
unit_check_io_SOURCES = unit/check_io.c $(FIXTURE_SOURCES)
unit_check_log_SOURCES = unit/check_log.c $(FIXTURE_SOURCES)
unit_check_domain_lookup_SOURCES = unit/check_domain_lookup.c \
	$(FIXTURE_SOURCES)
