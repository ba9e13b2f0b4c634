#!/bin/sh
# SPDX-License-Identifier: MIT
# hvm_doorbell.sh: two hvm domains in one `pvctl run` interrupt each other
# through the inter-domain doorbell (ports 0x540-0x55f, IRQ 10): ping
# (id 1) and pong (id 2) do 50 round trips after a first ring, each ring
# delivered and taken in one interrupt, no error. A domain that rings no
# domain (99) and no domain id (0x7ff0) gets ERROR's bits, each refusal
# logged; it then floods a sink with rings in a tight loop: every ring is
# counted, in fewer interrupts than rings, and a third hvm domain beside
# them runs its timer test as always.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

KERNEL="$GUESTS/hvm_doorbell/hvm_doorbell.elf"
hvm_xml() {
    x=$(domain_xml "$1" "$2" 4096 "$3")
    sed -i "s|<type arch='x86_64' machine='xenpvh'>xenpvh</type>|<type arch='x86_64' machine='pc'>hvm</type>|" "$x"
    echo "$x"
}

ping=$(hvm_xml ping "$KERNEL" "role=ping peer=2 n=50")
pong=$(hvm_xml pong "$KERNEL" "role=pong n=50")
run_pvctl run --stats "$ping" "$pong"
expect_rc 0
expect_out "ping| hvm_doorbell: domain 1 rang domain 2: 50 round trips, 51 received in 51 interrupt(s), 51 delivered, error 0"
expect_out "pong| hvm_doorbell: domain 2 answered domain 1 51 time(s), 51 received in 51 interrupt(s), 51 delivered, error 0"
expect_out "ping| SUCCESS"
expect_out "pong| SUCCESS"
grep -q "ping| BENCH tsc [1-9][0-9]*$" "$TMP/out" || fail "no TSC sum: $(cat "$TMP/out")"
! grep -q "spurious" "$TMP/out" || fail "spurious interrupts: $(cat "$TMP/out")"
for d in ping pong; do
    grep "domain '$d' stats: " "$TMP/err" | grep -q " hypercalls=0 .* markers=2 " ||
        fail "$d wrote the boot marker other than twice: $(cat "$TMP/err")"
done
expect_err "ping (id 1): poweroff"
expect_err "pong (id 2): poweroff"

flood=$(hvm_xml flood "$KERNEL" "role=flood peer=2 n=20000 bad=99 badn=5000")
sink=$(hvm_xml sink "$KERNEL" "role=sink n=20000")
innocent=$(hvm_xml innocent "$GUESTS/hvm_irq/hvm_irq.elf" "timer=1")
run_pvctl run "$flood" "$sink" "$innocent"
expect_rc 0
expect_out "flood| hvm_doorbell: ring of domain 99: error 1, of domain 0x7ff0: error 2"
expect_out "flood| hvm_doorbell: domain 1 flooded domain 2 with 20000 rings, 0 received in 0 interrupt(s), 20000 delivered, error 0"
expect_out "flood| SUCCESS"
expect_err "d1: doorbell: domain 99 is no running hvm domain, not rung"
expect_err "d1: doorbell: PEER 0x7ff0 is no domain id, not rung"
# 5001 refused rings, each a guest-caused warning: the log takes the
# burst of 20 and 10 a second after it, not one line a ring.
refused=$(grep -c "d1: doorbell: domain 99 is no running hvm domain, not rung" "$TMP/err")
[ "$refused" -ge 1 ] && [ "$refused" -le 60 ] ||
    fail "5001 refused rings gave $refused log lines (bound: 60)"
irqs=$(sed -n 's/^sink| hvm_doorbell: domain 2 took 20000 rings, 20000 received in \([0-9]*\) interrupt(s), 0 delivered, error 0$/\1/p' "$TMP/out")
[ -n "$irqs" ] || fail "the sink's counts are wrong: $(cat "$TMP/out")"
[ "$irqs" -ge 1 ] && [ "$irqs" -lt 20000 ] ||
    fail "20000 rings came in $irqs interrupts: none coalesced"
expect_out "sink| SUCCESS"
expect_out "innocent| hvm_irq: timer vector 0x40 fired 1 time(s)"
expect_out "innocent| SUCCESS"
for d in "flood (id 1)" "sink (id 2)" "innocent (id 3)"; do
    expect_err "$d: poweroff"
done
exit 0
