#!/bin/sh
# SPDX-License-Identifier: MIT
# pvhvd_control.sh: pvhvd's control socket under hostile or careless
# clients: a peer not allowed is refused before any request is read;
# malformed, oversized, truncated and out-of-order messages get an error
# or a closed connection and the daemon goes on; a client killed
# mid-create leaves no domain and no descriptor behind; one that never
# reads its replies cannot grow the daemon's memory; two clients at once;
# SIGTERM asks every domain to power off and destroys those that do not.
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/pvhvd_lib.sh"
skip_unless_kvm
POKE="$top_builddir/tests/integration/control_poke"
WAIT="$GUESTS/shutdown_wait/shutdown_wait.elf"
BENCH="$GUESTS/bench_hypercall/bench_hypercall.elf"

rss_kib() {
    sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$dpid/status"
}
nfds() {
    ls "/proc/$dpid/fd" | wc -l
}

# The count once the daemon has closed what its last clients left (it
# reaps a hung-up connection on its own loop, a little later).
settled_nfds() {
    n=$(nfds)
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        sleep 0.1
        m=$(nfds)
        [ "$m" = "$n" ] && break
        n=$m
    done
    echo "$n"
}

daemon_start --group nogroup --grace 1
chmod 666 "$SOCK" # the file system lets all in: SO_PEERCRED decides

# A peer that is neither root nor in the group: refused, exit 6.
setpriv --reuid=daemon --regid=daemon --clear-groups "$PVCTL" list \
    >"$TMP/out" 2>"$TMP/err" && fail "uid daemon was served: $(cat "$TMP/out")"
rc=$?
expect_rc 6
expect_err "refused by the daemon: refused: uid $(id -u daemon)"
expect_err "is neither root nor in group 'nogroup'"
grep -q "refused: uid $(id -u daemon)" "$TMP/pvhvd.log" || fail "not logged"
# In the group (primary or supplementary): served.
setpriv --reuid=nobody --regid=nogroup --clear-groups "$PVCTL" list \
    >"$TMP/out" 2>"$TMP/err" || fail "nobody:nogroup refused: $(cat "$TMP/err")"
setpriv --reuid=daemon --regid=daemon --groups=nogroup "$PVCTL" list \
    >"$TMP/out" 2>"$TMP/err" || fail "a supplementary member refused: $(cat "$TMP/err")"

# Malformed messages: an error reply (status -code) or a closed connection.
expect_poke() {
    out=$("$POKE" "$SOCK" "$1" 2>&1 | tail -n 1)
    case "$out" in
    $2) ;;
    *) fail "control_poke $1: '$out', expected '$2'" ;;
    esac
}
base=$(settled_nfds)
expect_poke bad-magic closed
expect_poke too-big "reply 0x8002 -5 *message of 1048576 bytes*"
expect_poke bad-version "reply 0x800c -2 *version 9*"
expect_poke unknown-type "reply 0x804d -3 *type 77*"
expect_poke reply-type "reply 0x800c -4 *"
expect_poke short "reply 0x8003 -1 *list request of 3 bytes*"
expect_poke unterminated "reply 0x8004 -1 *domain: not a name*"
expect_poke fds-on-list "reply 0x8003 -1 *1 descriptors; allowed: 0*"
# Killed mid-create: nothing made, its descriptor closed.
"$POKE" "$SOCK" half-create "$LIFE"
sleep 0.2
pv list --json
expect_rc 0
[ "$(jq length "$TMP/out")" = 0 ] || fail "a domain from a half create: $(cat "$TMP/out")"
after=$(settled_nfds)
[ "$after" -eq "$base" ] || fail "descriptors: $base before, $after after"
# A client that sends and never reads: one reply held, no more.
rss0=$(rss_kib)
"$POKE" "$SOCK" flood 200000 &
fpid=$!
sleep 1
rss1=$(rss_kib)
wait "$fpid"
[ $((rss1 - rss0)) -lt 2048 ] || fail "a flooding client grew pvhvd by $((rss1 - rss0)) KiB"
kill -0 "$dpid" || fail "pvhvd died: $(cat "$TMP/pvhvd.log")"

# Two clients at once: two creates in parallel and lists meanwhile.
a=$(life_xml a "")
b=$(life_xml b "")
"$PVCTL" create "$a" 2>"$TMP/a.err" &
p1=$!
"$PVCTL" create "$b" 2>"$TMP/b.err" &
p2=$!
for i in 1 2 3 4 5; do "$PVCTL" list >/dev/null || fail "list failed"; done
wait "$p1" || fail "create a: $(cat "$TMP/a.err")"
wait "$p2" || fail "create b: $(cat "$TMP/b.err")"
pv list --json
[ "$(jq -r '[.[].name] | sort | join(",")' "$TMP/out")" = "a,b" ] || fail "list: $(cat "$TMP/out")"
[ "$(jq -r '[.[].domid] | unique | length' "$TMP/out")" = 2 ] || fail "ids: $(cat "$TMP/out")"
# Two consoles on one domain: both see what is typed, echoed.
console_log c1 a
console_log c2 a
c2=$cpid
wait_text "$TMP/c1.con" "READY"
wait_text "$TMP/c2.con" "READY"
pv destroy b

# SIGTERM: each domain asked to power off; those that do, do; the one that
# does not is destroyed after the grace (1 s).
w=$(domain_xml waiter "$WAIT" 4096)
n=$(domain_xml busy "$BENCH" 4096 n=4000000000)
pv create "$w"
expect_rc 0
pv create "$n"
expect_rc 0
sleep 0.5
daemon_stop 10
[ "$drc" -eq 0 ] || fail "pvhvd exited $drc: $(cat "$TMP/pvhvd.log")"
for d in a waiter busy; do
    grep -q "domain '$d' (id [0-9]*): asked to power off" "$TMP/pvhvd.log" ||
        fail "$d was not asked: $(cat "$TMP/pvhvd.log")"
done
grep -q "asked 3 domain(s) to power off (grace 1 s)" "$TMP/pvhvd.log" || fail "log: $(cat "$TMP/pvhvd.log")"
grep -q "domain 'a' (id [0-9]*) powered off" "$TMP/pvhvd.log" || fail "a did not power off"
grep -q "domain 'waiter' (id [0-9]*) powered off" "$TMP/pvhvd.log" || fail "waiter did not power off"
grep -q "grace of 1 s over: destroying 1 domain(s)" "$TMP/pvhvd.log" || fail "log: $(cat "$TMP/pvhvd.log")"
grep -q "domain 'busy' (id [0-9]*) destroyed" "$TMP/pvhvd.log" || fail "busy not destroyed"
grep -q "ended: poweroff" "$TMP/c1.con" || fail "console: $(cat "$TMP/c1.con")"
wait "$c2"
[ ! -e "$SOCK" ] || fail "the socket stayed"
exit 0
