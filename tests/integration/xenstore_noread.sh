#!/bin/sh
# SPDX-License-Identifier: MIT
# xenstore_noread.sh: a guest that sends XenStore requests and never reads
# the replies (xs_noread) is stopped, then cut off, without growing the
# hypervisor, while pingpong and hello beside it run to their end.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

P="$top_srcdir/examples/pingpong"
hello=$(domain_xml hello "$top_builddir/examples/hello/hello.elf" 4096)
noread=$(domain_xml xs_noread "$GUESTS/xs_noread/xs_noread.elf" 4096)

# peak_rss: the peak RSS in KiB that `pvctl run --stats` reported.
peak_rss() {
    sed -n 's/^pvctl: stats: peak_rss_kib=\([0-9]*\)$/\1/p' "$TMP/err"
}

# The innocents alone: the RSS the same build needs without the flooder.
run_pvctl run --stats "$P/ping.xml" "$P/pong.xml" "$hello"
expect_rc 0
base=$(peak_rss)
[ -n "$base" ] || fail "no peak_rss_kib line: $(cat "$TMP/err")"

run_pvctl run --stats "$P/ping.xml" "$P/pong.xml" "$hello" "$noread"
expect_rc 0
expect_out "ping| pingpong: 1000 round trips, mean"
expect_out "pong| pingpong: pong answered 1000 events"
expect_out "hello| Hello from pvhv domain"
expect_err "ping (id 1): poweroff"
expect_err "pong (id 2): poweroff"
expect_err "hello (id 3): poweroff"
expect_out "xs_noread| xs_noread: the store stopped taking requests after"
expect_out "xs_noread| ok: reply bytes for every read"
expect_out "xs_noread| ok: ring error after the overflow -> 1"
expect_out "xs_noread| SUCCESS"
expect_err "xs_noread (id 4): poweroff"
expect_err "d4: XenStore ring: over 262144 bytes of replies and watch events unread; the connection is closed"

# The old store queued ~390 MiB of replies for this guest: allow 24 MiB.
peak=$(peak_rss)
[ -n "$peak" ] || fail "no peak_rss_kib line: $(cat "$TMP/err")"
[ "$peak" -le $((base + 24576)) ] ||
    fail "peak RSS $peak KiB, over the innocents' $base KiB + 24 MiB"

# The hypervisor's log: a handful of lines, nothing per request.
lines=$(grep -c '^pvhv: ' "$TMP/err")
[ "$lines" -le 5 ] || fail "$lines hypervisor log lines: $(cat "$TMP/err")"
echo "peak RSS $peak KiB (innocents alone $base KiB), $lines log lines"
exit 0
