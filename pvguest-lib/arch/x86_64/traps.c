/* SPDX-License-Identifier: MIT */
/* traps.c: the IDT, and reports of CPU exceptions, which crash the domain. */

#include "../../internal.h"
#include "arch.h"

/* What trap_entry.S leaves on the stack, lowest address first. */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/* A 64-bit interrupt gate. */
struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type; /* present, DPL 0, 64-bit interrupt gate: 0x8e */
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));

struct desc_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

#define GATE_INTERRUPT 0x8e

/*
 * All 256 vectors: the exceptions, then not-present gates (a stray
 * interrupt raises #NP, reported like any exception) except those that
 * traps_set_gate() fills, such as the event callback vector.
 */
#define IDT_NR_VECTORS 256
static struct idt_gate idt[IDT_NR_VECTORS] __attribute__((aligned(16)));

/* Set in entry.S: limit 0, so that every vector is invalid. */
extern const struct desc_ptr empty_idt_desc;

void trap_handler(struct trap_frame *frame);

static const char *const exception_names[TRAP_NR_EXCEPTIONS] = {
    "DE", "DB", "NMI", "BP", "OF", "BR", "UD", "NM", "DF", "CSO", "TS",
    "NP", "SS", "GP",  "PF", "15", "MF", "AC", "MC", "XM", "VE",  "CP",
    "22", "23", "24",  "25", "26", "27", "HV", "VC", "SX", "31",
};

void traps_set_gate(unsigned int vector, const void *entry)
{
    uint64_t addr = (uint64_t)(uintptr_t)entry;
    struct idt_gate *g = &idt[vector % IDT_NR_VECTORS];

    g->offset_low = addr & 0xffff;
    g->selector = GDT_CODE64;
    g->ist = 0;
    g->offset_mid = (addr >> 16) & 0xffff;
    g->offset_high = addr >> 32;
    g->reserved = 0;
    /* Present last, so a half-written gate is never used. */
    __asm__ volatile("" : : : "memory");
    g->type = GATE_INTERRUPT;
}

void traps_load_idt(void)
{
    struct desc_ptr desc;

    desc.limit = sizeof(idt) - 1;
    desc.base = (uint64_t)(uintptr_t)idt;
    __asm__ volatile("lidt %0" : : "m"(desc));
}

int traps_init(void)
{
    unsigned int vec;

    for (vec = 0; vec < TRAP_NR_EXCEPTIONS; vec++)
        traps_set_gate(vec, trap_stubs + vec * TRAP_STUB_SIZE);
    traps_load_idt();
    return 0;
}

void arch_triple_fault(void)
{
    /*
     * With an IDT of limit 0 the #UD cannot be delivered (#GP), nor can
     * the #GP (#DF), nor the #DF: the CPU shuts down, which the
     * hypervisor reports as a crash of this domain. ud2 rather than int3:
     * the development machines' KVM emulates guest instructions at first
     * and cannot emulate a software interrupt in long mode.
     */
    __asm__ volatile("lidt %0; ud2" : : "m"(empty_idt_desc));
    for (;;)
        __asm__ volatile("hlt");
}

static uint64_t read_cr2(void)
{
    uint64_t cr2;

    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    return cr2;
}

static void report_page_fault(const struct trap_frame *f)
{
    uint64_t err = f->error;
    const char *access, *cause;

    if (err & PF_FETCH)
        access = "exec";
    else if (err & PF_WRITE)
        access = "write";
    else
        access = "read";
    if (err & PF_RESERVED)
        cause = "reserved bit set";
    else if (err & PF_PRESENT)
        cause = "protection violation";
    else
        cause = "not present";
    printf("pvguest: page fault at 0x%lx (%s, %s), rip 0x%lx\n",
           (unsigned long)read_cr2(), access, cause, (unsigned long)f->rip);
}

static void report_exception(const struct trap_frame *f)
{
    printf("pvguest: exception #%s (%lu), error 0x%lx, rip 0x%lx\n",
           exception_names[f->vector % TRAP_NR_EXCEPTIONS],
           (unsigned long)f->vector, (unsigned long)f->error,
           (unsigned long)f->rip);
}

static void dump_registers(const struct trap_frame *f)
{
    printf("pvguest: rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", f->rax,
           f->rbx, f->rcx, f->rdx);
    printf("pvguest: rsi %016lx rdi %016lx rbp %016lx rsp %016lx\n", f->rsi,
           f->rdi, f->rbp, f->rsp);
    printf("pvguest: r8  %016lx r9  %016lx r10 %016lx r11 %016lx\n", f->r8,
           f->r9, f->r10, f->r11);
    printf("pvguest: r12 %016lx r13 %016lx r14 %016lx r15 %016lx\n", f->r12,
           f->r13, f->r14, f->r15);
    printf("pvguest: cs %lx ss %lx rflags %lx\n", f->cs, f->ss, f->rflags);
}

/*
 * Called by trap_common for every exception. None is recoverable in
 * libpvguest: report it and crash the domain.
 */
void trap_handler(struct trap_frame *frame)
{
    static int in_handler;

    /* A fault while reporting one: printing again could loop forever. */
    if (in_handler++) {
        console_early_puts("pvguest: exception in the exception handler\n");
        arch_triple_fault();
    }
    if (frame->vector == VEC_PF)
        report_page_fault(frame);
    else
        report_exception(frame);
    dump_registers(frame);
    shutdown_domain(SHUTDOWN_crash);
}
