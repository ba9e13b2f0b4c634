/* SPDX-License-Identifier: MIT */
/* grant_test.h: fake domains and a recording fake platform for the grant table
 * suite. */
#ifndef PVHV_TESTS_GRANT_TEST_H
#define PVHV_TESTS_GRANT_TEST_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "pvabi/grant_table.h"
#include "pvabi/pvhv.h"
#include "core/domain.h"
#include "core/grant_table.h"
#include "core/grant_table_internal.h"
#include "core/registry.h"
#include "domain_fixture.h"

#define RAM_SIZE (1ULL << 20)
#define NR_FRAMES 2
#define FIRST_GFN 0xF0ULL /* where the tests say the frames are */
#define ARG 0x1000ULL     /* hypercall arguments, in guest RAM */
#define MAP_AT 0x20000ULL /* a RAM page of the mapper */
#define WINDOW PVHV_GRANT_WINDOW_BASE

/* ---- A fake platform: records what would be mapped ---------------------- */

struct page_call {
    struct domain *mapper, *granter;
    uint64_t gpa, granter_gpa;
    unsigned int idx;
    bool readonly;
};

static struct page_call last_map, last_unmap, last_frame;
static unsigned int nr_map, nr_unmap, nr_frame;
static int map_result; /* what map_foreign answers */

static int fake_map_foreign(struct domain *mapper, uint64_t gpa,
                            struct domain *granter, uint64_t granter_gpa,
                            bool readonly)
{
    last_map = (struct page_call){.mapper = mapper,
                                  .granter = granter,
                                  .gpa = gpa,
                                  .granter_gpa = granter_gpa,
                                  .readonly = readonly};
    nr_map++;
    return map_result;
}

static int fake_unmap_foreign(struct domain *mapper, uint64_t gpa)
{
    last_unmap = (struct page_call){.mapper = mapper, .gpa = gpa};
    nr_unmap++;
    return 0;
}

static int frame_result; /* what fake_map_frame returns */

static int fake_map_frame(struct domain *d, unsigned int idx, uint64_t gpa)
{
    last_frame = (struct page_call){.mapper = d, .idx = idx, .gpa = gpa};
    nr_frame++;
    return frame_result;
}

static const struct gnttab_page_ops fake_ops = {
    .map_foreign = fake_map_foreign,
    .unmap_foreign = fake_unmap_foreign,
    .map_frame = fake_map_frame,
};

/* ---- Domains ----------------------------------------------------------- */

/*
 * Three guests A (id 1), B (2) and C (3), built by domain_build over the
 * fake platform (domain_fixture.h), each with 1 MiB of RAM and, in place
 * of the table the build gave it, a table of two frames at FIRST_GFN on
 * the recording fake_ops. Domain 0 is the host (HOST_DOMID), which has no
 * grant table.
 */
static struct domain *da, *db, *dc;

static struct domain *mkdom(uint16_t domid)
{
    struct pvhv_domain_config cfg;
    void *frames[NR_FRAMES];
    struct domain *d;

    fixture_config(&cfg, RAM_SIZE);
    d = fixture_domain(&cfg, domid);
    gnttab_domain_destroy(d);
    for (unsigned int i = 0; i < NR_FRAMES; i++)
        frames[i] = memset(aligned_alloc(4096, 4096), 0, 4096);
    ck_assert_int_eq(
        gnttab_init_frames(d, frames, NR_FRAMES, FIRST_GFN, &fake_ops), 0);
    return d;
}

/* rmdom: (d) torn down (NULL: none), then its table's frames freed. */
static void rmdom(struct domain *d)
{
    void *frames[NR_FRAMES] = {NULL};

    if (!d)
        return;
    if (d->gnttab)
        memcpy(frames, d->gnttab->frame, sizeof(frames));
    fixture_teardown(d);
    for (unsigned int i = 0; i < NR_FRAMES; i++)
        free(frames[i]);
}

/* mkdom_bare: a domain of id (domid) as built without the "grants" step. */
static struct domain *mkdom_bare(uint16_t domid)
{
    struct pvhv_domain_config cfg;
    struct domain *d;

    fixture_config(&cfg, RAM_SIZE);
    d = fixture_domain(&cfg, domid);
    gnttab_domain_destroy(d);
    return d;
}

static void setup(void)
{
    da = mkdom(1);
    db = mkdom(2);
    dc = mkdom(3);
    ck_assert_uint_eq(da->domid, 1);
    ck_assert_uint_eq(db->domid, 2);
    ck_assert_uint_eq(dc->domid, 3);
    nr_map = nr_unmap = nr_frame = 0;
    map_result = 0;
}

static void teardown(void)
{
    rmdom(da);
    rmdom(db);
    rmdom(dc);
    fixture_destroy(NULL);
}

/* ---- Helpers ----------------------------------------------------------- */

static struct grant_entry_v1 *entry(struct domain *d, grant_ref_t ref)
{
    return gnttab_entry(d->gnttab, ref);
}

/* grant: what a granting guest does, in the protocol's order. */
static void grant(struct domain *d, grant_ref_t ref, domid_t to, uint32_t frame,
                  uint16_t flags)
{
    entry(d, ref)->domid = to;
    entry(d, ref)->frame = frame;
    __atomic_store_n(&entry(d, ref)->flags, flags, __ATOMIC_RELEASE);
}

static uint16_t flags(struct domain *d, grant_ref_t ref)
{
    return __atomic_load_n(&entry(d, ref)->flags, __ATOMIC_ACQUIRE);
}

static struct gnttab_map_grant_ref map(struct domain *d, domid_t dom,
                                       grant_ref_t ref, uint64_t at,
                                       uint32_t mflags)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = at, .flags = mflags, .ref = ref, .dom = dom};

    gnttab_map_grant_ref(d, &op);
    return op;
}

static int16_t unmap(struct domain *d, grant_handle_t h, uint64_t at)
{
    struct gnttab_unmap_grant_ref op = {.host_addr = at, .handle = h};

    gnttab_unmap_grant_ref(d, &op);
    return op.status;
}

#define RW GNTMAP_host_map
#define RO (GNTMAP_host_map | GNTMAP_readonly)
#define BUSY (GTF_reading | GTF_writing)

#endif /* PVHV_TESTS_GRANT_TEST_H */
