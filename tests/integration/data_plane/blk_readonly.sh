#!/bin/sh
# SPDX-License-Identifier: MIT
# blk_readonly.sh: a read-only PV disk: reads work, writes fail, the image stays
# (the data plane, through real guests and pvctl).
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

G="$GUESTS"

# A read-only disk: reads work, writes fail, the image stays as it was.
img="$TMP/ro.img"
printf 'pvhv-readonly-disk' >"$img"
truncate -s 1M "$img"
cp "$img" "$TMP/ro.orig"
x=$(disk_xml blk_readonly "$G/blk_readonly/blk_readonly.elf" 4096 "" "$img" readonly)
run_pvctl run -q "$x"
expect_rc 0
expect_out "ok: write sector 0 -> -1"
expect_out "SUCCESS"
cmp -s "$img" "$TMP/ro.orig" || fail "the read-only image was written"
exit 0
