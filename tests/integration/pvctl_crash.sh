#!/bin/sh
# SPDX-License-Identifier: MIT
# pvctl_crash.sh: a guest page fault is reported as a crash with its address
# and registers, exit status 1; on_crash='restart' boots it again, bounded.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

xml=$(domain_xml pf "$GUESTS/pagefault/pagefault.elf" 4096)
run_pvctl run "$xml"
expect_rc 1
expect_out "page fault at 0x400000000"
expect_err "domain 'pf' (id 1) crashed"
expect_err "cr2 0000000400000000"

xml=$(domain_xml pfr "$GUESTS/pagefault/pagefault.elf" 4096 "" restart)
run_pvctl run --max-restarts 2 "$xml"
expect_rc 1
n=$(grep -c "page fault at 0x400000000" "$TMP/out")
[ "$n" -eq 3 ] || fail "expected 3 boots (1 + 2 restarts), saw $n"

xml=$(domain_xml tf "$GUESTS/triplefault/triplefault.elf" 4096)
run_pvctl run "$xml"
expect_rc 1
expect_err "domain 'tf' (id 1) crashed"
exit 0
