#!/bin/sh
# SPDX-License-Identifier: MIT
# log_limit.sh: two domains whose ids are equal modulo 64 (1 and 65, with
# 63 hello domains between them) each make a refused hypercall in a loop,
# one log line each: every domain keeps its own limit, so each one's lines
# stay within GUEST_LOG_BURST + GUEST_LOG_RATE a second of the run.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

BURST=20 # GUEST_LOG_BURST (hypervisor/core/log.h)
RATE=10  # GUEST_LOG_RATE, lines a second

now_ms() {
    date +%s%3N
}

FLOOD="$GUESTS/log_flood/log_flood.elf"
HELLO="$top_builddir/examples/hello/hello.elf"
set -- "$(domain_xml a "$FLOOD" 4096 seconds=2)"
i=2
while [ "$i" -le 64 ]; do
    set -- "$@" "$(domain_xml "h$i" "$HELLO" 4096)"
    i=$((i + 1))
done
set -- "$@" "$(domain_xml b "$FLOOD" 4096 seconds=2)"

t0=$(now_ms)
run_pvctl run "$@"
t1=$(now_ms)
expect_rc 0
expect_err "pvctl: a (id 1): poweroff"
expect_err "pvctl: b (id 65): poweroff"
expect_out "a| SUCCESS"
expect_out "b| SUCCESS"

s=$(((t1 - t0 + 999) / 1000))
bound=$((BURST + RATE * s))
for id in 1 65; do
    n=$(grep -c "^pvhv: warning: d$id: " "$TMP/err")
    echo "domain $id: $n log lines in $((t1 - t0)) ms (bound $bound)"
    [ "$n" -le "$bound" ] ||
        fail "domain $id: $n log lines in $s s, more than $bound"
    [ "$n" -ge "$BURST" ] ||
        fail "domain $id: $n log lines: its own burst ($BURST) should pass"
done
exit 0
