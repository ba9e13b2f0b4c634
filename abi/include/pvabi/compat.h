/* SPDX-License-Identifier: MIT */
/* compat.h: the structure layouts of 32-bit callers (Xen's compat ABI). */
#ifndef PVABI_COMPAT_H
#define PVABI_COMPAT_H

#include <stdint.h>
#include "xen.h"

/*
 * A vCPU that makes a hypercall outside 64-bit mode (32-bit protected
 * mode, or compatibility mode of a 64-bit kernel) passes its arguments in
 * %ebx, %ecx, %edx, %esi, %edi and gets the result in %eax; every
 * structure it passes is read in the layout a 32-bit compiler gives Xen's
 * public headers, as Xen's compat layer reads it: pointers (guest
 * handles), xen_ulong_t and xen_pfn_t are 32-bit, and 64-bit fields are
 * aligned to 4 bytes. These are those layouts, one struct compat_<name>
 * for each struct <name> whose layout differs (the others are the same
 * in both modes and have no compat_ twin). The values are the same; a
 * frame number a 32-bit field cannot hold is answered as Xen answers it
 * (GNTST_address_too_big for setup_table).
 *
 * Which calls differ (ABI.md 5.12):
 *   set_timer_op(lo, hi)           the 64-bit deadline in two arguments
 *   memory_op XENMEM_increase_reservation, decrease_reservation,
 *             populate_physmap     struct compat_memory_reservation, its
 *                                  extent list compat_pfn_t[]
 *             XENMEM_add_to_physmap struct compat_add_to_physmap
 *             XENMEM_memory_map    struct compat_memory_map (the entries
 *                                  are struct e820entry, 20 bytes, alike)
 *   grant_table_op GNTTABOP_setup_table  struct compat_gnttab_setup_table,
 *                                  frame_list compat_pfn_t[]
 *             GNTTABOP_copy        struct compat_gnttab_copy[count]
 *   sched_op SCHEDOP_poll          struct compat_sched_poll
 *   xen_version XENVER_platform_parameters
 *                                  struct compat_platform_parameters
 *   vcpu_op VCPUOP_set_singleshot_timer
 *                                  struct compat_vcpu_set_singleshot_timer
 *
 * shared_info too: the layout of a domain's shared_info (and of each
 * vcpu_info) is the one of the mode its vCPU was in when it wrote the
 * hypercall page MSR or set HVM_PARAM_CALLBACK_IRQ, the last of these
 * (Xen latches it there). In the 32-bit layout the 2-level ABI has 1024
 * ports: 32 selector bits, each naming a 32-bit word of evtchn_pending.
 */

typedef uint32_t compat_pfn_t;
typedef uint32_t compat_ulong_t;
typedef uint32_t compat_handle_t; /* a 32-bit guest pointer */

/* set_timer_op(lo, hi): the deadline is (uint64_t)hi << 32 | lo. */

/* XENMEM_increase/decrease_reservation, XENMEM_populate_physmap (20 B). */
struct compat_memory_reservation {
    compat_handle_t extent_start; /* compat_pfn_t[nr_extents] */
    compat_ulong_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags;
    domid_t domid;
};

/* XENMEM_add_to_physmap (16 B). */
struct compat_add_to_physmap {
    domid_t domid;
    uint16_t size;
    uint32_t space;
    compat_ulong_t idx;
    compat_pfn_t gpfn;
};

/* XENMEM_memory_map (8 B). */
struct compat_memory_map {
    uint32_t nr_entries;
    compat_handle_t buffer; /* struct e820entry[] */
};

/* GNTTABOP_setup_table (16 B). */
struct compat_gnttab_setup_table {
    /* IN parameters */
    domid_t dom;
    uint32_t nr_frames;
    /* OUT parameters */
    int16_t status;
    compat_handle_t frame_list; /* compat_pfn_t[nr_frames] */
};

/* GNTTABOP_copy (24 B each): only status is written back. */
struct compat_gnttab_copy_ptr {
    union {
        uint32_t ref; /* grant_ref_t */
        compat_pfn_t gmfn;
    } u;
    domid_t domid;
    uint16_t offset;
};
struct compat_gnttab_copy {
    /* IN parameters */
    struct compat_gnttab_copy_ptr source, dest;
    uint16_t len;
    uint16_t flags;
    /* OUT parameters */
    int16_t status;
};

/* SCHEDOP_poll (16 B). */
struct compat_sched_poll {
    compat_handle_t ports; /* evtchn_port_t[nr_ports] */
    uint32_t nr_ports;
    uint64_t timeout;
};

/* XENVER_platform_parameters (4 B). */
struct compat_platform_parameters {
    compat_ulong_t virt_start;
};

/* VCPUOP_set_singleshot_timer (12 B: the 64-bit field is 4-aligned). */
struct compat_vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;
    uint32_t flags;
} __attribute__((packed, aligned(4)));

/*
 * shared_info in the 32-bit layout (2344 B). vcpu_info is 64 bytes in
 * both layouts, with the time at 32; evtchn_pending starts at 2048 in
 * both (the same bits: port p is bit p % 8 of byte p / 8), but the
 * selector is 32-bit at 4 and names 32-bit words, and evtchn_mask and
 * the wall clock move.
 */
#define COMPAT_EVTCHN_2L_NR_CHANNELS 1024
struct compat_arch_vcpu_info {
    compat_ulong_t cr2;
    compat_ulong_t pad[5];
};
struct compat_vcpu_info {
    uint8_t evtchn_upcall_pending;     /* [HV] set, [GST] cleared */
    uint8_t evtchn_upcall_mask;        /* [GST] */
    compat_ulong_t evtchn_pending_sel; /* [HV] set, [GST] cleared */
    struct compat_arch_vcpu_info arch;
    struct vcpu_time_info time; /* [HV] */
};
struct compat_arch_shared_info {
    compat_ulong_t max_pfn;
    compat_pfn_t pfn_to_mfn_frame_list_list;
    compat_ulong_t nmi_reason;
    compat_ulong_t p2m_cr3;
    compat_ulong_t p2m_vaddr;
    compat_ulong_t p2m_generation;
    uint32_t wc_sec_hi; /* [HV] upper 32 bits of wc_sec */
};
struct compat_shared_info {
    struct compat_vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    compat_ulong_t evtchn_pending[32]; /* [HV] set, [GST] cleared */
    compat_ulong_t evtchn_mask[32];    /* [GST] */
    uint32_t wc_version;               /* [HV] seqlock */
    uint32_t wc_sec;                   /* [HV] */
    uint32_t wc_nsec;                  /* [HV] */
    struct compat_arch_shared_info arch;
};

#endif /* PVABI_COMPAT_H */
