/* SPDX-License-Identifier: MIT */
/*
 * small_answers.c: two of Xen's answers a kernel relies on. The boot
 * information (start info, memory map, command line) lies just after the
 * kernel image, as Xen's domain builder puts it, and the memory map marks
 * it reserved: a kernel that maps only the memory around itself early
 * can read it whatever the domain's size (boot this one with 2 GiB).
 * EVTCHNOP_alloc_unbound offers a port to a domain that does not exist
 * yet: Xen does not look remote_dom up.
 */

#include "../testguest.h"

extern char __image_end[];

#define PAGE_UP(x) (((x) + XEN_PAGE_SIZE - 1) & ~(uint64_t)(XEN_PAGE_SIZE - 1))

static void boot_region(void)
{
    uint64_t end = PAGE_UP((uintptr_t)__image_end), map_at, ram = 0;
    const struct hvm_memmap_table_entry *map;
    unsigned int n, i, reserved = 0;

    map = pvguest_memmap(&n);
    map_at = (uintptr_t)map & ~(uint64_t)(XEN_PAGE_SIZE - 1);
    if (!map)
        test_abort("no memory map");
    /* The start info is the region's first page; the map lies in it. */
    check_result("boot region page == page after the image", (long)map_at,
                 (long)end);
    for (i = 0; i < n; i++) {
        if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM)
            ram += map[i].size;
        if (map[i].addr == end && map[i].type == XEN_HVM_MEMMAP_TYPE_RESERVED)
            reserved = 1;
        if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM && map[i].addr <= map_at &&
            map_at < map[i].addr + map[i].size)
            test_abort("the boot region [0x%lx] is in a RAM entry",
                       (unsigned long)map_at);
    }
    check_result("a reserved entry starts at the boot region", reserved, 1);
    printf("ok: boot region at 0x%lx, %lu MiB of RAM in the map\n",
           (unsigned long)end, (unsigned long)(ram >> 20));
    if (map_at >= (1UL << 30))
        test_abort("the boot region is beyond the first GiB");
}

static void alloc_unbound_to_nobody(void)
{
    struct evtchn_alloc_unbound op = {.dom = DOMID_SELF, .remote_dom = 4000};
    struct evtchn_status st = {.dom = DOMID_SELF};

    check_result("alloc_unbound(remote_dom 4000, no such domain)",
                 HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op), 0);
    st.port = op.port;
    check_result("status of that port", pvg_evtchn_status(&st), 0);
    check_result("its state", st.status, EVTCHNSTAT_unbound);
    check_result("offered to", st.u.unbound.dom, 4000);
    check_result("close it", pvg_evtchn_close(op.port), 0);
}

int main(void)
{
    boot_region();
    alloc_unbound_to_nobody();
    puts("SUCCESS");
    return 0;
}
