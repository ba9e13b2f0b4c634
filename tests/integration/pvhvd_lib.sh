# SPDX-License-Identifier: MIT
# pvhvd_lib.sh: a pvhvd on a private socket, for the pvhvd_*.sh tests
# (sourced after lib.sh).
PVHVD="$top_builddir/toolstack/pvhvd"
LIFE="$GUESTS/lifecycle/lifecycle.elf"
SOCK="$TMP/pvhvd.sock"
export PVHV_SOCKET="$SOCK"
chmod 755 "$TMP" # a client under another uid must reach the socket

# daemon_start ARGS...: pvhvd in the background ($dpid), its log in
# $TMP/pvhvd.log; waits until it listens.
daemon_start() {
    "$PVHVD" --socket "$SOCK" "$@" >"$TMP/pvhvd.log" 2>&1 &
    dpid=$!
    i=0
    until grep -q "listening on" "$TMP/pvhvd.log" 2>/dev/null; do
        i=$((i + 1))
        [ "$i" -lt 100 ] || fail "pvhvd did not start: $(cat "$TMP/pvhvd.log")"
        kill -0 "$dpid" 2>/dev/null || fail "pvhvd ended: $(cat "$TMP/pvhvd.log")"
        sleep 0.05
    done
    trap 'kill -KILL $dpid 2>/dev/null; rm -rf "$TMP"' EXIT
}

# daemon_stop SECONDS: SIGTERM, then waits for its end ($drc).
daemon_stop() {
    kill -TERM "$dpid"
    i=0
    while kill -0 "$dpid" 2>/dev/null; do
        i=$((i + 1))
        [ "$i" -lt $(($1 * 20)) ] || { kill -KILL "$dpid"; fail "pvhvd still runs $1 s after SIGTERM: $(cat "$TMP/pvhvd.log")"; }
        sleep 0.05
    done
    drc=0
    wait "$dpid" || drc=$?
    ! grep -E "sandbox: (a|an hvm) (vCPU|backend worker) thread made system call" "$TMP/pvhvd.log" ||
        fail "the sandbox refused a call: $(cat "$TMP/pvhvd.log")"
}

# pv ARGS...: pvctl against the daemon: $TMP/out, $TMP/err, $rc.
pv() {
    rc=0
    timeout 60 "$PVCTL" "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
}

# life_xml NAME CMDLINE [ON_CRASH] [ON_REBOOT]: the lifecycle guest.
life_xml() {
    cat >"$TMP/$1.xml" <<XML
<domain type='xen'>
  <name>$1</name>
  <memory unit='KiB'>4096</memory>
  <os><type>xenpvh</type><kernel>$LIFE</kernel><cmdline>$2</cmdline></os>
  <on_crash>${3:-destroy}</on_crash>
  <on_reboot>${4:-restart}</on_reboot>
</domain>
XML
    echo "$TMP/$1.xml"
}

# field DOMAIN KEY: a key of DOMAIN in `pvctl list -l --json`.
field() {
    "$PVCTL" list -l --json | jq -r --arg n "$1" ".[] | select(.name == \$n) | .$2"
}

# wait_field DOMAIN KEY VALUE: until it has that value (10 s at most).
wait_field() {
    i=0
    until [ "$(field "$1" "$2")" = "$3" ]; do
        i=$((i + 1))
        [ "$i" -lt 200 ] || fail "$1: $2 is '$(field "$1" "$2")', not '$3': $("$PVCTL" list -l --json)"
        sleep 0.05
    done
}

# console_log NAME DOMAIN: `pvctl console DOMAIN` in the background,
# without a terminal, its output in $TMP/NAME.con ($cpid).
console_log() {
    "$PVCTL" console "$2" </dev/null >"$TMP/$1.con" 2>&1 &
    cpid=$!
}

# wait_text FILE TEXT [COUNT]: until FILE holds TEXT COUNT times (10 s).
wait_text() {
    i=0
    until [ "$(grep -cF -- "$2" "$1" 2>/dev/null)" -ge "${3:-1}" ]; do
        i=$((i + 1))
        [ "$i" -lt 200 ] || fail "no '$2' (x${3:-1}) in $1: $(cat "$1"); pvhvd: $(cat "$TMP/pvhvd.log")"
        sleep 0.05
    done
}
