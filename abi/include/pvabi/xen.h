/* SPDX-License-Identifier: MIT */
/* xen.h: basic types, hypercall numbers, domain ids and shared_info. */
#ifndef PVABI_XEN_H
#define PVABI_XEN_H

#include <stdint.h>

/*
 * Version of the pvhv ABI as a whole (these headers plus pvhv.h). Bumped on
 * any change that a guest could observe.
 */
#define PVABI_VERSION 1

/* Basic types, as on x86-64 Xen. */
typedef uint16_t domid_t;
typedef uint64_t xen_pfn_t;
typedef uint64_t xen_ulong_t;
typedef uint32_t evtchn_port_t;

#define XEN_PAGE_SHIFT 12
#define XEN_PAGE_SIZE (1UL << XEN_PAGE_SHIFT)

/*
 * Hypercall numbers. On x86-64 a guest calls hypercall_page + nr * 32 with
 * arguments in %rdi, %rsi, %rdx, %r10, %r8; the result comes back in %rax.
 * Numbers marked (PV) exist for classic paravirtualized MMU guests only;
 * pvhv answers them -XEN_ENOSYS, as PVH guests own their page tables.
 */
#define __HYPERVISOR_set_trap_table 0 /* (PV) */
#define __HYPERVISOR_mmu_update 1     /* (PV) */
#define __HYPERVISOR_set_gdt 2        /* (PV) */
#define __HYPERVISOR_stack_switch 3   /* (PV) */
#define __HYPERVISOR_set_callbacks 4  /* (PV) */
#define __HYPERVISOR_fpu_taskswitch 5 /* (PV) */
#define __HYPERVISOR_sched_op_compat 6
#define __HYPERVISOR_platform_op 7
#define __HYPERVISOR_set_debugreg 8
#define __HYPERVISOR_get_debugreg 9
#define __HYPERVISOR_update_descriptor 10
#define __HYPERVISOR_memory_op 12
#define __HYPERVISOR_multicall 13
#define __HYPERVISOR_update_va_mapping 14 /* (PV) */
#define __HYPERVISOR_set_timer_op 15
#define __HYPERVISOR_event_channel_op_compat 16
#define __HYPERVISOR_xen_version 17
#define __HYPERVISOR_console_io 18
#define __HYPERVISOR_physdev_op_compat 19
#define __HYPERVISOR_grant_table_op 20
#define __HYPERVISOR_vm_assist 21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret 23 /* (PV) */
#define __HYPERVISOR_vcpu_op 24
#define __HYPERVISOR_set_segment_base 25 /* (PV) */
#define __HYPERVISOR_mmuext_op 26        /* (PV) */
#define __HYPERVISOR_xsm_op 27
#define __HYPERVISOR_nmi_op 28
#define __HYPERVISOR_sched_op 29
#define __HYPERVISOR_callback_op 30
#define __HYPERVISOR_xenoprof_op 31
#define __HYPERVISOR_event_channel_op 32
#define __HYPERVISOR_physdev_op 33
#define __HYPERVISOR_hvm_op 34
#define __HYPERVISOR_sysctl 35
#define __HYPERVISOR_domctl 36
#define __HYPERVISOR_kexec_op 37
#define __HYPERVISOR_tmem_op 38
#define __HYPERVISOR_argo_op 39
#define __HYPERVISOR_xenpmu_op 40
#define __HYPERVISOR_dm_op 41
#define __HYPERVISOR_hypfs_op 42
#define __HYPERVISOR_arch_0 48
#define __HYPERVISOR_arch_7 55

/* The hypercall page holds one 32-byte stub per number. */
#define XEN_HYPERCALL_STUB_SIZE 32
#define XEN_HYPERCALL_MAX (XEN_PAGE_SIZE / XEN_HYPERCALL_STUB_SIZE)

/* console_io(cmd, count, buffer) */
#define CONSOLEIO_write 0 /* IN: count bytes at buffer; OUT: 0 or -errno */
#define CONSOLEIO_read 1  /* answers -XEN_ENOSYS in this version */

/* Domain ids. */
#define DOMID_FIRST_RESERVED 0x7FF0U
#define DOMID_SELF 0x7FF0U
#define DOMID_IO 0x7FF1U
#define DOMID_XEN 0x7FF2U
#define DOMID_COW 0x7FF3U
#define DOMID_INVALID 0x7FF4U
#define DOMID_ANY 0x7FF5U
#define DOMID_IDLE 0x7FFFU

/* Virtual interrupts (bound with EVTCHNOP_bind_virq). */
#define VIRQ_TIMER 0 /* per-vCPU: timer expired */
#define VIRQ_DEBUG 1
#define VIRQ_CONSOLE 2
#define VIRQ_DOM_EXC 3
#define VIRQ_TBUF 4
#define VIRQ_DEBUGGER 6
#define VIRQ_XENOPROF 7
#define VIRQ_CON_RING 8
#define VIRQ_PCPU_STATE 9
#define VIRQ_MEM_EVENT 10
#define VIRQ_ARGO 11
#define VIRQ_ENOMEM 12
#define VIRQ_XENPMU 13
#define NR_VIRQS 24

/* multicall: a batch of hypercalls, each 64 bytes. */
struct multicall_entry {
    xen_ulong_t op;      /* [GST] hypercall number */
    xen_ulong_t result;  /* [HV]  its return value */
    xen_ulong_t args[6]; /* [GST] its arguments */
};

/*
 * Event channels, 2-level ABI: 64 words of 64 bits = 4096 ports on x86-64.
 */
#define EVTCHN_2L_NR_CHANNELS (sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)

/*
 * Time, per vCPU (pvclock). Readers loop while `version` is odd or changed:
 *   1. [HV] version++ (odd: update in progress); write barrier
 *   2. [HV] update the fields; write barrier
 *   3. [HV] version++ (even: consistent)
 * System time in ns = system_time +
 *   ((((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul) >> 32),
 * with a right shift for a negative tsc_shift.
 */
struct vcpu_time_info {
    uint32_t version; /* [HV] seqlock */
    uint32_t pad0;
    uint64_t tsc_timestamp;     /* [HV] TSC at the last update */
    uint64_t system_time;       /* [HV] ns since boot at tsc_timestamp */
    uint32_t tsc_to_system_mul; /* [HV] 32.32 fixed-point multiplier */
    int8_t tsc_shift;           /* [HV] */
    uint8_t flags;              /* [HV] XEN_PVCLOCK_* */
    uint8_t pad1[2];
};
#define XEN_PVCLOCK_TSC_STABLE_BIT (1 << 0)
#define XEN_PVCLOCK_GUEST_STOPPED (1 << 1)

struct arch_vcpu_info {
    xen_ulong_t cr2;
    xen_ulong_t pad;
};

/*
 * Per-vCPU event state. Delivery of port p to this vCPU:
 *   1. [HV] set shared_info.evtchn_pending[p / 64] bit p % 64; if it was
 *      already set, or the port is masked, stop here
 *   2. [HV] set bit p / 64 of evtchn_pending_sel
 *   3. [HV] set evtchn_upcall_pending; unless evtchn_upcall_mask, inject
 *      the callback vector
 * The guest clears evtchn_upcall_pending, then exchanges
 * evtchn_pending_sel with 0 and scans the words it names.
 */
struct vcpu_info {
    uint8_t evtchn_upcall_pending;  /* [HV] set, [GST] cleared */
    uint8_t evtchn_upcall_mask;     /* [GST] 1: no upcalls */
    xen_ulong_t evtchn_pending_sel; /* [HV] set, [GST] cleared */
    struct arch_vcpu_info arch;
    struct vcpu_time_info time; /* [HV] */
};

#define XEN_LEGACY_MAX_VCPUS 32

struct arch_shared_info {
    xen_ulong_t max_pfn;                  /* PV p2m only; 0 here */
    xen_pfn_t pfn_to_mfn_frame_list_list; /* PV p2m only */
    xen_ulong_t nmi_reason;
    xen_ulong_t p2m_cr3;        /* PV p2m only */
    xen_ulong_t p2m_vaddr;      /* PV p2m only */
    xen_ulong_t p2m_generation; /* PV p2m only */
};

/*
 * The page shared by the hypervisor and every vCPU of a domain, 3136 bytes
 * on x86-64. Wall-clock time (wc_*) uses the same seqlock as vcpu_time_info
 * on wc_version; it is the time of day at system time 0.
 */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t
        evtchn_pending[sizeof(xen_ulong_t) * 8]; /* [HV] set, [GST] cleared */
    xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8]; /* [GST] */
    uint32_t wc_version;                              /* [HV] seqlock */
    uint32_t wc_sec;                                  /* [HV] */
    uint32_t wc_nsec;                                 /* [HV] */
    uint32_t wc_sec_hi; /* [HV] upper 32 bits of wc_sec */
    struct arch_shared_info arch;
};

/* Flags in hvm_start_info.flags (and PV start_info.flags). */
#define SIF_PRIVILEGED (1 << 0) /* privileged domain */
#define SIF_INITDOMAIN (1 << 1) /* the initial control domain */
#define SIF_MULTIBOOT_MOD (1 << 2)
#define SIF_MOD_START_PFN (1 << 3)
#define SIF_VIRT_P2M_4TOOLS (1 << 4)

/*
 * vm_assist(cmd, type): turns an assist on (VMASST_CMD_enable) or off
 * (VMASST_CMD_disable) for the calling domain. A PVH guest may use only
 * VMASST_TYPE_runstate_update_flag (-EINVAL for every other type, as Xen
 * answers HVM guests); another cmd: -ENOSYS.
 */
#define VMASST_CMD_enable 0
#define VMASST_CMD_disable 1
#define VMASST_TYPE_4gb_segments 0
#define VMASST_TYPE_4gb_segments_notify 1
#define VMASST_TYPE_writable_pagetables 2
#define VMASST_TYPE_pae_extended_cr3 3
#define VMASST_TYPE_architectural_iopl 4
#define VMASST_TYPE_runstate_update_flag 5
#define VMASST_TYPE_m2p_strict 32

#endif /* PVABI_XEN_H */
