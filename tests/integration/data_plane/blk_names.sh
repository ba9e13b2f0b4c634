#!/bin/sh
# SPDX-License-Identifier: MIT
# blk_names.sh: disk names as Xen's toolstack numbers them, three domains at once
# (the data plane, through real guests and pvctl).
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

G="$GUESTS"

# Disk names as Xen's toolstack numbers them, three domains at once:
# <target dev='hda'> is device/vbd/768, which the frontend asks for as
# "768"; xvdq has an extended id; sdb is 2064.
set --
for t in hda:768 xvdq:xvdq sdb:2064; do
    dev=${t%:*} fe=${t#*:}
    truncate -s 1M "$TMP/$dev.img"
    set -- "$@" "$(domain_xml "names_$dev" "$G/blk_rw/blk_rw.elf" 8192 \
        "vdev=$fe start=0 count=8" destroy \
        "<devices>$(disk_of "$TMP/$dev.img" "$dev")</devices>")"
done
run_pvctl run "$@"
expect_rc 0
for t in hda:768 xvdq:xvdq sdb:2064; do
    dev=${t%:*} fe=${t#*:}
    expect_out "names_$dev| ok: $fe: 2048 sectors"
    expect_out "names_$dev| SUCCESS"
    expect_pattern "$TMP/$dev.img" 0 8 626c6b72
done
exit 0
