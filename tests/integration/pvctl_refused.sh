#!/bin/sh
# SPDX-License-Identifier: MIT
# pvctl_refused.sh: a kernel that does not fit its memory is refused before it
# runs (exit 3, a message naming the segment and the memory size).
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

xml=$(domain_xml big "$GUESTS/bigbss/bigbss.elf" 8192)
run_pvctl run "$xml"
expect_rc 3
expect_err "does not fit in guest RAM (8 MiB)"
[ ! -s "$TMP/out" ] || fail "the guest ran: $(cat "$TMP/out")"

xml=$(domain_xml notelf "$top_srcdir/README.md" 8192)
run_pvctl run "$xml"
expect_rc 3
expect_err "README.md"
exit 0
