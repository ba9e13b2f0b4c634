/* SPDX-License-Identifier: MIT */
/* grant_table_internal.h: the grant table's state, for grant_table*.c and unit
 * tests. */
#ifndef PVHV_CORE_GRANT_TABLE_INTERNAL_H
#define PVHV_CORE_GRANT_TABLE_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/domain.h"
#include "core/grant_table.h"

#define GNTTAB_ENTRIES_PER_FRAME (4096 / sizeof(struct grant_entry_v1))
#define GNTTAB_MAPTRACK_MAX 16384 /* mappings one domain may hold */

/*
 * How mappings reach the address space: the platform's functions in the
 * hypervisor, fakes in unit tests (which have no VM). map_foreign puts
 * the page at (granter_gpa) of (granter) at (gpa) of (mapper);
 * unmap_foreign puts back what (gpa) held; map_frame puts frame (idx) of
 * (d)'s table at (gpa). Each returns 0 or -errno.
 */
struct gnttab_page_ops {
    int (*map_foreign)(struct domain *mapper, uint64_t gpa,
                       struct domain *granter, uint64_t granter_gpa,
                       bool readonly);
    int (*unmap_foreign)(struct domain *mapper, uint64_t gpa);
    int (*map_frame)(struct domain *d, unsigned int idx, uint64_t gpa);
};

/*
 * What the hypervisor keeps per entry (not in guest memory): the
 * mappings of it, writable and read-only, by guests and by the host.
 * GTF_writing stays set while pin_rw > 0, GTF_reading while either is.
 * `frame` is the granted frame, fixed by the first mapping until the
 * last one goes (the guest may rewrite the entry meanwhile).
 */
struct gnttab_active {
    uint32_t pin_ro, pin_rw;
    uint32_t frame;
};

/* A mapping this domain holds of another's grant: its handle's record. */
struct gnttab_maptrack {
    uint64_t gpa;            /* where it is mapped */
    uint64_t granter_serial; /* the granter's table (ids are reused) */
    grant_ref_t ref;
    domid_t granter;
    bool in_use;
    bool readonly;
    uint32_t next_free; /* free list, when not in use */
};

/*
 * A domain's grant table. `lock` protects everything below it and the
 * GTF_reading/GTF_writing bits of the entries (the guest writes the
 * other bits at any time: those are updated by compare-and-swap). Two
 * tables are only ever locked together lower domid first, with the
 * registry held while the other domain is looked up.
 */
struct grant_table {
    pthread_mutex_t lock;
    uint64_t serial; /* unique per table, never reused */
    const struct gnttab_page_ops *ops;
    unsigned int nr_frames; /* = the maximum, from the start */
    unsigned int nr_entries;
    struct grant_entry_v1 *frame[GNTTAB_MAX_FRAMES];
    uint64_t frame_gfn[GNTTAB_MAX_FRAMES]; /* where each is mapped now */
    uint64_t boot_gfn;            /* where frame 0 was mapped at build */
    struct gnttab_active *active; /* nr_entries */

    /* As a mapper: handle h is maptrack[h]. */
    struct gnttab_maptrack *maptrack;
    uint32_t maptrack_cap, maptrack_top, maptrack_free, nr_maps;
};

/*
 * gnttab_init_frames: gives (d) a table of (nr_frames) frames at the host
 * addresses (frames), said to be mapped at guest frames (first_gfn ...),
 * mapping through (ops). Returns 0, -EINVAL or -ENOMEM. What
 * gnttab_domain_init does with the platform's pages and functions.
 */
int gnttab_init_frames(struct domain *d, void *const *frames,
                       unsigned int nr_frames, uint64_t first_gfn,
                       const struct gnttab_page_ops *ops);

/* gnttab_entry: entry (ref) of (gt); ref < nr_entries. */
static inline struct grant_entry_v1 *gnttab_entry(struct grant_table *gt,
                                                  grant_ref_t ref)
{
    return &gt->frame[ref / GNTTAB_ENTRIES_PER_FRAME]
                     [ref % GNTTAB_ENTRIES_PER_FRAME];
}

/*
 * Shared helpers (grant_table.c). gnttab_lock_two / unlock_two: both
 * tables, lower domid first (once when the same). gnttab_find: (d) for
 * DOMID_SELF or its own id, else the registry's domain (registry held),
 * NULL if none or without a table. gnttab_check_entry: checks that entry
 * (ref) of the locked (gd) grants (grantee) access (writable unless
 * (readonly)) and finds its frame's host address; GNTST_*.
 */
static inline void gnttab_lock(struct domain *d)
{
    pthread_mutex_lock(&d->gnttab->lock);
}

static inline void gnttab_unlock(struct domain *d)
{
    pthread_mutex_unlock(&d->gnttab->lock);
}

void gnttab_lock_two(struct domain *a, struct domain *b);
void gnttab_unlock_two(struct domain *a, struct domain *b);
struct domain *gnttab_find(struct domain *d, domid_t domid);
/* gnttab_has_table: whether (td) has a grant table (domain_lookup usable). */
bool gnttab_has_table(const struct domain *td);
/* gnttab_lookup_status: a domain_lookup result as GNTST_*. */
int gnttab_lookup_status(int rc);
int gnttab_check_entry(struct domain *gd, grant_ref_t ref, domid_t grantee,
                       bool readonly, uint32_t *frame, void **host);

/*
 * gnttab_pin / gnttab_unpin: as gnttab_check_entry, then the entry's
 * GTF_reading/GTF_writing set and the mapping counted / one mapping
 * dropped, the flags cleared with the last. (gd) locked.
 * gnttab_gpa_mappable: (gpa) is a page of (d)'s RAM or grant window.
 * gnttab_unmap_all: drops every mapping (d) holds (grant_table_map.c).
 */
int gnttab_pin(struct domain *gd, grant_ref_t ref, domid_t grantee,
               bool readonly, uint32_t *frame, void **host);
void gnttab_unpin(struct domain *gd, grant_ref_t ref, bool readonly);
bool gnttab_gpa_mappable(struct domain *d, uint64_t gpa);
void gnttab_unmap_all(struct domain *d);

#endif /* PVHV_CORE_GRANT_TABLE_INTERNAL_H */
