/* SPDX-License-Identifier: MIT */
/*
 * console_io_efault.c: a console_io write whose buffer becomes unmapped
 * after 96 KiB, more than the hypervisor serves in one piece: the valid
 * part (1536 lines) reaches the console, then the call fails with
 * -EFAULT, across the continuation.
 */

#include "../console_io_huge/alias.h"

#define VALID_PAGES 24

int main(void)
{
    static const char text[] =
        "console_io_efault: a line of the valid part of the buffer .....\n";
    char *page = page_alloc();
    unsigned long i;
    long rc;

    if (!page)
        test_abort("no page for the text");
    for (i = 0; i < PAGE; i += sizeof(text) - 1)
        memcpy(page + i, text, sizeof(text) - 1);
    alias_map(page, VALID_PAGES);
    rc = HYPERVISOR_console_io(CONSOLEIO_write, (VALID_PAGES + 1) * PAGE,
                               (const char *)ALIAS_BASE);
    check_result("console_io(write, 96 KiB valid, then unmapped)", rc,
                 -XEN_EFAULT);
    puts("SUCCESS");
    return 0;
}
