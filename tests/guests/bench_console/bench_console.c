/* SPDX-License-Identifier: MIT */
/*
 * bench_console.c: console output for pvbench --compare, as a PV guest.
 * With n=0 (the default) it boots, writes the boot marker port (0xea)
 * first thing in main and prints its verdict: the boot workload. With
 * n=N it writes the marker, prints N bytes (a multiple of 64) through
 * printf in lines of 64 (one console ring write, one notify, a line) and
 * writes the marker again: the host times the bytes and counts their
 * exits between the two writes. hvm_console is its hvm twin.
 */

#include <pvabi/pvhv.h>

#include "../testguest.h"

#define LINE 64

static void marker(uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(PVHV_BOOT_MARKER_PORT));
}

int main(void)
{
    static char line[LINE + 1];
    unsigned long n = test_option("n", 0), i;

    if (n == 0)
        marker(1);
    for (i = 0; i < LINE - 1; i++)
        line[i] = (char)('a' + i % 26);
    line[LINE - 1] = '\n';
    if (n % LINE)
        test_abort("n=%lu is not a whole number of %d-byte lines", n, LINE);
    if (n > 0) {
        marker(2);
        for (i = 0; i < n; i += LINE)
            printf("%s", line);
        marker(3);
    }
    puts("SUCCESS");
    return 0;
}
