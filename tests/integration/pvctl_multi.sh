#!/bin/sh
# SPDX-License-Identifier: MIT
# pvctl_multi.sh: `pvctl run a.xml b.xml` hosts both domains in one
# hypervisor: console lines prefixed by name, a summary line per domain,
# the worst exit status; duplicate names are refused before anything runs.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

HELLO="$top_builddir/examples/hello/hello.elf"

# Two hello domains: both power off, ids 1 and 2, every line prefixed.
one=$(domain_xml one "$HELLO" 4096 greeting=one)
two=$(domain_xml two "$HELLO" 4096 greeting=two)
run_pvctl run "$one" "$two"
expect_rc 0
expect_out "one| Hello from pvhv domain 1!"
expect_out "two| Hello from pvhv domain 2!"
expect_out "one| cmdline: greeting=one"
expect_out "two| cmdline: greeting=two"
expect_err "pvctl: one (id 1): poweroff"
expect_err "pvctl: two (id 2): poweroff"
grep -Ev '^(one|two)\| ' "$TMP/out" && fail "a console line without its prefix: $(cat "$TMP/out")"

# -q: no status or summary lines, the same exit status.
run_pvctl run -q "$one" "$two"
expect_rc 0
[ -s "$TMP/err" ] && fail "-q printed on stderr: $(cat "$TMP/err")"

# The same name in two files: exit 2 naming both, nothing started.
mkdir "$TMP/copy"
cp "$one" "$TMP/copy/one.xml"
run_pvctl run "$one" "$TMP/copy/one.xml"
expect_rc 2
expect_err "$one"
expect_err "$TMP/copy/one.xml"
expect_err "'one'"
[ -s "$TMP/out" ] && fail "a domain ran despite the duplicate: $(cat "$TMP/out")"

# One crashes, one powers off: exit 1, both summary lines.
pf=$(domain_xml pf "$GUESTS/pagefault/pagefault.elf" 4096)
run_pvctl run "$pf" "$two"
expect_rc 1
expect_out "pf| pagefault: writing to 0x400000000"
expect_out "two| Hello from pvhv domain 2!"
expect_err "pvctl: pf (id 1): crashed: "
expect_err "pvctl: two (id 2): poweroff"

# A domain that cannot be created (a kernel that is no ELF image): exit 3,
# and the other, created before it, never runs.
printf 'not an ELF file\n' >"$TMP/bad.elf"
bad=$(domain_xml bad "$TMP/bad.elf" 4096)
run_pvctl run "$one" "$bad"
expect_rc 3
expect_err "$bad"
[ -s "$TMP/out" ] && fail "a domain ran despite the failure: $(cat "$TMP/out")"
exit 0
