#!/bin/sh
# SPDX-License-Identifier: MIT
# pvctl_multi_xenstore.sh: `pvctl run --xenstore-socket PATH` serves the
# store of the running domains to dom0 tools; a bad PATH is exit 3.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

BENCH="$GUESTS/bench_hypercall/bench_hypercall.elf"
HELLO="$top_builddir/examples/hello/hello.elf"

# A PATH that is a regular file: refused before any domain starts.
one=$(domain_xml one "$HELLO" 4096)
: >"$TMP/file"
run_pvctl run --xenstore-socket "$TMP/file" "$one"
expect_rc 3
expect_err "$TMP/file"
[ -s "$TMP/out" ] && fail "a domain ran without its socket: $(cat "$TMP/out")"

command -v xenstore-read >/dev/null 2>&1 ||
    skip "xenstore-read is not installed (apt-get install xenstore-utils)"
XENSTORED_PATH="$TMP/xs.sock"
export XENSTORED_PATH

# Two running domains, seen through the socket; then SIGTERM with --grace 0.
a=$(domain_xml busy_a "$BENCH" 4096 n=4000000000)
b=$(domain_xml busy_b "$BENCH" 4096 n=4000000000)
rm -f "$TMP/out" "$TMP/err"
"$PVCTL" run --grace 0 --xenstore-socket "$XENSTORED_PATH" "$a" "$b" \
    >"$TMP/out" 2>"$TMP/err" &
pid=$!
i=0
until [ "$(grep -c 'BENCH start' "$TMP/out")" -eq 2 ]; do
    i=$((i + 1))
    [ "$i" -lt 300 ] || { kill -KILL "$pid"; fail "the domains did not start: $(cat "$TMP/out" "$TMP/err")"; }
    kill -0 "$pid" 2>/dev/null || fail "pvctl ended early: $(cat "$TMP/out" "$TMP/err")"
    sleep 0.1
done
got1=$(xenstore-read /local/domain/1/name) || got1="(xenstore-read failed)"
got2=$(xenstore-read /local/domain/2/name) || got2="(xenstore-read failed)"
kill -TERM "$pid"
i=0
while kill -0 "$pid" 2>/dev/null; do
    i=$((i + 1))
    [ "$i" -lt 200 ] || { kill -KILL "$pid"; fail "pvctl still runs 20 s after SIGTERM: $(cat "$TMP/err")"; }
    sleep 0.1
done
rc=0
wait "$pid" || rc=$?
[ "$got1" = busy_a ] || fail "/local/domain/1/name: got '$got1', want busy_a"
[ "$got2" = busy_b ] || fail "/local/domain/2/name: got '$got2', want busy_b"
expect_rc 4
exit 0
