/* SPDX-License-Identifier: MIT */
/* grant_table_copy.c: GNTTABOP_copy: bytes between granted pages and the
 * caller's own. */
#include <string.h>

#include "core/domain.h"
#include "core/grant_table.h"
#include "core/instance.h"
#include "core/grant_table_internal.h"
#include "core/log.h"
#include "core/domain_lookup.h"
#include "core/registry.h"

/* One side of a copy, once resolved. */
struct copy_side {
    struct domain *gd; /* the granter, or NULL for a frame of the caller */
    uint8_t *page;     /* host address of the page */
};

/*
 * find_side: the domain behind (p): the granter for a grant (which must
 * exist), else the caller (DOMID_SELF or its own id). The stripe of
 * p->domid's slot held.
 */
static int find_side(struct domain *d, const struct gnttab_copy_ptr *p,
                     bool gref, struct copy_side *s)
{
    struct domain *other;

    s->gd = NULL;
    s->page = NULL;
    if (gref) {
        s->gd = gnttab_find(d, p->domid);
        return s->gd ? GNTST_okay : GNTST_bad_domain;
    }
    if (p->domid == DOMID_SELF || p->domid == d->domid)
        return GNTST_okay;
    /* A frame of another domain: only through a grant. */
    return gnttab_lookup_status(
        domain_find_checked(d, p->domid, LOOKUP_SELF, NULL, &other));
}

/* resolve: the page of side (p), its granter locked if it is a grant. */
static int resolve(struct domain *d, const struct gnttab_copy_ptr *p,
                   bool write, struct copy_side *s)
{
    uint32_t frame;
    void *host;
    int rc;

    if (!s->gd) {
        if (p->u.gmfn > (UINT64_MAX >> XEN_PAGE_SHIFT))
            return GNTST_bad_page;
        s->page =
            guest_ram_data(&d->ram, p->u.gmfn << XEN_PAGE_SHIFT, XEN_PAGE_SIZE);
        return s->page ? GNTST_okay : GNTST_bad_page;
    }
    rc = gnttab_check_entry(s->gd, p->u.ref, d->domid, !write, &frame, &host);
    s->page = host;
    return rc;
}

/*
 * lock_sides / unlock_sides: the granters' tables (0, 1 or 2 of them),
 * lower domid first.
 */
static void lock_sides(struct copy_side *a, struct copy_side *b)
{
    if (a->gd && b->gd)
        gnttab_lock_two(a->gd, b->gd);
    else if (a->gd || b->gd)
        gnttab_lock(a->gd ? a->gd : b->gd);
}

static void unlock_sides(struct copy_side *a, struct copy_side *b)
{
    if (a->gd && b->gd)
        gnttab_unlock_two(a->gd, b->gd);
    else if (a->gd || b->gd)
        gnttab_unlock(a->gd ? a->gd : b->gd);
}

/*
 * copy_locked: with the granters locked (they cannot go meanwhile), both
 * grants checked as a mapping would be, then the bytes. No GTF_reading
 * or GTF_writing: the granter cannot see a copy in progress, as it is
 * done before the lock is dropped.
 */
static int copy_locked(struct domain *d, struct gnttab_copy *op,
                       struct copy_side *src, struct copy_side *dst)
{
    int rc = resolve(d, &op->source, false, src);

    if (rc == GNTST_okay)
        rc = resolve(d, &op->dest, true, dst);
    if (rc == GNTST_okay)
        memmove(dst->page + op->dest.offset, src->page + op->source.offset,
                op->len);
    return rc;
}

static int copy_one(struct domain *d, struct gnttab_copy *op)
{
    struct registry *r = &d->hv->registry;
    struct copy_side src, dst;
    int rc;

    if ((uint32_t)op->source.offset + op->len > XEN_PAGE_SIZE ||
        (uint32_t)op->dest.offset + op->len > XEN_PAGE_SIZE) {
        gdprintk(d, "copy: %u bytes at offsets %u and %u cross a page", op->len,
                 op->source.offset, op->dest.offset);
        return GNTST_bad_copy_arg;
    }
    /* The two slots looked at, not the whole registry. */
    registry_lock_ids(r, op->source.domid, op->dest.domid);
    rc = find_side(d, &op->source, op->flags & GNTCOPY_source_gref, &src);
    if (rc == GNTST_okay)
        rc = find_side(d, &op->dest, op->flags & GNTCOPY_dest_gref, &dst);
    if (rc == GNTST_okay)
        lock_sides(&src, &dst);
    registry_unlock_ids(r, op->source.domid, op->dest.domid);
    if (rc)
        return rc;
    rc = copy_locked(d, op, &src, &dst);
    unlock_sides(&src, &dst);
    return rc;
}

void gnttab_copy(struct domain *d, struct gnttab_copy *op)
{
    op->status = (int16_t)copy_one(d, op);
}
