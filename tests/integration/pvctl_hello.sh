#!/bin/sh
# SPDX-License-Identifier: MIT
# pvctl_hello.sh: `pvctl run examples/hello.xml` boots the example and exits 0.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

xml="$top_builddir/examples/hello.xml"
[ -f "$xml" ] || xml="$top_srcdir/examples/hello.xml"
run_pvctl run "$xml"
expect_rc 0
expect_out "Hello from pvhv domain 1!"
expect_out "cmdline: greeting=hi"
expect_out "hypervisor: Xen 4.17-pvhv"

# --stats reports exact counts on stderr; the guest's hypercalls are > 0.
run_pvctl run --stats "$xml"
expect_rc 0
grep -Eq 'hypercalls[ :=]+[1-9]' "$TMP/err" || fail "no hypercall count: $(cat "$TMP/err")"
# guest_insns=N where the host counts guest instructions (KVM's
# insn_emulation statistic), left out elsewhere, never 0 or empty.
insns=$(sed -n "s/.*domain 'hello' stats:.* guest_insns=\([^ ]*\) .*/\1/p" "$TMP/err")
# Boot to poweroff stays cheap where each instruction is emulated: about
# 6,000 instructions, where filling the grant free list at boot alone
# took 24,000 (33,766 in all).
if grep -q "domain 'hello' stats:.*guest_insns" "$TMP/err"; then
    [ "${insns:-0}" -gt 0 ] 2>/dev/null || fail "bad guest_insns '$insns': $(cat "$TMP/err")"
    [ "$insns" -lt 12000 ] || fail "hello took $insns guest instructions to boot (at most 12000)"
fi
# kvm_exits=N where the host has KVM's exits statistic: every exit KVM
# took, so at least the exits that reached pvhv.
if grep -q "domain 'hello' stats:.* kvm_exits=" "$TMP/err"; then
    exits=$(sed -n "s/.*domain 'hello' stats:.* exits=\([0-9]*\) kvm_exits.*/\1/p" "$TMP/err")
    kvm=$(sed -n "s/.*domain 'hello' stats:.* kvm_exits=\([^ ]*\) .*/\1/p" "$TMP/err")
    [ "${exits:-0}" -gt 0 ] 2>/dev/null && [ "${kvm:-0}" -ge "$exits" ] 2>/dev/null ||
        fail "bad exits '$exits' or kvm_exits '$kvm': $(cat "$TMP/err")"
fi
exit 0
