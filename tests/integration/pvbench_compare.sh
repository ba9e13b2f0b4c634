#!/bin/sh
# SPDX-License-Identifier: MIT
# pvbench_compare.sh: `pvbench --compare --quick` in its smallest form (5
# operations each): the results folder holds the CSV with PV, hvm and
# host rows of every workload (QEMU's where installed: disk, console and
# boot, or the reason it is not), exits per
# operation exact where the guest makes them so, beside them all of
# KVM's exits (kvm_exits_per_op: in-kernel ones too, "n/a" on a host
# without KVM's exits statistic), the Markdown table with
# the command and machine facts, and a plot per workload family where
# gnuplot is installed; --workload runs one; an unknown workload is
# refused with the known ones named.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

PVBENCH="$top_builddir/tests/bench/pvbench"
CSV="$TMP/c/results.csv"
rc=0
# An ATA command's vCPU waits for the channel's worker up to a second
# (not the default 10 ms), so that a loaded host adds no status polls to
# the exits asserted below.
PVHV_ATA_WAIT_US=1000000 timeout 170 "$PVBENCH" -g "$GUESTS" -n 5 \
    --compare --quick --out "$TMP/c" >"$TMP/out" 2>"$TMP/err" || rc=$?
expect_rc 0
for f in results.csv results.md; do
    [ -s "$TMP/c/$f" ] || fail "no $f: $(cat "$TMP/err")"
done
head -n 1 "$CSV" | grep -q "^workload,system,how,us_per_op,ops_per_s,exits_per_op,kvm_exits_per_op,guest_insns_per_op," ||
    fail "no kvm_exits_per_op column beside exits_per_op: $(head -n 1 "$CSV")"
grep -qF "| exits to VMM/op | all KVM exits/op |" "$TMP/c/results.md" ||
    fail "the table does not say which exits are which: $(grep '^| workload' "$TMP/c/results.md")"
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
    "timer,pv,VCPUOP_set_singleshot_timer + VIRQ_TIMER upcall," \
    "timer,hvm,LAPIC one-shot timer (in-kernel LAPIC)," \
    "timer,host,clock_nanosleep floor (no timer slack),"; do
    grep -qF "$row" "$CSV" || fail "no '$row' row: $(cat "$CSV")"
done
# Exits per operation where the guest fixes them: 88 sectors at 16 a DRQ
# block by READ MULTIPLE (ata_pio.c); one ring notify per 64-byte line; an LSR read and a THR write a UART byte;
# the hvm boot's marker, 5 UART setup writes and its first byte; the
# marker write is the hvm guest's first exit; an hvm timer (LAPIC MMIO,
# `hlt`, delivery) stays inside KVM; an hvm round trip is three exits a
# side (RING written, STATUS read and acknowledged; `hlt` and the EOI stay
# inside KVM).
# The ATA I/O runs on the channel's worker, which a vCPU waits for (10 ms
# at most): a host too loaded to run it that soon adds a status poll, so
# those two allow an extra exit or two in the 5 reads.
for want in "seq_read,hvm,ATA PIO READ MULTIPLE,[0-9.]*,[0-9.]*,57\.[0-4][0-9]*," \
    "seq_read,hvm,ATA DMA (QD1: no queue),[0-9.]*,[0-9.]*,15\.[0-4][0-9]*," \
    "console,pv,console ring (printf of 64 B lines),[0-9.]*,[0-9.]*,0.0156," \
    "console,hvm,16550 UART (polled THR writes),[0-9.]*,[0-9.]*,2.0000," \
    "boot,hvm,hvm console guest: to first console byte,[0-9.]*,[0-9.]*,8.0000," \
    "boot,hvm,hvm console guest: to first boot marker,[0-9.]*,[0-9.]*,1.0000," \
    "timer,hvm,LAPIC one-shot timer (in-kernel LAPIC),[0-9.]*,[0-9.]*,0.0000," \
    "roundtrip,hvm,emulated-device interrupt (doorbell IRQ 10),[0-9.]*,[0-9.]*,6.0000,"; do
    grep -q "^$want" "$CSV" || fail "no row matching '$want': $(cat "$CSV")"
done
# A PV read at QD1 kicks once, but blkback's worker may find the next one
# in its pass unkicked, and a loaded host makes blkfront wait: about one.
awk -F, '$1 == "disk_rand4k_qd1" && $2 == "pv" { found = 1
    if ($6 + 0 <= 0 || $6 + 0 > 3) { print "PV QD1 exits a read: " $0; bad = 1 }
} END { exit bad || !found }' "$CSV" >"$TMP/insane" || fail "$(cat "$TMP/insane")"
# Under QEMU, where installed, the same hvm timer guest ran; its figure
# is all of KVM's exits (query-stats), so it sits in kvm_exits_per_op,
# exits_per_op (those reaching QEMU) left empty; n/a where two boots'
# counts gave no difference (5 timers can drown in a boot's noise).
if command -v qemu-system-x86_64 >/dev/null 2>&1; then
    grep -q "^timer,qemu,LAPIC one-shot timer of -M pc,[0-9]" "$CSV" ||
        fail "no measured QEMU timer row: $(grep '^timer,qemu' "$CSV")"
    grep -q "^timer,qemu,LAPIC one-shot timer of -M pc,[0-9.]*,[0-9.]*,,\([0-9]\|n/a,\)" "$CSV" ||
        fail "QEMU's exits are not in kvm_exits_per_op: $(grep '^timer,qemu' "$CSV")"
fi
# A PV timer is its set_singleshot_timer hypercall and the `hlt` of
# block(), unless a loaded host let it expire before the `hlt`.
awk -F, '$1 == "timer" && $2 == "pv" { found = 1
    if ($6 + 0 < 1 || $6 + 0 > 2) { print "PV timer exits: " $0; bad = 1 }
} END { exit bad || !found }' "$CSV" >"$TMP/insane" || fail "$(cat "$TMP/insane")"
# An hvm timer never reaches pvhv (KVM serves the LAPIC: exits 0 above),
# yet KVM takes exits for it: its timer interrupt at least. Where the
# host has KVM's exits statistic, kvm_exits says so.
awk -F, '$1 == "timer" && $2 == "hvm" { found = 1
    if ($7 == "n/a") { print "n/a"; next }
    if ($6 + 0 != 0 || $7 + 0 <= 0) { print "hvm timer exits, KVM exits: " $0; bad = 1 }
} END { exit bad || !found }' "$CSV" >"$TMP/kvm" || fail "$(cat "$TMP/kvm")"
if grep -q "^n/a" "$TMP/kvm"; then
    echo "note: this host's KVM has no exits statistic (kvm_exits n/a)"
fi
# Sane figures: every PV and hvm row (but one not measured, with why) has
# the 12 columns, took time, KVM's exits as a number or n/a and, where
# the workload has a throughput, a positive one in its unit.
awk -F, '$2 == "pv" || $2 == "hvm" {
    if ($4 == "" && $NF ~ /^"not measured: /) next
    if (NF != 12) { print "not 12 columns: " $0; bad = 1 }
    if ($4 + 0 <= 0) { print "no time: " $0; bad = 1 }
    if ($7 != "n/a" && $7 !~ /^[0-9]+\.[0-9]+$/) { print "no kvm_exits: " $0; bad = 1 }
    if ($1 != "boot" && $1 != "timer" && ($10 + 0 <= 0 || $11 == "")) { print "no throughput: " $0; bad = 1 }
} END { exit bad }' "$CSV" >"$TMP/insane" || fail "$(cat "$TMP/insane")"
# QEMU's console and boot rows: the hvm console guest under -M pc. Where
# QEMU runs: a UART byte is an LSR read and a THR write there too (plus
# the odd timer exit), in KVM's exits (QEMU's own are not counted; two
# boots' difference, whose noise can take a little off), a positive
# B/s, and boots that took some time but not a minute; where it is
# missing, the rows say so.
for row in "console,qemu,16550 of -M pc (polled THR writes)," \
    "boot,qemu,hvm console guest: to first console byte," \
    "boot,qemu,hvm console guest: to first boot marker,"; do
    grep -qF "$row" "$CSV" || fail "no '$row' row: $(cat "$CSV")"
done
if command -v qemu-system-x86_64 >/dev/null 2>&1 || [ -n "${PVBENCH_QEMU:-}" ]; then
    awk -F, '$2 == "qemu" && ($1 == "console" || $1 == "boot") {
        n++
        if ($4 + 0 <= 0) { print "no time: " $0; bad = 1 }
        if ($1 == "console" && ($6 != "" || $7 + 0 < 1.5 || $7 + 0 > 4 || $10 + 0 <= 0 || $11 != "B/s")) {
            print "QEMU console exits or throughput: " $0; bad = 1 }
        if ($1 == "boot" && ($4 + 0 > 60e6 || $NF !~ /host clock from QEMU.s fork/)) {
            print "QEMU boot: " $0; bad = 1 }
    } END { exit bad || n != 3 }' "$CSV" >"$TMP/insane" || fail "QEMU rows: $(cat "$TMP/insane")"
else
    grep -q '^console,qemu,.*"not measured: qemu-system-x86_64 not installed"' "$CSV" ||
        fail "no reason for the missing QEMU console row: $(cat "$CSV")"
fi
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
