/* SPDX-License-Identifier: MIT */
/*
 * gnt_denied.c: GNTTABOP_map_grant_ref refuses what was not granted to
 * us: a grant of ours made out to domain 0 (GNTST_permission_denied), a
 * ref beyond the table (GNTST_bad_gntref), a domain that does not exist
 * (GNTST_bad_domain), a write mapping of a read-only grant; and a grant
 * made out to ourselves maps, reads through, and keeps its page busy
 * (gnttab_end_access -EBUSY) until unmapped.
 */

#include "../testguest.h"

static uint8_t page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));

static int map_status(domid_t dom, grant_ref_t ref, uint32_t flags,
                      uint64_t addr)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = addr,
        .flags = flags,
        .ref = ref,
        .dom = dom,
    };
    int rc = gnttab_map_raw(&op);

    if (rc < 0)
        test_abort("grant_table_op(GNTTABOP_map_grant_ref, dom %u, ref %u) "
                   "returned %d",
                   dom, ref, rc);
    return op.status;
}

static void refused(domid_t self)
{
    uint64_t addr = PVHV_GRANT_WINDOW_BASE + PVHV_GRANT_WINDOW_SIZE / 2;
    int to_dom0, ro_self;

    to_dom0 = gnttab_grant_access(0, (uintptr_t)page >> XEN_PAGE_SHIFT, 0);
    ro_self = gnttab_grant_access(self, (uintptr_t)page >> XEN_PAGE_SHIFT, 1);
    if (to_dom0 < 0 || ro_self < 0)
        test_abort("gnttab_grant_access returned %d, %d", to_dom0, ro_self);
    check_result("map our grant made out to domain 0",
                 map_status(self, to_dom0, GNTMAP_host_map, addr),
                 GNTST_permission_denied);
    check_result("map ref 1000000",
                 map_status(self, 1000000, GNTMAP_host_map, addr),
                 GNTST_bad_gntref);
    check_result("map ref 0xffffffff",
                 map_status(self, 0xffffffffU, GNTMAP_host_map, addr),
                 GNTST_bad_gntref);
    check_result("map an unused entry",
                 map_status(self, to_dom0 + 50, GNTMAP_host_map, addr),
                 GNTST_permission_denied);
    check_result("map from domain 0x7000",
                 map_status(0x7000, to_dom0, GNTMAP_host_map, addr),
                 GNTST_bad_domain);
    check_result("map a read-only grant writable",
                 map_status(self, ro_self, GNTMAP_host_map, addr),
                 GNTST_permission_denied);
    check_result("end our grant to domain 0", gnttab_end_access(to_dom0), 0);
    check_result("end our read-only grant", gnttab_end_access(ro_self), 0);
}

static void self_map(domid_t self)
{
    grant_handle_t handle;
    void *addr;
    int ref, rc;

    memcpy(page, "granted to myself", 18);
    ref = gnttab_grant_access(self, (uintptr_t)page >> XEN_PAGE_SHIFT, 0);
    if (ref < 0)
        test_abort("gnttab_grant_access(self) returned %d", ref);
    rc = gnttab_map(self, ref, 0, &addr, &handle);
    check_result("map our grant made out to ourselves", rc, GNTST_okay);
    if (memcmp(addr, "granted to myself", 18) != 0)
        test_abort("the mapping at %p does not show the page", addr);
    memcpy((char *)addr + 100, "written through", 16);
    if (memcmp(page + 100, "written through", 16) != 0)
        test_abort("a write through the mapping did not reach the page");
    printf("ok: the mapping at %p shows the page, both ways\n", addr);
    check_result("gnttab_is_busy while mapped", gnttab_is_busy(ref), 1);
    check_result("gnttab_end_access while mapped", gnttab_end_access(ref),
                 -XEN_EBUSY);
    check_result("unmap with a bad handle", gnttab_unmap(addr, handle + 1000),
                 GNTST_bad_handle);
    check_result("unmap", gnttab_unmap(addr, handle), GNTST_okay);
    check_result("gnttab_is_busy after unmap", gnttab_is_busy(ref), 0);
    check_result("gnttab_end_access after unmap", gnttab_end_access(ref), 0);
    check_result("gnttab_end_access twice", gnttab_end_access(ref),
                 -XEN_EINVAL);
}

int main(void)
{
    domid_t self = pvguest_domid();

    if (!gnttab_ready())
        test_abort("no grant table: the boot step failed or was skipped");
    printf("ok: domain %u, %u free grant refs\n", self, gnttab_free_count());
    refused(self);
    self_map(self);
    puts("SUCCESS");
    return 0;
}
