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
#include "core/instance.h"
#include "platform/platforms.h"
#include "core/grant_table.h"
#include "core/grant_table_internal.h"
#include "core/registry.h"

/* KVM's operations, on each hand-built domain's own (absent) platform
 * state: the vCPU kicks and mappings these tests reach do nothing. */
static struct platform unit_platform = {.ops = &platform_kvm};
static struct pvhv unit_hv = {.platform = &unit_platform};

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
 * Domain 0 (privileged, no table) and three guests A (id 1), B (2) and
 * C (3), each with 1 MiB of RAM and a table of two frames.
 */
static struct registry reg;
static struct domain *dom0, *da, *db, *dc;

static struct domain *mkdom(int is_dom0)
{
    struct domain *d = calloc(1, sizeof(*d));

    ck_assert_ptr_nonnull(d);
    d->registry = &reg;
    d->hv = &unit_hv;
    ck_assert_int_eq(registry_add(&reg, d, is_dom0), 0);
    atomic_init(&d->state, DOMAIN_RUNNING);
    d->privileged = is_dom0;
    if (is_dom0)
        return d;
    d->ram.host = calloc(1, RAM_SIZE);
    d->ram.size = d->ram.low_size = RAM_SIZE;
    d->nr_vcpus = 1;
    d->vcpus = calloc(1, sizeof(*d->vcpus));
    d->vcpus[0].domain = d;
    void *frames[NR_FRAMES];
    for (unsigned int i = 0; i < NR_FRAMES; i++)
        frames[i] = memset(aligned_alloc(4096, 4096), 0, 4096);
    ck_assert_int_eq(
        gnttab_init_frames(d, frames, NR_FRAMES, FIRST_GFN, &fake_ops), 0);
    return d;
}

static void rmdom(struct domain *d)
{
    if (!d)
        return;
    registry_remove(&reg, d);
    if (d->gnttab) {
        void *frames[NR_FRAMES];

        memcpy(frames, d->gnttab->frame, sizeof(frames));
        gnttab_domain_destroy(d);
        for (unsigned int i = 0; i < NR_FRAMES; i++)
            free(frames[i]);
    }
    free(d->vcpus);
    free(d->ram.host);
    free(d);
}

static void setup(void)
{
    registry_init(&reg);
    dom0 = mkdom(1);
    da = mkdom(0);
    db = mkdom(0);
    dc = mkdom(0);
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
    rmdom(dom0);
    registry_fini(&reg);
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
