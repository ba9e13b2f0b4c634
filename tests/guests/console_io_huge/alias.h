/* SPDX-License-Identifier: MIT */
/*
 * alias.h: one page of text seen at many guest-virtual pages from
 * ALIAS_BASE on, for console_io writes far larger than the guest's RAM
 * (console_io_huge) or ending in an unmapped page (console_io_efault).
 */
#ifndef PVHV_TESTS_GUESTS_ALIAS_H
#define PVHV_TESTS_GUESTS_ALIAS_H

#include "../testguest.h"

/*
 * libpvguest identity-maps the first 4 GiB with 2 MiB pages through four
 * page directories; 1 GiB ... 3 GiB holds neither RAM nor the grant
 * window, so the aliases go there, in 4 KiB pages.
 */
#define ALIAS_BASE 0x40000000UL
#define ALIAS_MAX_PAGES (2UL << 18) /* 2 GiB */
#define PTE_FLAGS 0x7UL             /* present, writable, user (native mode) */
#define PAGE 4096UL

static inline uint64_t read_cr3(void)
{
    uint64_t cr3;

    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    return cr3;
}

static inline void write_cr3(uint64_t cr3)
{
    __asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
}

/* alias_table: a page table whose first (n) entries map (frame). */
static inline uint64_t *alias_table(uint64_t frame, unsigned long n)
{
    uint64_t *t = page_alloc_zeroed();
    unsigned long i;

    if (!t)
        test_abort("out of pages for the alias tables");
    for (i = 0; i < n; i++)
        t[i] = frame | PTE_FLAGS;
    return t;
}

/*
 * alias_map(text, pages): maps (pages) virtual pages from ALIAS_BASE on
 * to the page (text); the page after them stays unmapped. (pages): at
 * most 512 * 512 (1 GiB), or a whole number of GiB up to 2. Tables are
 * shared: a page table of 512 entries to (text), one page directory.
 */
static inline void alias_map(const void *text, unsigned long pages)
{
    uint64_t *pml4 = (uint64_t *)(uintptr_t)(read_cr3() & ~0xfffUL);
    uint64_t *pdpt = (uint64_t *)(uintptr_t)(pml4[0] & ~0xfffUL);
    uint64_t frame = (uint64_t)(uintptr_t)text;
    unsigned long gib = pages >> 18, full = (pages >> 9) & 511, i;
    uint64_t *pd = page_alloc_zeroed();
    uint64_t *pt = alias_table(frame, 512);

    if (!pd || pages > ALIAS_MAX_PAGES || (gib && (pages & ((1UL << 18) - 1))))
        test_abort("alias_map(%lu pages): not supported", pages);
    if (gib) {
        for (i = 0; i < 512; i++)
            pd[i] = (uint64_t)(uintptr_t)pt | PTE_FLAGS;
        for (i = 0; i < gib; i++)
            pdpt[1 + i] = (uint64_t)(uintptr_t)pd | PTE_FLAGS;
    } else {
        for (i = 0; i < full; i++)
            pd[i] = (uint64_t)(uintptr_t)pt | PTE_FLAGS;
        if (pages & 511)
            pd[full] = (uint64_t)(uintptr_t)alias_table(frame, pages & 511) |
                       PTE_FLAGS;
        pdpt[1] = (uint64_t)(uintptr_t)pd | PTE_FLAGS;
    }
    write_cr3(read_cr3()); /* forget the old 1 GiB ... 3 GiB mappings */
}

#endif /* PVHV_TESTS_GUESTS_ALIAS_H */
