#!/bin/sh
# SPDX-License-Identifier: MIT
# control_plane.sh: event channels, timers, XenStore and several domains,
# exercised by real guests through pvctl.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

G="$top_srcdir/tests/guests"
for t in events_local timer xenstore_guest vcpus; do
    run_pvctl run -q "$G/$t/$t.xml"
    expect_rc 0
    expect_out "SUCCESS"
done

# Two domains find each other through XenStore and exchange 1000 events.
P="$top_srcdir/examples/pingpong"
run_pvctl run "$P/ping.xml" "$P/pong.xml"
expect_rc 0
expect_out "ping| pingpong: 1000 round trips, mean"
expect_out "pong| pingpong: pong answered 1000 events"
expect_err "ping (id 1): poweroff"
expect_err "pong (id 2): poweroff"

# A third domain can bind, signal or close none of their ports.
thief=$(domain_xml thief "$GUESTS/evtchn_thief/evtchn_thief.elf" 4096 peer=pong)
run_pvctl run "$P/ping.xml" "$P/pong.xml" "$thief"
expect_rc 0
expect_out "thief| ok: no port of the peer could be bound"
expect_out "thief| SUCCESS"
expect_out "ping| pingpong: 1000 round trips"

# A domain flooding XenStore hits its quota; its neighbour keeps working.
run_pvctl run "$G/xs_flood/xs_flood.xml" "$G/xs_worker/xs_worker.xml"
expect_rc 0
grep -q "xs_flood| .*nodes written, then error -28" "$TMP/out" ||
    fail "no quota error from the flooder: $(cat "$TMP/out")"
expect_out "xs_flood| SUCCESS"
expect_out "xs_worker| SUCCESS"
exit 0
