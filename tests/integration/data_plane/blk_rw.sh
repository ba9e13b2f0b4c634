#!/bin/sh
# SPDX-License-Identifier: MIT
# blk_rw.sh: a PV block device written by a guest; only the sectors it wrote change
# (the data plane, through real guests and pvctl).
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

G="$GUESTS"
MIB=1048576

# blk_rw writes sectors 100..399 of a fresh 4 MiB image; only those change.
img="$TMP/rw.img"
truncate -s 4M "$img"
x=$(disk_xml blk_rw "$G/blk_rw/blk_rw.elf" 8192 "start=100 count=300" "$img")
run_pvctl run -q "$x"
expect_rc 0
expect_out "blk_rw: wrote and verified 300 sectors from 100"
expect_out "ok: 88 sectors of whole pages read and written in one request, no copy"
expect_out "SUCCESS"
[ "$(wc -c <"$img")" -eq $((4 * MIB)) ] || fail "$img changed size"
expect_pattern "$img" 100 300 626c6b72
expect_zero "$img" 0 $((100 * 512))
expect_zero "$img" $((400 * 512)) $((4 * MIB - 400 * 512))
exit 0
