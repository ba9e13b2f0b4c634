#!/bin/sh
# SPDX-License-Identifier: MIT
# pvctl_inputs.sh: pvctl opens each host file once, without blocking, and
# checks what it opened: a FIFO or a folder as kernel, XML or disk is an
# error within a second; the domain is served the files pvctl opened, so
# replacing or deleting them later (between two boots) changes nothing;
# a block device is a disk only as <disk type='block'>.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

HELLO="$top_builddir/examples/hello/hello.elf"
WAIT="$GUESTS/shutdown_wait/shutdown_wait.elf"

now_ms() {
    date +%s%3N
}

# run_fast WHAT ARGS...: pvctl ARGS must end with status 2 within a second.
run_fast() {
    what=$1
    shift
    t0=$(now_ms)
    rc=0
    timeout 10 "$PVCTL" "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
    t=$(($(now_ms) - t0))
    [ "$rc" -ne 124 ] || fail "$what: pvctl hung (killed after 10 s)"
    expect_rc 2
    [ "$t" -lt 1000 ] || fail "$what: pvctl took $t ms to refuse it"
}

mkfifo "$TMP/fifo"
x=$(domain_xml fk "$TMP/fifo" 4096)
run_fast "a FIFO as kernel" run "$x"
expect_err "$x:7: <kernel>: '$TMP/fifo' is a FIFO; allowed: a PVH ELF kernel file"

run_fast "a FIFO as domain XML" run "$TMP/fifo"
expect_err "pvctl: $TMP/fifo: is a FIFO; allowed: a domain XML file"

x=$(domain_xml fd "$HELLO" 4096 "" destroy "<devices>$(disk_of "$TMP/fifo")</devices>")
run_fast "a FIFO as disk" run "$x"
expect_err "<source>: '$TMP/fifo' is a FIFO; allowed: a raw disk image file"

x=$(domain_xml dk "$TMP" 4096)
run_fast "a folder as kernel" run "$x"
expect_err "<kernel>: '$TMP' is a directory; allowed: a PVH ELF kernel file"

x=$(domain_xml nul "/dev/null" 4096)
run_fast "a character device as kernel" run "$x"
expect_err "<kernel>: '/dev/null' is a character device"

# Opened once: the domain boots again (on_poweroff=restart) after its
# kernel was deleted and a FIFO took its disk image's place; pvctl gives
# the hypervisor the files it opened at the start, and the FIFO is never
# opened. A XenStore client asks the first boot to power off.
if command -v xenstore-write >/dev/null 2>&1; then
    cp "$WAIT" "$TMP/sw.elf"
    truncate -s 1M "$TMP/keep.img"
    x=$(domain_xml sw "$TMP/sw.elf" 4096 "" destroy "<devices>$(disk_of "$TMP/keep.img")</devices>")
    sed -i 's|<on_poweroff>destroy<|<on_poweroff>restart<|' "$x"
    bg_pvctl sw run --max-restarts 1 --xenstore-socket "$TMP/xs.sock" "$x"
    pid=$bg_pid
    bg_wait_out sw "$pid" READY
    rm "$TMP/sw.elf"
    mv "$TMP/keep.img" "$TMP/moved.img"
    mkfifo "$TMP/keep.img"
    XENSTORED_PATH="$TMP/xs.sock" xenstore-write /local/domain/1/control/shutdown poweroff ||
        fail "xenstore-write failed"
    bg_wait_out sw "$pid" READY 2
    bg_end "$pid" 20
    [ "$bg_rc" -eq 0 ] || fail "pvctl exited $bg_rc: $(cat "$TMP/sw.err")"
    grep -qF "pvctl: domain 'sw' restarting (restart 1 of at most 1)" "$TMP/sw.err" ||
        fail "no restart: $(cat "$TMP/sw.err")"
    grep -qF "pvctl: sw (id 2): poweroff after 1 restart" "$TMP/sw.err" ||
        fail "the second boot did not end as asked: $(cat "$TMP/sw.err")"
else
    echo "note: xenstore-write missing: the replacement between boots is not tried"
fi

# Block devices: only as <disk type='block'> (needs root and a loop device).
truncate -s 1M "$TMP/blk.img"
loop=
if [ "$(id -u)" -eq 0 ] && command -v losetup >/dev/null 2>&1; then
    loop=$(losetup -f --show "$TMP/blk.img" 2>/dev/null) || loop=
fi
if [ -n "$loop" ]; then
    trap 'losetup -d "$loop"; rm -rf "$TMP"' EXIT
    blk="<disk type='block' device='disk'><source dev='$loop'/><target dev='xvda' bus='xen'/></disk>"
    x=$(domain_xml blk "$top_builddir/examples/disk/disk.elf" 8192 "start=3 count=5" destroy "<devices>$blk</devices>")
    run_pvctl run -q "$x"
    expect_rc 0
    expect_out "disk: wrote and verified 5 sectors from 3"
    # Sector 3's first word, through the loop device: 3 | "disk" << 32.
    [ "$(od -An -tx4 -w8 -j 1536 -N 8 "$loop" | tr -s ' ')" = " 00000003 6469736b" ] ||
        fail "$loop: sector 3 does not hold the pattern: $(od -An -tx4 -j 1536 -N 8 "$loop")"
    x=$(domain_xml bf "$HELLO" 4096 "" destroy "<devices>$(disk_of "$loop")</devices>")
    run_fast "a block device as file disk" run "$x"
    expect_err "'$loop' is a block device; allowed: a raw disk image file (a block device needs <disk type='block'>)"
else
    echo "note: no loop device: <disk type='block'> is not tried on a device"
fi
blk="<disk type='block'><source dev='$TMP/blk.img'/><target dev='xvda'/></disk>"
x=$(domain_xml bb "$HELLO" 4096 "" destroy "<devices>$blk</devices>")
run_fast "a regular file as block disk" run "$x"
expect_err "'$TMP/blk.img' is a regular file; allowed: a block device, for <disk type='block'>"
exit 0
