#!/bin/sh
# SPDX-License-Identifier: MIT
# hvm_ata.sh: the ide_pio guest (the one pvbench runs under QEMU) in an
# hvm domain: pvhv's ATA disk at 0x1f0 serves its IDENTIFY, SET MULTIPLE
# and READ MULTIPLE (rep insw: one exit a DRQ block), and every sector it
# reads carries its own tag. A guest writes and reads master and slave and
# the host checks the images, by PIO, by DMA and polling each command
# while its I/O runs on the worker. A third disk is refused by name.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

# 1 MiB of 2048 sectors, each starting with its tag (as qemu_ide.sh).
LC_ALL=C awk 'BEGIN {
    for (s = 0; s < 2048; s++) {
        printf "%c%c%c%c%c%c%c%c", s % 256, int(s / 256), 0, 0, 114, 107, 108, 98
        for (i = 8; i < 512; i++) printf "%c", 0
    }
}' >"$TMP/disk.img"
[ "$(wc -c <"$TMP/disk.img")" -eq 1048576 ] || fail "could not make the image"

hvm_xml() {
    x=$(domain_xml "$@")
    sed -i "s|<type arch='x86_64' machine='xenpvh'>xenpvh</type>|<type arch='x86_64' machine='pc'>hvm</type>|" "$x"
    echo "$x"
}

ide=$(hvm_xml ide "$GUESTS/ide_pio/ide_pio.elf" 4096 "n=20 size=8 check=1" \
    destroy "<devices>$(disk_of "$TMP/disk.img" hda)</devices>")
run_pvctl run "$ide"
expect_rc 0
expect_out "ide_pio: 2048 sectors, 16 a DRQ block"
expect_out "SUCCESS"
expect_err "ide (id 1): poweroff"

# Both disks written and read by the guest; the host finds its sectors.
printf 'MASTER-0' | dd of="$TMP/m.img" bs=512 count=1 conv=sync 2>/dev/null
printf 'SLAVE--1' | dd of="$TMP/s.img" bs=512 count=1 conv=sync 2>/dev/null
truncate -s 1M "$TMP/m.img" "$TMP/s.img"
both=$(hvm_xml both "$GUESTS/hvm_disk/hvm_disk.elf" 4096 "" destroy \
    "<devices>$(disk_of "$TMP/m.img" hda)$(disk_of "$TMP/s.img" hdb)</devices>")
run_pvctl run "$both"
expect_rc 0
expect_out "hvm_disk: master says MASTER-0"
expect_out "hvm_disk: slave says SLAVE--1"
expect_out "SUCCESS"
for k in 0 23; do
    got=$(dd if="$TMP/m.img" bs=512 skip=$((8 + k)) count=1 2>/dev/null | head -c 10)
    [ "$got" = "m $(printf %08x $((8 + k)))" ] || fail "master sector $((8 + k)): '$got'"
    got=$(dd if="$TMP/s.img" bs=512 skip=$((40 + k)) count=1 2>/dev/null | head -c 10)
    [ "$got" = "s $(printf %08x $((40 + k)))" ] || fail "slave sector $((40 + k)): '$got'"
done
[ "$(dd if="$TMP/m.img" bs=512 skip=32 count=1 2>/dev/null | tr -d '\0' | wc -c)" -eq 0 ] ||
    fail "the master's sector 32 was written"

# The same by bus-master DMA; a PRD past RAM is refused with a warning.
printf 'MASTER-0' | dd of="$TMP/m.img" bs=512 count=1 conv=sync 2>/dev/null
printf 'SLAVE--1' | dd of="$TMP/s.img" bs=512 count=1 conv=sync 2>/dev/null
truncate -s 1M "$TMP/m.img" "$TMP/s.img"
sed -i "s|<cmdline></cmdline>|<cmdline>dma</cmdline>|" "$both"
run_pvctl run "$both"
expect_rc 0
expect_out "hvm_disk: by bus-master DMA"
expect_out "SUCCESS"
expect_err "ATA DMA refused: DMA buffer outside guest RAM: 512 bytes at 0x80000000"
got=$(dd if="$TMP/s.img" bs=512 skip=63 count=1 2>/dev/null | head -c 10)
[ "$got" = "s 0000003f" ] || fail "slave sector 63 by DMA: '$got'"

# Polled reads, the vCPU not waiting for the worker at all: the guest may
# see BSY (the I/O runs on the ATA worker); a register it writes then is
# ignored; the data is right either way. A bad wait is refused by name.
printf 'MASTER-0' | dd of="$TMP/m.img" bs=512 count=1 conv=sync 2>/dev/null
truncate -s 1M "$TMP/m.img"
sed -i "s|<cmdline>dma</cmdline>|<cmdline>busy</cmdline>|" "$both"
PVHV_ATA_WAIT_US=0 run_pvctl run "$both"
expect_rc 0
expect_out "hvm_disk: polled reads saw BSY"
expect_out "SUCCESS"
PVHV_ATA_WAIT_US=soon run_pvctl run "$both"
[ "$rc" -ne 0 ] || fail "PVHV_ATA_WAIT_US=soon was accepted"
expect_err "PVHV_ATA_WAIT_US is 'soon' (from the environment); allowed: 0 to 1000000 microseconds"

# No disk: IDENTIFY finds nobody (status 0), the guest says so and fails.
none=$(hvm_xml none "$GUESTS/ide_pio/ide_pio.elf" 4096 "n=1")
run_pvctl run "$none"
expect_rc 1
expect_out "ABORT: ata_pio_open failed"

# Three disks: refused before anything runs.
three=$(hvm_xml three "$GUESTS/ide_pio/ide_pio.elf" 4096 "" destroy \
    "<devices>$(disk_of "$TMP/disk.img" hda readonly)$(disk_of "$TMP/disk.img" hdb readonly)$(disk_of "$TMP/disk.img" hdc readonly)</devices>")
run_pvctl run "$three"
expect_rc 2
expect_err "hvm domain with 3 disks; allowed: at most 2"
exit 0
