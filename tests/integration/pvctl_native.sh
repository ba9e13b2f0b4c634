#!/bin/sh
# SPDX-License-Identifier: MIT
# pvctl_native.sh: `pvctl run --exec native` boots hello on every host: in
# native mode where its self-test passes, else in the default mode, having
# said once why. --stats names the mode that really ran.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

xml="$top_builddir/examples/hello.xml"
[ -f "$xml" ] || xml="$top_srcdir/examples/hello.xml"
run_pvctl run --stats --exec native "$xml"
expect_rc 0
expect_out "Hello from pvhv domain 1!"
said=$(grep -c "native execution unavailable on this host: " "$TMP/err")
if [ "$said" -gt 0 ]; then
    [ "$said" -eq 1 ] || fail "the fallback was reported $said times: $(cat "$TMP/err")"
    grep -Eq '^pvctl: native execution unavailable on this host: [^;]+; running emulated$' "$TMP/err" ||
        fail "fallback line malformed: $(cat "$TMP/err")"
    expect_err "exec=default"
    echo "native execution unavailable here; the domain ran emulated"
else
    expect_err "exec=native"
fi

# Two domains, one message: the verdict is per hypervisor, not per domain.
domain_xml second "$top_builddir/examples/hello/hello.elf" 4096 >/dev/null
run_pvctl run --exec native "$xml" "$TMP/second.xml"
expect_rc 0
n=$(grep -c "native execution unavailable on this host: " "$TMP/err")
[ "$n" -eq "$said" ] || fail "expected $said fallback lines with two domains, got $n: $(cat "$TMP/err")"

# The default mode never runs the self-test, so never reports on it.
run_pvctl run "$xml"
expect_rc 0
grep -q "native execution" "$TMP/err" && fail "default mode spoke of native execution: $(cat "$TMP/err")"
exit 0
