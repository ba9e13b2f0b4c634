#!/bin/sh
# SPDX-License-Identifier: MIT
# lapic.sh: a PV domain's local APICs and ACPI tables (lapic guest: MADT,
# FADT, APIC registers and timer), per-vCPU upcall vectors through them
# (upcall_vector guest), a secondary vCPU started by INIT and SIPI
# (start_ipi guest), eight vCPUs in the MADT, an idle domain blocked.
# SKIP where the host gives PV domains no local APIC.
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

G="$top_srcdir/tests/guests"
run_pvctl run "$G/lapic/lapic.xml"
expect_rc 0
if grep -q "^SKIP: " "$TMP/out"; then
    grep -q "PV domains get no local APIC and no ACPI tables: " "$TMP/err" ||
        fail "no local APIC, and no line saying why: $(cat "$TMP/err")"
    skip "$(sed -n 's/^SKIP: //p' "$TMP/out")"
fi
expect_out "ok: enabled local APICs in the MADT -> 2"
expect_out "ok: FADT HW_REDUCED_ACPI -> 1"
expect_out "ok: APIC timer interrupts -> 2"
expect_out "SUCCESS"

run_pvctl run -q "$G/upcall_vector/upcall_vector.xml"
expect_rc 0
expect_out "ok: upcalls through the callback vector -> 0"
expect_out "ok: events received -> 4"
expect_out "SUCCESS"

# vCPU 1 started as Linux starts its CPUs: INIT and a start-up IPI.
run_pvctl run -q "$G/start_ipi/start_ipi.xml"
expect_rc 0
expect_out "ok: vCPU 1 ran the trampoline -> 0"
expect_out "ok: vCPU 1 up after the IPIs -> 1"
expect_out "SUCCESS"

# Eight vCPUs: the MADT lists each.
x=$(domain_xml lapic8 "$G/lapic/lapic.elf" 4096 cpus=8)
sed -i 's|<vcpu>1</vcpu>|<vcpu>8</vcpu>|' "$x"
run_pvctl run -q "$x"
expect_rc 0
expect_out "ok: enabled local APICs in the MADT -> 8"
expect_out "SUCCESS"

# A domain idle in `hlt`, which KVM serves itself with a local APIC, is
# listed as blocked, as xl shows it.
command -v jq >/dev/null || skip "jq is not installed (the rest passed)"
. "$top_srcdir/tests/integration/pvhvd_lib.sh"
daemon_start
pv create "$(life_xml idle "tick=5000")"
expect_rc 0
wait_field idle state blocked
pv destroy idle
expect_rc 0
daemon_stop 10
exit 0
