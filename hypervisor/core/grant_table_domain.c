/* SPDX-License-Identifier: MIT */
/* grant_table_domain.c: a domain's grant table: made (its frames, the
 * build step's reserved entries) and dropped, with the mappings the
 * domain holds of others' grants. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvabi/pvhv.h"
#include "core/domain.h"
#include "core/grant_table.h"
#include "core/grant_table_internal.h"
#include "core/platform.h"
#include "core/registry.h"

_Static_assert(GNTTAB_MAX_FRAMES == PLATFORM_SPECIAL_PAGES - 1,
               "grant frames are the special pages after shared_info");
_Static_assert(sizeof(struct grant_entry_v1) == 8, "v1 entries are 8 bytes");

#define DEFAULT_FRAMES 32 /* Xen's default max_grant_frames */

/* Special page 0 is shared_info; grant frame i is special page 1 + i. */
#define FRAME_SPECIAL_PAGE(i) (1U + (i))

/* Every table gets a serial: a mapping names its granter's table by it. */
static _Atomic uint64_t next_serial = 1;

/* ---- Table lifetime ---------------------------------------------------- */

int gnttab_init_frames(struct domain *d, void *const *frames,
                       unsigned int nr_frames, uint64_t first_gfn,
                       const struct gnttab_page_ops *ops)
{
    struct grant_table *gt;

    if (nr_frames == 0 || nr_frames > GNTTAB_MAX_FRAMES || !ops)
        return -EINVAL;
    gt = calloc(1, sizeof(*gt));
    if (!gt)
        return -ENOMEM;
    gt->nr_entries = nr_frames * GNTTAB_ENTRIES_PER_FRAME;
    gt->active = calloc(gt->nr_entries, sizeof(*gt->active));
    if (!gt->active) {
        free(gt);
        return -ENOMEM;
    }
    for (unsigned int i = 0; i < nr_frames; i++) {
        if (!frames[i]) {
            free(gt->active);
            free(gt);
            return -EINVAL;
        }
        gt->frame[i] = frames[i];
        gt->frame_gfn[i] = first_gfn + i;
    }
    pthread_mutex_init(&gt->lock, NULL);
    gt->serial = atomic_fetch_add(&next_serial, 1);
    gt->ops = ops;
    gt->nr_frames = nr_frames;
    gt->boot_gfn = first_gfn;
    gt->maptrack_free = UINT32_MAX;
    d->gnttab = gt;
    return 0;
}

static int map_frame(struct domain *d, unsigned int idx, uint64_t gpa)
{
    return platform_map_grant_frame(d, FRAME_SPECIAL_PAGE(idx), gpa);
}

static const struct gnttab_page_ops platform_ops = {
    .map_foreign = platform_map_foreign_page,
    .unmap_foreign = platform_unmap_foreign_page,
    .map_frame = map_frame,
};

/*
 * The frames are the platform's special pages 1 ... max_frames, shown at
 * guest frames first_gfn ... at once, so that GNTTABOP_setup_table only
 * has to say where they are (as Xen does for PVH guests).
 */
int gnttab_domain_init(struct domain *d, unsigned int max_frames,
                       uint64_t first_gfn)
{
    void *frames[GNTTAB_MAX_FRAMES];
    int rc;

    if (max_frames == 0)
        max_frames = DEFAULT_FRAMES;
    if (max_frames > GNTTAB_MAX_FRAMES)
        return -EINVAL;
    for (unsigned int i = 0; i < max_frames; i++) {
        frames[i] = platform_special_page(d, FRAME_SPECIAL_PAGE(i));
        if (!frames[i])
            return -ENODEV; /* no platform pages (a domain without a VM) */
    }
    rc = gnttab_init_frames(d, frames, max_frames, first_gfn, &platform_ops);
    if (rc == 0)
        rc = platform_map_special_pages(d, FRAME_SPECIAL_PAGE(0), max_frames,
                                        first_gfn * GUEST_PAGE_SIZE);
    if (rc < 0 && d->gnttab)
        gnttab_domain_destroy(d);
    return rc;
}

/*
 * The domain is out of the registry and its vCPUs have stopped: nobody
 * can start a new operation on its table; taking the lock waits for any
 * that found it before it was unlisted. Its own grants need no work: a
 * mapper's page stays valid (its mapping holds the memory) and a later
 * unmap sees this table's serial gone.
 */
void gnttab_domain_destroy(struct domain *d)
{
    struct grant_table *gt = d->gnttab;

    if (!gt)
        return;
    gnttab_unmap_all(d);
    pthread_mutex_lock(&gt->lock);
    d->gnttab = NULL;
    pthread_mutex_unlock(&gt->lock);
    pthread_mutex_destroy(&gt->lock);
    free(gt->maptrack);
    free(gt->active);
    free(gt);
}

/* ---- The build step ---------------------------------------------------- */

/* grant_ring: the toolstack's reserved entry (ref): (gfn) to domain 0. */
static void grant_ring(struct domain *d, grant_ref_t ref, uint64_t gfn)
{
    struct grant_entry_v1 *e = gnttab_entry(d->gnttab, ref);

    if (!gfn || gfn > UINT32_MAX)
        return;
    e->domid = HOST_DOMID;
    e->frame = (uint32_t)gfn;
    __atomic_store_n(&e->flags, GTF_permit_access, __ATOMIC_RELEASE);
}

int gnttab_step_init(struct domain *d, const struct domain_config *cfg,
                     struct pvhv_error *err)
{
    int rc = gnttab_domain_init(d, cfg->max_grant_frames, d->grant_frames_gfn);

    if (rc < 0) {
        pvhv_error_set(err, "cannot set up the grant table (%u frames): %s",
                       cfg->max_grant_frames ? cfg->max_grant_frames
                                             : DEFAULT_FRAMES,
                       strerror(-rc));
        return rc;
    }
    grant_ring(d, GNTTAB_RESERVED_CONSOLE, d->hvm_param[HVM_PARAM_CONSOLE_PFN]);
    grant_ring(d, GNTTAB_RESERVED_XENSTORE, d->hvm_param[HVM_PARAM_STORE_PFN]);
    return 0;
}

void gnttab_step_fini(struct domain *d)
{
    gnttab_domain_destroy(d);
}
