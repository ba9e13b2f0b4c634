/* SPDX-License-Identifier: MIT */
/* cpuid.c: the CPUID a guest sees: the host's, with Xen's leaves at 0x40000000.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "platform/kvm/kvm.h"
#include "pvabi/cpuid.h"
#include "pvabi/pvhv.h"

#define XEN_LEAVES 5 /* 0x40000000 ... 0x40000004 */
#define CPUID_HYPERVISOR_BIT                                                   \
    (1u << 31) /* leaf 1 ECX: running on a hypervisor */

static void xen_leaves(struct kvm_cpuid_entry2 *e, uint32_t vcpu_id,
                       uint32_t domid, bool lapic)
{
    memset(e, 0, XEN_LEAVES * sizeof(*e));
    for (unsigned int i = 0; i < XEN_LEAVES; i++)
        e[i].function = XEN_CPUID_LEAF(i);
    e[0].eax = XEN_CPUID_LEAF(XEN_LEAVES - 1);
    e[0].ebx = XEN_CPUID_SIGNATURE_EBX;
    e[0].ecx = XEN_CPUID_SIGNATURE_ECX;
    e[0].edx = XEN_CPUID_SIGNATURE_EDX;
    e[1].eax = PVHV_XEN_MAJOR << 16 | PVHV_XEN_MINOR;
    e[2].eax = 1; /* one hypercall page */
    e[2].ebx = PVHV_HYPERCALL_MSR;
    /* Leaf 3 (time) is indexed; all zero: TSC is native, no scaling. */
    e[3].flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;
    e[4].flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;
    e[4].eax = XEN_HVM_CPUID_VCPU_ID_PRESENT | XEN_HVM_CPUID_DOMID_PRESENT;
    if (lapic) /* HVMOP_set_evtchn_upcall_vector has an APIC to go to */
        e[4].eax |= XEN_HVM_CPUID_UPCALL_VECTOR;
    e[4].ebx = vcpu_id;
    e[4].ecx = domid;
}

int kvm_cpuid_apply(const struct kvm_platform *p, int vcpu_fd, uint32_t vcpu_id,
                    uint32_t domid, bool xen, bool lapic,
                    struct pvhv_error *err)
{
    const struct kvm_cpuid2 *host = p->cpuid;
    struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + (host->nent + XEN_LEAVES) *
                                                      sizeof(c->entries[0]));
    if (!c) {
        pvhv_error_set(err, "out of memory");
        return -ENOMEM;
    }
    /* KVM's own paravirtual leaves would shadow Xen's: drop them. */
    unsigned int n = 0;
    for (unsigned int i = 0; i < host->nent; i++) {
        const struct kvm_cpuid_entry2 *e = &host->entries[i];
        if ((e->function & 0xffff0000u) == XEN_CPUID_FIRST_LEAF)
            continue;
        c->entries[n] = *e;
        if (e->function == 1)
            c->entries[n].ecx |= CPUID_HYPERVISOR_BIT;
        n++;
    }
    if (xen) {
        xen_leaves(&c->entries[n], vcpu_id, domid, lapic);
        n += XEN_LEAVES;
    }
    c->nent = n;
    int rc = ioctl(vcpu_fd, KVM_SET_CPUID2, c) < 0 ? -errno : 0;
    if (rc < 0)
        pvhv_error_set(err, "KVM_SET_CPUID2 failed: %s", strerror(-rc));
    free(c);
    return rc;
}
