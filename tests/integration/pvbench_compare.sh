#!/bin/sh
# SPDX-License-Identifier: MIT
# pvbench_compare.sh: `pvbench --compare --quick` in its smallest form (5
# operations each): the results folder holds the CSV with PV, hvm and
# host rows of every workload (QEMU's where installed), exits per
# operation exact where the guest makes them so, the Markdown table with
# the command and machine facts, and a plot per workload family where
# gnuplot is installed; --workload runs one; an unknown workload is
# refused with the known ones named.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

PVBENCH="$top_builddir/tests/bench/pvbench"
CSV="$TMP/c/results.csv"
rc=0
timeout 170 "$PVBENCH" -g "$GUESTS" -n 5 --compare --quick \
    --out "$TMP/c" >"$TMP/out" 2>"$TMP/err" || rc=$?
expect_rc 0
for f in results.csv results.md; do
    [ -s "$TMP/c/$f" ] || fail "no $f: $(cat "$TMP/err")"
done
for row in "disk_rand4k_qd1,pv,blkif QD1," "disk_rand4k_qd1,hvm,ATA PIO" \
    "disk_rand4k_qd1,host,pread floor," "seq_read,pv,blkif QD1," \
    "seq_read,pv,blkif QD8," "seq_read,hvm,ATA PIO READ MULTIPLE," \
    "seq_read,hvm,ATA DMA" "seq_read,host,pread floor," \
    "console,pv,console ring" "console,hvm,16550 UART" \
    "boot,pv,PV console guest: to first console byte," \
    "boot,pv,PV console guest: to first boot marker," \
    "boot,hvm,hvm console guest: to first console byte," \
    "boot,hvm,hvm console guest: to first boot marker," \
    "roundtrip,pv,event channel (masked port polled)," \
    "roundtrip,pv,event channel (upcall handler)," \
    "roundtrip,hvm,emulated-device interrupt,," \
    "timer,pv,VCPUOP_set_singleshot_timer + VIRQ_TIMER upcall," \
    "timer,hvm,LAPIC one-shot timer (in-kernel LAPIC)," \
    "timer,host,clock_nanosleep floor (no timer slack),"; do
    grep -qF "$row" "$CSV" || fail "no '$row' row: $(cat "$CSV")"
done
# Exits per operation where the guest fixes them: 88 sectors at 16 a DRQ
# block by READ MULTIPLE (ata_pio.c); one ring notify per 64-byte line; an LSR read and a THR write a UART byte;
# the hvm boot's marker, 5 UART setup writes and its first byte; the
# marker write is the hvm guest's first exit; an hvm timer (LAPIC MMIO,
# `hlt`, delivery) stays inside KVM.
for want in "seq_read,hvm,ATA PIO READ MULTIPLE,[0-9.]*,[0-9.]*,57.0000," \
    "seq_read,hvm,ATA DMA (QD1: no queue),[0-9.]*,[0-9.]*,15.0000," \
    "console,pv,console ring (printf of 64 B lines),[0-9.]*,[0-9.]*,0.0156," \
    "console,hvm,16550 UART (polled THR writes),[0-9.]*,[0-9.]*,2.0000," \
    "boot,hvm,hvm console guest: to first console byte,[0-9.]*,[0-9.]*,8.0000," \
    "boot,hvm,hvm console guest: to first boot marker,[0-9.]*,[0-9.]*,1.0000," \
    "timer,hvm,LAPIC one-shot timer (in-kernel LAPIC),[0-9.]*,[0-9.]*,0.0000,"; do
    grep -q "^$want" "$CSV" || fail "no row matching '$want': $(cat "$CSV")"
done
# A PV read at QD1 kicks once, but blkback's worker may find the next one
# in its pass unkicked, and a loaded host makes blkfront wait: about one.
awk -F, '$1 == "disk_rand4k_qd1" && $2 == "pv" { found = 1
    if ($6 + 0 <= 0 || $6 + 0 > 3) { print "PV QD1 exits a read: " $0; bad = 1 }
} END { exit bad || !found }' "$CSV" >"$TMP/insane" || fail "$(cat "$TMP/insane")"
# Under QEMU, where installed, the same hvm timer guest ran.
if command -v qemu-system-x86_64 >/dev/null 2>&1; then
    grep -q "^timer,qemu,LAPIC one-shot timer of -M pc,[0-9]" "$CSV" ||
        fail "no measured QEMU timer row: $(grep '^timer,qemu' "$CSV")"
fi
# A PV timer is its set_singleshot_timer hypercall and the `hlt` of
# block(), unless a loaded host let it expire before the `hlt`.
awk -F, '$1 == "timer" && $2 == "pv" { found = 1
    if ($6 + 0 < 1 || $6 + 0 > 2) { print "PV timer exits: " $0; bad = 1 }
} END { exit bad || !found }' "$CSV" >"$TMP/insane" || fail "$(cat "$TMP/insane")"
# Sane figures: every PV and hvm row (but one not measured, with why) has
# the 11 columns, took time and, where the workload has a throughput, a
# positive one in its unit.
awk -F, '$2 == "pv" || $2 == "hvm" {
    if ($4 == "" && $NF ~ /^"not measured: /) next
    if (NF != 11) { print "not 11 columns: " $0; bad = 1 }
    if ($4 + 0 <= 0) { print "no time: " $0; bad = 1 }
    if ($1 != "boot" && $1 != "timer" && ($9 + 0 <= 0 || $10 == "")) { print "no throughput: " $0; bad = 1 }
} END { exit bad }' "$CSV" >"$TMP/insane" || fail "$(cat "$TMP/insane")"
grep -q "^seq_read,pv,blkif QD1,.*,MB/s," "$CSV" || fail "seq_read is not in MB/s"
grep -q "^console,hvm,.*,B/s," "$CSV" || fail "console is not in B/s"
expect_out "| disk_rand4k_qd1 | hvm | ATA PIO"
expect_out "| console | hvm | 16550 UART"
grep -qF -- "- command: $PVBENCH" "$TMP/c/results.md" || fail "no command in results.md"
grep -q -- "- KVM: " "$TMP/c/results.md" || fail "no KVM facts in results.md"
if command -v gnuplot >/dev/null 2>&1; then
    for fam in disk seq_read console boot roundtrip timer; do
        [ -s "$TMP/c/$fam.png" ] && [ -s "$TMP/c/$fam.svg" ] ||
            fail "no $fam plots: $(cat "$TMP/err")"
    done
fi

rc=0
timeout 60 "$PVBENCH" -g "$GUESTS" -n 5 --compare --quick --workload console \
    --out "$TMP/w" >"$TMP/out" 2>"$TMP/err" || rc=$?
expect_rc 0
grep -q "^console,pv," "$TMP/w/results.csv" || fail "--workload console ran no console rows"
grep -q "^disk_\|^seq_read\|^boot\|^roundtrip\|^timer" "$TMP/w/results.csv" && fail "--workload ran others too"

rc=0
"$PVBENCH" --compare --workload nope >"$TMP/out" 2>"$TMP/err" || rc=$?
expect_rc 2
expect_err "--workload 'nope': not a workload of --compare (disk_rand4k_qd1, disk_rand4k_qd32, seq_read, console, boot, roundtrip, timer)"
exit 0
