#!/bin/sh
# SPDX-License-Identifier: MIT
# console_lines.sh: two domains print long lines (cut by pvctl into
# several) while the hypervisor logs a line for each, stdout and stderr on
# one pipe that a slow reader keeps full: every line must arrive whole,
# never mixed with another (each is one write of at most PIPE_BUF).
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

LINES="$GUESTS/long_lines/long_lines.elf"
one=$(domain_xml one "$LINES" 4096 "char=a lines=12 len=6000")
two=$(domain_xml two "$LINES" 4096 "char=b lines=12 len=6000")

# slow_copy: copies stdin to $TMP/out 2 KiB at a time, a pause between.
slow_copy() {
    : >"$TMP/out"
    while :; do
        dd bs=2048 count=1 status=none >"$TMP/chunk" 2>/dev/null
        [ -s "$TMP/chunk" ] || break
        cat "$TMP/chunk" >>"$TMP/out"
        sleep 0.002
    done
}

{
    timeout 120 "$PVCTL" run --stats "$one" "$two" 2>&1
    echo $? >"$TMP/rc"
} | slow_copy
rc=$(cat "$TMP/rc")
cp "$TMP/out" "$TMP/err" # expect_err reads it
expect_rc 0
expect_err "pvctl: one (id 1): poweroff"
expect_err "pvctl: two (id 2): poweroff"

# Every line is one of: a piece of a's from one, of b's from two, their
# other console lines, pvctl's lines, the hypervisor's lines.
bad=$(grep -Ev '^(one\| a+|two\| b+|(one|two)\| (long_lines: .*|SUCCESS)|pvctl: [^|]*|pvhv: warning: d[12]: console_io write: bad buffer [^|]*)$' "$TMP/out" | head -c 300)
[ -z "$bad" ] || fail "a mixed line: $bad"
for d in one:a two:b; do
    name=${d%:*} c=${d#*:}
    n=$(grep -Eo "^$name\| $c+$" "$TMP/out" | tr -d "$name| \n" | wc -c)
    [ "$n" -eq 72000 ] || fail "$name: $n of its 72000 '$c' arrived"
    expect_out "$name| long_lines: 12 lines of 6000 '$c'"
done
exit 0
