/* SPDX-License-Identifier: MIT */
/*
 * hvm_console.c: console output for pvbench --compare, as an hvm guest.
 * With n=0 (the default) it writes the boot marker port (0xea) on entry
 * and prints its verdict on COM1: the boot workload. With n=N it writes
 * the marker, writes N bytes (a multiple of 64, lines of 64) to the 16550
 * by polled THR writes (one LSR read and one THR write a byte) and writes
 * the marker again. With hold=1 it halts for good after its verdict
 * instead of leaving through isa-debug-exit (0xf4), so that a host (pvbench
 * under QEMU) reads the vCPU's counters while nothing runs. bench_console
 * is its PV twin.
 */
#include <stddef.h>
#include <stdint.h>

#include <pvabi/pvhv.h>
#include <pvabi/start_info.h>

#include "../ide_pio/com1.h"

#define DEBUG_EXIT_PORT 0xf4
#define LINE 64

int hvm_main(uint32_t start_info);
void hvm_exit(int code);

void hvm_exit(int code)
{
    com1_outb(DEBUG_EXIT_PORT, (uint8_t)code);
}

/* The number after " (key)=" or a leading one in (cmdline), or (dflt). */
static unsigned long option(const char *cmdline, const char *key,
                            unsigned long dflt)
{
    size_t len = 0;

    while (key[len])
        len++;
    for (const char *p = cmdline; p && *p; p++) {
        unsigned long v = 0;
        size_t i = 0;

        if (p != cmdline && p[-1] != ' ')
            continue;
        while (i < len && p[i] == key[i])
            i++;
        if (i < len || p[len] != '=')
            continue;
        for (p += len + 1; *p >= '0' && *p <= '9'; p++)
            v = v * 10 + (unsigned long)(*p - '0');
        return v;
    }
    return dflt;
}

int hvm_main(uint32_t start_info)
{
    const struct hvm_start_info *si =
        (const struct hvm_start_info *)(uintptr_t)start_info;
    const char *cmdline = NULL;
    unsigned long n;

    if (si->magic == XEN_HVM_START_MAGIC_VALUE && si->cmdline_paddr)
        cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
    n = option(cmdline, "n", 0);
    if (n == 0)
        com1_outb(PVHV_BOOT_MARKER_PORT, 1);
    com1_init();
    if (n % LINE) {
        com1_puts("ABORT: n is not a whole number of 64-byte lines\n");
        return 1;
    }
    if (n > 0) {
        com1_outb(PVHV_BOOT_MARKER_PORT, 2);
        for (unsigned long i = 0; i < n; i++)
            com1_putc(i % LINE == LINE - 1 ? '\n'
                                           : (char)('a' + i % LINE % 26));
        com1_outb(PVHV_BOOT_MARKER_PORT, 3);
    }
    com1_puts("SUCCESS\n");
    if (option(cmdline, "hold", 0))
        for (;;)
            __asm__ volatile("cli; hlt" : : : "memory");
    return 0;
}
