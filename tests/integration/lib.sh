# SPDX-License-Identifier: MIT
# lib.sh: helpers for pvctl tests (sourced). Exit 77 = skipped, as Automake reads it.

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# skip REASON: reports the test skipped (exit 77), with the reason in its
# log and, through fd 9 where make check opened it, on make's output.
skip() {
    echo "SKIP: $*"
    { echo "  ${0##*/}: SKIP: $*" >&9; } 2>/dev/null
    exit 77
}

skip_unless_kvm() {
    [ -r /dev/kvm ] && [ -w /dev/kvm ] || skip "/dev/kvm is missing or not accessible"
}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# domain_xml NAME KERNEL MEMORY_KIB [CMDLINE] [ON_CRASH] [EXTRA]: writes
# $TMP/NAME.xml; EXTRA is more XML inside <domain> (e.g. <devices>).
domain_xml() {
    cat >"$TMP/$1.xml" <<XML
<domain type='xen'>
  <name>$1</name>
  <memory unit='KiB'>$3</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='xenpvh'>xenpvh</type>
    <kernel>$2</kernel>
    <cmdline>${4:-}</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_crash>${5:-destroy}</on_crash>
  ${6:-}
</domain>
XML
    echo "$TMP/$1.xml"
}

# run_pvctl ARGS...: runs pvctl, leaving $TMP/out, $TMP/err and $rc. No
# vCPU thread may have been refused a system call by its sandbox.
run_pvctl() {
    rc=0
    timeout 120 "$PVCTL" "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
    ! grep -E "sandbox: (a|an hvm) (vCPU|backend worker) thread made system call" "$TMP/err" ||
        fail "the sandbox refused a call: $(cat "$TMP/err")"
}

expect_rc() {
    [ "$rc" -eq "$1" ] || fail "pvctl exited $rc, expected $1; stdout: $(cat "$TMP/out"); stderr: $(cat "$TMP/err")"
}

expect_out() {
    grep -qF -- "$1" "$TMP/out" || fail "stdout lacks '$1': $(cat "$TMP/out")"
}

expect_err() {
    grep -qF -- "$1" "$TMP/err" || fail "stderr lacks '$1': $(cat "$TMP/err")"
}

# bg_pvctl NAME ARGS...: runs pvctl in the background, its output in
# $TMP/NAME.out and $TMP/NAME.err; its pid in $bg_pid.
bg_pvctl() {
    bg_name=$1
    shift
    rm -f "$TMP/$bg_name.out" "$TMP/$bg_name.err"
    "$PVCTL" "$@" >"$TMP/$bg_name.out" 2>"$TMP/$bg_name.err" &
    bg_pid=$!
}

# bg_wait_out NAME PID TEXT [COUNT]: waits (at most 30 s) until the
# console of the background pvctl NAME (PID) shows TEXT, COUNT times
# (default 1).
bg_wait_out() {
    i=0
    until [ "$(grep -cF -- "$3" "$TMP/$1.out" 2>/dev/null)" -ge "${4:-1}" ]; do
        i=$((i + 1))
        [ "$i" -lt 300 ] || { kill -KILL "$2"; fail "no '$3' (x${4:-1}) on the console of $1: $(cat "$TMP/$1.out" "$TMP/$1.err")"; }
        kill -0 "$2" 2>/dev/null || fail "pvctl $1 ended before '$3': $(cat "$TMP/$1.out" "$TMP/$1.err")"
        sleep 0.1
    done
}

# bg_end PID SECONDS: SIGTERM to the background pvctl PID, then waits for
# it (killing it and failing after SECONDS); its status in $bg_rc.
bg_end() {
    kill -TERM "$1"
    i=0
    while kill -0 "$1" 2>/dev/null; do
        i=$((i + 1))
        [ "$i" -lt $(($2 * 10)) ] || { kill -KILL "$1"; fail "pvctl $1 still runs $2 s after SIGTERM"; }
        sleep 0.1
    done
    bg_rc=0
    wait "$1" || bg_rc=$?
}

# disk_of IMAGE [VDEV] [readonly]: a <disk> element for domain_xml's EXTRA.
disk_of() {
    ro=
    [ "${3:-}" = readonly ] && ro="<readonly/>"
    echo "<disk type='file' device='disk'><source file='$1'/><target dev='${2:-xvda}' bus='xen'/>$ro</disk>"
}

# ---- The data plane: disks and the bytes of their images ----

# disk_xml NAME KERNEL MEMORY_KIB CMDLINE IMAGE [readonly]: like
# domain_xml, with IMAGE (an absolute path) as disk xvda.
disk_xml() {
    ro=
    [ "${6:-}" = readonly ] && ro="<readonly/>"
    domain_xml "$1" "$2" "$3" "$4" destroy "<devices><disk type='file' device='disk'><source file='$5'/><target dev='xvda' bus='xen'/>$ro</disk></devices>"
}

# expect_pattern IMAGE FIRST COUNT TAG: sectors FIRST..FIRST+COUNT-1 of
# IMAGE hold the guests' pattern: every 8-byte little-endian word of
# sector s is TAG << 32 | s, so od's 4-byte words read "<s> <TAG>".
expect_pattern() {
    od -An -v -tx4 -w8 -j $(($2 * 512)) -N $(($3 * 512)) "$1" |
        awk '{ print $1, $2 }' >"$TMP/got"
    awk -v first="$2" -v count="$3" -v tag="$4" 'BEGIN {
        for (s = first; s < first + count; s++)
            for (w = 0; w < 64; w++)
                printf "%08x %s\n", s, tag
    }' >"$TMP/want"
    cmp -s "$TMP/got" "$TMP/want" ||
        fail "$1: sectors $2..+$3 do not hold the pattern (tag $4): first difference: $(diff "$TMP/want" "$TMP/got" | sed -n 2,3p | tr '\n' ' ')"
}

# expect_zero IMAGE OFFSET LENGTH: those bytes of IMAGE are all zero.
expect_zero() {
    n=$(tail -c +$(($2 + 1)) "$1" | head -c "$3" | tr -d '\000' | wc -c)
    [ "$n" -eq 0 ] || fail "$1: $n non-zero bytes in [$2, +$3)"
}
