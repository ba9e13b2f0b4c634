#!/bin/sh
# SPDX-License-Identifier: MIT
# io_unclaimed.sh: a guest that reads and writes I/O ports and MMIO where
# no device is (the HPET's page among them), beside innocent domains in
# one `pvctl run`: it reads all ones, its writes are dropped and it goes
# on to SUCCESS (a stray MMIO access once crashed the domain); each access
# is a warning, and its lines stay within the domain's log rate. The
# innocents finish as always and log nothing of it.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

BURST=20 # GUEST_LOG_BURST (hypervisor/core/log.h)
RATE=10  # GUEST_LOG_RATE, lines a second
ROUNDS=20
PER_ROUND=14 # ACCESSES_PER_ROUND (tests/guests/io_unclaimed)

now_ms() {
    date +%s%3N
}

P="$top_srcdir/examples/pingpong"
HELLO="$top_builddir/examples/hello/hello.elf"
hello=$(domain_xml hello "$HELLO" 4096 greeting=innocent)
probe=$(domain_xml probe "$GUESTS/io_unclaimed/io_unclaimed.elf" 4096 \
    rounds=$ROUNDS)

t0=$(now_ms)
run_pvctl run "$P/ping.xml" "$P/pong.xml" "$hello" "$probe"
t1=$(now_ms)
expect_rc 0

# The innocents, as without it.
expect_out "ping| pingpong: 1000 round trips, mean"
expect_out "pong| pingpong: pong answered 1000 events"
expect_out "hello| cmdline: greeting=innocent"
expect_err "ping (id 1): poweroff"
expect_err "pong (id 2): poweroff"
expect_err "hello (id 3): poweroff"
for id in 1 2 3; do
    ! grep -q "^pvhv: warning: d$id: .*no device" "$TMP/err" ||
        fail "domain $id was warned about devices: $(cat "$TMP/err")"
done

# All ones, writes dropped, the guest carries on to its verdict.
expect_out "probe| io_unclaimed: $((ROUNDS * PER_ROUND)) accesses without a device, all ones"
expect_out "probe| SUCCESS"
expect_err "probe (id 4): poweroff"
expect_err "pvhv: warning: d4: vCPU 0: write of 1 bytes at I/O port 0x80: no device, dropped"
expect_err "pvhv: warning: d4: vCPU 0: read of 4 bytes at guest-physical 0xfed00000: no device, read as all ones"

# One warning an access, within the rate: its burst, then RATE a second.
s=$(((t1 - t0 + 999) / 1000))
bound=$((BURST + RATE * s))
n=$(grep -c "^pvhv: warning: d4: " "$TMP/err")
echo "probe: $n log lines for $((ROUNDS * PER_ROUND)) accesses in $((t1 - t0)) ms (bound $bound)"
[ "$n" -le "$bound" ] || fail "$n log lines in $s s, more than $bound"
[ "$n" -ge "$BURST" ] || fail "$n log lines: the domain's burst ($BURST) should pass"
exit 0
