/* SPDX-License-Identifier: MIT */
/* grant_table.c: grant tables (v1): locking and lookup, entries, the setup
 * and size queries, XENMAPSPACE_grant_table. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvabi/errno.h"
#include "pvabi/pvhv.h"
#include "core/domain.h"
#include "core/grant_table.h"
#include "core/grant_table_internal.h"
#include "core/log.h"
#include "core/domain_lookup.h"
#include "core/registry.h"

/* ---- Locking and lookup ------------------------------------------------ */

void gnttab_lock_two(struct domain *a, struct domain *b)
{
    domain_lock_pair(a, b, gnttab_lock);
}

void gnttab_unlock_two(struct domain *a, struct domain *b)
{
    domain_unlock_pair(a, b, gnttab_unlock);
}

bool gnttab_has_table(const struct domain *td)
{
    return td->gnttab != NULL;
}

struct domain *gnttab_find(struct domain *d, domid_t domid)
{
    struct domain *td;

    domain_find_checked(d, domid, LOOKUP_ANY, gnttab_has_table, &td);
    return td;
}

int gnttab_lookup_status(int rc)
{
    if (rc == -XEN_ESRCH)
        return GNTST_bad_domain;
    return rc ? GNTST_permission_denied : GNTST_okay;
}

static void lock_target_table(struct domain *d, struct domain *td)
{
    (void)d;
    gnttab_lock(td);
}

/*
 * lock_target: the table of (domid) for a query by (d), locked: (d)'s
 * own, or any for a privileged caller. GNTST_bad_domain when there is
 * none, GNTST_permission_denied for another domain's.
 */
static int lock_target(struct domain *d, domid_t domid, struct domain **out)
{
    static const struct domain_lookup how = {
        .rights = LOOKUP_PRIVILEGED,
        .usable = gnttab_has_table,
        .lock = lock_target_table,
    };

    return gnttab_lookup_status(domain_lookup(d, domid, &how, out));
}

/* ---- Entries ----------------------------------------------------------- */

/*
 * The entry's first word, flags in the low half and domid in the high
 * half (x86 is little-endian), read and swapped as one: the check of the
 * grantee and the setting of GTF_reading/GTF_writing happen atomically
 * against the granter rewriting the entry.
 */
typedef uint32_t __attribute__((may_alias)) entry_word_t;
#define WORD_FLAGS(w) ((uint16_t)(w))
#define WORD_DOMID(w) ((domid_t)((w) >> 16))

static entry_word_t *entry_word(struct grant_entry_v1 *e)
{
    return (entry_word_t *)e;
}

/* check_word: (w) read from entry (ref) of (gd) against the request. */
static int check_word(struct domain *gd, grant_ref_t ref, uint32_t w,
                      domid_t grantee, bool readonly, uint32_t *frame,
                      void **host)
{
    struct grant_table *gt = gd->gnttab;
    const struct gnttab_active *act = &gt->active[ref];
    uint32_t f;

    if ((WORD_FLAGS(w) & GTF_type_mask) != GTF_permit_access ||
        WORD_DOMID(w) != grantee)
        return GNTST_permission_denied;
    if (!readonly && (WORD_FLAGS(w) & GTF_readonly))
        return GNTST_permission_denied;
    /* Read after the flags (acquire): step 2 of the granter's protocol. */
    f = act->pin_ro || act->pin_rw
            ? act->frame
            : __atomic_load_n(&gnttab_entry(gt, ref)->frame, __ATOMIC_RELAXED);
    *host =
        guest_ram_data(&gd->ram, (uint64_t)f << XEN_PAGE_SHIFT, XEN_PAGE_SIZE);
    if (!*host)
        return GNTST_bad_page;
    *frame = f;
    return GNTST_okay;
}

int gnttab_check_entry(struct domain *gd, grant_ref_t ref, domid_t grantee,
                       bool readonly, uint32_t *frame, void **host)
{
    uint32_t w;

    if (ref >= gd->gnttab->nr_entries)
        return GNTST_bad_gntref;
    w = __atomic_load_n(entry_word(gnttab_entry(gd->gnttab, ref)),
                        __ATOMIC_ACQUIRE);
    return check_word(gd, ref, w, grantee, readonly, frame, host);
}

/* A granter rewriting its entry this often is taken to be hostile. */
#define PIN_RETRIES 16

/*
 * gnttab_pin: with (gd) locked, checks entry (ref) for (grantee) and
 * sets GTF_reading (and GTF_writing unless (readonly)) with a
 * compare-and-swap that fails if the guest changed the word since the
 * check; then counts the mapping. GNTST_*.
 */
int gnttab_pin(struct domain *gd, grant_ref_t ref, domid_t grantee,
               bool readonly, uint32_t *frame, void **host)
{
    struct grant_table *gt = gd->gnttab;
    struct gnttab_active *act;
    entry_word_t *wp;
    uint32_t w, nw;
    int rc;

    if (ref >= gt->nr_entries)
        return GNTST_bad_gntref;
    wp = entry_word(gnttab_entry(gt, ref));
    w = __atomic_load_n(wp, __ATOMIC_ACQUIRE);
    for (unsigned int tries = 0;; tries++) {
        rc = check_word(gd, ref, w, grantee, readonly, frame, host);
        if (rc)
            return rc;
        nw = w | GTF_reading | (readonly ? 0 : GTF_writing);
        if (nw == w ||
            __atomic_compare_exchange_n(wp, &w, nw, false, __ATOMIC_SEQ_CST,
                                        __ATOMIC_ACQUIRE))
            break;
        if (tries == PIN_RETRIES) {
            gdprintk(gd, "grant %u: entry keeps changing", ref);
            return GNTST_general_error;
        }
    }
    act = &gt->active[ref];
    if (!act->pin_ro && !act->pin_rw)
        act->frame = *frame;
    if (readonly)
        act->pin_ro++;
    else
        act->pin_rw++;
    return GNTST_okay;
}

/*
 * gnttab_unpin: with (gd) locked, drops one mapping of entry (ref); the
 * last writable one clears GTF_writing, the last of all GTF_reading, so
 * that the granter can tell the page is free again.
 */
void gnttab_unpin(struct domain *gd, grant_ref_t ref, bool readonly)
{
    struct grant_table *gt = gd->gnttab;
    struct gnttab_active *act = &gt->active[ref];
    uint16_t clear = 0;

    if (readonly && act->pin_ro)
        act->pin_ro--;
    else if (!readonly && act->pin_rw)
        act->pin_rw--;
    if (!act->pin_rw)
        clear |= GTF_writing;
    if (!act->pin_rw && !act->pin_ro)
        clear |= GTF_reading;
    __atomic_fetch_and(&gnttab_entry(gt, ref)->flags, (uint16_t)~clear,
                       __ATOMIC_SEQ_CST);
}

/* ---- Sub-ops: size and frames ------------------------------------------ */

void gnttab_setup_table(struct domain *d, struct gnttab_setup_table *op,
                        xen_pfn_t *gfns)
{
    struct domain *td;
    int rc = lock_target(d, op->dom, &td);

    if (rc) {
        op->status = (int16_t)rc;
        return;
    }
    if (op->nr_frames > td->gnttab->nr_frames) {
        gdprintk(d, "setup_table: %u frames, at most %u", op->nr_frames,
                 td->gnttab->nr_frames);
        op->status = GNTST_general_error;
    } else {
        for (uint32_t i = 0; i < op->nr_frames; i++)
            gfns[i] = td->gnttab->frame_gfn[i];
        op->status = GNTST_okay;
    }
    gnttab_unlock(td);
}

void gnttab_query_size(struct domain *d, struct gnttab_query_size *op)
{
    struct domain *td;
    int rc = lock_target(d, op->dom, &td);

    if (rc) {
        op->status = (int16_t)rc;
        return;
    }
    op->nr_frames = td->gnttab->nr_frames;
    op->max_nr_frames = td->gnttab->nr_frames;
    op->status = GNTST_okay;
    gnttab_unlock(td);
}

int gnttab_get_version(struct domain *d, struct gnttab_get_version *op)
{
    struct domain *td;
    int rc = lock_target(d, op->dom, &td);

    if (rc == GNTST_bad_domain)
        return -XEN_ESRCH;
    if (rc)
        return -XEN_EPERM;
    gnttab_unlock(td);
    op->version = 1;
    return 0;
}

/* ---- XENMAPSPACE_grant_table ------------------------------------------- */

static bool in_window(uint64_t gpa)
{
    return gpa >= PVHV_GRANT_WINDOW_BASE &&
           gpa - PVHV_GRANT_WINDOW_BASE < PVHV_GRANT_WINDOW_SIZE;
}

/* gnttab_gpa_mappable: a page-aligned frame of RAM or of the window. */
bool gnttab_gpa_mappable(struct domain *d, uint64_t gpa)
{
    if (gpa % XEN_PAGE_SIZE)
        return false;
    return in_window(gpa) || guest_ram_ptr(&d->ram, gpa, XEN_PAGE_SIZE);
}

/*
 * still_used: another frame of the table sits at (gfn) too, or it is in
 * the boot region (left as it is: reserved, never RAM to the guest).
 */
static bool still_used(struct grant_table *gt, unsigned int idx, uint64_t gfn)
{
    if (gfn >= gt->boot_gfn && gfn - gt->boot_gfn < gt->nr_frames)
        return true;
    for (unsigned int i = 0; i < gt->nr_frames; i++)
        if (i != idx && gt->frame_gfn[i] == gfn)
            return true;
    return false;
}

/* in_device: (gpa) is in a device's MMIO range of (d) (core/io.h). */
static bool in_device(struct domain *d, uint64_t gpa)
{
    const struct io_table *t = &d->io[IO_SPACE_MMIO];

    for (unsigned int i = 0; i < t->n; i++)
        if (gpa + XEN_PAGE_SIZE > t->range[i].base &&
            gpa < t->range[i].base + t->range[i].len)
            return true;
    return false;
}

/*
 * A frame may go to RAM, to the grant window, or, as Xen allows, to any
 * other frame that is not a device's (Linux puts its grant frames in
 * unpopulated space, often above 4 GiB); the platform refuses what lies
 * beyond the guest-physical width or over its device region.
 */
int gnttab_add_to_physmap(struct domain *d, uint64_t idx, uint64_t gpfn)
{
    struct grant_table *gt = d->gnttab;
    uint64_t old;
    int rc;

    if (!gt)
        return -XEN_ENOSYS;
    if (idx >= gt->nr_frames || gpfn > (UINT64_MAX >> XEN_PAGE_SHIFT) ||
        gpfn == 0 || in_device(d, gpfn << XEN_PAGE_SHIFT)) {
        gdprintk(d,
                 "memory_op: grant frame %llu at frame 0x%llx: not a "
                 "frame of the table, or a device's frame",
                 (unsigned long long)idx, (unsigned long long)gpfn);
        return -XEN_EINVAL;
    }
    gnttab_lock(d);
    old = gt->frame_gfn[idx];
    rc = gt->ops->map_frame(d, (unsigned int)idx, gpfn << XEN_PAGE_SHIFT);
    if (rc == 0 && old != gpfn) {
        gt->frame_gfn[idx] = gpfn;
        /* Moved, as on Xen: what was at the old place comes back. */
        if (!still_used(gt, (unsigned int)idx, old))
            gt->ops->unmap_foreign(d, old << XEN_PAGE_SHIFT);
    }
    gnttab_unlock(d);
    if (rc)
        gdprintk(d,
                 "memory_op: grant frame %llu at frame 0x%llx: refused "
                 "(beyond the guest-physical width, the device region, or "
                 "another frame's place)",
                 (unsigned long long)idx, (unsigned long long)gpfn);
    return rc ? -XEN_EINVAL : 0;
}
