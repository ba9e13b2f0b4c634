#!/bin/sh
# SPDX-License-Identifier: MIT
# data_plane.sh: grant tables, PV block devices and vchan, exercised by
# real guests through pvctl; after the writers, the disk images' bytes are
# checked on the host.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

# disk_xml NAME KERNEL MEMORY_KIB CMDLINE IMAGE [readonly]: like
# domain_xml, with IMAGE (an absolute path) as disk xvda.
disk_xml() {
    ro=
    [ "${6:-}" = readonly ] && ro="<readonly/>"
    domain_xml "$1" "$2" "$3" "$4" destroy "<devices><disk type='file' device='disk'><source file='$5'/><target dev='xvda' bus='xen'/>$ro</disk></devices>"
}

# expect_pattern IMAGE FIRST COUNT TAG: sectors FIRST..FIRST+COUNT-1 of
# IMAGE hold the guests' pattern: every 8-byte little-endian word of
# sector s is TAG << 32 | s, so od's 4-byte words read "<s> <TAG>".
expect_pattern() {
    od -An -v -tx4 -w8 -j $(($2 * 512)) -N $(($3 * 512)) "$1" |
        awk '{ print $1, $2 }' >"$TMP/got"
    awk -v first="$2" -v count="$3" -v tag="$4" 'BEGIN {
        for (s = first; s < first + count; s++)
            for (w = 0; w < 64; w++)
                printf "%08x %s\n", s, tag
    }' >"$TMP/want"
    cmp -s "$TMP/got" "$TMP/want" ||
        fail "$1: sectors $2..+$3 do not hold the pattern (tag $4): first difference: $(diff "$TMP/want" "$TMP/got" | sed -n 2,3p | tr '\n' ' ')"
}

# expect_zero IMAGE OFFSET LENGTH: those bytes of IMAGE are all zero.
expect_zero() {
    n=$(tail -c +$(($2 + 1)) "$1" | head -c "$3" | tr -d '\000' | wc -c)
    [ "$n" -eq 0 ] || fail "$1: $n non-zero bytes in [$2, +$3)"
}

G="$GUESTS"
MIB=1048576

# Grants: what was not granted to us cannot be mapped; a self grant can.
x=$(domain_xml gnt_denied "$G/gnt_denied/gnt_denied.elf" 4096)
run_pvctl run -q "$x"
expect_rc 0
expect_out "ok: map our grant made out to domain 0 -> -8"
expect_out "ok: map ref 1000000 -> -3"
expect_out "SUCCESS"

# blk_rw writes sectors 100..399 of a fresh 4 MiB image; only those change.
img="$TMP/rw.img"
truncate -s 4M "$img"
x=$(disk_xml blk_rw "$G/blk_rw/blk_rw.elf" 8192 "start=100 count=300" "$img")
run_pvctl run -q "$x"
expect_rc 0
expect_out "blk_rw: wrote and verified 300 sectors from 100"
expect_out "SUCCESS"
[ "$(wc -c <"$img")" -eq $((4 * MIB)) ] || fail "$img changed size"
expect_pattern "$img" 100 300 626c6b72
expect_zero "$img" 0 $((100 * 512))
expect_zero "$img" $((400 * 512)) $((4 * MIB - 400 * 512))

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

# A few reads for pvbench's sake: the markers and the count.
truncate -s 4M "$TMP/bench.img"
x=$(disk_xml bench_blk "$G/bench_blk/bench_blk.elf" 8192 "op=rand qd=8 n=200" "$TMP/bench.img")
run_pvctl run -q "$x"
expect_rc 0
expect_out "BENCH start"
expect_out "BENCH end"
expect_out "bench_blk: 200 reads of 8 sectors done"

# Two domains stream 1 MiB through vchan; both print the same checksum.
s=$(domain_xml vchan_server "$G/vchan_server/vchan_server.elf" 4096 peer=vchan_client)
c=$(domain_xml vchan_client "$G/vchan_client/vchan_client.elf" 4096 peer=vchan_server)
run_pvctl run "$s" "$c"
expect_rc 0
expect_out "vchan_server| SUCCESS"
expect_out "vchan_client| SUCCESS"
sum_s=$(sed -n 's/^vchan_server| vchan_server: sent 1048576 bytes, checksum \([0-9a-f]*\).*/\1/p' "$TMP/out")
sum_c=$(sed -n 's/^vchan_client| vchan_client: received 1048576 bytes, checksum \([0-9a-f]*\).*/\1/p' "$TMP/out")
[ -n "$sum_s" ] && [ "$sum_s" = "$sum_c" ] ||
    fail "checksums differ: server '$sum_s', client '$sum_c': $(cat "$TMP/out")"
exit 0
