# SPDX-License-Identifier: MIT
# Integration: real guests in real KVM domains, through libpvhv and pvctl.
check_PROGRAMS += integration/check_domains
TESTS += integration/check_domains

# The same guests in native execution mode: SKIP (77) where unusable.
check_PROGRAMS += integration/check_domains_native
integration_check_domains_native_SOURCES = integration/check_domains.c
integration_check_domains_native_CPPFLAGS = $(AM_CPPFLAGS) -DDOMAINS_NATIVE
TESTS += integration/check_domains_native

# The host's memory mappings shared out among domains (core/map_budget.h).
check_PROGRAMS += integration/check_map_budget
TESTS += integration/check_map_budget

PVCTL_TESTS = \
	integration/pvctl_hello.sh \
	integration/pvctl_crash.sh \
	integration/pvctl_refused.sh \
	integration/pvctl_nokvm.sh \
	integration/pvctl_native.sh \
	integration/control_plane.sh \
	integration/lapic.sh \
	integration/isolation_memory.sh \
	integration/io_unclaimed.sh \
	integration/hvm_domain.sh \
	integration/hvm_ata.sh \
	integration/hvm_irq.sh \
	integration/hvm_doorbell.sh \
	integration/pvbench_compare.sh \
	integration/pvctl_inputs.sh \
	integration/pvctl_disk_lock.sh \
	integration/pvctl_limits.sh \
	integration/qemu_ide.sh
TESTS += $(PVCTL_TESTS)
EXTRA_DIST += integration/lib.sh $(PVCTL_TESTS)

# The embedding API's host files: descriptors, never paths; disk locks.
check_PROGRAMS += integration/check_descriptors
TESTS += integration/check_descriptors

# A file lock held by another process, for pvctl_disk_lock.sh.
check_PROGRAMS += integration/lock_hold

# What the lifecycle asks of libpvhv: pause, states, kept console, input.
check_PROGRAMS += integration/check_lifecycle
TESTS += integration/check_lifecycle

# Two hypervisor instances in one process: ids, XenStore, services apart.
check_PROGRAMS += integration/check_instances
integration_check_instances_SOURCES = integration/check_instances.c
integration_check_instances_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
integration_check_instances_CFLAGS = $(HOST_CFLAGS)
integration_check_instances_LDFLAGS = $(HOST_LDFLAGS)
integration_check_instances_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)
TESTS += integration/check_instances

# A misbehaving client of pvhvd's control socket, for pvhvd_control.sh.
check_PROGRAMS += integration/control_poke

# pvhvd, the daemon, and pvctl's verbs through its control socket.
PVHVD_TESTS = \
	integration/pvhvd_lifecycle.sh \
	integration/pvhvd_control.sh
TESTS += $(PVHVD_TESTS)
EXTRA_DIST += integration/pvhvd_lib.sh $(PVHVD_TESTS)
