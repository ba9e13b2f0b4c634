/* SPDX-License-Identifier: MIT */
/* grant_table_map.c: mapping grants: map/unmap_grant_ref, the maptrack, host
 * mappings. */
#include <errno.h>
#include <stdlib.h>

#include "pvabi/errno.h"
#include "core/domain.h"
#include "core/grant_table.h"
#include "core/instance.h"
#include "core/grant_table_internal.h"
#include "core/log.h"
#include "core/domain_lookup.h"
#include "core/registry.h"

#define NO_HANDLE UINT32_MAX

static void lock_both_tables(struct domain *d, struct domain *gd)
{
    gnttab_lock_two(d, gd);
}

/* ---- The maptrack: a mapper's handles ---------------------------------- */

/* handle_alloc: a free handle of locked (gt), or NO_HANDLE (none left). */
static uint32_t handle_alloc(struct grant_table *gt)
{
    uint32_t h = gt->maptrack_free;

    if (h != NO_HANDLE) {
        gt->maptrack_free = gt->maptrack[h].next_free;
        return h;
    }
    if (gt->maptrack_top == gt->maptrack_cap) {
        uint32_t cap = gt->maptrack_cap ? gt->maptrack_cap * 2 : 64;
        struct gnttab_maptrack *m;

        if (cap > GNTTAB_MAPTRACK_MAX)
            cap = GNTTAB_MAPTRACK_MAX;
        if (cap == gt->maptrack_cap)
            return NO_HANDLE;
        m = realloc(gt->maptrack, cap * sizeof(*m));
        if (!m)
            return NO_HANDLE;
        gt->maptrack = m;
        gt->maptrack_cap = cap;
    }
    return gt->maptrack_top++;
}

static void handle_free(struct grant_table *gt, uint32_t h)
{
    gt->maptrack[h].in_use = false;
    gt->maptrack[h].next_free = gt->maptrack_free;
    gt->maptrack_free = h;
    gt->nr_maps--;
}

/* gpa_in_use: one of (gt)'s mappings is at (gpa) already. */
static bool gpa_in_use(const struct grant_table *gt, uint64_t gpa)
{
    for (uint32_t h = 0; h < gt->maptrack_top; h++)
        if (gt->maptrack[h].in_use && gt->maptrack[h].gpa == gpa)
            return true;
    return false;
}

/* ---- GNTTABOP_map_grant_ref -------------------------------------------- */

static int check_map_flags(struct domain *d, uint32_t flags)
{
    if (!(flags & (GNTMAP_host_map | GNTMAP_device_map)))
        return GNTST_bad_gntref; /* as Xen: nothing asked for */
    if (!(flags & GNTMAP_host_map) ||
        (flags & (GNTMAP_application_map | GNTMAP_contains_pte))) {
        gdprintk(d, "map_grant_ref: flags 0x%x not served", flags);
        return GNTST_general_error;
    }
    return GNTST_okay;
}

/*
 * charge: counts one more mapping of the host's for (d), (d) locked; false,
 * with a log line, when its share is used up (GNTST_no_space: Xen's
 * resource limit). Others' mappings are never refused for it.
 */
static bool charge(struct domain *d)
{
    const struct map_share *s = &d->maps;
    int rc = map_budget_charge(&d->maps, MAP_BUDGET_PAGE_COST);

    if (rc == 0)
        return true;
    gdprintk(d,
             "map_grant_ref: GNTST_no_space (resource limit): %llu grant "
             "mappings held; %s (%u guaranteed, at most %llu more from the "
             "pool shared by all domains)",
             (unsigned long long)(s->used / MAP_BUDGET_PAGE_COST),
             rc == -EDQUOT ? "the most its share of the host's memory "
                             "mappings allows"
                           : "the shared pool of the host's memory mappings "
                             "is used up",
             (unsigned int)(s->own / MAP_BUDGET_PAGE_COST),
             (unsigned long long)(s->budget->share_max / MAP_BUDGET_PAGE_COST));
    return false;
}

/*
 * map_locked: with (d) and the granter (gd) locked: a handle, the pin,
 * the page mapped at host_addr; on any failure nothing is left behind.
 */
static int map_locked(struct domain *d, struct domain *gd,
                      struct gnttab_map_grant_ref *op)
{
    struct grant_table *gt = d->gnttab;
    bool ro = op->flags & GNTMAP_readonly;
    uint32_t frame, h;
    void *host;
    int rc;

    if (gpa_in_use(gt, op->host_addr))
        return GNTST_bad_virt_addr;
    if (!charge(d))
        return GNTST_no_space;
    h = handle_alloc(gt);
    if (h == NO_HANDLE) {
        map_budget_refund(&d->maps, MAP_BUDGET_PAGE_COST);
        return GNTST_no_space;
    }
    gt->nr_maps++;
    gt->maptrack[h].in_use = true;
    rc = gnttab_pin(gd, op->ref, d->domid, ro, &frame, &host);
    if (rc == GNTST_okay &&
        gt->ops->map_foreign(d, op->host_addr, gd,
                             (uint64_t)frame << XEN_PAGE_SHIFT, ro) < 0) {
        gdprintk(d, "map_grant_ref: cannot map at 0x%llx",
                 (unsigned long long)op->host_addr);
        gnttab_unpin(gd, op->ref, ro);
        rc = GNTST_general_error;
    }
    if (rc) {
        handle_free(gt, h);
        map_budget_refund(&d->maps, MAP_BUDGET_PAGE_COST);
        return rc;
    }
    gt->maptrack[h] = (struct gnttab_maptrack){
        .gpa = op->host_addr,
        .granter_serial = gd->gnttab->serial,
        .ref = op->ref,
        .granter = gd->domid,
        .in_use = true,
        .readonly = ro,
    };
    op->handle = h;
    op->dev_bus_addr = (uint64_t)frame << XEN_PAGE_SHIFT;
    return GNTST_okay;
}

static int map_one(struct domain *d, struct gnttab_map_grant_ref *op)
{
    static const struct domain_lookup granter = {
        .rights = LOOKUP_ANY,
        .usable = gnttab_has_table,
        .lock = lock_both_tables,
    };
    struct domain *gd;
    int rc = check_map_flags(d, op->flags);

    if (rc)
        return rc;
    if (!gnttab_gpa_mappable(d, op->host_addr)) {
        gdprintk(d,
                 "map_grant_ref: host_addr 0x%llx is not a page of RAM "
                 "or of the grant window",
                 (unsigned long long)op->host_addr);
        return GNTST_bad_virt_addr;
    }
    rc = gnttab_lookup_status(domain_lookup(d, op->dom, &granter, &gd));
    if (rc)
        return rc;
    rc = map_locked(d, gd, op);
    gnttab_unlock_two(d, gd);
    return rc;
}

void gnttab_map_grant_ref(struct domain *d, struct gnttab_map_grant_ref *op)
{
    op->handle = NO_HANDLE;
    op->dev_bus_addr = 0;
    op->status = d->gnttab ? (int16_t)map_one(d, op) : GNTST_general_error;
}

/* ---- GNTTABOP_unmap_grant_ref and the mapper's end --------------------- */

/*
 * find_granter: the domain whose table has (serial) and id (domid), if it
 * still exists (registry held); ids are reused, serials are not.
 */
static struct domain *find_granter(struct domain *d, domid_t domid,
                                   uint64_t serial)
{
    struct domain *gd = gnttab_find(d, domid);

    return gd && gd->gnttab->serial == serial ? gd : NULL;
}

/*
 * release: ends mapping (h) of (d): (d) and the granter (gd, NULL when it
 * is gone) locked. With (restore), the mapper's page comes back; a dying
 * mapper skips that (its memory goes as a whole).
 */
static void release(struct domain *d, struct domain *gd, uint32_t h,
                    bool restore)
{
    struct grant_table *gt = d->gnttab;
    struct gnttab_maptrack *m = &gt->maptrack[h];

    if (restore && gt->ops->unmap_foreign(d, m->gpa) < 0)
        gdprintk(d, "unmap_grant_ref: cannot restore 0x%llx",
                 (unsigned long long)m->gpa);
    if (gd)
        gnttab_unpin(gd, m->ref, m->readonly);
    handle_free(gt, h);
    map_budget_refund(&d->maps, MAP_BUDGET_PAGE_COST);
}

/*
 * lock_mapping: locks (d) and the granter of its handle (h), which
 * must be in use at (gpa) (any when (gpa) is UINT64_MAX); the granter is
 * returned in (gd), NULL if gone. The granter's slot is held only while
 * it is found and locked: no lock of the whole registry. GNTST_*.
 */
static int lock_mapping(struct domain *d, uint32_t h, uint64_t gpa,
                        struct domain **gd)
{
    struct grant_table *gt = d->gnttab;
    struct gnttab_maptrack m;

    gnttab_lock(d);
    if (h >= gt->maptrack_top || !gt->maptrack[h].in_use) {
        gnttab_unlock(d);
        return GNTST_bad_handle;
    }
    m = gt->maptrack[h];
    gnttab_unlock(d);
    if (gpa != UINT64_MAX && m.gpa != gpa)
        return GNTST_bad_virt_addr;
    registry_lock_id(&d->hv->registry, m.granter);
    *gd = find_granter(d, m.granter, m.granter_serial);
    if (*gd)
        gnttab_lock_two(d, *gd);
    else
        gnttab_lock(d);
    registry_unlock_id(&d->hv->registry, m.granter);
    /* Unlocked a moment: another vCPU may have unmapped it meanwhile. */
    if (!gt->maptrack[h].in_use || gt->maptrack[h].gpa != m.gpa ||
        gt->maptrack[h].granter_serial != m.granter_serial ||
        gt->maptrack[h].ref != m.ref) {
        if (*gd)
            gnttab_unlock_two(d, *gd);
        else
            gnttab_unlock(d);
        return GNTST_bad_handle;
    }
    return GNTST_okay;
}

static int unmap_one(struct domain *d, uint32_t h, uint64_t gpa, bool restore)
{
    struct domain *gd = NULL;
    int rc;

    rc = lock_mapping(d, h, gpa, &gd);
    if (rc == GNTST_okay) {
        release(d, gd, h, restore);
        if (gd)
            gnttab_unlock_two(d, gd);
        else
            gnttab_unlock(d);
    }
    return rc;
}

void gnttab_unmap_grant_ref(struct domain *d, struct gnttab_unmap_grant_ref *op)
{
    if (!d->gnttab) {
        op->status = GNTST_general_error;
        return;
    }
    op->status = (int16_t)unmap_one(d, op->handle, op->host_addr, true);
}

/* A domain going away drops its mappings; the granters' flags clear. */
void gnttab_unmap_all(struct domain *d)
{
    struct grant_table *gt = d->gnttab;

    for (uint32_t h = 0; h < gt->maptrack_top; h++)
        if (gt->maptrack[h].in_use)
            unmap_one(d, h, UINT64_MAX, false);
}

/* ---- Host mappings (hypervisor backends, domain 0) --------------------- */

int gnttab_host_map(struct domain *granter, grant_ref_t ref, bool readonly,
                    struct gnttab_host_map *m)
{
    uint32_t frame;
    void *host = NULL;
    int rc;

    m->granter = granter;
    m->ref = ref;
    m->readonly = readonly;
    m->addr = NULL;
    if (!granter->gnttab)
        return GNTST_bad_domain;
    gnttab_lock(granter);
    rc = gnttab_pin(granter, ref, HOST_DOMID, readonly, &frame, &host);
    gnttab_unlock(granter);
    if (rc == GNTST_okay)
        m->addr = host;
    return rc;
}

void gnttab_host_unmap(struct gnttab_host_map *m)
{
    struct domain *gd = m->granter;

    if (!m->addr || !gd || !gd->gnttab)
        return;
    gnttab_lock(gd);
    gnttab_unpin(gd, m->ref, m->readonly);
    gnttab_unlock(gd);
    m->addr = NULL;
}
