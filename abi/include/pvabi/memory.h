/* SPDX-License-Identifier: MIT */
/* memory.h: memory_op(cmd, arg): the guest-physical address space. */
#ifndef PVABI_MEMORY_H
#define PVABI_MEMORY_H

#include <stdint.h>
#include "xen.h"

/*
 * memory_op(cmd, arg). cmd's low 6 bits are the sub-op; the bits above
 * are Xen's continuation of a reservation op (the extent to go on from),
 * 0 for a new call, and must be 0 for the sub-ops that do not continue.
 *
 *   XENMEM_increase_reservation = 0,  // struct xen_memory_reservation
 *   XENMEM_decrease_reservation = 1,  // struct xen_memory_reservation
 *   XENMEM_maximum_ram_page     = 2,  // no argument
 *   XENMEM_current_reservation  = 3,  // domid_t
 *   XENMEM_maximum_reservation  = 4,  // domid_t
 *   XENMEM_populate_physmap     = 6,  // struct xen_memory_reservation
 *   XENMEM_add_to_physmap       = 7,  // struct xen_add_to_physmap
 *   XENMEM_memory_map           = 9,  // struct xen_memory_map
 */
#define XENMEM_EXTENT_SHIFT 6

/*
 * XENMEM_current_reservation, XENMEM_maximum_reservation: arg is a
 * pointer to a domid_t (DOMID_SELF). current: the pages the domain holds
 * now (its RAM less what it gave back with decrease_reservation, plus
 * what increase_reservation gave it); maximum: the most it may hold, its
 * RAM (<memory>). -ESRCH no such domain, -EPERM another one, -EINVAL
 * continuation bits in cmd, -EFAULT.
 */
#define XENMEM_current_reservation 3
#define XENMEM_maximum_reservation 4

/*
 * XENMEM_maximum_ram_page: no argument; returns one more than the
 * highest frame of the domain's RAM (guest frames are the machine frames
 * of a pvhv guest). -EINVAL: continuation bits in cmd.
 */
#define XENMEM_maximum_ram_page 2

/*
 * The reservation ops (Xen's balloon interface): each returns how many
 * extents (2^extent_order pages each, extent_order at most
 * XENMEM_MAX_ORDER) it did, counting from the continuation extent in
 * cmd; an argument it cannot use does nothing (returns that count, 0 for
 * a new call), as on Xen.
 *  - XENMEM_decrease_reservation: IN extent_start[] = guest frames to
 *    give back. Their memory goes back to the host; the frames stay in
 *    the address space, holding no memory. Stops at a frame that is not
 *    RAM of the memory map (the boot region, the grant window) or is
 *    given back already (such an extent counts 0).
 *  - XENMEM_populate_physmap: IN extent_start[] = guest frames (aligned
 *    to the extent) to fill with zeroed memory. Stops when the domain
 *    holds its maximum, or at a frame outside its RAM.
 *  - XENMEM_increase_reservation: pages counted to the domain but in no
 *    frame (an auto-translated guest cannot use them: as on Xen, use
 *    populate_physmap); extent_start is not written.
 * <domid> must be DOMID_SELF (or the caller's id); mem_flags as on Xen
 * (address bits 1-12 and an exact NUMA node refused, populate-on-demand
 * on oneself refused). A long call continues (ABI.md 4) with cmd =
 * op | (done << XENMEM_EXTENT_SHIFT).
 */
#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap 6
#define XENMEM_MAX_ORDER 9
struct xen_memory_reservation {
    uint64_t extent_start; /* guest pointer to xen_pfn_t[nr_extents] */
    xen_ulong_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags; /* XENMEMF_* */
    domid_t domid;
};
#define XENMEMF_address_bits(x) (x)
#define XENMEMF_get_address_bits(x) ((x)&0xffu)
#define XENMEMF_node(x) (((x) + 1) << 8)
#define XENMEMF_get_node(x) ((((x) >> 8) - 1) & 0xffu)
#define XENMEMF_populate_on_demand (1 << 16)
#define XENMEMF_exact_node_request (1 << 17)
#define XENMEMF_exact_node(n) (XENMEMF_node(n) | XENMEMF_exact_node_request)
#define XENMEMF_vnode (1 << 18)

/*
 * XENMEM_add_to_physmap: IN struct xen_add_to_physmap. Makes a hypervisor
 * page appear at guest frame <gpfn>, replacing the RAM there until the
 * domain ends:
 *  - XENMAPSPACE_shared_info, idx 0: the domain's struct shared_info;
 *  - XENMAPSPACE_grant_table, idx N: grant table frame N, at a RAM frame,
 *    one of the grant window, or (as Xen allows) any other frame within
 *    the guest-physical width that is no device's (Linux puts them above
 *    4 GiB); a frame moved again leaves its old place.
 * Errors: -EINVAL unknown space, bad idx or gpfn (shared_info: not a RAM
 * frame; grant frames: frame 0, a device's, beyond the width),
 * -ENOSYS a space not served (gmfn, gmfn_range, gmfn_foreign, dev_mmio), -EPERM
 * another domain, -ESRCH no such domain.
 */
#define XENMEM_add_to_physmap 7
struct xen_add_to_physmap {
    domid_t domid;  /* DOMID_SELF */
    uint16_t size;  /* for XENMAPSPACE_gmfn_range only */
    uint32_t space; /* XENMAPSPACE_* */
#define XENMAPIDX_grant_table_status 0x80000000
    xen_ulong_t idx;
    xen_pfn_t gpfn;
};
#define XENMAPSPACE_shared_info 0
#define XENMAPSPACE_grant_table 1
#define XENMAPSPACE_gmfn 2
#define XENMAPSPACE_gmfn_range 3
#define XENMAPSPACE_gmfn_foreign 4
#define XENMAPSPACE_dev_mmio 5

/*
 * XENMEM_memory_map: IN/OUT struct xen_memory_map. Copies the map the
 * domain booted with (E820 layout: u64 addr, u64 size, u32 type) into
 * <buffer>, at most <nr_entries> of them, and sets nr_entries to the
 * number written. -EFAULT: bad pointers.
 */
#define XENMEM_memory_map 9
struct xen_memory_map {
    uint32_t nr_entries; /* IN: room in buffer; OUT: entries written */
    uint32_t pad;
    uint64_t buffer; /* guest pointer to struct e820entry[] */
};

/* The E820 entry XENMEM_memory_map writes (20 bytes, packed). */
struct e820entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} __attribute__((packed));

#endif /* PVABI_MEMORY_H */
