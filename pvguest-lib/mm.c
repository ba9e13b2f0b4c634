/* SPDX-License-Identifier: MIT */
/* mm.c: a page allocator over the RAM the memory map gives us. */

#include "internal.h"

#define MM_MAX_RANGES 8
#define MM_LOW_LIMIT 0x100000ULL     /* the low megabyte stays untouched */
#define MM_HIGH_LIMIT 0x100000000ULL /* nothing above 4 GiB is mapped */

extern char __image_start[], __image_end[];

/*
 * Free memory is a few ranges never handed out yet, taken from the
 * front (no set-up cost: the development machines' KVM emulates each
 * guest instruction, so touching every page at boot would be slow), plus
 * a list of freed pages linked through their first word.
 */
struct mm_range {
    uint64_t next; /* first page not handed out yet */
    uint64_t end;
};

struct free_page {
    struct free_page *next;
};

static struct mm_range ranges[MM_MAX_RANGES];
static unsigned int nr_ranges;
static struct free_page *free_list;
static size_t free_listed;
static struct spinlock mm_lock;

/* Adds [start, end) minus the image, page-aligned, to the ranges. */
static void add_range(uint64_t start, uint64_t end)
{
    uint64_t img_lo = (uintptr_t)__image_start & ~(XEN_PAGE_SIZE - 1);
    uint64_t img_hi =
        ((uintptr_t)__image_end + XEN_PAGE_SIZE - 1) & ~(XEN_PAGE_SIZE - 1);

    start = (start + XEN_PAGE_SIZE - 1) & ~(XEN_PAGE_SIZE - 1);
    end &= ~(XEN_PAGE_SIZE - 1);
    if (start < MM_LOW_LIMIT)
        start = MM_LOW_LIMIT;
    if (end > MM_HIGH_LIMIT)
        end = MM_HIGH_LIMIT;
    if (start >= end)
        return;
    if (start < img_hi && img_lo < end) {
        add_range(start, img_lo);
        add_range(img_hi, end);
        return;
    }
    if (nr_ranges == MM_MAX_RANGES) {
        printf("pvguest: mm: more than %u RAM ranges; ignoring [0x%lx-0x%lx)"
               "\n",
               MM_MAX_RANGES, (unsigned long)start, (unsigned long)end);
        return;
    }
    ranges[nr_ranges].next = start;
    ranges[nr_ranges].end = end;
    nr_ranges++;
}

/* Boot step: collects the RAM entries of the memory map. */
int mm_init(void)
{
    const struct hvm_memmap_table_entry *map;
    unsigned int n, i;

    map = pvguest_memmap(&n);
    for (i = 0; i < n; i++)
        if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM)
            add_range(map[i].addr, map[i].addr + map[i].size);
    if (nr_ranges == 0) {
        printf("pvguest: mm: no free RAM in the memory map\n");
        return -XEN_ENOMEM;
    }
    return 0;
}

void *page_alloc(void)
{
    unsigned long flags;
    void *page = NULL;
    unsigned int i;

    flags = spin_lock_irqsave(&mm_lock);
    if (free_list) {
        page = free_list;
        free_list = free_list->next;
        free_listed--;
    } else {
        for (i = 0; i < nr_ranges && !page; i++) {
            if (ranges[i].next < ranges[i].end) {
                page = (void *)(uintptr_t)ranges[i].next;
                ranges[i].next += XEN_PAGE_SIZE;
            }
        }
    }
    spin_unlock_irqrestore(&mm_lock, flags);
    return page;
}

void *page_alloc_zeroed(void)
{
    void *page = page_alloc();

    if (page)
        memset(page, 0, XEN_PAGE_SIZE);
    return page;
}

void page_free(void *page)
{
    struct free_page *p = page;
    unsigned long flags;

    if (!page)
        return;
    flags = spin_lock_irqsave(&mm_lock);
    p->next = free_list;
    free_list = p;
    free_listed++;
    spin_unlock_irqrestore(&mm_lock, flags);
}

size_t pages_free_count(void)
{
    unsigned long flags;
    size_t n;
    unsigned int i;

    flags = spin_lock_irqsave(&mm_lock);
    n = free_listed;
    for (i = 0; i < nr_ranges; i++)
        n += (ranges[i].end - ranges[i].next) >> XEN_PAGE_SHIFT;
    spin_unlock_irqrestore(&mm_lock, flags);
    return n;
}
