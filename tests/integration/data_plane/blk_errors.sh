#!/bin/sh
# SPDX-License-Identifier: MIT
# blk_errors.sh: requests past the end of a disk and garbage requests: errors, then it works
# (the data plane, through real guests and pvctl).
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

G="$GUESTS"
MIB=1048576

# Past the end of the disk, and garbage requests: errors, then it works.
for t in blk_range blk_garbage; do
    truncate -s 1M "$TMP/$t.img"
    x=$(disk_xml $t "$G/$t/$t.elf" 4096 "" "$TMP/$t.img")
    run_pvctl run -q "$x"
    expect_rc 0
    expect_out "SUCCESS"
done
expect_zero "$TMP/blk_range.img" 0 $((MIB - 512))
[ "$(wc -c <"$TMP/blk_range.img")" -eq "$MIB" ] || fail "blk_range.img grew"
exit 0
