/* SPDX-License-Identifier: MIT */
/* bigbss.c: a 16 MiB .bss; the hypervisor must refuse it too little memory. */

#include "../testguest.h"

#define BIG_SIZE (16UL << 20)
#define PAGE 4096UL

static uint8_t big[BIG_SIZE];

int main(void)
{
    unsigned long i;

    /* .bss starts zeroed: check a byte per page, then write and read back. */
    for (i = 0; i < BIG_SIZE; i += PAGE)
        if (big[i] != 0)
            test_abort("big[%lu] is %u, not 0", i, big[i]);
    for (i = 0; i < BIG_SIZE; i += PAGE)
        big[i] = (uint8_t)(i / PAGE);
    big[BIG_SIZE - 1] = 0xa5;
    for (i = 0; i < BIG_SIZE; i += PAGE)
        if (big[i] != (uint8_t)(i / PAGE))
            test_abort("big[%lu] reads %u", i, big[i]);
    if (big[BIG_SIZE - 1] != 0xa5)
        test_abort("last byte of big reads %u", big[BIG_SIZE - 1]);
    printf("bigbss: %lu KiB at %p touched\n", BIG_SIZE >> 10, (void *)big);
    puts("SUCCESS");
    return 0;
}
