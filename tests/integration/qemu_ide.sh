#!/bin/sh
# SPDX-License-Identifier: MIT
# qemu_ide.sh: the ide_pio guest (its PVH entry and ATA PIO driver, which
# pvbench's blk_vs_qemu runs) reads 50 random places of an image through
# QEMU's IDE disk and finds each sector's own tag there. Skipped where
# qemu-system-x86_64 or /dev/kvm is missing.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm
QEMU=${PVBENCH_QEMU:-$(command -v qemu-system-x86_64)}
[ -n "$QEMU" ] && [ -x "$QEMU" ] || skip "qemu-system-x86_64 not installed"

# 1 MiB of 2048 sectors, each starting with its tag: the 8-byte
# little-endian word 0x626c6b72 << 32 | its number (blk_pattern.h's).
LC_ALL=C awk 'BEGIN {
    for (s = 0; s < 2048; s++) {
        printf "%c%c%c%c%c%c%c%c", s % 256, int(s / 256), 0, 0, 114, 107, 108, 98
        for (i = 8; i < 512; i++) printf "%c", 0
    }
}' >"$TMP/disk.img"
[ "$(wc -c <"$TMP/disk.img")" -eq 1048576 ] || fail "could not make the image"

run_qemu() {
    rc=0
    timeout 120 "$QEMU" -M pc -enable-kvm -cpu qemu64,pni=off -m 64 \
        -nodefaults -no-user-config -display none -no-reboot \
        -kernel "$GUESTS/ide_pio/ide_pio.elf" -append "n=50 size=8 check=1" \
        -drive "file=$TMP/disk.img,format=raw,if=ide,index=0,media=disk" \
        -debugcon stdio -device isa-debug-exit,iobase=0xf4,iosize=4 \
        "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
}
# qboot boots in a fraction of SeaBIOS's time where it is installed.
run_qemu -bios qboot.rom
grep -q SUCCESS "$TMP/out" || run_qemu
# isa-debug-exit: status (code << 1) | 1, the guest's code 0.
[ "$rc" -eq 1 ] || fail "QEMU exited $rc: $(cat "$TMP/out" "$TMP/err")"
expect_out "ide_pio: 2048 sectors, 16 a DRQ block"
expect_out "SUCCESS"
exit 0
