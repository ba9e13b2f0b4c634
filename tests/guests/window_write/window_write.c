/* SPDX-License-Identifier: MIT */
/*
 * window_write.c: the grant window reads as zeros where nothing is mapped;
 * writing it must not cost the host memory: the first write crashes this
 * domain (and only it), with a message naming the address. A guest that
 * gets through writing all of it says ABORT.
 */

#include "../testguest.h"

#define WINDOW_PAGES (PVHV_GRANT_WINDOW_SIZE >> XEN_PAGE_SHIFT)

int main(void)
{
    volatile uint8_t *w = (volatile uint8_t *)PVHV_GRANT_WINDOW_BASE;

    for (unsigned long i = 0; i < WINDOW_PAGES; i += 1024)
        if (w[i * XEN_PAGE_SIZE] != 0)
            test_abort("window page %lu does not read as zero", i);
    printf("window_write: the window reads as zeros; writing 0x%lx\n",
           (unsigned long)PVHV_GRANT_WINDOW_BASE);
    for (unsigned long i = 0; i < WINDOW_PAGES; i++)
        w[i * XEN_PAGE_SIZE] = 1;
    test_abort("wrote all %lu pages of the grant window",
               (unsigned long)WINDOW_PAGES);
}
