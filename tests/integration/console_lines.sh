#!/bin/sh
# SPDX-License-Identifier: MIT
# console_lines.sh: two domains write long lines with console_io (the
# hypervisor's log cuts them into lines of at most 255 characters) while
# the hypervisor logs a warning for each, and print on their consoles;
# stdout and stderr on one pipe that a slow reader keeps full: every line
# must arrive whole, never mixed with another (each is one write of at
# most PIPE_BUF).
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

# Every line is one of: a piece of a's in one's log (domain 1), of b's in
# two's (domain 2), their console lines, pvctl's lines, the hypervisor's
# warnings.
bad=$(grep -Ev '^(pvhv: d1: console_io: a{1,255}|pvhv: d2: console_io: b{1,255}|(one|two)\| (long_lines: .*|SUCCESS)|pvctl: [^|]*|pvhv: warning: d[12]: console_io write: bad buffer [^|]*)$' "$TMP/out" | head -c 300)
[ -z "$bad" ] || fail "a mixed line: $bad"
for d in 1:a:one 2:b:two; do
    id=${d%%:*} c=${d#*:} name=${c#*:} c=${c%:*}
    n=$(grep -Eo "^pvhv: d$id: console_io: $c+$" "$TMP/out" |
        sed "s/^pvhv: d$id: console_io: //" | tr -d '\n' | wc -c)
    [ "$n" -eq 72000 ] || fail "$name: $n of its 72000 '$c' arrived"
    expect_out "$name| long_lines: 12 lines of 6000 '$c'"
    # None of it on the domain's console: console_io is not the console.
    ! grep -Eq "^$name\| $c+$" "$TMP/out" || fail "$name: console_io text on its console"
done
exit 0
