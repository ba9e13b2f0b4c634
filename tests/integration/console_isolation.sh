#!/bin/sh
# SPDX-License-Identifier: MIT
# console_isolation.sh: guests that flood their console (the ring in a
# tight loop) and the hypervisor's log (console_io in a loop, one
# console_io of 2 GiB, console_io with a bad buffer mid-way) run beside
# innocent domains (pingpong, hello) in one `pvctl run --stats`: the
# innocents print all they print alone and power off; standard output and
# the console_io lines on standard error stay within the per-domain
# console budget and the log's line limit; the 2 GiB write is preempted
# (the guest takes timer events during it, and a destroy ends it at once).
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

G="$GUESTS"
EX="$top_builddir/examples"
RATE=32768    # CONSOLE_RATE, bytes a second (hypervisor/core/domain.h)
BURST=131072  # CONSOLE_BURST
HOSTILE=4
LINE_BURST=2048 # CONSOLE_LOG_BURST (hypervisor/core/log.h)
LINE_RATE=256   # CONSOLE_LOG_RATE, lines a second

now_ms() {
    date +%s%3N
}

# example NAME: a copy of examples/NAME.xml that finds its kernel here.
example() {
    sed "s|<kernel>\(.*\)</kernel>|<kernel>$EX/$2\1</kernel>|" \
        "$top_srcdir/examples/$1.xml" >"$TMP/${1##*/}.xml"
    echo "$TMP/${1##*/}.xml"
}

ping=$(example pingpong/ping pingpong/)
pong=$(example pingpong/pong pingpong/)
hello=$(example hello "")
flood=$(domain_xml flood "$G/console_flood/console_flood.elf" 4096 seconds=3)
ioloop=$(domain_xml ioloop "$G/console_io_loop/console_io_loop.elf" 4096 seconds=3)
huge=$(domain_xml huge "$G/console_io_huge/console_io_huge.elf" 8192)
efault=$(domain_xml efault "$G/console_io_efault/console_io_efault.elf" 8192)

# Standard output is kept up to 8 MiB and counted beyond (a run without a
# budget writes gigabytes).
t0=$(now_ms)
{
    timeout 120 "$PVCTL" run --stats "$ping" "$pong" "$hello" "$flood" \
        "$ioloop" "$huge" "$efault" 2>"$TMP/err"
    echo $? >"$TMP/rc"
} | {
    head -c 8388608 >"$TMP/out"
    wc -c >"$TMP/rest"
}
t1=$(now_ms)
rc=$(cat "$TMP/rc")
# The bound: each hostile domain its burst plus its rate for the run's
# length, 64 KiB for the innocents and the "dropped" lines.
total=$(($(wc -c <"$TMP/out") + $(cat "$TMP/rest")))
ms=$((t1 - t0))
bound=$((HOSTILE * (BURST + RATE * (ms + 999) / 1000) + 65536))
echo "stdout: $total bytes in $ms ms (bound $bound)"

expect_rc 0

# The innocents: their whole output, and a power-off each.
expect_out "ping| pingpong: ping: peer 'pong' is domain 2"
expect_out "ping| pingpong: 1000 round trips, mean"
expect_out "pong| pingpong: pong answered 1000 events"
expect_out "hello| Hello from pvhv domain 3!"
expect_out "hello| cmdline: greeting=hi"
expect_out "hello| hypervisor: Xen 4.17-pvhv"
for d in "ping (id 1)" "pong (id 2)" "hello (id 3)"; do
    expect_err "pvctl: $d: poweroff"
done

# The hostile ones finish too: the hypervisor dropped, never refused.
for d in flood ioloop huge efault; do
    expect_out "$d| SUCCESS"
    grep -q "^pvctl: domain '$d' stats: .* console_dropped=" "$TMP/err" ||
        fail "no console_dropped for $d: $(cat "$TMP/err")"
done
for d in flood ioloop huge; do
    grep -q "^pvctl: domain '$d' stats: .* console_dropped=[1-9]" "$TMP/err" ||
        fail "$d flooded and nothing was dropped: $(grep "'$d' stats" "$TMP/err")"
done
expect_out "[pvhv: "
grep -q "^pvctl: domain 'ping' stats: .* console_dropped=0$" "$TMP/err" ||
    fail "ping lost console output: $(cat "$TMP/err")"

[ "$total" -le "$bound" ] ||
    fail "stdout: $total bytes in $ms ms, more than the budget's $bound"

# console_io went to the log (standard error), never to the consoles;
# each domain's text there is within its budget, its lines within the
# line limit. ioloop is domain 5, huge 6, efault 7.
for d in 5:ioloop 6:huge 7:efault; do
    id=${d%:*} name=${d#*:}
    lines=$(grep -c "^pvhv: d$id: console_io: " "$TMP/err")
    bytes=$(grep "^pvhv: d$id: console_io: " "$TMP/err" |
        sed "s/^pvhv: d$id: console_io: //" | wc -c)
    echo "$name: $lines console_io lines, $bytes bytes"
    [ "$bytes" -le $((BURST + RATE * (ms + 999) / 1000 + lines)) ] ||
        fail "$name: $bytes bytes of console_io in the log, over its budget"
    [ "$lines" -le $((LINE_BURST + LINE_RATE * (ms + 999) / 1000 + 1)) ] ||
        fail "$name: $lines console_io lines, over the line limit"
    [ "$lines" -gt 0 ] || fail "$name: no console_io line in the log"
done
! grep -q '^\(ioloop\|huge\|efault\)| [a-z]*$' "$TMP/out" ||
    fail "console_io text on a console: $(grep -m3 '^\(ioloop\|huge\)| ' "$TMP/out")"

# Preempted: timer events reached the vCPU during the 2 GiB write.
expect_out "huge| console_io_huge: 2 GiB written in"
# The bad buffer: -EFAULT, after all 96 KiB of the valid part (1536 lines).
expect_out "efault| ok: console_io(write, 96 KiB valid, then unmapped) -> -14"
n=$(grep -c '^pvhv: d7: console_io: console_io_efault: a line of the valid part' "$TMP/err")
[ "$n" -eq 1536 ] || fail "efault: $n lines of the valid part, expected 1536"

# A destroy takes effect during the 2 GiB write: with --grace 0, SIGTERM
# (SIGINT alike, but a shell's background job ignores it) ends pvctl at
# once, not when the write would have ended (seconds later).
x=$(domain_xml huge "$G/console_io_huge/console_io_huge.elf" 8192 repeat=0)
{
    "$PVCTL" run --grace 0 "$x" 2>"$TMP/err" &
    echo $! >"$TMP/pid"
    wait $!
    echo $? >"$TMP/rc"
} | {
    head -c 65536 >"$TMP/out"
    cat >/dev/null
} &
i=0
until grep -q "console_io_huge: writing 2 GiB" "$TMP/out" 2>/dev/null; do
    i=$((i + 1))
    [ "$i" -lt 300 ] || { kill -KILL "$(cat "$TMP/pid")"; fail "huge did not start: $(cat "$TMP/err")"; }
    sleep 0.1
done
sleep 0.3 # well inside the write
t0=$(now_ms)
kill -TERM "$(cat "$TMP/pid")"
wait
t1=$(now_ms)
rc=$(cat "$TMP/rc")
expect_rc 4
expect_err "pvctl: huge (id 1): destroyed"
echo "SIGTERM during the 2 GiB write: pvctl ended $((t1 - t0)) ms later"
[ $((t1 - t0)) -lt 1500 ] ||
    fail "pvctl ended $((t1 - t0)) ms after SIGTERM: the write was not preempted"
exit 0
