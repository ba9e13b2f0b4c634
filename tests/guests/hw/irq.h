/* SPDX-License-Identifier: MIT */
/*
 * irq.h: interrupts for guests on emulated hardware: an IDT, the two
 * 8259s masked, the LAPIC on, ISA lines routed through the I/O APIC to
 * LAPIC 0. The guest writes its own entry stubs (the vector's work is
 * its own) and points gates at them. Header only, one set per guest.
 */
#ifndef PVHV_TESTS_GUESTS_HW_IRQ_H
#define PVHV_TESTS_GUESTS_HW_IRQ_H

#include <stdint.h>

#include "com1.h"

#define LAPIC_BASE 0xfee00000u
#define LAPIC_ID 0x020
#define LAPIC_TPR 0x080
#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_TMICT 0x380
#define LAPIC_TMCCT 0x390
#define LAPIC_TDCR 0x3e0
#define LVT_MASKED 0x10000u
#define IOAPIC_BASE 0xfec00000u

struct hw_gate {
    uint16_t off0, sel;
    uint8_t ist, type;
    uint16_t off1;
    uint32_t off2, zero;
} __attribute__((packed));

static struct hw_gate hw_idt[256] __attribute__((aligned(16)));
/* Page directory of the 4th GiB: the I/O APIC's and LAPIC's 2 MiB pages. */
static uint64_t hw_io_pd[512] __attribute__((aligned(4096)));

static inline uint32_t mmio_read(uint32_t a)
{
    return *(volatile uint32_t *)(uintptr_t)a;
}

static inline void mmio_write(uint32_t a, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)a = v;
}

static inline void hw_lapic_eoi(void)
{
    mmio_write(LAPIC_BASE + LAPIC_EOI, 0);
}

/* hw_set_gate: vector (vec) runs (fn), an interrupt gate. */
static inline void hw_set_gate(unsigned int vec, const void *fn)
{
    uint64_t a = (uint64_t)(uintptr_t)fn;

    hw_idt[vec] = (struct hw_gate){.off0 = (uint16_t)a,
                                   .sel = 0x08, /* hvm_entry.S's code */
                                   .type = 0x8e,
                                   .off1 = (uint16_t)(a >> 16),
                                   .off2 = (uint32_t)(a >> 32)};
}

/* hw_map_apics: the 4th GiB's two 2 MiB pages of the APICs, uncached. */
static inline void hw_map_apics(void)
{
    uint64_t cr3, *pml4, *pdpt;

    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    pml4 = (uint64_t *)(uintptr_t)(cr3 & ~0xfffull);
    pdpt = (uint64_t *)(uintptr_t)(pml4[0] & ~0xfffull);
    /* present, writable, user (as hvm_entry.S), PWT, PCD, 2 MiB */
    hw_io_pd[(IOAPIC_BASE >> 21) & 511] = IOAPIC_BASE | 0x9f;
    hw_io_pd[(LAPIC_BASE >> 21) & 511] = LAPIC_BASE | 0x9f;
    pdpt[3] = (uint64_t)(uintptr_t)hw_io_pd | 0x7;
    __asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
}

/* hw_pic_mask: both 8259s initialised (vectors 0x20-0x2f) and masked. */
static inline void hw_pic_mask(void)
{
    static const uint8_t icw[2][3] = {{0x20, 0x04, 0x01}, {0x28, 0x02, 0x01}};

    for (int i = 0; i < 2; i++) {
        uint16_t port = i ? 0xa0 : 0x20;

        com1_outb(port, 0x11);
        for (int k = 0; k < 3; k++)
            com1_outb((uint16_t)(port + 1), icw[i][k]);
        com1_outb((uint16_t)(port + 1), 0xff);
    }
}

/* hw_ioapic_route: ISA line (pin) to (vec) on LAPIC 0: edge, active high. */
static inline void hw_ioapic_route(unsigned int pin, uint8_t vec)
{
    mmio_write(IOAPIC_BASE, 0x10 + 2 * pin + 1);
    mmio_write(IOAPIC_BASE + 0x10, 0); /* destination: APIC ID 0 */
    mmio_write(IOAPIC_BASE, 0x10 + 2 * pin);
    mmio_write(IOAPIC_BASE + 0x10, vec);
}

/*
 * hw_irq_setup: the IDT loaded (its gates set before or after), the APICs
 * mapped, the 8259s masked, the LAPIC on with (spurious) its spurious
 * vector, accepting every priority, LINT0 and LINT1 masked.
 */
static inline void hw_irq_setup(uint8_t spurious)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) desc = {sizeof(hw_idt) - 1, (uintptr_t)hw_idt};

    __asm__ volatile("lidt %0" : : "m"(desc));
    hw_map_apics();
    hw_pic_mask();
    mmio_write(LAPIC_BASE + LAPIC_SVR, 0x100u | spurious);
    mmio_write(LAPIC_BASE + LAPIC_TPR, 0);
    mmio_write(LAPIC_BASE + LAPIC_LVT_LINT0, LVT_MASKED);
    mmio_write(LAPIC_BASE + LAPIC_LVT_LINT1, LVT_MASKED);
}

#endif /* PVHV_TESTS_GUESTS_HW_IRQ_H */
