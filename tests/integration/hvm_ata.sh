#!/bin/sh
# SPDX-License-Identifier: MIT
# hvm_ata.sh: the ide_pio guest (the one pvbench runs under QEMU) in an
# hvm domain: pvhv's ATA disk at 0x1f0 serves its IDENTIFY, SET MULTIPLE
# and READ MULTIPLE (rep insw: one exit a DRQ block), and every sector it
# reads carries its own tag. A third disk is refused by name.
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
