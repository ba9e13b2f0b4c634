#!/bin/sh
# SPDX-License-Identifier: MIT
# balloon.sh: memory given back with XENMEM_decrease_reservation really
# leaves the host. A balloon driver (tests/guests/balloon, watch=1)
# touches 24 MiB, then follows memory/target as the toolstack sets it
# (xl mem-set does the same): the hypervisor process's shared memory
# (RssShmem, where guest RAM is) must drop by the 16 MiB given back, and
# grow again when the guest takes it back. Then the checks of Xen's
# answers run beside the hello example.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

G="$GUESTS"
MIB_KIB=1024

# The checks, beside an innocent domain.
hello=$(domain_xml hello "$top_builddir/examples/hello/hello.elf" 4096)
checks=$(domain_xml balloon "$G/balloon/balloon.elf" 65536)
run_pvctl run "$hello" "$checks"
expect_rc 0
expect_out "hello| hypervisor: Xen 4.17-pvhv"
expect_out "balloon| ok: decrease the same 8 again (given back already) -> 0"
expect_out "balloon| ok: decrease 16 extents of order 9 -> 16"
expect_out "balloon| SUCCESS"
expect_err "pvctl: hello (id 1): poweroff"
expect_err "pvctl: balloon (id 2): poweroff"

command -v xenstore-write >/dev/null 2>&1 ||
    skip "xenstore-write is not installed (apt-get install xenstore-utils)"
XENSTORED_PATH="$TMP/xs.sock"
export XENSTORED_PATH

x=$(domain_xml balloon "$G/balloon/balloon.elf" 65536 watch=1)
bg_pvctl b run --xenstore-socket "$XENSTORED_PATH" "$x"
pid=$bg_pid
bg_wait_out b "$pid" "balloon: holding 65536 KiB"

# rss_kib: the pvctl process's shared memory resident now (guest RAM).
rss_kib() {
    awk '/^RssShmem:/ { print $2 }' "/proc/$pid/status"
}
r1=$(rss_kib)
xenstore-write /local/domain/1/memory/target $((48 * MIB_KIB)) ||
    fail "xenstore-write memory/target"
bg_wait_out b "$pid" "balloon: holding 49152 KiB"
r2=$(rss_kib)
echo "RssShmem: $r1 KiB touched, $r2 KiB after giving back 16 MiB"
[ $((r1 - r2)) -ge $((15 * MIB_KIB)) ] ||
    fail "16 MiB given back, but RssShmem went from $r1 to $r2 KiB"

xenstore-write /local/domain/1/memory/target $((64 * MIB_KIB)) ||
    fail "xenstore-write memory/target"
bg_wait_out b "$pid" "balloon: holding 65536 KiB" 2
r3=$(rss_kib)
echo "RssShmem: $r3 KiB after taking 16 MiB again"
[ $((r3 - r2)) -ge $((15 * MIB_KIB)) ] ||
    fail "16 MiB taken again and touched, but RssShmem went from $r2 to $r3 KiB"

xenstore-write /local/domain/1/control/shutdown poweroff ||
    fail "xenstore-write control/shutdown"
i=0
while kill -0 "$pid" 2>/dev/null; do
    i=$((i + 1))
    [ "$i" -lt 300 ] || { kill -KILL "$pid"; fail "no poweroff: $(cat "$TMP/b.out" "$TMP/b.err")"; }
    sleep 0.1
done
wait "$pid" || fail "pvctl exited $?: $(cat "$TMP/b.err")"
grep -qF "pvctl: balloon (id 1): poweroff" "$TMP/b.err" ||
    fail "no poweroff: $(cat "$TMP/b.err")"
exit 0
