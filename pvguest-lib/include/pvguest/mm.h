/* SPDX-License-Identifier: MIT */
/* mm.h: whole pages of guest RAM, for rings, grants and bounce buffers. */
#ifndef PVGUEST_MM_H
#define PVGUEST_MM_H

#include <stddef.h>

/*
 * The page allocator hands out the RAM pages the memory map lists above
 * the first megabyte that the kernel image does not occupy. Pages are
 * identity-mapped (virtual = guest-physical), so a page's frame number is
 * its address >> XEN_PAGE_SHIFT, as grants want. Callable from any vCPU,
 * and from event handlers.
 */

/*
 * page_alloc(): one 4 KiB page, page-aligned, contents undefined; NULL
 * when RAM is exhausted (or before the boot step "memory").
 * page_alloc_zeroed(): the same, filled with zeros.
 * page_free(page): gives (page) back; NULL is ignored.
 */
void *page_alloc(void);
void *page_alloc_zeroed(void);
void page_free(void *page);

/* pages_free_count(): pages page_alloc() could still hand out. */
size_t pages_free_count(void);

#endif /* PVGUEST_MM_H */
