# SPDX-License-Identifier: MIT
# Unit tests of hypervisor/platform/kvm that need no /dev/kvm: the native
# execution self-test's verdict on crafted probe results; the seccomp
# sandbox of vCPU threads; the hypercall page's stubs, and finding one
# again to continue a call. One line each.
PLATFORM_UNIT_TESTS = \
	unit/check_hypercall_page \
	unit/check_native \
	unit/check_sandbox
check_PROGRAMS += $(PLATFORM_UNIT_TESTS)
TESTS += $(PLATFORM_UNIT_TESTS)
unit_check_hypercall_page_SOURCES = unit/check_hypercall_page.c $(FIXTURE_SOURCES)
