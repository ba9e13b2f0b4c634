#!/bin/sh
# SPDX-License-Identifier: MIT
# pvbench_compare.sh: `pvbench --compare` in its smallest form (one
# workload, 5 reads): the results folder holds the CSV with a PV, an hvm
# and a host row (QEMU's where installed), the Markdown table with the
# command and machine facts, and plots where gnuplot is installed; an
# unknown workload is refused with the known ones named.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

PVBENCH="$top_builddir/tests/bench/pvbench"
rc=0
timeout 120 "$PVBENCH" -g "$GUESTS" -n 5 --compare --quick \
    --workload disk_rand4k_qd1 --out "$TMP/c" >"$TMP/out" 2>"$TMP/err" || rc=$?
expect_rc 0
for f in results.csv results.md; do
    [ -s "$TMP/c/$f" ] || fail "no $f: $(cat "$TMP/err")"
done
for row in "disk_rand4k_qd1,pv,blkif QD1," "disk_rand4k_qd1,hvm,ATA PIO" \
    "disk_rand4k_qd1,host,pread floor,"; do
    grep -qF "$row" "$TMP/c/results.csv" || fail "no '$row' row: $(cat "$TMP/c/results.csv")"
done
grep -q "^disk_rand4k_qd1,pv,blkif QD1,[0-9.]*,[0-9.]*,1.00," "$TMP/c/results.csv" ||
    fail "PV blkif QD1 is not one exit a read: $(cat "$TMP/c/results.csv")"
grep -q "disk_rand4k_qd32" "$TMP/c/results.csv" && fail "--workload ran others too"
expect_out "| disk_rand4k_qd1 | hvm | ATA PIO"
grep -qF -- "- command: $PVBENCH" "$TMP/c/results.md" || fail "no command in results.md"
grep -q -- "- KVM: " "$TMP/c/results.md" || fail "no KVM facts in results.md"
if command -v gnuplot >/dev/null 2>&1; then
    [ -s "$TMP/c/disk.png" ] && [ -s "$TMP/c/disk.svg" ] || fail "no plots: $(cat "$TMP/err")"
fi

rc=0
"$PVBENCH" --compare --workload nope >"$TMP/out" 2>"$TMP/err" || rc=$?
expect_rc 2
expect_err "--workload 'nope': not a workload of --compare (disk_rand4k_qd1, disk_rand4k_qd32)"
exit 0
