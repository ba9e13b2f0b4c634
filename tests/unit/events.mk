# SPDX-License-Identifier: MIT
# Unit tests of event channels (core/event_channel.c, SCHEDOP_block/poll)
# and of the hvm_op, memory_op and vcpu_op handlers. Linked against
# libpvhv.a; no /dev/kvm needed.
EVENTS_UNIT_TESTS = unit/check_event_channel unit/check_hvm_memory_vcpu
check_PROGRAMS += $(EVENTS_UNIT_TESTS)
TESTS += $(EVENTS_UNIT_TESTS)

unit_check_event_channel_SOURCES = unit/check_event_channel.c
unit_check_event_channel_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
unit_check_event_channel_CFLAGS = $(HOST_CFLAGS)
unit_check_event_channel_LDFLAGS = $(HOST_LDFLAGS)
unit_check_event_channel_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)

unit_check_hvm_memory_vcpu_SOURCES = unit/check_hvm_memory_vcpu.c
unit_check_hvm_memory_vcpu_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
unit_check_hvm_memory_vcpu_CFLAGS = $(HOST_CFLAGS)
unit_check_hvm_memory_vcpu_LDFLAGS = $(HOST_LDFLAGS)
unit_check_hvm_memory_vcpu_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)
