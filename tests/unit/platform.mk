# SPDX-License-Identifier: MIT
# Unit tests of hypervisor/platform/kvm that need no /dev/kvm: the native
# execution self-test's verdict on crafted probe results; the seccomp
# sandbox of vCPU threads; the hypercall page's stubs, and finding one
# again to continue a call.
PLATFORM_UNIT_TESTS = unit/check_native unit/check_sandbox \
	unit/check_hypercall_page
check_PROGRAMS += $(PLATFORM_UNIT_TESTS)
TESTS += $(PLATFORM_UNIT_TESTS)

unit_check_native_SOURCES = unit/check_native.c
unit_check_native_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
unit_check_native_CFLAGS = $(HOST_CFLAGS)
unit_check_native_LDFLAGS = $(HOST_LDFLAGS)
unit_check_native_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)

unit_check_sandbox_SOURCES = unit/check_sandbox.c
unit_check_sandbox_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
unit_check_sandbox_CFLAGS = $(HOST_CFLAGS)
unit_check_sandbox_LDFLAGS = $(HOST_LDFLAGS)
unit_check_sandbox_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)

unit_check_hypercall_page_SOURCES = unit/check_hypercall_page.c
unit_check_hypercall_page_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
unit_check_hypercall_page_CFLAGS = $(HOST_CFLAGS)
unit_check_hypercall_page_LDFLAGS = $(HOST_LDFLAGS)
unit_check_hypercall_page_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)
