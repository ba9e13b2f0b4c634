/* SPDX-License-Identifier: MIT */
/* memory_reservation.c: the balloon ops: frames given back and filled again. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvabi/memory.h"
#include "core/domain.h"
#include "core/log.h"
#include "core/memory_reservation.h"
#include "core/platform.h"

/*
 * Pages changed per call before the call continues (Xen checks for
 * preemption between extents): each costs a hole punched in the memfd.
 */
#define SLICE_PAGES 4096

uint64_t memory_max_pages(const struct domain *d)
{
    return d->ram.size / GUEST_PAGE_SIZE;
}

uint64_t memory_current_pages(struct domain *d)
{
    uint64_t n;

    pthread_mutex_lock(&d->reservation_lock);
    n = memory_max_pages(d) - atomic_load(&d->ram.nr_released) +
        d->pages_unplaced;
    pthread_mutex_unlock(&d->reservation_lock);
    return n;
}

uint64_t memory_max_ram_page(const struct domain *d)
{
    if (d->ram.size > d->ram.low_size)
        return (GUEST_4G + d->ram.size - d->ram.low_size) / GUEST_PAGE_SIZE;
    return d->ram.low_size / GUEST_PAGE_SIZE;
}

/* Xen's get_order_from_pages: the order of the smallest extent >= n. */
static unsigned int order_of(uint64_t n)
{
    unsigned int order = 0;

    while ((1ULL << order) < n)
        order++;
    return order;
}

/*
 * args_ok: what Xen checks before the first extent: the domain (only
 * oneself, unprivileged), the order (at most XENMEM_MAX_ORDER, Xen's
 * limit for a domU), mem_flags (address bits Xen cannot give, an exact
 * NUMA node, populate-on-demand on oneself). Any failure does nothing.
 */
static bool args_ok(struct domain *d, unsigned int op,
                    const struct xen_memory_reservation *r)
{
    unsigned int bits = XENMEMF_get_address_bits(r->mem_flags);

    if (r->domid != DOMID_SELF && r->domid != d->domid)
        return false;
    if (r->extent_order > XENMEM_MAX_ORDER)
        return false;
    if (bits != 0 && bits <= XEN_PAGE_SHIFT &&
        bits < order_of(memory_max_ram_page(d)) + XEN_PAGE_SHIFT)
        return false;
    if (!(r->mem_flags & XENMEMF_vnode) &&
        XENMEMF_get_node(r->mem_flags) != 0xff &&
        (r->mem_flags & XENMEMF_exact_node_request))
        return false;
    if (op == XENMEM_populate_physmap &&
        (r->mem_flags & XENMEMF_populate_on_demand))
        return false;
    return true;
}

/*
 * ram_frame: the host page of guest frame (gfn) if it may be given back
 * or filled: RAM of the memory map, so not the boot region, nor the
 * grant window, nor the hole below 4 GiB. -1 otherwise.
 */
static int64_t ram_frame(const struct domain *d, uint64_t gfn)
{
    uint64_t gpa;

    if (gfn > (UINT64_MAX >> XEN_PAGE_SHIFT))
        return -1;
    gpa = gfn << XEN_PAGE_SHIFT;
    if (gpa >= d->boot_base && gpa - d->boot_base < d->boot_size)
        return -1;
    return guest_ram_page(&d->ram, gpa);
}

/* read_extent: extent (i) of (list); false if the guest's list faults. */
static bool read_extent(struct vcpu *v, const struct extent_list *list,
                        uint64_t i, uint64_t *gfn)
{
    uint64_t value = 0; /* a 4-byte entry fills its low half (x86) */

    if (copy_from_guest(&v->domain->ram, &v->ctx.paging, &value,
                        list->base + i * list->width, list->width)) {
        gdprintk(v->domain,
                 "memory_op: extent list 0x%llx: entry %llu "
                 "not readable",
                 (unsigned long long)list->base, (unsigned long long)i);
        return false;
    }
    *gfn = value;
    return true;
}

/* release: gives the host the memory of (n) frames from (gfn). */
static void release(struct domain *d, uint64_t gfn, uint64_t n)
{
    int rc;

    if (n == 0)
        return;
    rc = platform_release_ram(d, gfn << XEN_PAGE_SHIFT, n * GUEST_PAGE_SIZE);
    if (rc < 0)
        pr_warn("domain %u: cannot give back %llu pages from frame 0x%llx "
                "to the host: %s",
                d->domid, (unsigned long long)n, (unsigned long long)gfn,
                strerror(-rc));
}

/*
 * decrease: gives back the (n) frames from (gfn). As on Xen, a frame that
 * is not RAM or is given back already stops the extent there (it counts
 * nothing; the frames before it stay given back).
 */
static bool decrease(struct domain *d, uint64_t gfn, uint64_t n)
{
    uint64_t j;
    int64_t idx;

    for (j = 0; j < n; j++) {
        idx = ram_frame(d, gfn + j);
        if (idx < 0 || !guest_ram_mark_released(&d->ram, (uint64_t)idx, true))
            break;
    }
    release(d, gfn, j);
    return j == n;
}

/*
 * populate: fills the (n) frames from (gfn) (aligned to n) with zeroed
 * memory, n more pages for the domain. Xen gives a frame that held a page
 * a new one; the old page stays counted to the domain, in no frame.
 */
static bool populate(struct domain *d, uint64_t gfn, uint64_t n)
{
    uint64_t held = memory_max_pages(d) - atomic_load(&d->ram.nr_released) +
                    d->pages_unplaced;

    if (gfn & (n - 1) || held + n > memory_max_pages(d))
        return false;
    for (uint64_t j = 0; j < n; j++)
        if (ram_frame(d, gfn + j) < 0)
            return false;
    for (uint64_t j = 0; j < n; j++)
        if (!guest_ram_mark_released(&d->ram, (uint64_t)ram_frame(d, gfn + j),
                                     false))
            d->pages_unplaced++;
    /* A frame given back may have been touched since: zero it anyway. */
    release(d, gfn, n);
    return true;
}

/* increase: (n) pages counted to the domain, in no frame (see memory.h). */
static bool increase(struct domain *d, uint64_t n)
{
    uint64_t held = memory_max_pages(d) - atomic_load(&d->ram.nr_released) +
                    d->pages_unplaced;

    if (held + n > memory_max_pages(d))
        return false;
    d->pages_unplaced += n;
    return true;
}

long memory_reservation(struct vcpu *v, unsigned int op, unsigned int start,
                        const struct xen_memory_reservation *r,
                        const struct extent_list *list, bool *preempted)
{
    struct domain *d = v->domain;
    uint64_t n, i = start, pages = 0, gfn = 0;
    bool ok;

    *preempted = false;
    /* Xen: a count too large to continue, or nothing left, does nothing. */
    if (r->nr_extents > (UINT_MAX >> XENMEM_EXTENT_SHIFT) ||
        start >= r->nr_extents || !d->ram.released || !args_ok(d, op, r))
        return start;
    n = 1ULL << r->extent_order; /* args_ok: at most XENMEM_MAX_ORDER */
    pthread_mutex_lock(&d->reservation_lock);
    for (; i < r->nr_extents; i++) {
        if (pages >= SLICE_PAGES) {
            *preempted = true;
            break;
        }
        if (op != XENMEM_increase_reservation && !read_extent(v, list, i, &gfn))
            break;
        if (op == XENMEM_decrease_reservation)
            ok = decrease(d, gfn, n);
        else if (op == XENMEM_populate_physmap)
            ok = populate(d, gfn, n);
        else
            ok = increase(d, n);
        if (!ok)
            break;
        pages += n;
    }
    pthread_mutex_unlock(&d->reservation_lock);
    return (long)i;
}

int memory_reservation_step_init(struct domain *d,
                                 const struct domain_config *cfg,
                                 struct pvhv_error *err)
{
    uint64_t words = (memory_max_pages(d) + 63) / 64;

    (void)cfg;
    /* Untouched, the bitmap costs the host no memory (calloc: zero pages). */
    d->ram.released = calloc(words ? words : 1, sizeof(uint64_t));
    if (!d->ram.released) {
        pvhv_error_set(err, "out of memory for the map of %llu pages",
                       (unsigned long long)memory_max_pages(d));
        return -ENOMEM;
    }
    pthread_mutex_init(&d->reservation_lock, NULL);
    return 0;
}

void memory_reservation_step_fini(struct domain *d)
{
    free((void *)d->ram.released);
    d->ram.released = NULL;
    atomic_store(&d->ram.nr_released, 0);
    pthread_mutex_destroy(&d->reservation_lock);
}
