/* SPDX-License-Identifier: MIT */
/*
 * start_ipi.c: vCPU 1 brought up as a PC's firmware or Linux brings up a
 * secondary CPU: INIT, then a start-up IPI through vCPU 0's local APIC.
 * vCPU 1 then runs a real-mode trampoline at the vector's page that sets
 * a flag and halts; pvhv counts it up (VCPUOP_is_up). Prints "SKIP: ..."
 * and stops where the hypervisor gives no local APIC.
 */
#include "../lapic.h"

#define LAPIC_ICR_LOW 0x300
#define LAPIC_ICR_HIGH 0x310
#define ICR_INIT 0x4500    /* INIT, level assert */
#define ICR_STARTUP 0x4600 /* start-up, level assert; | vector */
#define ICR_BUSY (1u << 12)

/* A free page of the first megabyte (libpvguest allocates none there). */
#define TRAMPOLINE 0x7000UL
#define FLAG_OFFSET 0x100

/*
 * 16-bit code, at CS = TRAMPOLINE >> 4, IP 0: the flag at DS:FLAG_OFFSET,
 * then halt with interrupts off for good.
 */
static const uint8_t trampoline[] = {
    0x8c, 0xc8,                                             /* mov %cs, %ax */
    0x8e, 0xd8,                                             /* mov %ax, %ds */
    0xc6, 0x06, FLAG_OFFSET & 0xff, FLAG_OFFSET >> 8, 0x01, /* movb $1 */
    0xfa,                                                   /* 1: cli */
    0xf4,                                                   /* hlt */
    0xeb, 0xfc,                                             /* jmp 1b */
};

static void icr(uint32_t dest, uint32_t low)
{
    lapic_write(LAPIC_ICR_HIGH, dest << 24);
    lapic_write(LAPIC_ICR_LOW, low);
    while (lapic_read(LAPIC_ICR_LOW) & ICR_BUSY)
        ;
}

static int started(void *arg)
{
    (void)arg;
    return *(volatile uint8_t *)(TRAMPOLINE + FLAG_OFFSET) == 1;
}

int main(void)
{
    volatile uint8_t *page = (volatile uint8_t *)TRAMPOLINE;

    if (pvguest_rsdp() == 0) {
        puts("SKIP: no ACPI tables (hvm_start_info.rsdp_paddr is 0): this "
             "host gives PV domains no local APIC");
        return 0;
    }
    for (unsigned int i = 0; i < 4096; i++)
        page[i] = 0;
    for (unsigned int i = 0; i < sizeof(trampoline); i++)
        page[i] = trampoline[i];
    check_result("vCPU 1 up before the IPIs",
                 HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), 0);
    icr(1, ICR_INIT);
    sleep_ns(10 * NSEC_PER_MSEC);
    icr(1, ICR_STARTUP | (TRAMPOLINE >> 12));
    check_result("vCPU 1 ran the trampoline",
                 wait_until(started, NULL, monotonic_ns() + 5 * NSEC_PER_SEC),
                 0);
    check_result("vCPU 1 up after the IPIs",
                 HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), 1);
    puts("SUCCESS");
    return 0;
}
