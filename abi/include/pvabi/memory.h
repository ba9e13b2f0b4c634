/* SPDX-License-Identifier: MIT */
/* memory.h: memory_op(cmd, arg): the guest-physical address space. */
#ifndef PVABI_MEMORY_H
#define PVABI_MEMORY_H

#include <stdint.h>
#include "xen.h"

/*
 * XENMEM_current_reservation, XENMEM_maximum_reservation: arg is a
 * pointer to a domid_t (DOMID_SELF); returns the domain's RAM in pages.
 */
#define XENMEM_current_reservation 3
#define XENMEM_maximum_reservation 4

/*
 * XENMEM_add_to_physmap: IN struct xen_add_to_physmap. Makes a hypervisor
 * page appear at guest frame <gpfn>, replacing the RAM there until the
 * domain ends:
 *  - XENMAPSPACE_shared_info, idx 0: the domain's struct shared_info;
 *  - XENMAPSPACE_grant_table, idx N: grant table frame N.
 * Errors: -EINVAL unknown space, bad idx or gpfn (not a RAM frame),
 * -ENOSYS a space not served (gmfn, gmfn_range, gmfn_foreign, dev_mmio), -EPERM another domain, -ESRCH no such domain.
 */
#define XENMEM_add_to_physmap 7
struct xen_add_to_physmap {
    domid_t domid;      /* DOMID_SELF */
    uint16_t size;      /* for XENMAPSPACE_gmfn_range only */
    uint32_t space;     /* XENMAPSPACE_* */
#define XENMAPIDX_grant_table_status 0x80000000
    xen_ulong_t idx;
    xen_pfn_t gpfn;
};
#define XENMAPSPACE_shared_info  0
#define XENMAPSPACE_grant_table  1
#define XENMAPSPACE_gmfn         2
#define XENMAPSPACE_gmfn_range   3
#define XENMAPSPACE_gmfn_foreign 4
#define XENMAPSPACE_dev_mmio     5

/*
 * XENMEM_memory_map: IN/OUT struct xen_memory_map. Copies the map the
 * domain booted with (E820 layout: u64 addr, u64 size, u32 type) into
 * <buffer>, at most <nr_entries> of them, and sets nr_entries to the
 * number written. -EFAULT: bad pointers.
 */
#define XENMEM_memory_map 9
struct xen_memory_map {
    uint32_t nr_entries;  /* IN: room in buffer; OUT: entries written */
    uint32_t pad;
    uint64_t buffer;      /* guest pointer to struct e820entry[] */
};

/* The E820 entry XENMEM_memory_map writes (20 bytes, packed). */
struct e820entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} __attribute__((packed));

#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap     6

#endif /* PVABI_MEMORY_H */
