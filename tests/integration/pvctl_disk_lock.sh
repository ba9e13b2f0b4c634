#!/bin/sh
# SPDX-License-Identifier: MIT
# pvctl_disk_lock.sh: a disk image is locked for the domain that uses it:
# one writer, or any number of readers; a conflict within one pvctl run is
# refused naming the image and the domain holding it (and, as for any
# domain that cannot be created, nothing runs: exit 3); a lock of another
# process is reported with what the kernel says of it, and the domain of
# the first pvctl runs on undisturbed.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

G="$GUESTS"
RW="$top_builddir/examples/disk/disk.elf"
RO="$G/blk_readonly/blk_readonly.elf"
WAIT="$G/shutdown_wait/shutdown_wait.elf"
IMG="$TMP/shared.img"
truncate -s 1M "$IMG"

# disk_dom NAME KERNEL CMDLINE DISKS: a domain with the <disk>s DISKS.
disk_dom() {
    domain_xml "$1" "$2" 8192 "$3" destroy "<devices>$4</devices>"
}

# expect_nothing_ran: stdout is empty and the image still all zero.
expect_nothing_ran() {
    [ ! -s "$TMP/out" ] || fail "a domain ran: $(cat "$TMP/out")"
    [ "$(tr -d '\000' <"$IMG" | wc -c)" -eq 0 ] || fail "$IMG was written"
}

# Two writers in one run: the second is refused, naming the first.
a=$(disk_dom wa "$RW" "start=0 count=8" "$(disk_of "$IMG")")
b=$(disk_dom wb "$RW" "start=0 count=8" "$(disk_of "$IMG")")
run_pvctl run "$a" "$b"
expect_rc 3
expect_err "pvctl: $b: disk $IMG (xvda): image in use by domain 'wa' (id 1) as xvda, writable; allowed: one domain writing an image, or any number reading it read-only"
expect_nothing_ran

# One domain, the image as xvda and xvdb: refused.
x=$(disk_dom twice "$RW" "start=0 count=8" "$(disk_of "$IMG")$(disk_of "$IMG" xvdb)")
run_pvctl run "$x"
expect_rc 3
expect_err "disk $IMG (xvdb): image in use by domain 'twice' (id 1) as xvda, writable"
expect_nothing_ran

# A reader and a writer, in either order: refused.
r=$(disk_dom ra "$RO" "" "$(disk_of "$IMG" xvda readonly)")
run_pvctl run "$r" "$b"
expect_rc 3
expect_err "disk $IMG (xvda): image in use by domain 'ra' (id 1) as xvda, read-only"
run_pvctl run "$b" "$r"
expect_rc 3
expect_err "disk $IMG (xvda): image in use by domain 'wb' (id 1) as xvda, writable"
expect_nothing_ran

# Two readers share it: both run.
printf 'pvhv-readonly-disk' | dd of="$IMG" conv=notrunc 2>/dev/null
r2=$(disk_dom rb "$RO" "" "$(disk_of "$IMG" xvda readonly)")
run_pvctl run "$r" "$r2"
expect_rc 0
expect_out "ra| SUCCESS"
expect_out "rb| SUCCESS"
truncate -s 0 "$IMG" && truncate -s 1M "$IMG"

# Another pvctl holds it for writing: the second pvctl is refused, told
# of an open file description lock; the first runs on and ends normally.
w=$(disk_dom holder "$WAIT" "" "$(disk_of "$IMG")")
bg_pvctl holder run "$w"
pid=$bg_pid
bg_wait_out holder "$pid" READY
run_pvctl run "$b"
expect_rc 3
expect_err "disk $IMG (xvda): image locked by another process: another process holds an open file description write lock (whose, the kernel does not say) on the whole file"
expect_nothing_ran
kill -0 "$pid" 2>/dev/null || fail "the first pvctl ended: $(cat "$TMP/holder.err")"
bg_end "$pid" 20
[ "$bg_rc" -eq 0 ] || fail "the first pvctl exited $bg_rc: $(cat "$TMP/holder.err")"
grep -qF "pvctl: holder (id 1): poweroff" "$TMP/holder.err" ||
    fail "the first domain did not power off: $(cat "$TMP/holder.err")"

# Its lock went with it: the image serves a writer again.
run_pvctl run -q "$b"
expect_rc 0
expect_out "disk: wrote and verified 8 sectors from 0"

# A POSIX lock of another process: reported with its pid, for a reader too.
HOLD="$top_builddir/tests/integration/lock_hold"
mkfifo "$TMP/hold.in"
"$HOLD" "$IMG" posix <"$TMP/hold.in" >"$TMP/hold.out" 2>&1 &
hold=$!
exec 3>"$TMP/hold.in"
i=0
until grep -q locked "$TMP/hold.out" 2>/dev/null; do
    i=$((i + 1))
    [ "$i" -lt 100 ] || fail "lock_hold did not lock: $(cat "$TMP/hold.out")"
    sleep 0.1
done
run_pvctl run "$r"
exec 3>&-
wait "$hold" || fail "lock_hold failed: $(cat "$TMP/hold.out")"
expect_rc 3
expect_err "disk $IMG (xvda): image locked by another process: process $hold holds a POSIX write lock on the whole file; allowed: an image no other program uses for writing"
exit 0
