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
    ! grep -F "sandbox: a vCPU thread made system call" "$TMP/err" ||
        fail "the vCPU sandbox refused a call: $(cat "$TMP/err")"
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
