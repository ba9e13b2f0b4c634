#!/bin/sh
# SPDX-License-Identifier: MIT
# gnt_denied.sh: grants: what was not granted to a guest cannot be mapped; a self grant can
# (the data plane, through real guests and pvctl).
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

G="$GUESTS"

# Grants: what was not granted to us cannot be mapped; a self grant can.
x=$(domain_xml gnt_denied "$G/gnt_denied/gnt_denied.elf" 4096)
run_pvctl run -q "$x"
expect_rc 0
expect_out "ok: map our grant made out to domain 0 -> -8"
expect_out "ok: map ref 1000000 -> -3"
expect_out "SUCCESS"
exit 0
