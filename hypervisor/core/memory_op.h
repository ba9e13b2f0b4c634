/* SPDX-License-Identifier: MIT */
/* memory_op.h: memory_op's typed helpers, for both callers' layouts. */
#ifndef PVHV_CORE_MEMORY_OP_H
#define PVHV_CORE_MEMORY_OP_H

struct domain;
struct vcpu;
struct xen_add_to_physmap;
struct xen_memory_map;

/*
 * memory_add_to_physmap: XENMEM_add_to_physmap for (d) with (op) read
 * from the guest. Returns 0 or -XEN_Exxx (pvabi/memory.h).
 */
int memory_add_to_physmap(struct domain *d,
                          const struct xen_add_to_physmap *op);

/*
 * memory_map: XENMEM_memory_map for (v): writes the boot memory map's
 * first op->nr_entries entries (struct e820entry, the same in both
 * layouts) to guest-virtual op->buffer and sets op->nr_entries to the
 * number written. Returns 0, -XEN_ENOSYS (no map) or -XEN_EFAULT.
 */
int memory_map(struct vcpu *v, struct xen_memory_map *op);

#endif /* PVHV_CORE_MEMORY_OP_H */
