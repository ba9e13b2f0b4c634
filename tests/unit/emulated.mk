# SPDX-License-Identifier: MIT
# Unit tests of hypervisor/emulated: each device's registers against its
# datasheet. Linked against libpvhv.a; no /dev/kvm needed.
EMULATED_UNIT_TESTS = unit/check_uart16550 unit/check_ata
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
