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
 * HVMOP_set_evtchn_upcall_vector: a per-vCPU alternative to
 * HVM_PARAM_CALLBACK_IRQ; not served (-ENOSYS).
 */
#define HVMOP_set_evtchn_upcall_vector 23

#endif /* PVABI_HVM_H */
