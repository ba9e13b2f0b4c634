# SPDX-License-Identifier: MIT
# Unit tests of hypervisor/platform/kvm that need no /dev/kvm: the native
# execution self-test's verdict on crafted probe results.
PLATFORM_UNIT_TESTS = unit/check_native
check_PROGRAMS += $(PLATFORM_UNIT_TESTS)
TESTS += $(PLATFORM_UNIT_TESTS)

unit_check_native_SOURCES = unit/check_native.c
unit_check_native_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
unit_check_native_CFLAGS = $(HOST_CFLAGS)
unit_check_native_LDFLAGS = $(HOST_LDFLAGS)
unit_check_native_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)
