/* SPDX-License-Identifier: MIT */
/* check_grant_table.c: grant entries, map/unmap, copy, the maptrack and table
 * lifetime, without KVM. */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pvabi/errno.h"
#include "pvabi/memory.h"
#include "core/hypercall.h"
#include "core/instance.h"
#include "grant_test.h"

/* ---- Table set-up ------------------------------------------------------ */

START_TEST(test_init)
{
    struct domain *d = mkdom_bare(9);
    struct platform_vm *vm = d->pv;
    void *frames[1] = {NULL};
    void *page = aligned_alloc(4096, 4096);

    ck_assert_int_eq(gnttab_init_frames(d, frames, 0, 0, &fake_ops), -EINVAL);
    ck_assert_int_eq(gnttab_init_frames(d, frames, 1, 0, &fake_ops), -EINVAL);
    frames[0] = page;
    ck_assert_int_eq(
        gnttab_init_frames(d, frames, GNTTAB_MAX_FRAMES + 1, 0, &fake_ops),
        -EINVAL);
    ck_assert_ptr_null(d->gnttab);
    /* No platform behind this domain: no special pages, a clean -ENODEV. */
    d->pv = NULL;
    ck_assert_int_eq(gnttab_domain_init(d, 0, FIRST_GFN), -ENODEV);
    d->pv = vm;
    ck_assert_int_eq(gnttab_domain_init(d, 64, FIRST_GFN), -EINVAL);
    ck_assert_ptr_null(d->gnttab);
    gnttab_domain_destroy(d); /* no table: nothing to do */
    ck_assert_int_eq(gnttab_init_frames(d, frames, 1, 0, &fake_ops), 0);
    ck_assert_uint_eq(d->gnttab->nr_entries, 512);
    gnttab_domain_destroy(d);
    ck_assert_ptr_null(d->gnttab);
    free(page);
    rmdom(d);
}
END_TEST

START_TEST(test_query_and_setup)
{
    struct gnttab_query_size q = {.dom = DOMID_SELF};
    struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 2};
    xen_pfn_t gfns[GNTTAB_MAX_FRAMES] = {0};

    gnttab_query_size(da, &q);
    ck_assert_int_eq(q.status, GNTST_okay);
    ck_assert_uint_eq(q.nr_frames, NR_FRAMES);
    ck_assert_uint_eq(q.max_nr_frames, NR_FRAMES);
    q.dom = db->domid;
    gnttab_query_size(da, &q);
    ck_assert_int_eq(q.status, GNTST_permission_denied);
    q.dom = 99;
    gnttab_query_size(da, &q);
    ck_assert_int_eq(q.status, GNTST_bad_domain);
    q.dom = HOST_DOMID; /* the host has no table */
    gnttab_query_size(da, &q);
    ck_assert_int_eq(q.status, GNTST_bad_domain);
    q.dom = da->domid;
    db->privileged = true;
    gnttab_query_size(db, &q); /* privileged: any domain */
    ck_assert_int_eq(q.status, GNTST_okay);
    db->privileged = false;

    gnttab_setup_table(da, &st, gfns);
    ck_assert_int_eq(st.status, GNTST_okay);
    ck_assert_uint_eq(gfns[0], FIRST_GFN);
    ck_assert_uint_eq(gfns[1], FIRST_GFN + 1);
    st.nr_frames = NR_FRAMES + 1;
    gnttab_setup_table(da, &st, gfns);
    ck_assert_int_eq(st.status, GNTST_general_error);
    st.nr_frames = 1;
    st.dom = db->domid;
    gnttab_setup_table(da, &st, gfns);
    ck_assert_int_eq(st.status, GNTST_permission_denied);
}
END_TEST

/* ---- map_grant_ref / unmap_grant_ref ----------------------------------- */

START_TEST(test_map_unmap)
{
    struct gnttab_map_grant_ref op;

    grant(da, 8, db->domid, 0x10, GTF_permit_access);
    op = map(db, da->domid, 8, MAP_AT, RW);
    ck_assert_int_eq(op.status, GNTST_okay);
    ck_assert_uint_eq(op.dev_bus_addr, 0x10000);
    ck_assert_uint_eq(nr_map, 1);
    ck_assert_ptr_eq(last_map.mapper, db);
    ck_assert_ptr_eq(last_map.granter, da);
    ck_assert_uint_eq(last_map.gpa, MAP_AT);
    ck_assert_uint_eq(last_map.granter_gpa, 0x10000);
    ck_assert(!last_map.readonly);
    ck_assert_uint_eq(flags(da, 8), GTF_permit_access | BUSY);
    ck_assert_uint_eq(db->gnttab->nr_maps, 1);

    ck_assert_int_eq(unmap(db, op.handle, MAP_AT), GNTST_okay);
    ck_assert_uint_eq(nr_unmap, 1);
    ck_assert_ptr_eq(last_unmap.mapper, db);
    ck_assert_uint_eq(last_unmap.gpa, MAP_AT);
    ck_assert_uint_eq(flags(da, 8), GTF_permit_access);
    ck_assert_uint_eq(db->gnttab->nr_maps, 0);
    ck_assert_int_eq(unmap(db, op.handle, MAP_AT), GNTST_bad_handle);

    /* The grant window is as good as RAM; the handle is reused. */
    op = map(db, da->domid, 8, WINDOW + 0x5000, RW | GNTMAP_device_map);
    ck_assert_int_eq(op.status, GNTST_okay);
    ck_assert_uint_eq(last_map.gpa, WINDOW + 0x5000);
    ck_assert_int_eq(unmap(db, op.handle, WINDOW + 0x4000),
                     GNTST_bad_virt_addr);
    ck_assert_int_eq(unmap(db, op.handle, WINDOW + 0x5000), GNTST_okay);
    ck_assert_int_eq(unmap(db, 12345, MAP_AT), GNTST_bad_handle);
}
END_TEST

START_TEST(test_readonly)
{
    struct gnttab_map_grant_ref op;

    grant(da, 8, db->domid, 0x10, GTF_permit_access);
    op = map(db, da->domid, 8, MAP_AT, RO);
    ck_assert_int_eq(op.status, GNTST_okay);
    ck_assert(last_map.readonly);
    ck_assert_uint_eq(flags(da, 8), GTF_permit_access | GTF_reading);
    ck_assert_int_eq(unmap(db, op.handle, MAP_AT), GNTST_okay);

    /* A read-only grant: read-only mappings only. */
    grant(da, 9, db->domid, 0x11, GTF_permit_access | GTF_readonly);
    op = map(db, da->domid, 9, MAP_AT, RW);
    ck_assert_int_eq(op.status, GNTST_permission_denied);
    ck_assert_uint_eq(flags(da, 9), GTF_permit_access | GTF_readonly);
    op = map(db, da->domid, 9, MAP_AT, RO);
    ck_assert_int_eq(op.status, GNTST_okay);
    ck_assert_uint_eq(flags(da, 9),
                      GTF_permit_access | GTF_readonly | GTF_reading);
    ck_assert_int_eq(unmap(db, op.handle, MAP_AT), GNTST_okay);
    ck_assert_uint_eq(flags(da, 9), GTF_permit_access | GTF_readonly);
}
END_TEST

START_TEST(test_map_errors)
{
    grant(da, 8, db->domid, 0x10, GTF_permit_access);
    grant(da, 9, dc->domid, 0x11, GTF_permit_access);
    grant(da, 10, db->domid, RAM_SIZE >> 12, GTF_permit_access);
    grant(da, 11, db->domid, 0x12, GTF_accept_transfer);
    ck_assert_int_eq(map(db, 99, 8, MAP_AT, RW).status, GNTST_bad_domain);
    ck_assert_int_eq(map(db, HOST_DOMID, 8, MAP_AT, RW).status,
                     GNTST_bad_domain); /* domain 0 grants nothing */
    ck_assert_int_eq(map(db, da->domid, NR_FRAMES * 512, MAP_AT, RW).status,
                     GNTST_bad_gntref);
    ck_assert_int_eq(map(db, da->domid, 9, MAP_AT, RW).status,
                     GNTST_permission_denied); /* granted to C */
    ck_assert_int_eq(map(db, da->domid, 12, MAP_AT, RW).status,
                     GNTST_permission_denied); /* never granted */
    ck_assert_int_eq(map(db, da->domid, 11, MAP_AT, RW).status,
                     GNTST_permission_denied); /* not permit_access */
    ck_assert_int_eq(map(db, da->domid, 10, MAP_AT, RW).status, GNTST_bad_page);
    ck_assert_int_eq(map(db, da->domid, 8, MAP_AT + 1, RW).status,
                     GNTST_bad_virt_addr);
    ck_assert_int_eq(map(db, da->domid, 8, RAM_SIZE, RW).status,
                     GNTST_bad_virt_addr);
    ck_assert_int_eq(
        map(db, da->domid, 8, WINDOW + PVHV_GRANT_WINDOW_SIZE, RW).status,
        GNTST_bad_virt_addr);
    ck_assert_int_eq(map(db, da->domid, 8, MAP_AT, 0).status, GNTST_bad_gntref);
    ck_assert_int_eq(map(db, da->domid, 8, MAP_AT, GNTMAP_device_map).status,
                     GNTST_general_error);
    ck_assert_int_eq(
        map(db, da->domid, 8, MAP_AT, RW | GNTMAP_contains_pte).status,
        GNTST_general_error);
    ck_assert_uint_eq(nr_map, 0);
    ck_assert_uint_eq(flags(da, 8), GTF_permit_access);

    /* The platform fails: nothing is left pinned or tracked. */
    map_result = -ENOMEM;
    ck_assert_int_eq(map(db, da->domid, 8, MAP_AT, RW).status,
                     GNTST_general_error);
    ck_assert_uint_eq(flags(da, 8), GTF_permit_access);
    ck_assert_uint_eq(db->gnttab->nr_maps, 0);
    map_result = 0;

    /* One mapping per address. */
    struct gnttab_map_grant_ref op = map(db, da->domid, 8, MAP_AT, RW);
    ck_assert_int_eq(op.status, GNTST_okay);
    ck_assert_int_eq(map(db, da->domid, 8, MAP_AT, RO).status,
                     GNTST_bad_virt_addr);
    ck_assert_int_eq(unmap(db, op.handle, MAP_AT), GNTST_okay);
}
END_TEST

/* GTF_writing goes with the last writable mapping, GTF_reading with the last.
 */
START_TEST(test_pin_counts)
{
    struct gnttab_map_grant_ref w, r, cw;
    struct gnttab_host_map hm;

    grant(da, 8, db->domid, 0x10, GTF_permit_access);
    w = map(db, da->domid, 8, MAP_AT, RW);
    r = map(db, da->domid, 8, MAP_AT + 0x1000, RO);
    ck_assert_int_eq(w.status, GNTST_okay);
    ck_assert_int_eq(r.status, GNTST_okay);
    ck_assert_uint_ne(w.handle, r.handle);
    ck_assert_uint_eq(flags(da, 8), GTF_permit_access | BUSY);
    ck_assert_int_eq(unmap(db, w.handle, MAP_AT), GNTST_okay);
    ck_assert_uint_eq(flags(da, 8), GTF_permit_access | GTF_reading);
    ck_assert_int_eq(unmap(db, r.handle, MAP_AT + 0x1000), GNTST_okay);
    ck_assert_uint_eq(flags(da, 8), GTF_permit_access);

    /* The entry is rewritten while mapped: new mappings keep the frame
     * the first one pinned. */
    w = map(db, da->domid, 8, MAP_AT, RW);
    entry(da, 8)->frame = 0x20;
    r = map(db, da->domid, 8, MAP_AT + 0x1000, RO);
    ck_assert_uint_eq(r.dev_bus_addr, 0x10000);
    /* Guests and the host count alike. */
    grant(da, 9, HOST_DOMID, 0x11, GTF_permit_access);
    grant(dc, 8, db->domid, 0x10, GTF_permit_access);
    cw = map(db, dc->domid, 8, MAP_AT + 0x2000, RW);
    ck_assert_int_eq(cw.status, GNTST_okay);
    ck_assert_int_eq(gnttab_host_map(da, 9, false, &hm), GNTST_okay);
    ck_assert_uint_eq(flags(da, 9), GTF_permit_access | BUSY);
    gnttab_host_unmap(&hm);
    ck_assert_uint_eq(flags(da, 9), GTF_permit_access);
    ck_assert_uint_eq(flags(da, 8), GTF_permit_access | BUSY);
    ck_assert_int_eq(unmap(db, r.handle, MAP_AT + 0x1000), GNTST_okay);
    ck_assert_int_eq(unmap(db, w.handle, MAP_AT), GNTST_okay);
    ck_assert_uint_eq(flags(da, 8), GTF_permit_access);
    ck_assert_uint_eq(flags(dc, 8), GTF_permit_access | BUSY);
    ck_assert_int_eq(unmap(db, cw.handle, MAP_AT + 0x2000), GNTST_okay);
    ck_assert_uint_eq(flags(dc, 8), GTF_permit_access);
}
END_TEST

/* A granter may revoke a mapped grant: the mapping stays, flags tell. */
START_TEST(test_revoke_while_mapped)
{
    struct gnttab_map_grant_ref op;

    grant(da, 8, db->domid, 0x10, GTF_permit_access);
    op = map(db, da->domid, 8, MAP_AT, RW);
    ck_assert_int_eq(op.status, GNTST_okay);
    /* The guest's compare-and-swap from GTF_permit_access fails... */
    uint16_t expect = GTF_permit_access;
    ck_assert(!__atomic_compare_exchange_n(&entry(da, 8)->flags, &expect, 0,
                                           false, __ATOMIC_SEQ_CST,
                                           __ATOMIC_SEQ_CST));
    /* ...a careless one succeeds; the unmap still works and clears. */
    __atomic_store_n(&entry(da, 8)->flags, BUSY, __ATOMIC_SEQ_CST);
    ck_assert_int_eq(map(db, da->domid, 8, MAP_AT + 0x1000, RW).status,
                     GNTST_permission_denied);
    ck_assert_int_eq(unmap(db, op.handle, MAP_AT), GNTST_okay);
    ck_assert_uint_eq(flags(da, 8), 0);
}
END_TEST

/* ---- Host mappings ----------------------------------------------------- */

START_TEST(test_host_map)
{
    struct gnttab_host_map m;

    grant(da, 8, HOST_DOMID, 0x10, GTF_permit_access);
    grant(da, 9, db->domid, 0x11, GTF_permit_access);
    grant(da, 10, HOST_DOMID, 0x12, GTF_permit_access | GTF_readonly);
    ck_assert_int_eq(gnttab_host_map(da, 8, false, &m), GNTST_okay);
    ck_assert_ptr_eq(m.addr, da->ram.host + 0x10000);
    ck_assert_uint_eq(flags(da, 8), GTF_permit_access | BUSY);
    gnttab_host_unmap(&m);
    ck_assert_ptr_null(m.addr);
    ck_assert_uint_eq(flags(da, 8), GTF_permit_access);
    gnttab_host_unmap(&m); /* twice: no effect */
    ck_assert_uint_eq(flags(da, 8), GTF_permit_access);

    ck_assert_int_eq(gnttab_host_map(da, 9, false, &m),
                     GNTST_permission_denied);
    ck_assert_ptr_null(m.addr);
    ck_assert_int_eq(gnttab_host_map(da, 10, false, &m),
                     GNTST_permission_denied);
    ck_assert_int_eq(gnttab_host_map(da, 10, true, &m), GNTST_okay);
    ck_assert_uint_eq(flags(da, 10),
                      GTF_permit_access | GTF_readonly | GTF_reading);
    gnttab_host_unmap(&m);
    ck_assert_int_eq(gnttab_host_map(da, 4096, true, &m), GNTST_bad_gntref);
    struct domain *bare = mkdom_bare(4);
    ck_assert_int_eq(gnttab_host_map(bare, 0, true, &m), GNTST_bad_domain);
    rmdom(bare);
}
END_TEST

/* ---- copy -------------------------------------------------------------- */

static int16_t copy(struct domain *d, struct gnttab_copy op)
{
    gnttab_copy(d, &op);
    return op.status;
}

START_TEST(test_copy)
{
    struct gnttab_copy to_a = {
        .source = {.u.gmfn = 0x30, .domid = DOMID_SELF, .offset = 16},
        .dest = {.u.ref = 8, .domid = 1, .offset = 100},
        .len = 64,
        .flags = GNTCOPY_dest_gref,
    };
    struct gnttab_copy from_a = {
        .source = {.u.ref = 9, .domid = 1, .offset = 0},
        .dest = {.u.gmfn = 0x31, .domid = 2, .offset = 0},
        .len = 4096,
        .flags = GNTCOPY_source_gref,
    };

    grant(da, 8, db->domid, 0x10, GTF_permit_access);
    grant(da, 9, db->domid, 0x11, GTF_permit_access | GTF_readonly);
    memset(db->ram.host + 0x30000 + 16, 0xab, 64);
    memset(da->ram.host + 0x11000, 0xcd, 4096);
    ck_assert_int_eq(copy(db, to_a), GNTST_okay);
    ck_assert_uint_eq(da->ram.host[0x10000 + 100], 0xab);
    ck_assert_uint_eq(da->ram.host[0x10000 + 163], 0xab);
    ck_assert_uint_eq(da->ram.host[0x10000 + 164], 0);
    ck_assert_int_eq(copy(db, from_a), GNTST_okay); /* read-only source */
    ck_assert_uint_eq(db->ram.host[0x31000 + 4095], 0xcd);
    ck_assert_uint_eq(flags(da, 8), GTF_permit_access); /* never pinned */

    /* Grant to grant, both of A; a read-only grant is no destination. */
    struct gnttab_copy g2g = {
        .source = {.u.ref = 9, .domid = 1},
        .dest = {.u.ref = 8, .domid = 1},
        .len = 8,
        .flags = GNTCOPY_source_gref | GNTCOPY_dest_gref,
    };
    ck_assert_int_eq(copy(db, g2g), GNTST_okay);
    ck_assert_uint_eq(da->ram.host[0x10000], 0xcd);
    g2g.dest.u.ref = 9;
    ck_assert_int_eq(copy(db, g2g), GNTST_permission_denied);
    ck_assert_int_eq(copy(dc, to_a), GNTST_permission_denied); /* not C's */
}
END_TEST

START_TEST(test_copy_errors)
{
    struct gnttab_copy op = {
        .source = {.u.gmfn = 0x30, .domid = DOMID_SELF, .offset = 4000},
        .dest = {.u.ref = 8, .domid = 1, .offset = 0},
        .len = 96,
        .flags = GNTCOPY_dest_gref,
    };

    grant(da, 8, db->domid, 0x10, GTF_permit_access);
    ck_assert_int_eq(copy(db, op), GNTST_okay); /* ends at the page's end */
    op.len = 97;
    ck_assert_int_eq(copy(db, op), GNTST_bad_copy_arg);
    op.len = 8;
    op.source.offset = 0;
    op.dest.offset = 4090;
    ck_assert_int_eq(copy(db, op), GNTST_bad_copy_arg);
    op.dest.offset = 0;
    op.dest.domid = 99;
    ck_assert_int_eq(copy(db, op), GNTST_bad_domain);
    op.dest.domid = 1;
    op.dest.u.ref = 5000;
    ck_assert_int_eq(copy(db, op), GNTST_bad_gntref);
    op.dest.u.ref = 8;
    op.source.domid = da->domid; /* A's frame without a grant */
    ck_assert_int_eq(copy(db, op), GNTST_permission_denied);
    op.source.domid = HOST_DOMID; /* the host's frames: not the guest's */
    ck_assert_int_eq(copy(db, op), GNTST_permission_denied);
    op.source.domid = 99;
    ck_assert_int_eq(copy(db, op), GNTST_bad_domain);
    op.source.domid = db->domid;
    op.source.u.gmfn = RAM_SIZE >> 12;
    ck_assert_int_eq(copy(db, op), GNTST_bad_page);
    op.source.u.gmfn = UINT64_MAX;
    ck_assert_int_eq(copy(db, op), GNTST_bad_page);
}
END_TEST

/*
 * Map, copy and unmap hold the slots of the domains they find, never the
 * whole registry: with its lock held here, they still run (taking it
 * would hang, and the test's timeout fail it).
 */
START_TEST(test_no_registry_lock)
{
    struct registry *r = &fixture_instance()->registry;
    struct gnttab_copy two_grants = {
        .source = {.u.ref = 9, .domid = 1},
        .dest = {.u.ref = 8, .domid = 3},
        .len = 8,
        .flags = GNTCOPY_source_gref | GNTCOPY_dest_gref,
    };
    struct gnttab_map_grant_ref op;

    grant(da, 9, db->domid, 0x11, GTF_permit_access);
    grant(dc, 8, db->domid, 0x12, GTF_permit_access);
    memset(da->ram.host + 0x11000, 0x5c, 8);
    registry_lock(r);
    op = map(db, da->domid, 9, MAP_AT, RO);
    ck_assert_int_eq(op.status, GNTST_okay);
    ck_assert_int_eq(copy(db, two_grants), GNTST_okay);
    two_grants.dest.domid = 99;
    ck_assert_int_eq(copy(db, two_grants), GNTST_bad_domain);
    ck_assert_int_eq(unmap(db, op.handle, MAP_AT), GNTST_okay);
    registry_unlock(r);
    ck_assert_uint_eq(dc->ram.host[0x12000 + 7], 0x5c);
}
END_TEST

/* ---- Limits and lifetime ----------------------------------------------- */

START_TEST(test_maptrack_limit)
{
    /* The maptrack's limit, not the host's: B's share of the host's
     * mappings (core/map_budget.h) goes, so that B counts none. */
    map_budget_release(&db->maps);
    grant(da, 8, db->domid, 0x10, GTF_permit_access);
    for (uint64_t i = 0; i < GNTTAB_MAPTRACK_MAX; i++)
        ck_assert_int_eq(map(db, da->domid, 8, WINDOW + i * 4096, RO).status,
                         GNTST_okay);
    ck_assert_int_eq(map(db, da->domid, 8, MAP_AT, RO).status, GNTST_no_space);
    ck_assert_int_eq(unmap(db, 77, WINDOW + 77 * 4096), GNTST_okay);
    ck_assert_int_eq(map(db, da->domid, 8, MAP_AT, RO).status, GNTST_okay);
    ck_assert_uint_eq(flags(da, 8), GTF_permit_access | GTF_reading);
    /* B goes: all its mappings with it, without touching its address
     * space (it goes as a whole). */
    nr_unmap = 0;
    rmdom(db);
    db = NULL;
    ck_assert_uint_eq(nr_unmap, 0);
    ck_assert_uint_eq(flags(da, 8), GTF_permit_access);
    ck_assert_uint_eq(da->gnttab->active[8].pin_ro, 0);
}
END_TEST

START_TEST(test_granter_goes_first)
{
    struct gnttab_map_grant_ref op;
    domid_t a = da->domid;

    grant(da, 8, db->domid, 0x10, GTF_permit_access);
    op = map(db, a, 8, MAP_AT, RW);
    ck_assert_int_eq(op.status, GNTST_okay);
    rmdom(da);
    da = NULL;
    /* A new domain takes A's id: B's unmap must not touch its table. */
    da = mkdom(a);
    ck_assert_uint_eq(da->domid, a);
    grant(da, 8, db->domid, 0x10, GTF_permit_access);
    struct gnttab_map_grant_ref op2 = map(db, a, 8, MAP_AT + 0x1000, RW);
    ck_assert_int_eq(op2.status, GNTST_okay);
    ck_assert_int_eq(unmap(db, op.handle, MAP_AT), GNTST_okay);
    ck_assert_uint_eq(last_unmap.gpa, MAP_AT);
    ck_assert_uint_eq(flags(da, 8), GTF_permit_access | BUSY);
    ck_assert_int_eq(unmap(db, op2.handle, MAP_AT + 0x1000), GNTST_okay);
    ck_assert_uint_eq(flags(da, 8), GTF_permit_access);
}
END_TEST

/* A mapping of one's own grant, and the table going with it mapped. */
START_TEST(test_self_map)
{
    struct gnttab_map_grant_ref op;

    grant(da, 8, da->domid, 0x10, GTF_permit_access);
    op = map(da, DOMID_SELF, 8, MAP_AT, RW);
    ck_assert_int_eq(op.status, GNTST_okay);
    ck_assert_uint_eq(flags(da, 8), GTF_permit_access | BUSY);
    rmdom(da);
    da = NULL;
}
END_TEST

/*
 * The granter flips GTF_readonly while the grantee maps and unmaps
 * writable: every map sees one state or the other, and once all is
 * unmapped neither GTF_reading nor GTF_writing is left.
 */
struct flipper {
    struct grant_entry_v1 *e;
    _Atomic bool stop;
};

static void *flip(void *opaque)
{
    struct flipper *f = opaque;

    while (!atomic_load(&f->stop))
        __atomic_fetch_xor(&f->e->flags, GTF_readonly, __ATOMIC_SEQ_CST);
    return NULL;
}

START_TEST(test_concurrent_flags)
{
    struct flipper f = {.e = NULL};
    pthread_t t;
    unsigned int ok = 0, denied = 0;

    grant(da, 8, db->domid, 0x10, GTF_permit_access);
    f.e = entry(da, 8);
    atomic_init(&f.stop, false);
    ck_assert_int_eq(pthread_create(&t, NULL, flip, &f), 0);
    for (unsigned int i = 0; i < 20000; i++) {
        struct gnttab_map_grant_ref op = map(db, da->domid, 8, MAP_AT, RW);

        if (op.status == GNTST_okay) {
            ok++;
            ck_assert(flags(da, 8) & GTF_writing);
            ck_assert_int_eq(unmap(db, op.handle, MAP_AT), GNTST_okay);
        } else {
            ck_assert(op.status == GNTST_permission_denied ||
                      op.status == GNTST_general_error);
            denied++;
        }
    }
    atomic_store(&f.stop, true);
    pthread_join(t, NULL);
    ck_assert_uint_eq(flags(da, 8) & BUSY, 0);
    ck_assert_uint_eq(ok + denied, 20000);
}
END_TEST

/* ---- XENMAPSPACE_grant_table ------------------------------------------- */

static bool dummy_mmio(struct vcpu *v, uint64_t addr, uint8_t *data,
                       unsigned int len, bool is_write, void *opaque)
{
    (void)v, (void)addr, (void)data, (void)len, (void)is_write, (void)opaque;
    return true;
}

START_TEST(test_add_to_physmap)
{
    struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 2};
    xen_pfn_t gfns[GNTTAB_MAX_FRAMES];

    ck_assert_int_eq(gnttab_add_to_physmap(da, 0, 0x40), 0);
    ck_assert_uint_eq(last_frame.idx, 0);
    ck_assert_uint_eq(last_frame.gpa, 0x40000);
    ck_assert_uint_eq(nr_unmap, 0); /* the boot place stays as it is */
    gnttab_setup_table(da, &st, gfns);
    ck_assert_uint_eq(gfns[0], 0x40);
    ck_assert_uint_eq(gfns[1], FIRST_GFN + 1);
    /* Moved again: the RAM page at the old place comes back. */
    ck_assert_int_eq(gnttab_add_to_physmap(da, 0, WINDOW >> 12), 0);
    ck_assert_uint_eq(nr_unmap, 1);
    ck_assert_uint_eq(last_unmap.gpa, 0x40000);
    ck_assert_int_eq(gnttab_add_to_physmap(da, 1, WINDOW >> 12), 0);
    ck_assert_int_eq(gnttab_add_to_physmap(da, 0, 0x41), 0);
    ck_assert_uint_eq(nr_unmap, 1); /* frame 1 is there now */
    ck_assert_int_eq(gnttab_add_to_physmap(da, NR_FRAMES, 0x40), -XEN_EINVAL);
    ck_assert_int_eq(
        gnttab_add_to_physmap(da, XENMAPIDX_grant_table_status, 0x40),
        -XEN_EINVAL);
    /* Outside RAM and window, as Xen allows: the platform places it
     * (just past RAM, above 4 GiB where Linux puts them). */
    ck_assert_int_eq(gnttab_add_to_physmap(da, 0, RAM_SIZE >> 12), 0);
    ck_assert_uint_eq(last_frame.gpa, RAM_SIZE);
    ck_assert_int_eq(gnttab_add_to_physmap(da, 1, 0x100000000ULL >> 12), 0);
    ck_assert_uint_eq(last_frame.idx, 1);
    ck_assert_uint_eq(last_frame.gpa, 0x100000000ULL);
    gnttab_setup_table(da, &st, gfns);
    ck_assert_uint_eq(gfns[0], RAM_SIZE >> 12);
    ck_assert_uint_eq(gfns[1], 0x100000000ULL >> 12);
    /* Never over a device's MMIO, nor at frame 0, nor past 2^64. */
    /* (the domain runs: io_register refuses; set its table directly) */
    da->io[IO_SPACE_MMIO].range[0] = (struct io_range){
        .base = 0xFED00000ULL, .len = 0x1000, .fn = dummy_mmio};
    da->io[IO_SPACE_MMIO].n = 1;
    ck_assert_int_eq(gnttab_add_to_physmap(da, 0, 0xFED00), -XEN_EINVAL);
    da->io[IO_SPACE_MMIO].n = 0;
    ck_assert_uint_eq(gfns[0], RAM_SIZE >> 12);
    ck_assert_int_eq(gnttab_add_to_physmap(da, 0, UINT64_MAX), -XEN_EINVAL);
    /* What the platform refuses (its device region, say) is -EINVAL. */
    frame_result = -EINVAL;
    ck_assert_int_eq(gnttab_add_to_physmap(da, 0, 0xFEE00), -XEN_EINVAL);
    frame_result = 0;
    gnttab_setup_table(da, &st, gfns);
    ck_assert_uint_eq(gfns[0], RAM_SIZE >> 12); /* left where it was */
    struct domain *bare = mkdom_bare(4);
    ck_assert_int_eq(gnttab_add_to_physmap(bare, 0, 0x40), -XEN_ENOSYS);
    rmdom(bare);
}
END_TEST

/* ---- The hypercall ----------------------------------------------------- */

static long gnttab_call(struct domain *d, uint32_t cmd, const void *ops,
                        size_t len, uint32_t count)
{
    const uint64_t arg[5] = {cmd, ARG, count, 0, 0};

    memcpy(d->ram.host + ARG, ops, len);
    return do_grant_table_op(&d->vcpus[0], arg);
}

START_TEST(test_hypercall)
{
    struct gnttab_map_grant_ref m[2] = {
        {.host_addr = MAP_AT, .flags = RW, .ref = 8, .dom = 1},
        {.host_addr = MAP_AT, .flags = RW, .ref = 8, .dom = 1},
    };
    struct gnttab_setup_table st = {
        .dom = DOMID_SELF, .nr_frames = 2, .frame_list = ARG + 0x100};
    struct gnttab_set_version sv = {.version = 1};
    struct gnttab_get_version gv = {.dom = DOMID_SELF};
    xen_pfn_t gfns[2];

    grant(da, 8, db->domid, 0x10, GTF_permit_access);
    ck_assert_int_eq(gnttab_call(db, GNTTABOP_map_grant_ref, m, sizeof(m), 2),
                     0);
    memcpy(m, db->ram.host + ARG, sizeof(m));
    ck_assert_int_eq(m[0].status, GNTST_okay);
    ck_assert_int_eq(m[1].status, GNTST_bad_virt_addr); /* same address */
    struct gnttab_unmap_grant_ref u = {.host_addr = MAP_AT,
                                       .handle = m[0].handle};
    ck_assert_int_eq(
        gnttab_call(db, GNTTABOP_unmap_grant_ref, &u, sizeof(u), 1), 0);
    memcpy(&u, db->ram.host + ARG, sizeof(u));
    ck_assert_int_eq(u.status, GNTST_okay);

    ck_assert_int_eq(gnttab_call(da, GNTTABOP_setup_table, &st, sizeof(st), 1),
                     0);
    memcpy(&st, da->ram.host + ARG, sizeof(st));
    memcpy(gfns, da->ram.host + ARG + 0x100, sizeof(gfns));
    ck_assert_int_eq(st.status, GNTST_okay);
    ck_assert_uint_eq(gfns[0], FIRST_GFN);
    ck_assert_uint_eq(gfns[1], FIRST_GFN + 1);
    st.frame_list = RAM_SIZE - 8;
    ck_assert_int_eq(gnttab_call(da, GNTTABOP_setup_table, &st, sizeof(st), 1),
                     0);
    memcpy(&st, da->ram.host + ARG, sizeof(st));
    ck_assert_int_eq(st.status, GNTST_bad_virt_addr);
    ck_assert_int_eq(gnttab_call(da, GNTTABOP_setup_table, &st, sizeof(st), 2),
                     -XEN_EINVAL);

    ck_assert_int_eq(gnttab_call(da, GNTTABOP_set_version, &sv, sizeof(sv), 1),
                     0);
    sv.version = 2;
    ck_assert_int_eq(gnttab_call(da, GNTTABOP_set_version, &sv, sizeof(sv), 1),
                     -XEN_EOPNOTSUPP);
    memcpy(&sv, da->ram.host + ARG, sizeof(sv));
    ck_assert_uint_eq(sv.version, 1);
    ck_assert_int_eq(gnttab_call(da, GNTTABOP_get_version, &gv, sizeof(gv), 1),
                     0);
    memcpy(&gv, da->ram.host + ARG, sizeof(gv));
    ck_assert_uint_eq(gv.version, 1);
    gv.dom = 99;
    ck_assert_int_eq(gnttab_call(da, GNTTABOP_get_version, &gv, sizeof(gv), 1),
                     -XEN_ESRCH);
    gv.dom = db->domid;
    ck_assert_int_eq(gnttab_call(da, GNTTABOP_get_version, &gv, sizeof(gv), 1),
                     -XEN_EPERM);

    static const uint32_t unserved[] = {
        GNTTABOP_dump_table,
        GNTTABOP_transfer,
        GNTTABOP_unmap_and_replace,
        GNTTABOP_get_status_frames,
        GNTTABOP_swap_grant_ref,
        GNTTABOP_cache_flush,
        99,
    };
    for (unsigned int i = 0; i < sizeof(unserved) / sizeof(*unserved); i++)
        ck_assert_int_eq(gnttab_call(da, unserved[i], &sv, sizeof(sv), 1),
                         -XEN_ENOSYS);
    ck_assert_int_eq(gnttab_call(da, GNTTABOP_copy, &sv, 0, 4097), -XEN_EINVAL);
    /* count 0: nothing read. */
    ck_assert_int_eq(gnttab_call(da, GNTTABOP_copy, &sv, 0, 0), 0);
    const uint64_t bad[5] = {GNTTABOP_map_grant_ref, RAM_SIZE - 16, 1, 0, 0};
    ck_assert_int_eq(do_grant_table_op(&db->vcpus[0], bad), -XEN_EFAULT);
    /* A domain without a table (built without the step). */
    struct domain *bare = mkdom_bare(42);
    ck_assert_int_eq(do_grant_table_op(&bare->vcpus[0], bad), -XEN_ENOSYS);
    rmdom(bare);
}
END_TEST

static Suite *grant_table_suite(void)
{
    Suite *s = suite_create("grant_table");
    TCase *table = tcase_create("table");
    TCase *maps = tcase_create("map");
    TCase *copies = tcase_create("copy");
    TCase *life = tcase_create("lifetime");
    TCase *calls = tcase_create("hypercalls");

    tcase_add_checked_fixture(table, setup, teardown);
    tcase_add_test(table, test_init);
    tcase_add_test(table, test_query_and_setup);
    tcase_add_test(table, test_add_to_physmap);
    suite_add_tcase(s, table);
    tcase_add_checked_fixture(maps, setup, teardown);
    tcase_add_test(maps, test_map_unmap);
    tcase_add_test(maps, test_readonly);
    tcase_add_test(maps, test_map_errors);
    tcase_add_test(maps, test_pin_counts);
    tcase_add_test(maps, test_revoke_while_mapped);
    tcase_add_test(maps, test_host_map);
    tcase_add_test(maps, test_concurrent_flags);
    suite_add_tcase(s, maps);
    tcase_add_checked_fixture(copies, setup, teardown);
    tcase_add_test(copies, test_copy);
    tcase_add_test(copies, test_copy_errors);
    tcase_add_test(copies, test_no_registry_lock);
    suite_add_tcase(s, copies);
    tcase_add_checked_fixture(life, setup, teardown);
    tcase_add_test(life, test_maptrack_limit);
    tcase_add_test(life, test_granter_goes_first);
    tcase_add_test(life, test_self_map);
    suite_add_tcase(s, life);
    tcase_add_checked_fixture(calls, setup, teardown);
    tcase_add_test(calls, test_hypercall);
    suite_add_tcase(s, calls);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(grant_table_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
