#!/bin/sh
# SPDX-License-Identifier: MIT
# blk_batch.sh: a guest writes and reads back through the batch calls
# (blkfront_submit_many, blkfront_complete_many, blkfront_read_many);
# only the sectors it wrote change, and they hold its pattern (the data
# plane, through real guests and pvctl).
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

G="$GUESTS"
MIB=1048576

# blk_batch writes sectors 64..383 of a fresh 4 MiB image; only those change.
img="$TMP/batch.img"
truncate -s 4M "$img"
x=$(disk_xml blk_batch "$G/blk_batch/blk_batch.elf" 8192 "start=64" "$img")
run_pvctl run -q "$x"
expect_rc 0
expect_out "ok: blkfront_submit_many of 41 requests -> 32"
expect_out "ok: 41 reads in batches, taken 5 at a time, data checked"
expect_out "ok: the batch from the bad op -> -22"
expect_out "ok: grant refs free as before"
expect_out "ok: blkfront_read_many of 40 pages -> 32"
expect_out "ok: 40 page reads in two calls, data checked"
expect_out "ok: page reads from the NULL buffer -> -22"
expect_out "ok: grant refs free as before the page reads"
expect_out "blk_batch: wrote and verified 320 sectors from 64"
expect_out "SUCCESS"
expect_pattern "$img" 64 320 626c6b72
expect_zero "$img" 0 $((64 * 512))
expect_zero "$img" $((384 * 512)) $((4 * MIB - 384 * 512))
exit 0
