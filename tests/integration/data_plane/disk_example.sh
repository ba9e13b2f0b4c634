#!/bin/sh
# SPDX-License-Identifier: MIT
# disk_example.sh: the disk example (examples/disk), from a copy of its XML
# (the data plane, through real guests and pvctl).
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

MIB=1048576

# The example, from a copy of its XML: the disk path is relative to it.
mkdir "$TMP/ex"
sed "s|<kernel>disk.elf</kernel>|<kernel>$top_builddir/examples/disk/disk.elf</kernel>|" \
    "$top_srcdir/examples/disk/disk.xml" >"$TMP/ex/disk.xml"
truncate -s 4M "$TMP/ex/disk.img"
run_pvctl run -q "$TMP/ex/disk.xml"
expect_rc 0
expect_out "disk: wrote and verified 256 sectors from 0"
expect_out "SUCCESS"
expect_pattern "$TMP/ex/disk.img" 0 256 6469736b
expect_zero "$TMP/ex/disk.img" $((256 * 512)) $((4 * MIB - 256 * 512))
exit 0
