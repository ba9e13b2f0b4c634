#!/bin/sh
# SPDX-License-Identifier: MIT
# blk_async.sh: a guest writes and reads back a thousand sectors with
# the ring full (many requests in flight on the backend's worker), with
# each block I/O engine; the host checks the image's bytes.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm
G="$GUESTS"

# Every 8-byte word of sector s of IMAGE is TAG << 32 | s (blk_rw's).
expect_pattern() {
    od -An -v -tx4 -w8 -j $(($2 * 512)) -N $(($3 * 512)) "$1" |
        awk '{ print $1, $2 }' >"$TMP/got"
    awk -v first="$2" -v count="$3" -v tag="$4" 'BEGIN {
        for (s = first; s < first + count; s++)
            for (w = 0; w < 64; w++)
                printf "%08x %s\n", s, tag
    }' >"$TMP/want"
    cmp -s "$TMP/got" "$TMP/want" ||
        fail "$1: sectors $2..+$3 do not hold the pattern (tag $4)"
}

disk_xml() {
    domain_xml "$1" "$G/blk_rw/blk_rw.elf" 8192 "start=$2 count=$3" destroy \
        "<devices><disk type='file' device='disk'><source file='$4'/><target dev='xvda' bus='xen'/></disk></devices>"
}

for engine in io_uring sync; do
    img="$TMP/$engine.img"
    truncate -s 8M "$img"
    PVHV_LOG=info PVHV_BLK_ENGINE=$engine run_pvctl run "$(disk_xml "async_$engine" 1000 1024 "$img")"
    expect_rc 0
    expect_out "blk_rw: wrote and verified 1024 sectors from 1000"
    expect_out "SUCCESS"
    case $engine in
    sync) expect_err "block I/O engine: synchronous preadv/pwritev (asked for)" ;;
    *) grep -qE "block I/O engine: (io_uring|synchronous preadv/pwritev \(io_uring_queue_init)" "$TMP/err" ||
        fail "stderr does not say which engine runs: $(cat "$TMP/err")" ;;
    esac
    expect_pattern "$img" 1000 1024 626c6b72
    [ "$(od -An -v -tx1 -N $((1000 * 512)) "$img" | tr -d ' 0\n' | wc -c)" -eq 0 ] ||
        fail "$img: sectors before 1000 changed"
done

# A bad engine name: a clear error naming it; the domain does not start.
PVHV_BLK_ENGINE=fast run_pvctl run "$(disk_xml async_bad 0 8 "$TMP/sync.img")"
[ "$rc" -ne 0 ] || fail "PVHV_BLK_ENGINE=fast was accepted"
expect_err "PVHV_BLK_ENGINE is 'fast' (from the environment); allowed: io_uring, sync"
exit 0
