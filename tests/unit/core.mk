# SPDX-License-Identifier: MIT
# Unit tests of hypervisor/core: one Check suite per core file, linked
# against libpvhv.a (no /dev/kvm needed).
CORE_UNIT_TESTS = unit/check_loader unit/check_guest_memory unit/check_hypercall \
	unit/check_map_budget \
	unit/check_ratelimit unit/check_log unit/check_domain unit/check_io \
	unit/check_exits unit/check_console_buffer unit/check_error \
	unit/check_domain_lookup
check_PROGRAMS += $(CORE_UNIT_TESTS)
TESTS += $(CORE_UNIT_TESTS)

CORE_UNIT_CFLAGS = $(HOST_CFLAGS) $(CHECK_CFLAGS)
CORE_UNIT_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)

unit_check_loader_SOURCES = unit/check_loader.c
unit_check_loader_CPPFLAGS = $(HOST_CPPFLAGS)
unit_check_loader_CFLAGS = $(CORE_UNIT_CFLAGS)
unit_check_loader_LDFLAGS = $(HOST_LDFLAGS)
unit_check_loader_LDADD = $(CORE_UNIT_LDADD)

unit_check_guest_memory_SOURCES = unit/check_guest_memory.c
unit_check_guest_memory_CPPFLAGS = $(HOST_CPPFLAGS)
unit_check_guest_memory_CFLAGS = $(CORE_UNIT_CFLAGS)
unit_check_guest_memory_LDFLAGS = $(HOST_LDFLAGS)
unit_check_guest_memory_LDADD = $(CORE_UNIT_LDADD)

unit_check_hypercall_SOURCES = unit/check_hypercall.c
unit_check_hypercall_CPPFLAGS = $(HOST_CPPFLAGS)
unit_check_hypercall_CFLAGS = $(CORE_UNIT_CFLAGS)
unit_check_hypercall_LDFLAGS = $(HOST_LDFLAGS)
unit_check_hypercall_LDADD = $(CORE_UNIT_LDADD)

unit_check_map_budget_SOURCES = unit/check_map_budget.c
unit_check_map_budget_CPPFLAGS = $(HOST_CPPFLAGS)
unit_check_map_budget_CFLAGS = $(CORE_UNIT_CFLAGS)
unit_check_map_budget_LDFLAGS = $(HOST_LDFLAGS)
unit_check_map_budget_LDADD = $(CORE_UNIT_LDADD)

unit_check_ratelimit_SOURCES = unit/check_ratelimit.c
unit_check_ratelimit_CPPFLAGS = $(HOST_CPPFLAGS)
unit_check_ratelimit_CFLAGS = $(CORE_UNIT_CFLAGS)
unit_check_ratelimit_LDFLAGS = $(HOST_LDFLAGS)
unit_check_ratelimit_LDADD = $(CORE_UNIT_LDADD)

unit_check_log_SOURCES = unit/check_log.c
unit_check_log_CPPFLAGS = $(HOST_CPPFLAGS)
unit_check_log_CFLAGS = $(CORE_UNIT_CFLAGS)
unit_check_log_LDFLAGS = $(HOST_LDFLAGS)
unit_check_log_LDADD = $(CORE_UNIT_LDADD)

unit_check_domain_SOURCES = unit/check_domain.c
unit_check_domain_CPPFLAGS = $(HOST_CPPFLAGS)
unit_check_domain_CFLAGS = $(CORE_UNIT_CFLAGS)
unit_check_domain_LDFLAGS = $(HOST_LDFLAGS)
unit_check_domain_LDADD = $(CORE_UNIT_LDADD)

unit_check_io_SOURCES = unit/check_io.c
unit_check_io_CPPFLAGS = $(HOST_CPPFLAGS)
unit_check_io_CFLAGS = $(CORE_UNIT_CFLAGS)
unit_check_io_LDFLAGS = $(HOST_LDFLAGS)
unit_check_io_LDADD = $(CORE_UNIT_LDADD)

unit_check_exits_SOURCES = unit/check_exits.c
unit_check_exits_CPPFLAGS = $(HOST_CPPFLAGS)
unit_check_exits_CFLAGS = $(CORE_UNIT_CFLAGS)
unit_check_exits_LDFLAGS = $(HOST_LDFLAGS)
unit_check_exits_LDADD = $(CORE_UNIT_LDADD)

unit_check_console_buffer_SOURCES = unit/check_console_buffer.c
unit_check_console_buffer_CPPFLAGS = $(HOST_CPPFLAGS)
unit_check_console_buffer_CFLAGS = $(CORE_UNIT_CFLAGS)
unit_check_console_buffer_LDFLAGS = $(HOST_LDFLAGS)
unit_check_console_buffer_LDADD = $(CORE_UNIT_LDADD)

unit_check_error_SOURCES = unit/check_error.c
unit_check_error_CPPFLAGS = $(HOST_CPPFLAGS)
unit_check_error_CFLAGS = $(CORE_UNIT_CFLAGS)
unit_check_error_LDFLAGS = $(HOST_LDFLAGS)
unit_check_error_LDADD = $(CORE_UNIT_LDADD)

unit_check_domain_lookup_SOURCES = unit/check_domain_lookup.c
unit_check_domain_lookup_CPPFLAGS = $(HOST_CPPFLAGS)
unit_check_domain_lookup_CFLAGS = $(CORE_UNIT_CFLAGS)
unit_check_domain_lookup_LDFLAGS = $(HOST_LDFLAGS)
unit_check_domain_lookup_LDADD = $(CORE_UNIT_LDADD)
