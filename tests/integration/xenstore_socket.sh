#!/bin/sh
# SPDX-License-Identifier: MIT
# xenstore_socket.sh: Debian's xenstore-utils, unmodified, against our store's UNIX socket.
# libxenstore 4.17 needs XENSTORED_PATH: without it, it only tries /dev/xen/xenbus.
. "$top_srcdir/tests/integration/lib.sh"

command -v xenstore-read >/dev/null 2>&1 ||
    skip "xenstore-read is not installed (apt-get install xenstore-utils)"
SERVE="$top_builddir/tests/integration/xs_serve"
XENSTORED_PATH="$TMP/xs.sock"
export XENSTORED_PATH

# xs_serve runs until its stdin (a FIFO held open on fd 3) closes.
mkfifo "$TMP/in"
"$SERVE" "$XENSTORED_PATH" <"$TMP/in" >"$TMP/serve.out" 2>"$TMP/serve.err" &
serve_pid=$!
exec 3>"$TMP/in"
stop_server() {
    exec 3>&-
    wait "$serve_pid" || fail "xs_serve exited $?: $(cat "$TMP/serve.err")"
}
i=0
until grep -q ready "$TMP/serve.out" 2>/dev/null; do
    i=$((i + 1))
    [ "$i" -lt 100 ] || fail "xs_serve did not start: $(cat "$TMP/serve.err")"
    kill -0 "$serve_pid" 2>/dev/null || fail "xs_serve died: $(cat "$TMP/serve.err")"
    sleep 0.1
done

# expect_eq WHAT GOT WANT
expect_eq() {
    [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# Write, read, exists, list.
xenstore-write /test/a hello /test/b world || fail "xenstore-write"
expect_eq read "$(xenstore-read /test/a)" hello
expect_eq "read two" "$(xenstore-read /test/a /test/b | tr '\n' ' ')" "hello world "
xenstore-exists /test/b || fail "xenstore-exists /test/b"
xenstore-exists /test/none 2>/dev/null && fail "xenstore-exists /test/none succeeded"
expect_eq list "$(xenstore-list /test | tr '\n' ' ')" "a b "
expect_eq "guest name" "$(xenstore-read /local/domain/1/name)" guest
expect_eq domains "$(xenstore-list /local/domain | tr '\n' ' ')" "0 1 "

# ls: the tree with values, and permissions with -p.
expect_eq ls "$(xenstore-ls /test)" 'a = "hello"
b = "world"'
xenstore-chmod /test/a n0 r1 || fail "xenstore-chmod"
xenstore-ls -p /test | grep -q '^a = "hello" .*(n0,r1)$' ||
    fail "ls -p: $(xenstore-ls -p /test)"
expect_eq "ls guest" "$(xenstore-ls /local/domain/1 | head -3 | tr -d ' ' | tr '\n' ' ')" \
    'name="guest" domid="1" vm="/vm/00112233-4455-6677-8899-aabbccddeeff" '

# rm: gone afterwards, and reading it fails.
xenstore-rm /test/a || fail "xenstore-rm"
xenstore-read /test/a >/dev/null 2>&1 && fail "read after rm succeeded"
expect_eq "list after rm" "$(xenstore-list /test)" b

# watch -n 2: the first event is the watch itself, the second our write.
timeout 20 xenstore-watch -n 2 /test/w >"$TMP/watch.out" 2>&1 &
watch_pid=$!
i=0
until [ -s "$TMP/watch.out" ]; do
    i=$((i + 1))
    [ "$i" -lt 100 ] || fail "xenstore-watch printed nothing"
    sleep 0.1
done
xenstore-write /test/w/x 1 || fail "xenstore-write under the watch"
wait "$watch_pid" || fail "xenstore-watch exited $?: $(cat "$TMP/watch.out")"
expect_eq watch "$(cat "$TMP/watch.out")" '/test/w
/test/w/x'

stop_server
[ ! -e "$XENSTORED_PATH" ] || fail "the socket was not removed"
exit 0
