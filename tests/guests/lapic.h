/* SPDX-License-Identifier: MIT */
/* lapic.h: the local APIC and interrupt gates, for the guests that test them
 * (lapic, upcall_vector). */
#ifndef PVHV_TESTS_GUESTS_LAPIC_H
#define PVHV_TESTS_GUESTS_LAPIC_H

#include "testguest.h"

/* Local APIC registers, by MMIO from its default base. */
#define LAPIC_BASE 0xfee00000UL
#define LAPIC_ID 0x20
#define LAPIC_VERSION 0x30
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_ISR 0x100 /* 8 registers, 0x10 apart */
#define LAPIC_IRR 0x200
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT0 0x350
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0
#define LAPIC_LVT_MASKED (1u << 16)

static inline uint32_t lapic_read(unsigned int reg)
{
    return *(volatile uint32_t *)(LAPIC_BASE + reg);
}

static inline void lapic_write(unsigned int reg, uint32_t value)
{
    *(volatile uint32_t *)(LAPIC_BASE + reg) = value;
}

static inline void lapic_eoi(void)
{
    lapic_write(LAPIC_EOI, 0);
}

/* lapic_in_service: whether (vector)'s bit is set in the ISR. */
static inline int lapic_in_service(unsigned int vector)
{
    return (lapic_read(LAPIC_ISR + (vector / 32) * 0x10) >> (vector % 32)) & 1;
}

/*
 * idt_set_gate: an interrupt gate for (vector) to (entry) in the IDT that
 * libpvguest loaded (its gates beyond the exceptions are not present).
 */
static inline void idt_set_gate(unsigned int vector, void (*entry)(void))
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr;
    uint64_t a = (uint64_t)(uintptr_t)entry;
    uint16_t cs;
    volatile uint32_t *g;

    __asm__ volatile("sidt %0" : "=m"(idtr));
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    if (idtr.limit < vector * 16 + 15)
        test_abort("IDT limit %u: no gate %u", idtr.limit, vector);
    g = (volatile uint32_t *)(uintptr_t)(idtr.base + vector * 16);
    g[0] = (uint32_t)(a & 0xffff) | (uint32_t)cs << 16;
    g[1] = (uint32_t)(a & 0xffff0000) | 0x8e00; /* present, interrupt */
    g[2] = (uint32_t)(a >> 32);
    g[3] = 0;
}

/*
 * INTERRUPT_ENTRY(name, handler): an entry point (name) that saves the
 * registers the C ABI lets (handler) clobber, calls it and returns with
 * iretq. The CPU pushed 5 words on a 16-byte boundary; 9 more align the
 * call.
 */
#define INTERRUPT_ENTRY(name, handler)                                         \
    void name(void);                                                           \
    __asm__(".text\n.globl " #name "\n.balign 16\n" #name ":\n"                \
            "pushq %rax\npushq %rcx\npushq %rdx\npushq %rsi\npushq %rdi\n"     \
            "pushq %r8\npushq %r9\npushq %r10\npushq %r11\ncld\n"              \
            "call " #handler "\n"                                              \
            "popq %r11\npopq %r10\npopq %r9\npopq %r8\npopq %rdi\n"            \
            "popq %rsi\npopq %rdx\npopq %rcx\npopq %rax\niretq\n")

#endif /* PVHV_TESTS_GUESTS_LAPIC_H */
