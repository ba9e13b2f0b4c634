# SPDX-License-Identifier: MIT
# Integration: real guests in real KVM domains, through libpvhv and pvctl.
check_PROGRAMS += integration/check_domains
integration_check_domains_SOURCES = integration/check_domains.c
integration_check_domains_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
integration_check_domains_CFLAGS = $(HOST_CFLAGS)
integration_check_domains_LDFLAGS = $(HOST_LDFLAGS)
integration_check_domains_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)
TESTS += integration/check_domains

# The same guests in native execution mode: SKIP (77) where unusable.
check_PROGRAMS += integration/check_domains_native
integration_check_domains_native_SOURCES = integration/check_domains.c
integration_check_domains_native_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS) \
	-DDOMAINS_NATIVE
integration_check_domains_native_CFLAGS = $(HOST_CFLAGS)
integration_check_domains_native_LDFLAGS = $(HOST_LDFLAGS)
integration_check_domains_native_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)
TESTS += integration/check_domains_native

PVCTL_TESTS = \
	integration/pvctl_hello.sh \
	integration/pvctl_crash.sh \
	integration/pvctl_refused.sh \
	integration/pvctl_nokvm.sh \
	integration/pvctl_native.sh \
	integration/control_plane.sh \
	integration/qemu_ide.sh
TESTS += $(PVCTL_TESTS)
EXTRA_DIST += integration/lib.sh $(PVCTL_TESTS)
