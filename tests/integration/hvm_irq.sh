#!/bin/sh
# SPDX-License-Identifier: MIT
# hvm_irq.sh: an hvm domain's interrupt controllers (KVM's PIC, I/O APIC,
# LAPIC and PIT) deliver: the hvm_irq guest's one-shot LAPIC timer fires
# once (vector 0x40) after its count ran down, and a READ SECTORS on its
# ATA disk raises IRQ 14 through the I/O APIC (vector 0x3e) once, while
# the same read with nIEN set raises nothing, and a READ DMA raises it
# at completion; the data read is the image's; the CMOS RTC reads today's date; the MP tables and the ACPI MADT (found by the BIOS-area scan and by rsdp_paddr) name one CPU,
# the I/O APIC and the ISA interrupts (two CPUs below). A PV domain beside it runs as before (no irqchip: its events
# come as always). UART IRQ 4 is tested with console input by
# check_lifecycle (test_hvm_uart_irq).
. "$top_srcdir/tests/integration/lib.sh"
skip_unless_kvm

printf 'IRQDISK0' | dd of="$TMP/d.img" bs=512 count=1 conv=sync 2>/dev/null
printf 'POLLED-1' | dd of="$TMP/d.img" bs=512 seek=1 count=1 conv=sync 2>/dev/null
truncate -s 1M "$TMP/d.img"

irq=$(domain_xml irq "$GUESTS/hvm_irq/hvm_irq.elf" 4096 "timer=1 ata=1 rtc=1 mp=1 acpi=1" destroy \
    "<devices>$(disk_of "$TMP/d.img" hda)</devices>")
sed -i "s|<type arch='x86_64' machine='xenpvh'>xenpvh</type>|<type arch='x86_64' machine='pc'>hvm</type>|" "$irq"
timer=$(domain_xml timer "$GUESTS/timer/timer.elf" 4096)

run_pvctl run "$irq" "$timer"
expect_rc 0
expect_out "irq| hvm_irq: LAPIC id 0 enabled"
expect_out "irq| hvm_irq: timer vector 0x40 fired 1 time(s), count 2000000 read "
grep -E "irq\| hvm_irq: timer .* read [0-9]+ then 0, [1-9][0-9]* TSC cycles" "$TMP/out" >/dev/null ||
    fail "the timer line lacks its counts: $(cat "$TMP/out")"
expect_out "irq| hvm_irq: ata irq 14 (vector 0x3e) 1 time(s), status 00000058 then polled 00000058"
expect_out "irq| hvm_irq: sector 0 says IRQDISK0"
expect_out "irq| hvm_irq: sector 1 says POLLED-1"
expect_out "irq| hvm_irq: ata DMA irq 14: 2 time(s), bus master 00000004, status 00000050, sector 1 says POLLED-1"
# The CMOS RTC's date is the host's (UTC; unless the day turned meanwhile).
day=$(date -u +%Y-%m-%d)
grep -qF "irq| hvm_irq: rtc $day, register D 128" "$TMP/out" ||
    [ "$(date -u +%Y-%m-%d)" != "$day" ] ||
    fail "no RTC date $day: $(cat "$TMP/out")"
expect_out "irq| hvm_irq: MP table at 000f0000: 1 CPU(s), I/O APIC id 1 at fec00000, 15 ISA interrupts, IRQ 14 on pin 14"
expect_out "irq| hvm_irq: ACPI RSDP at 000e0000, MADT: 1 local APIC(s), I/O APIC at fec00000, 8259s"
expect_out "irq| SUCCESS"
! grep -q "spurious" "$TMP/out" || fail "spurious interrupts: $(cat "$TMP/out")"
expect_err "irq (id 1): poweroff"
expect_out "timer| ok: VIRQ_TIMER fired on port"
expect_out "timer| SUCCESS"
expect_err "timer (id 2): poweroff"

# Two vCPUs: two processor entries; the I/O APIC's id follows them.
sed -e "s|<vcpu>1</vcpu>|<vcpu>2</vcpu>|" -e "s|timer=1 ata=1 rtc=1 mp=1 acpi=1|mp=1 acpi=1|" "$irq" >"$TMP/irq2.xml"
run_pvctl run "$TMP/irq2.xml"
expect_rc 0
expect_out "hvm_irq: MP table at 000f0000: 2 CPU(s), I/O APIC id 2 at fec00000, 15 ISA interrupts, IRQ 14 on pin 14"
expect_out "hvm_irq: ACPI RSDP at 000e0000, MADT: 2 local APIC(s), I/O APIC at fec00000, 8259s"
exit 0
