/* SPDX-License-Identifier: MIT */
/*
 * balloon.c: the memory reservation ops as Xen's balloon drivers use
 * them, checked against Xen's answers. Default: the checks (counts of
 * extents done, frames given back reading as not RAM for the hypervisor,
 * refused arguments doing nothing, the domain's maximum). watch=1: a
 * balloon driver: touches the RAM from 32 MiB to 56 MiB, says
 * "balloon: touched", then follows memory/target, giving back or taking
 * again 2 MiB extents from that range and saying "balloon: holding N KiB"
 * after each change, until the toolstack asks for a poweroff.
 * Boot it with 64 MiB.
 */

#include "../testguest.h"

#define MiB (1UL << 20)
#define AREA (32 * MiB) /* RAM this guest never allocates from */
#define AREA_SIZE (24 * MiB)
#define EXTENT_PAGES 512UL /* order 9 */
#define PFN(p) ((xen_pfn_t)(uintptr_t)(p) >> XEN_PAGE_SHIFT)

static xen_pfn_t list[64];

static long reservation(unsigned int op, const xen_pfn_t *extents,
                        unsigned long n, unsigned int order, unsigned int flags,
                        domid_t dom)
{
    struct xen_memory_reservation r = {
        .extent_start = (uint64_t)(uintptr_t)extents,
        .nr_extents = n,
        .extent_order = order,
        .mem_flags = flags,
        .domid = dom,
    };

    return HYPERVISOR_memory_op(op, &r);
}

static long pages_held(void)
{
    domid_t self = DOMID_SELF;

    return HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
}

static long pages_max(void)
{
    domid_t self = DOMID_SELF;

    return HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self);
}

/* The RAM entries of the memory map: the last frame, and [AREA] is RAM. */
static uint64_t ram_end(void)
{
    const struct hvm_memmap_table_entry *map;
    unsigned int n, i, area = 0;
    uint64_t end = 0;

    map = pvguest_memmap(&n);
    for (i = 0; i < n; i++) {
        if (map[i].type != XEN_HVM_MEMMAP_TYPE_RAM)
            continue;
        if (map[i].addr + map[i].size > end)
            end = map[i].addr + map[i].size;
        if (map[i].addr <= AREA &&
            AREA + AREA_SIZE <= map[i].addr + map[i].size)
            area = 1;
    }
    if (!area)
        test_abort("[32 MiB, 56 MiB) is not RAM: boot with 64 MiB");
    return end;
}

static void sizes(void)
{
    unsigned long kib = 0;
    long max = pages_max();
    uint64_t end = ram_end();
    domid_t self = DOMID_SELF;

    if (xenbus_read_ulong(XBT_NIL, "memory/static-max", &kib) < 0)
        test_abort("no memory/static-max");
    check_result("maximum_reservation == memory/static-max", max,
                 (long)(kib / 4));
    check_result("current_reservation at boot", pages_held(), max);
    check_result("maximum_ram_page",
                 HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL),
                 (long)(end >> XEN_PAGE_SHIFT));
    /* Continuation bits are refused by the ops that do not continue. */
    check_result("current_reservation, extent 1 in cmd",
                 HYPERVISOR_memory_op(XENMEM_current_reservation |
                                          (1U << XENMEM_EXTENT_SHIFT),
                                      &self),
                 -XEN_EINVAL);
    check_result("maximum_ram_page, extent 1 in cmd",
                 HYPERVISOR_memory_op(XENMEM_maximum_ram_page |
                                          (1U << XENMEM_EXTENT_SHIFT),
                                      NULL),
                 -XEN_EINVAL);
}

/* Frames given back: counted, not RAM for the hypervisor, zero again. */
static void give_back(void)
{
    char *p[8];
    long max = pages_max();
    unsigned int i;
    grant_ref_t ref;
    struct gnttab_copy cp;

    for (i = 0; i < 8; i++) {
        p[i] = page_alloc();
        memset(p[i], 0x5a, XEN_PAGE_SIZE);
        list[i] = PFN(p[i]);
    }
    check_result(
        "decrease_reservation(8 pages)",
        reservation(XENMEM_decrease_reservation, list, 8, 0, 0, DOMID_SELF), 8);
    check_result("current_reservation after", pages_held(), max - 8);
    check_result(
        "decrease the same 8 again (given back already)",
        reservation(XENMEM_decrease_reservation, list, 8, 0, 0, DOMID_SELF), 0);
    list[8] = list[0];
    list[0] = PFN(page_alloc());
    check_result(
        "decrease [a RAM page, a page given back]",
        reservation(XENMEM_decrease_reservation, list, 2, 0, 0, DOMID_SELF), 1);
    list[0] = list[8];
    /* The hypervisor does not write to nor read from them. */
    check_result("xen_version(extraversion) into a page given back",
                 HYPERVISOR_xen_version(XENVER_extraversion, p[1]),
                 -XEN_EFAULT);
    check_result("console_io from a page given back",
                 HYPERVISOR_console_io(CONSOLEIO_write, 16, p[2]), -XEN_EFAULT);
    ref = (grant_ref_t)gnttab_grant_access(pvguest_domid(), list[3], 0);
    memset(&cp, 0, sizeof(cp));
    cp.source.u.ref = ref;
    cp.source.domid = pvguest_domid();
    cp.dest.u.gmfn = PFN(page_alloc());
    cp.dest.domid = DOMID_SELF;
    cp.len = 8;
    cp.flags = GNTCOPY_source_gref;
    check_result("grant copy from a granted page given back",
                 HYPERVISOR_grant_table_op(GNTTABOP_copy, &cp, 1), 0);
    check_result("its status", cp.status, GNTST_bad_page);
    gnttab_end_access(ref);
    /* Filled again: zeroed, and counted. */
    check_result(
        "populate_physmap(the 8 frames)",
        reservation(XENMEM_populate_physmap, list, 8, 0, 0, DOMID_SELF), 8);
    check_result("current_reservation after", pages_held(), max - 1);
    for (i = 0; i < 8; i++)
        for (unsigned int j = 0; j < XEN_PAGE_SIZE; j++)
            if (p[i][j])
                test_abort("page %u byte %u is 0x%x after populate", i, j,
                           (unsigned char)p[i][j]);
    puts("ok: populated pages read as zeros");
    check_result("xen_version(extraversion) into it now",
                 HYPERVISOR_xen_version(XENVER_extraversion, p[1]), 0);
}

/* Not RAM, or refused arguments: nothing done, as on Xen. */
static void refused(void)
{
    const struct hvm_memmap_table_entry *map;
    unsigned int n, i;
    char *p = page_alloc();
    long held = pages_held();

    list[0] = PFN(p);
    map = pvguest_memmap(&n);
    for (i = 0; i < n; i++)
        if (map[i].type == XEN_HVM_MEMMAP_TYPE_RESERVED &&
            map[i].addr < PVHV_GRANT_WINDOW_BASE)
            list[1] = map[i].addr >> XEN_PAGE_SHIFT; /* the boot region */
    list[2] = PVHV_GRANT_WINDOW_BASE >> XEN_PAGE_SHIFT;
    list[3] = 0x100000000ULL >> XEN_PAGE_SHIFT; /* beyond RAM */
    check_result(
        "decrease the boot region's first frame",
        reservation(XENMEM_decrease_reservation, &list[1], 1, 0, 0, DOMID_SELF),
        0);
    check_result(
        "decrease a grant window frame",
        reservation(XENMEM_decrease_reservation, &list[2], 1, 0, 0, DOMID_SELF),
        0);
    check_result(
        "populate a frame beyond RAM",
        reservation(XENMEM_populate_physmap, &list[3], 1, 0, 0, DOMID_SELF), 0);
    check_result(
        "decrease, extent order 10",
        reservation(XENMEM_decrease_reservation, list, 1, 10, 0, DOMID_SELF),
        0);
    check_result("decrease, another domain",
                 reservation(XENMEM_decrease_reservation, list, 1, 0, 0, 0), 0);
    check_result("populate, 12 address bits",
                 reservation(XENMEM_populate_physmap, list, 1, 0,
                             XENMEMF_address_bits(12), DOMID_SELF),
                 0);
    check_result("populate, an exact NUMA node",
                 reservation(XENMEM_populate_physmap, list, 1, 0,
                             XENMEMF_exact_node(0), DOMID_SELF),
                 0);
    check_result("populate on demand, on oneself",
                 reservation(XENMEM_populate_physmap, list, 1, 0,
                             XENMEMF_populate_on_demand, DOMID_SELF),
                 0);
    check_result("decrease, extent list not mapped",
                 reservation(XENMEM_decrease_reservation,
                             (xen_pfn_t *)0xfff0000000UL, 1, 0, 0, DOMID_SELF),
                 0);
    check_result("decrease, 2^27 extents",
                 reservation(XENMEM_decrease_reservation, list, 1UL << 27, 0, 0,
                             DOMID_SELF),
                 0);
    check_result("decrease, argument not mapped",
                 HYPERVISOR_memory_op(XENMEM_decrease_reservation,
                                      (void *)0xfff0000000UL),
                 0);
    check_result("decrease, continuing from extent 1 of 1",
                 HYPERVISOR_memory_op(
                     XENMEM_decrease_reservation | (1U << XENMEM_EXTENT_SHIFT),
                     &(struct xen_memory_reservation){
                         .extent_start = (uint64_t)(uintptr_t)list,
                         .nr_extents = 1,
                         .domid = DOMID_SELF}),
                 1);
    check_result("current_reservation unchanged", pages_held(), held);
}

/*
 * The domain's maximum: populating a frame that holds a page gives it a
 * new one and counts one more page, as on Xen; a full domain gets none.
 */
static void maximum(void)
{
    long max = pages_max();
    char *p = page_alloc();

    list[0] = PFN(p);
    list[1] = PFN(page_alloc());
    /* From refused() and give_back(): one page given back and not taken. */
    check_result("current_reservation", pages_held(), max - 1);
    check_result(
        "populate a frame holding a page",
        reservation(XENMEM_populate_physmap, list, 1, 0, 0, DOMID_SELF), 1);
    check_result("current_reservation is the maximum", pages_held(), max);
    check_result(
        "populate once more (full)",
        reservation(XENMEM_populate_physmap, &list[1], 1, 0, 0, DOMID_SELF), 0);
    check_result(
        "increase_reservation (full)",
        reservation(XENMEM_increase_reservation, NULL, 1, 0, 0, DOMID_SELF), 0);
    check_result(
        "decrease 2 frames",
        reservation(XENMEM_decrease_reservation, list, 2, 0, 0, DOMID_SELF), 2);
    check_result(
        "increase_reservation(3 extents) with room for 2",
        reservation(XENMEM_increase_reservation, NULL, 3, 0, 0, DOMID_SELF), 2);
    check_result("current_reservation is the maximum", pages_held(), max);
    check_result(
        "populate a frame given back (full: the increase took it)",
        reservation(XENMEM_populate_physmap, list, 1, 0, 0, DOMID_SELF), 0);
}

/* 16 extents of 2 MiB: more than a call serves at once (it continues). */
static void large(void)
{
    long held;
    unsigned long i;

    if ((uintptr_t)page_alloc() >= AREA)
        test_abort("the allocator reached 32 MiB");
    for (i = 0; i < 16; i++)
        list[i] = (AREA >> XEN_PAGE_SHIFT) + i * EXTENT_PAGES;
    held = pages_held();
    check_result(
        "decrease 16 extents of order 9",
        reservation(XENMEM_decrease_reservation, list, 16, 9, 0, DOMID_SELF),
        16);
    check_result("current_reservation after", pages_held(),
                 held - 16 * (long)EXTENT_PAGES);
    list[3] += 1; /* not aligned to its order */
    check_result(
        "populate them, the fourth misaligned",
        reservation(XENMEM_populate_physmap, list, 16, 9, 0, DOMID_SELF), 3);
    list[3] -= 1;
    check_result("populate the rest, continuing from extent 3",
                 HYPERVISOR_memory_op(
                     XENMEM_populate_physmap | (3U << XENMEM_EXTENT_SHIFT),
                     &(struct xen_memory_reservation){
                         .extent_start = (uint64_t)(uintptr_t)list,
                         .nr_extents = 16,
                         .extent_order = 9,
                         .domid = DOMID_SELF}),
                 16);
    check_result("current_reservation after", pages_held(), held);
}

/* ---- watch=1: a balloon driver ------------------------------------------ */

static unsigned long given_back; /* 2 MiB extents of the area, from its top */

static void touch(unsigned long first, unsigned long n, int check_zero)
{
    for (unsigned long e = first; e < first + n; e++) {
        uint64_t *w = (uint64_t *)(uintptr_t)(AREA + e * 2 * MiB);

        for (unsigned long k = 0; k < 2 * MiB / 8; k += 512) {
            if (check_zero && w[k])
                test_abort("a populated extent is not zero");
            w[k] = e;
        }
    }
}

/*
 * follow_target: holds the target: gives back (or takes again) the area's
 * 2 MiB extents from its top, as many as the target is below the
 * maximum.
 */
static void follow_target(const char *path, const char *token, void *data)
{
    const unsigned long total = AREA_SIZE / (2 * MiB);
    unsigned long kib, give = 0, want, have = total - given_back, e;
    long max = pages_max();

    (void)path, (void)token, (void)data;
    if (xenbus_read_ulong(XBT_NIL, "memory/target", &kib) < 0)
        return;
    if ((long)(kib / 4) < max)
        give = (unsigned long)(max - (long)(kib / 4)) / EXTENT_PAGES;
    want = give < total ? total - give : 0;
    for (e = 0; have - e > want; e++)
        list[e] = (AREA >> XEN_PAGE_SHIFT) + (have - 1 - e) * EXTENT_PAGES;
    if (e && reservation(XENMEM_decrease_reservation, list, e, 9, 0,
                         DOMID_SELF) != (long)e)
        test_abort("decrease_reservation of %lu extents failed", e);
    given_back += e;
    for (e = 0; have + e < want; e++)
        list[e] = (AREA >> XEN_PAGE_SHIFT) + (have + e) * EXTENT_PAGES;
    if (e && reservation(XENMEM_populate_physmap, list, e, 9, 0, DOMID_SELF) !=
                 (long)e)
        test_abort("populate_physmap of %lu extents failed", e);
    touch(have, e, 1);
    given_back -= e;
    printf("balloon: holding %ld KiB\n", pages_held() * 4);
}

static void watch(void)
{
    ram_end();
    touch(0, AREA_SIZE / (2 * MiB), 0);
    printf("balloon: touched %lu MiB\n", AREA_SIZE / MiB);
    if (xenbus_watch("memory/target", "balloon", follow_target, NULL) < 0)
        test_abort("cannot watch memory/target");
    for (;;)
        sleep_ns(NSEC_PER_SEC);
}

int main(void)
{
    if (!xenbus_ready() || !gnttab_ready())
        test_abort("no XenStore or grant table");
    if (test_option("watch", 0))
        watch();
    sizes();
    give_back();
    refused();
    maximum();
    large();
    puts("SUCCESS");
    return 0;
}
