/* SPDX-License-Identifier: MIT */
/*
 * lapic.c: the ACPI tables and the local APIC of a PVH domain: finds the
 * RSDP through hvm_start_info, walks the XSDT to the MADT (one enabled
 * local APIC per vCPU, cpus=N on the command line) and the FADT
 * (hardware-reduced), reads its APIC's ID, version and LINT0 by MMIO, and
 * takes two interrupts of the APIC timer in one-shot mode, EOIing each.
 * Prints "SKIP: ..." and stops where the hypervisor gave no tables.
 */
#include <pvabi/acpi.h>

#include "../lapic.h"

#define TIMER_VECTOR 0xd0
#define APIC_DM_EXTINT 0x700

static volatile unsigned int fired;
static volatile int in_service_then;

__attribute__((used)) static void on_timer(void)
{
    in_service_then = lapic_in_service(TIMER_VECTOR);
    fired++;
    lapic_eoi();
}
INTERRUPT_ENTRY(timer_entry, on_timer);

static uint8_t sum(const void *p, uint32_t len)
{
    const uint8_t *b = p;
    uint8_t s = 0;

    while (len--)
        s += *b++;
    return s;
}

/* table: the table at (pa), checked: signature and checksum. */
static const struct acpi_table_header *table(uint64_t pa, const char *sig)
{
    const struct acpi_table_header *h = (const void *)(uintptr_t)pa;

    if (pa == 0 || pa >= (4ULL << 30) || memcmp(h->signature, sig, 4) != 0)
        test_abort("no %s table at 0x%lx", sig, (unsigned long)pa);
    if (sum(h, h->length) != 0)
        test_abort("%s table: bad checksum", sig);
    printf("ok: %s table at 0x%lx, %u bytes\n", sig, (unsigned long)pa,
           h->length);
    return h;
}

/* find: the table with (sig) that the XSDT (x) lists. */
static const struct acpi_table_header *find(const struct acpi_table_header *x,
                                            const char *sig)
{
    unsigned int n = (x->length - sizeof(*x)) / 8;

    for (unsigned int i = 0; i < n; i++) {
        uint64_t pa;

        memcpy(&pa, (const uint8_t *)x + sizeof(*x) + i * 8, 8);
        if (memcmp(((const struct acpi_table_header *)(uintptr_t)pa)->signature,
                   sig, 4) == 0)
            return table(pa, sig);
    }
    test_abort("the XSDT lists no %s table", sig);
}

static void madt(const struct acpi_table_header *h, unsigned long cpus)
{
    const struct acpi_madt *m = (const void *)h;
    const uint8_t *p = (const uint8_t *)(m + 1),
                  *end = (const uint8_t *)h + h->length;
    unsigned long n = 0;

    check_result("MADT local APIC address", m->lapic_address, LAPIC_BASE);
    while (p + 2 <= end) {
        const struct acpi_madt_local_apic *a = (const void *)p;

        if (a->e.length < 2 || p + a->e.length > end)
            test_abort("MADT entry of length %u", a->e.length);
        if (a->e.type == ACPI_MADT_TYPE_LOCAL_APIC) {
            if (a->apic_id != n || !(a->flags & ACPI_MADT_ENABLED))
                test_abort("local APIC %lu: ID %u, flags 0x%x", n, a->apic_id,
                           a->flags);
            n++;
        }
        p += a->e.length;
    }
    check_result("enabled local APICs in the MADT", (long)n, (long)cpus);
}

static void acpi(unsigned long cpus)
{
    const struct acpi_rsdp *r = (const void *)(uintptr_t)pvguest_rsdp();
    const struct acpi_table_header *x;
    const struct acpi_fadt *f;

    if (memcmp(r->signature, ACPI_RSDP_SIGNATURE, 8) != 0)
        test_abort("no RSDP signature at 0x%lx", (unsigned long)(uintptr_t)r);
    check_result("RSDP revision", r->revision, 2);
    check_result("RSDP checksum", sum(r, 20), 0);
    check_result("RSDP extended checksum", sum(r, r->length), 0);
    x = table(r->xsdt_address, "XSDT");
    madt(find(x, "APIC"), cpus);
    f = (const void *)find(x, "FACP");
    check_result("FADT HW_REDUCED_ACPI",
                 !!(f->flags & ACPI_FADT_HW_REDUCED_ACPI), 1);
    table(f->x_dsdt, "DSDT");
}

static void registers(void)
{
    uint32_t version = lapic_read(LAPIC_VERSION);

    check_result("APIC ID of vCPU 0", lapic_read(LAPIC_ID) >> 24, 0);
    if ((version & 0xff) < 0x10 || (version & 0xff) > 0x15 ||
        ((version >> 16) & 0xff) < 3)
        test_abort("APIC version register 0x%x: not an integrated APIC",
                   version);
    printf("ok: APIC version 0x%x, %u LVT entries\n", version & 0xff,
           ((version >> 16) & 0xff) + 1);
    check_result("LINT0 (virtual wire)", lapic_read(LAPIC_LVT0),
                 APIC_DM_EXTINT);
    check_result("APIC software-enabled", (lapic_read(LAPIC_SVR) >> 8) & 1, 1);
}

static int timer_fired(void *arg)
{
    return fired >= (uintptr_t)arg;
}

/* arm: the timer, one-shot, (count) ticks of the bus clock from now. */
static void arm(uint32_t count)
{
    lapic_write(LAPIC_TIMER_DIVIDE, 0xb);       /* by 1 */
    lapic_write(LAPIC_LVT_TIMER, TIMER_VECTOR); /* one-shot, unmasked */
    lapic_write(LAPIC_TIMER_INITIAL, count);
}

/*
 * Twice: an interrupt not EOIed would stay in service and hold the
 * second back. (Whether the ISR shows it during the handler depends on
 * the host: an APIC virtualised in hardware keeps it there.)
 */
static void timer(void)
{
    idt_set_gate(TIMER_VECTOR, timer_entry);
    for (unsigned int i = 1; i <= 2; i++) {
        arm(1000000);
        check_result("wait for the APIC timer",
                     wait_until(timer_fired, (void *)(uintptr_t)i,
                                monotonic_ns() + 2 * NSEC_PER_SEC),
                     0);
        sleep_ns(5 * NSEC_PER_MSEC); /* one-shot: no second interrupt */
        check_result("APIC timer interrupts", fired, i);
        printf("ok: timer vector in the ISR in its handler: %d\n",
               in_service_then);
        check_result("timer vector in service after the EOI",
                     lapic_in_service(TIMER_VECTOR), 0);
        check_result("timer count after it fired",
                     lapic_read(LAPIC_TIMER_CURRENT), 0);
    }
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
}

int main(void)
{
    unsigned long cpus = test_option("cpus", 1);

    if (pvguest_rsdp() == 0) {
        puts("SKIP: no ACPI tables (hvm_start_info.rsdp_paddr is 0): this "
             "host gives PV domains no local APIC");
        return 0;
    }
    acpi(cpus);
    registers();
    timer();
    puts("SUCCESS");
    return 0;
}
