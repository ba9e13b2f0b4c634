/* SPDX-License-Identifier: MIT */
/* hvm.h: hvm_op(cmd, arg): parameters a PVH domain reads and sets. */
#ifndef PVABI_HVM_H
#define PVABI_HVM_H

#include <stdint.h>
#include "xen.h"

/*
 * HVMOP_set_param / HVMOP_get_param: IN/OUT struct xen_hvm_param for
 * <domid> = DOMID_SELF. Errors: -EINVAL unknown index or bad value,
 * -EPERM a parameter only the toolstack sets, or another domain's;
 * -ESRCH no such domain.
 */
#define HVMOP_set_param 0
#define HVMOP_get_param 1
struct xen_hvm_param {
    domid_t domid; /* IN */
    uint16_t pad;
    uint32_t index; /* IN: HVM_PARAM_* */
    uint64_t value; /* IN (set) / OUT (get) */
};

/*
 * HVM_PARAM_CALLBACK_IRQ: how events reach the guest. pvhv serves type
 * HVM_PARAM_CALLBACK_TYPE_VECTOR (value = 2 << 56 | vector, vector 16 to
 * 255): the vector is injected on a vCPU while its vcpu_info says
 * evtchn_upcall_pending and it accepts interrupts; no local APIC EOI is
 * expected. 0 turns delivery off.
 */
#define HVM_PARAM_CALLBACK_IRQ 0
#define HVM_PARAM_CALLBACK_IRQ_TYPE_MASK 0xFF00000000000000ULL
#define HVM_PARAM_CALLBACK_TYPE_GSI 0
#define HVM_PARAM_CALLBACK_TYPE_PCI_INTX 1
#define HVM_PARAM_CALLBACK_TYPE_VECTOR 2

/* Set by the toolstack, read by the guest: the XenStore ring and port. */
#define HVM_PARAM_STORE_PFN 1
#define HVM_PARAM_STORE_EVTCHN 2
/* The PV console ring and port. */
#define HVM_PARAM_CONSOLE_PFN 17
#define HVM_PARAM_CONSOLE_EVTCHN 18

#define HVM_NR_PARAMS 39

/*
 * HVMOP_set_evtchn_upcall_vector: IN struct xen_hvm_evtchn_upcall_vector.
 * Upcalls for <vcpu> then arrive as <vector>, a fixed interrupt of its
 * local APIC (the guest EOIs it), in preference to HVM_PARAM_CALLBACK_IRQ;
 * raised each time evtchn_upcall_pending becomes set. Offered where CPUID
 * leaf 0x40000004 EAX has XEN_HVM_CPUID_UPCALL_VECTOR (pvabi/cpuid.h).
 * Errors: -EINVAL <vector> below 0x10, -ENOENT no such vCPU, -ENOSYS not
 * offered (no local APIC). A guest that uses it may set
 * HVM_PARAM_CALLBACK_IRQ to a GSI (Linux sets 1): kept, delivering nothing.
 */
#define HVMOP_set_evtchn_upcall_vector 23
struct xen_hvm_evtchn_upcall_vector {
    uint32_t vcpu;  /* IN */
    uint8_t vector; /* IN */
};

#endif /* PVABI_HVM_H */
