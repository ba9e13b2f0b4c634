#!/bin/sh
# SPDX-License-Identifier: MIT
# pvhvd_lifecycle.sh: pvhvd and pvctl as xl's toolstack: create, list
# (JSON), pause (time stops), unpause, console through a pty with input
# echoed by the guest, shutdown, reboot (the guest comes back), destroy,
# restart and preserve on crash, duplicates refused, exit codes.
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/pvhvd_lib.sh"
skip_unless_kvm
command -v jq >/dev/null || skip "jq is not installed"

# No daemon yet: exit 7 with the hint how to start one.
pv list
expect_rc 7
expect_err "no pvhv daemon at $SOCK"
expect_err "start one with 'pvhvd'"
daemon_start

# create returns once the domain runs; list --json shows it as xl would.
t=$(life_xml tick "tick=100")
pv create "$t"
expect_rc 0
expect_err "domain 'tick' (id 1) created"
[ "$(field tick domid)" = 1 ] || fail "tick's id: $(field tick domid)"
[ "$(field tick memory_kib)" = 4096 ] || fail "memory: $(field tick memory_kib)"
[ "$(field tick vcpus)" = 1 ] || fail "vCPUs (no <vcpu>: 1): $(field tick vcpus)"
[ "$(field tick on_reboot)" = restart ] || fail "on_reboot: $(field tick on_reboot)"
uuid=$(field tick uuid)
state=$(field tick state)
[ "$state" = running ] || [ "$state" = blocked ] || fail "state $state"
pv list
expect_out "Name                                        ID   Mem VCPUs     State   Time(s)"
grep -Eq '^tick +1 +4 +1 +-?[rb]' "$TMP/out" || fail "list: $(cat "$TMP/out")"
# By name, id and UUID; a duplicate name refused (6); an unknown one (5).
for sel in tick 1 "$uuid"; do
    pv domid "$sel"
    expect_rc 0
    expect_out 1
done
pv domname 1
expect_out tick
pv create "$t"
expect_rc 6
expect_err "domain 'tick' (id 1) already has this name"
pv pause nosuch
expect_rc 5
expect_err "no domain 'nosuch'"

# pause: no tick, and the guest's clock stands still across the pause.
console_log tick tick
wait_text "$TMP/tick.con" "tick 3 "
pv pause tick
expect_rc 0
wait_field tick state paused
n0=$(grep -c "^tick " "$TMP/tick.con")
sleep 1
[ "$(grep -c "^tick " "$TMP/tick.con")" -eq "$n0" ] || fail "ticks while paused: $(cat "$TMP/tick.con")"
pv pause tick
expect_rc 6
expect_err "is paused"
pv unpause tick
expect_rc 0
wait_text "$TMP/tick.con" "tick $((n0 + 3)) "
t0=$(sed -n "s/^tick $((n0 - 1)) t=\([0-9]*\).*/\1/p" "$TMP/tick.con")
t1=$(sed -n "s/^tick $((n0 + 1)) t=\([0-9]*\).*/\1/p" "$TMP/tick.con")
# Two ticks of 100 ms: about 200 ms of guest time, not 1.2 s.
[ $((t1 - t0)) -lt 700 ] || fail "the guest's time moved $((t1 - t0)) ms over two ticks across a 1 s pause"

# console through a pty: what is typed reaches the guest, which echoes
# it; a second console sees it too; Ctrl-] detaches.
mkfifo "$TMP/keys"
script -qfec "$PVCTL console tick" /dev/null <"$TMP/keys" >"$TMP/pty.con" 2>&1 &
spid=$!
exec 8>"$TMP/keys"
wait_text "$TMP/pty.con" "READY domid=1"
printf 'hello guest\r' >&8
wait_text "$TMP/pty.con" "echo: hello guest"
wait_text "$TMP/tick.con" "echo: hello guest"
printf '\035' >&8
i=0
while kill -0 "$spid" 2>/dev/null; do
    i=$((i + 1))
    [ "$i" -lt 100 ] || fail "Ctrl-] did not detach: $(cat "$TMP/pty.con")"
    sleep 0.05
done
exec 8>&-
wait "$spid" || fail "pvctl console exited $? after Ctrl-]"

# reboot: the same domain comes back, same name and UUID, a new id; the
# console follows it into its new boot.
pv reboot tick
expect_rc 0
wait_text "$TMP/tick.con" "READY domid=" 2
[ "$(field tick uuid)" = "$uuid" ] || fail "a new UUID after reboot"
id2=$(field tick domid)
[ "$id2" -gt 1 ] || fail "the same id after reboot: $id2"
[ "$(field tick boots)" = 2 ] || fail "boots: $(field tick boots)"
grep -q "ended: reboot; following its new boot" "$TMP/tick.con" || fail "console: $(cat "$TMP/tick.con")"

# shutdown -w: it powers off and is gone (on_poweroff destroy); the
# console ends with it.
pv shutdown -w tick
expect_rc 0
wait "$cpid" || fail "pvctl console exited $?"
grep -q "domain 'tick' (id $id2) ended: poweroff" "$TMP/tick.con" || fail "console: $(cat "$TMP/tick.con")"
pv list tick
expect_rc 5
pv shutdown tick
expect_rc 5

# Restart on crash: new boots, new ids, until destroyed (not restarted).
c=$(life_xml crashy "tick=30 crash=2" restart)
pv create "$c"
expect_rc 0
i=0
until [ "$(field crashy boots)" -ge 3 ]; do
    i=$((i + 1))
    [ "$i" -lt 200 ] || fail "crashy not restarted: $("$PVCTL" list -l --json)"
    sleep 0.05
done
pv destroy crashy
expect_rc 0
i=0
while "$PVCTL" list crashy >/dev/null 2>&1; do
    i=$((i + 1))
    [ "$i" -lt 100 ] || fail "crashy still listed after destroy"
    sleep 0.05
done
grep -q "domain 'crashy' restarting (restart 2)" "$TMP/pvhvd.log" || fail "log: $(cat "$TMP/pvhvd.log")"

# preserve: a guest that crashes at once stays, crashed; its console
# still shows what it printed, and dmesg says why it ended.
p=$(life_xml early "tick=1 crash=1" preserve)
pv create "$p"
expect_rc 0
wait_field early state crashed
pv list early
grep -Eq '^early .*----c-' "$TMP/out" || fail "list: $(cat "$TMP/out")"
pv console early
expect_rc 0
expect_out "READY domid="
expect_out "pvguest: crash: crash=N ticks reached"
expect_err "ended: crash"
pv dmesg early
expect_rc 0
expect_out "the guest reported a crash (SCHEDOP_shutdown, SHUTDOWN_crash)"
pv pause early
expect_rc 6
pv destroy early
expect_rc 0

# create -c: the console from the first byte, even of a guest that dies
# at once; -p leaves it paused, nothing printed until unpaused.
h=$(domain_xml hi "$top_builddir/examples/hello/hello.elf" 4096 "greeting=hi")
pv create -c "$h"
expect_rc 0
expect_out "Hello from pvhv domain"
expect_out "hypervisor: Xen"
expect_err "ended: poweroff"
pv create -p "$t"
expect_rc 0
expect_err "created, paused"
[ "$(field tick state)" = paused ] || fail "create -p: $(field tick state)"
console_log paused tick
sleep 0.5
grep -q READY "$TMP/paused.con" && fail "a paused domain printed: $(cat "$TMP/paused.con")"
pv unpause tick
wait_text "$TMP/paused.con" "READY"
pv uptime tick
expect_rc 0
grep -Eq '^tick +[0-9]+ +0:00:0[0-9]' "$TMP/out" || fail "uptime: $(cat "$TMP/out")"
pv stat -b -n 2 -d 0.2
expect_rc 0
grep -Eq '^tick +[0-9]+ +(running|blocked) ' "$TMP/out" || fail "stat: $(cat "$TMP/out")"
pv info
expect_out "nr_domains             : 1"

# A guest that does not watch control/shutdown cannot hear a request:
# refused (6), with the way out; the domain runs on until destroyed.
dx=$(life_xml deaf "deaf=1")
pv create "$dx"
expect_rc 0
console_log deaf deaf
deaf_pid=$cpid
wait_text "$TMP/deaf.con" "READY domid="
pv shutdown deaf
expect_rc 6
expect_err "domain 'deaf' (id "
expect_err "cannot hear a request to poweroff: its guest does not watch control/shutdown"
expect_err "'pvctl destroy deaf' ends it"
pv reboot deaf
expect_rc 6
[ "$(field deaf state)" != dying ] || fail "deaf: $(field deaf state)"
pv destroy deaf
expect_rc 0
wait "$deaf_pid"
pv destroy tick
wait "$cpid"

daemon_stop 10
[ "$drc" -eq 0 ] || fail "pvhvd exited $drc: $(cat "$TMP/pvhvd.log")"
exit 0
