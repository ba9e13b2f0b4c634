/* SPDX-License-Identifier: MIT */
/* internal.h: what libpvguest's files call in each other, by file. */
#ifndef PVGUEST_INTERNAL_H
#define PVGUEST_INTERNAL_H

#include <pvguest/pvguest.h>

#define NORETURN __attribute__((noreturn))

/* arch/x86_64/trap_entry.S: one 16-byte stub per exception vector. */
#define TRAP_STUB_SIZE 16
#define TRAP_NR_EXCEPTIONS 32
extern char trap_stubs[];

/* arch/x86_64/traps.c: IDT, exception reports. */
int traps_init(void);
/* Loads an empty IDT and raises #UD: a triple fault, the last way out. */
void arch_triple_fault(void) NORETURN;

/* hypercall.c: Xen CPUID leaves and the hypercall page. */
int hypercall_init(void);

/* console.c: console output; console_init() moves it to console_io. */
int console_init(void);
/* Writes (s) to the debug port only: usable from any state. */
void console_early_puts(const char *s);

/* printf.c: the formatter behind printf and snprintf. */
struct fmt_sink {
    char *buf;        /* where characters go */
    size_t size;      /* bytes in buf */
    size_t pos;       /* next free byte in buf */
    size_t total;     /* characters produced so far, written or not */
    /* Empties a full buffer (printf); NULL: drop what does not fit. */
    void (*flush)(struct fmt_sink *sink);
};
void fmt_format(struct fmt_sink *sink, const char *fmt, va_list ap);

/* start.c: boot order, start info. */
void pvguest_start(uint64_t start_info_paddr) NORETURN;

/* shutdown.c: ending the domain. */
void shutdown_domain(unsigned int reason) NORETURN;

#endif /* PVGUEST_INTERNAL_H */
