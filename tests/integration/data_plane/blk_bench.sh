#!/bin/sh
# SPDX-License-Identifier: MIT
# blk_bench.sh: the block benchmark guest, a few reads: its markers and its count
# (the data plane, through real guests and pvctl).
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

G="$GUESTS"

# A few reads for pvbench's sake: the markers and the count.
truncate -s 4M "$TMP/bench.img"
x=$(disk_xml bench_blk "$G/bench_blk/bench_blk.elf" 8192 "op=rand qd=8 n=200" "$TMP/bench.img")
run_pvctl run -q "$x"
expect_rc 0
expect_out "BENCH start"
expect_out "BENCH end"
expect_out "bench_blk: 200 reads of 8 sectors done"
exit 0
