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

#include "../hw/hw.h"

#define LINE 64

int hvm_main(uint32_t start_info);
void hvm_exit(int code);

void hvm_exit(int code)
{
    hw_exit_to(code);
}

int hvm_main(uint32_t start_info)
{
    const char *cmdline = hw_cmdline(start_info);
    unsigned long n;

    n = hw_option(cmdline, "n", 0);
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
    if (hw_option(cmdline, "hold", 0))
        for (;;)
            __asm__ volatile("cli; hlt" : : : "memory");
    return 0;
}
