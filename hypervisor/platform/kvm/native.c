/* SPDX-License-Identifier: MIT */
/* native.c: the native execution mode some software KVM hosts offer. */
#include <string.h>
#include <sys/ioctl.h>

#include "core/domain.h"
#include "core/log.h"
#include "platform/kvm/kvm.h"

/*
 * A private extension of some software KVM layers (kvm_pvm builds), found
 * by experiment: MSR 0x4b564d11 reads "PVM";
 * writing MSR 0x4b564d10 = (page-aligned gpa of a 16-byte "PV area") | 1
 * before the first KVM_RUN lets a 64-bit guest whose page tables set U/S
 * everywhere run at host speed. Byte 0 of the area is a virtual interrupt
 * flag. Being private, it is detected, never required, and falls back.
 */
#define PVM_MSR_AREA 0x4b564d10
#define PVM_MSR_SIGNATURE 0x4b564d11
#define PVM_SIGNATURE 0x4d5650 /* "PVM" */

void kvm_native_setup(struct vcpu *v)
{
    struct domain *d = v->domain;
    uint64_t sig = 0, area = d->platform_page | 1;
    if (d->exec_mode != PVHV_EXEC_NATIVE)
        return;
    if (kvm_msr(v->pv->fd, KVM_GET_MSRS, PVM_MSR_SIGNATURE, &sig) < 0 ||
        sig != PVM_SIGNATURE) {
        if (v->id == 0)
            pr_info("domain %u: host has no native execution mode; "
                    "running emulated", d->domid);
        return;
    }
    if (kvm_msr(v->pv->fd, KVM_SET_MSRS, PVM_MSR_AREA, &area) < 0) {
        pr_warn("domain %u vCPU %u: native mode refused; running emulated",
                d->domid, v->id);
        return;
    }
    d->native = true;
}
