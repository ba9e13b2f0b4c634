#!/bin/sh
# SPDX-License-Identifier: MIT
# isolation_memory.sh: guests that attack the hypervisor through memory,
# beside innocent domains in one `pvctl run --stats`: a read-only grant
# over its own RAM handed to the hypervisor as output buffers (which once
# killed the process with SIGSEGV), a guest writing it itself, one mapping
# grants until refused, one writing the whole grant window (which once
# cost 64 MiB of host RAM). The innocents finish as always, each hostile
# one gets errors or is crashed alone with a message, and the
# hypervisor's peak RSS stays within a bound of a run without them.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

P="$top_srcdir/examples/pingpong"
HELLO="$top_builddir/examples/hello/hello.elf"
# The hostile guests may add this much to the innocents' peak RSS (KiB):
# page tables and grant bookkeeping, far below the 64 MiB window.
RSS_SLACK_KIB=16384

peak_rss() {
    sed -n 's/^pvctl: stats: peak_rss_kib=\([0-9]*\)$/\1/p' "$TMP/err"
}

hello=$(domain_xml hello "$HELLO" 4096 greeting=innocent)
run_pvctl run --stats "$P/ping.xml" "$P/pong.xml" "$hello"
expect_rc 0
base=$(peak_rss)
[ -n "$base" ] || fail "no peak_rss_kib line: $(cat "$TMP/err")"

ro=$(domain_xml ro_overlay "$GUESTS/gnt_ro_overlay/gnt_ro_overlay.elf" 4096)
ro_write=$(domain_xml ro_write "$GUESTS/gnt_ro_overlay/gnt_ro_overlay.elf" \
    4096 ops=16)
exhaust=$(domain_xml exhaust "$GUESTS/gnt_exhaust/gnt_exhaust.elf" 4096)
window=$(domain_xml window "$GUESTS/window_write/window_write.elf" 4096)
run_pvctl run --stats "$P/ping.xml" "$P/pong.xml" "$hello" "$ro" \
    "$ro_write" "$exhaust" "$window"
expect_rc 1

# The innocents, as without the others.
expect_out "ping| pingpong: 1000 round trips, mean"
expect_out "pong| pingpong: pong answered 1000 events"
expect_out "hello| cmdline: greeting=innocent"
expect_err "ping (id 1): poweroff"
expect_err "pong (id 2): poweroff"
expect_err "hello (id 3): poweroff"

# Host writes beneath a read-only overlay: answered, nothing harmed.
expect_out "ro_overlay| ok: xen_version(XENVER_extraversion) into the covered page answered 0"
expect_out "ro_overlay| ok: GNTTABOP_copy to the read-only grant -> -8"
expect_out "ro_overlay| ok: after VCPUOP_register_vcpu_info the page still shows the read-only grant"
expect_out "ro_overlay| gnt_ro_overlay: ring output read beneath a read-only overlay"
expect_out "ro_overlay| SUCCESS"
expect_err "ro_overlay (id 4): poweroff"

# The guest's own write to the read-only page crashes it alone.
expect_err "ro_write (id 5): crashed: vCPU 0 wrote 1 bytes at guest-physical 0x"
expect_err "a page of RAM covered by a read-only grant mapping"

# Mapping until refused: GNTST_no_space, a log line saying why, no crash.
expect_out "exhaust| SUCCESS"
grep -q "^exhaust| gnt_exhaust: [0-9]* mappings, then GNTST_no_space$" \
    "$TMP/out" || fail "no refusal for the mapper: $(cat "$TMP/out")"
n=$(sed -n 's/^exhaust| gnt_exhaust: \([0-9]*\) mappings, then.*/\1/p' "$TMP/out")
[ "$n" -ge 64 ] || fail "the mapper got $n mappings, fewer than its guaranteed 64"
expect_err "map_grant_ref: GNTST_no_space (resource limit): $n grant mappings held"
expect_err "exhaust (id 6): poweroff"

# Writing the grant window: crashed at its first byte, named.
expect_out "window| window_write: the window reads as zeros"
expect_err "window (id 7): crashed: vCPU 0 wrote 1 bytes at guest-physical 0xe0000000: a page of the grant window, read-only where no grant is mapped writable"
grep -q "window| ABORT" "$TMP/out" && fail "the window was written: $(cat "$TMP/out")"

rss=$(peak_rss)
[ -n "$rss" ] || fail "no peak_rss_kib line: $(cat "$TMP/err")"
[ "$rss" -le $((base + RSS_SLACK_KIB)) ] ||
    fail "peak RSS $rss KiB with the hostile guests, $base KiB without: more than $RSS_SLACK_KIB KiB apart"
echo "peak RSS: $base KiB innocents alone, $rss KiB with the hostile guests"
exit 0
