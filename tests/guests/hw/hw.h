/* SPDX-License-Identifier: MIT */
/*
 * hw.h: what every guest on emulated hardware uses beside its drivers
 * (com1.h, ata_pio.h, doorbell.h, irq.h): its command line, its verdict
 * on COM1, the TSC, an idle wait and its end through isa-debug-exit.
 * Header only: each guest is one C file and hw/hvm_entry.S.
 */
#ifndef PVHV_TESTS_GUESTS_HW_HW_H
#define PVHV_TESTS_GUESTS_HW_HW_H

#include <stddef.h>
#include <stdint.h>

#include <pvabi/start_info.h>

#include "com1.h"

#define HW_DEBUG_EXIT_PORT 0xf4

/* hw_cmdline: the command line of the PVH start info at (start_info), or
 * NULL when there is none. */
static inline const char *hw_cmdline(uint32_t start_info)
{
    const struct hvm_start_info *si =
        (const struct hvm_start_info *)(uintptr_t)start_info;

    if (!si || si->magic != XEN_HVM_START_MAGIC_VALUE || !si->cmdline_paddr)
        return NULL;
    return (const char *)(uintptr_t)si->cmdline_paddr;
}

/* hw_word: where (key) starts a word of (cmdline), past it, else NULL. */
static inline const char *hw_word(const char *cmdline, const char *key)
{
    for (const char *p = cmdline; p && *p; p++) {
        const char *k = key, *q = p;

        if (p != cmdline && p[-1] != ' ')
            continue;
        while (*k && *q == *k)
            k++, q++;
        if (!*k)
            return q;
    }
    return NULL;
}

/* hw_option: the decimal number after "(key)=" in (cmdline), else
 * (dflt). */
static inline unsigned long hw_option(const char *cmdline, const char *key,
                                      unsigned long dflt)
{
    for (const char *p = cmdline; p && *p; p++) {
        const char *k = key, *q = p;
        unsigned long v = 0;

        if (p != cmdline && p[-1] != ' ')
            continue;
        while (*k && *q == *k)
            k++, q++;
        if (*k || *q != '=' || q[1] < '0' || q[1] > '9')
            continue;
        for (q++; *q >= '0' && *q <= '9'; q++)
            v = v * 10 + (unsigned long)(*q - '0');
        return v;
    }
    return dflt;
}

static inline void hw_put_dec(uint64_t v)
{
    char d[24], *p = d + sizeof(d) - 1;

    *p = '\0';
    do
        *--p = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    com1_puts(p);
}

/* hw_fail: "ABORT: (why)" on COM1; returns 1, for hvm_main to return. */
static inline int hw_fail(const char *why)
{
    com1_puts("ABORT: ");
    com1_puts(why);
    com1_puts("\n");
    return 1;
}

static inline uint64_t hw_rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* hw_sleep: `sti; hlt` (the STI shadow covers the HLT: nothing is
 * missed), interrupts off again after. */
static inline void hw_sleep(void)
{
    __asm__ volatile("sti; hlt; cli" : : : "memory");
}

/* hw_exit_to: isa-debug-exit: 0 powers off, anything else is a crash (as
 * under QEMU). For a guest's hvm_exit. */
static inline void hw_exit_to(int code)
{
    com1_outb(HW_DEBUG_EXIT_PORT, (uint8_t)code);
}

#endif /* PVHV_TESTS_GUESTS_HW_HW_H */
