# SPDX-License-Identifier: MIT
# Unit tests of event channels (core/event_channel.c, SCHEDOP_block/poll)
# and of the hvm_op, memory_op and vcpu_op handlers. Linked against
# libpvhv.a; no /dev/kvm needed. One line each.
EVENTS_UNIT_TESTS = \
	unit/check_event_channel \
	unit/check_hvm_memory_vcpu
check_PROGRAMS += $(EVENTS_UNIT_TESTS)
TESTS += $(EVENTS_UNIT_TESTS)
unit_check_event_channel_SOURCES = unit/check_event_channel.c \
	$(FIXTURE_SOURCES)
unit_check_hvm_memory_vcpu_SOURCES = unit/check_hvm_memory_vcpu.c \
	$(FIXTURE_SOURCES)
