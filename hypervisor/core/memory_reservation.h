/* SPDX-License-Identifier: MIT */
/* memory_reservation.h: memory_op's balloon ops over the domain's RAM. */
#ifndef PVHV_CORE_MEMORY_RESERVATION_H
#define PVHV_CORE_MEMORY_RESERVATION_H

#include <stdbool.h>
#include <stdint.h>

#include "core/guest_memory.h"

struct domain;
struct vcpu;
struct xen_memory_reservation;
struct domain_config;
struct pvhv_error;

/*
 * A domain holds the pages of its RAM (cfg->memory, its maximum) less
 * those it released, plus the pages increase_reservation counted to it in
 * no frame; it can never hold more than its maximum, as on Xen.
 * memory_current_pages: what it holds (XENMEM_current_reservation);
 * memory_max_pages: its maximum (XENMEM_maximum_reservation);
 * memory_max_ram_page: one more than its highest RAM frame.
 */
uint64_t memory_current_pages(struct domain *d);
uint64_t memory_max_pages(const struct domain *d);
uint64_t memory_max_ram_page(const struct domain *d);

/*
 * The guest's list of extents: (base) is a guest-virtual array of
 * xen_pfn_t of (width) bytes each: 8 for 64-bit callers, 4 for 32-bit
 * ones (the compat layout).
 */
struct extent_list {
    gva_t base;
    unsigned int width;
};

/*
 * memory_reservation: XENMEM_increase_reservation, decrease_reservation
 * or populate_physmap (op) for (v) with (r) already read from the guest,
 * its extents in (list), from extent (start) on. Returns the extents done
 * counting from 0 (start on an argument it cannot use, as Xen answers);
 * sets (*preempted) when it stopped after a bounded slice of work with
 * extents left: the caller continues the hypercall with cmd =
 * op | (result << XENMEM_EXTENT_SHIFT).
 */
long memory_reservation(struct vcpu *v, unsigned int op, unsigned int start,
                        const struct xen_memory_reservation *r,
                        const struct extent_list *list, bool *preempted);

/*
 * memory_reservation_step_init / _fini: the "reservation" build step:
 * the domain's released-frame bitmap (d->ram.released) and its lock.
 */
int memory_reservation_step_init(struct domain *d,
                                 const struct domain_config *cfg,
                                 struct pvhv_error *err);
void memory_reservation_step_fini(struct domain *d);

#endif /* PVHV_CORE_MEMORY_RESERVATION_H */
