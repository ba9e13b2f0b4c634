/* SPDX-License-Identifier: MIT */
/* mptable.c: an hvm domain's Intel MP tables, at 0xf0000. */
#include <errno.h>
#include <string.h>

#include "core/domain.h"
#include "core/guest_memory.h"
#include "emulated/mptable.h"

#define MP_SPEC_REV 4 /* 1.4 */
#define LAPIC_VERSION 0x14
#define IOAPIC_VERSION 0x11
#define CPU_SIGNATURE 0x600 /* family 6 */
#define CPU_FEATURES 0x201  /* FPU, APIC */

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

/* checksum: the byte that makes (len) bytes from (p) sum to 0. */
static uint8_t checksum(const uint8_t *p, size_t len)
{
    uint8_t sum = 0;

    while (len--)
        sum = (uint8_t)(sum + *p++);
    return (uint8_t)-sum;
}

static uint8_t *entry8(uint8_t *p, const uint8_t e[MP_OTHER_SIZE])
{
    memcpy(p, e, MP_OTHER_SIZE);
    return p + MP_OTHER_SIZE;
}

/* The entries after the header; how many in (*count). */
static uint8_t *entries(uint8_t *p, unsigned int nr_cpus, uint16_t *count)
{
    const uint8_t ioapic = (uint8_t)nr_cpus;

    for (unsigned int i = 0; i < nr_cpus; i++, p += MP_CPU_SIZE) {
        memset(p, 0, MP_CPU_SIZE);
        p[0] = MP_ENTRY_CPU;
        p[1] = (uint8_t)i; /* LAPIC id */
        p[2] = LAPIC_VERSION;
        p[3] = MP_CPU_EN | (i == 0 ? MP_CPU_BP : 0);
        put32(p + 4, CPU_SIGNATURE);
        put32(p + 8, CPU_FEATURES);
    }
    p = entry8(
        p, (const uint8_t[]){MP_ENTRY_BUS, 0, 'I', 'S', 'A', ' ', ' ', ' '});
    p = entry8(p, (const uint8_t[]){MP_ENTRY_IOAPIC, ioapic, IOAPIC_VERSION,
                                    1 /* usable */, 0, 0, 0, 0});
    put32(p - 4, MPTABLE_IOAPIC);
    *count = (uint16_t)(nr_cpus + 2);
    /*
     * Type, kind, flags (2 bytes; 0: polarity and trigger as the ISA bus
     * has them, edge and active high), bus, its IRQ, I/O APIC, its pin.
     */
    for (uint8_t irq = 0; irq < MPTABLE_ISA_IRQS; irq++) {
        if (irq == 2)
            continue;
        p = entry8(p, (const uint8_t[]){MP_ENTRY_IOINT, MP_INT, 0, 0, 0, irq,
                                        ioapic, irq});
        (*count)++;
    }
    /* The same for the LAPICs: every one (0xff), LINT0 and LINT1. */
    p = entry8(
        p, (const uint8_t[]){MP_ENTRY_LINT, MP_EXTINT, 0, 0, 0, 0, 0xff, 0});
    p = entry8(p,
               (const uint8_t[]){MP_ENTRY_LINT, MP_NMI, 0, 0, 0, 0, 0xff, 1});
    *count += 2;
    return p;
}

/* table_size: the bytes of the floating pointer and table for (nr_cpus). */
static size_t table_size(unsigned int nr_cpus)
{
    return MP_FLOATING_SIZE + MP_HEADER_SIZE + nr_cpus * MP_CPU_SIZE +
           (2 + (MPTABLE_ISA_IRQS - 1) + 2) * MP_OTHER_SIZE;
}

long mptable_build(uint8_t *buf, size_t len, uint64_t gpa, unsigned int nr_cpus)
{
    size_t size = table_size(nr_cpus);
    uint8_t *mpf = buf, *hdr = buf + MP_FLOATING_SIZE, *end;
    uint16_t count;

    if (nr_cpus == 0 || nr_cpus > MPTABLE_MAX_CPUS || gpa % 16 ||
        gpa + size > 0x100000000ULL)
        return -EINVAL;
    if (len < size)
        return -ENOSPC;
    memset(buf, 0, size);
    memcpy(mpf, "_MP_", 4);
    put32(mpf + 4, (uint32_t)gpa + MP_FLOATING_SIZE);
    mpf[8] = 1; /* length in 16-byte units */
    mpf[9] = MP_SPEC_REV;
    /* Feature bytes 0: a configuration table is there; no IMCR (virtual
     * wire mode, the PIC reaching LINT0). */
    mpf[10] = checksum(mpf, MP_FLOATING_SIZE);

    end = entries(hdr + MP_HEADER_SIZE, nr_cpus, &count);
    memcpy(hdr, "PCMP", 4);
    put16(hdr + 4, (uint16_t)(end - hdr));
    hdr[6] = MP_SPEC_REV;
    memcpy(hdr + 8, "PVHV    ", 8);
    memcpy(hdr + 16, "HVM PC      ", 12);
    put16(hdr + 34, count);
    put32(hdr + 36, MPTABLE_LAPIC);
    hdr[7] = checksum(hdr, (size_t)(end - hdr));
    return (long)size;
}

int mptable_write(struct domain *d)
{
    size_t size = table_size(d->nr_vcpus);
    uint8_t *p = guest_ram_data(&d->ram, MPTABLE_GPA, size);

    for (size_t i = 0; p && i < size; i++)
        if (p[i])
            p = NULL;
    if (!p) {
        domain_note(d, "no MP tables: guest-physical 0x%x is not free RAM",
                    MPTABLE_GPA);
        return -ENOSPC;
    }
    return mptable_build(p, size, MPTABLE_GPA, d->nr_vcpus) < 0 ? -EINVAL : 0;
}
