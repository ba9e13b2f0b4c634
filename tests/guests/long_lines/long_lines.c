/* SPDX-License-Identifier: MIT */
/*
 * long_lines.c: writes lines=N (default 12) lines of len=L (default
 * 6000) copies of char=C (a letter; default 'a'), each with one
 * console_io (to the hypervisor's log, which cuts it into lines of 255)
 * and followed by a refused hypercall (a hypervisor warning), so that
 * another domain doing the same shows whether the log keeps lines whole.
 */

#include "../testguest.h"

#define UNMAPPED (1UL << 40)
#define LEN_MAX 8192

static char line[LEN_MAX + 1];

int main(void)
{
    unsigned long lines = test_option("lines", 12);
    unsigned long len = test_option("len", 6000);
    char c[8] = "a";
    unsigned long i;

    if (pvguest_cmdline_get("char", c, sizeof(c)) < 0 || c[0] < 'a' ||
        c[0] > 'z')
        c[0] = 'a';
    if (len > LEN_MAX)
        test_abort("len=%lu: at most %d", len, LEN_MAX);
    memset(line, c[0], len);
    line[len] = '\n';
    for (i = 0; i < lines; i++) {
        HYPERVISOR_console_io(CONSOLEIO_write, (int)len + 1, line);
        HYPERVISOR_console_io(CONSOLEIO_write, 16, (char *)UNMAPPED);
    }
    printf("long_lines: %lu lines of %lu '%c'\n", lines, len, c[0]);
    puts("SUCCESS");
    return 0;
}
