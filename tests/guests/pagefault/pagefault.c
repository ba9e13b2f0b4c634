/* SPDX-License-Identifier: MIT */
/* pagefault.c: a write above 4 GiB must page-fault and crash the domain. */

#include "../testguest.h"

#define TARGET 0x400000000UL /* libpvguest maps the first 4 GiB only */

int main(void)
{
    printf("pagefault: writing to 0x%lx\n", TARGET);
    *(volatile uint64_t *)TARGET = 0x1234;
    /* Not reached: the trap handler reports the fault and crashes. */
    test_abort("the write to 0x%lx did not fault", TARGET);
}
