# SPDX-License-Identifier: MIT
# Unit tests of hvm domains: each device of hypervisor/emulated against
# its datasheet (the doorbell also between domains built over the fake
# platform), the MP tables against the MP specification, and the
# Multiboot loader (core/multiboot.c). Linked against libpvhv.a; no
# /dev/kvm needed.
EMULATED_UNIT_TESTS = unit/check_uart16550 unit/check_ata unit/check_rtc \
	unit/check_mptable unit/check_doorbell \
	unit/check_multiboot
check_PROGRAMS += $(EMULATED_UNIT_TESTS)
TESTS += $(EMULATED_UNIT_TESTS)

unit_check_uart16550_SOURCES = unit/check_uart16550.c
unit_check_uart16550_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
unit_check_uart16550_CFLAGS = $(HOST_CFLAGS)
unit_check_uart16550_LDFLAGS = $(HOST_LDFLAGS)
unit_check_uart16550_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)

unit_check_ata_SOURCES = unit/check_ata.c
unit_check_ata_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
unit_check_ata_CFLAGS = $(HOST_CFLAGS)
unit_check_ata_LDFLAGS = $(HOST_LDFLAGS)
unit_check_ata_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)

unit_check_multiboot_SOURCES = unit/check_multiboot.c
unit_check_multiboot_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
unit_check_multiboot_CFLAGS = $(HOST_CFLAGS)
unit_check_multiboot_LDFLAGS = $(HOST_LDFLAGS)
unit_check_multiboot_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)

unit_check_rtc_SOURCES = unit/check_rtc.c
unit_check_rtc_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
unit_check_rtc_CFLAGS = $(HOST_CFLAGS)
unit_check_rtc_LDFLAGS = $(HOST_LDFLAGS)
unit_check_rtc_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)

unit_check_mptable_SOURCES = unit/check_mptable.c
unit_check_mptable_CPPFLAGS = $(HOST_CPPFLAGS) $(CHECK_CFLAGS)
unit_check_mptable_CFLAGS = $(HOST_CFLAGS)
unit_check_mptable_LDFLAGS = $(HOST_LDFLAGS)
unit_check_mptable_LDADD = $(PVHV_LIBS) $(CHECK_LIBS)

unit_check_doorbell_SOURCES = unit/check_doorbell.c $(FIXTURE_SOURCES)
