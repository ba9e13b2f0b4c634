/* SPDX-License-Identifier: MIT */
/* xen_hcall.c: VMCALL/VMMCALL hypercalls through KVM's Xen support. */
#include <errno.h>
#include <sys/ioctl.h>

#include "core/exits.h"
#include "platform/kvm/kvm.h"

void kvm_xen_hcall_probe(struct kvm_platform *p)
{
    int flags = ioctl(p->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_XEN_HVM);

    p->xen_hvm_flags = flags > 0 ? flags : 0;
}

bool kvm_vmcall_hypercalls(const struct kvm_platform *p)
{
    return p->xen_hvm_flags & KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL;
}

/*
 * Only the interception: KVM serves none of Xen's calls itself (no
 * shared_info, event or timer offload), so every one reaches pvhv, and
 * the hypercall MSR stays with pvhv's own filter (msr 0: KVM ignores it).
 */
int kvm_xen_hcall_enable(const struct kvm_platform *p, int vm_fd)
{
    struct kvm_xen_hvm_config c = {
        .flags = KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL,
    };

    if (!kvm_vmcall_hypercalls(p))
        return 0;
    return ioctl(vm_fd, KVM_XEN_HVM_CONFIG, &c) < 0 ? -errno : 0;
}

/*
 * KVM has read the arguments in the caller's convention already (rdi,
 * rsi, rdx, r10, r8 in 64-bit mode; ebx, ecx, edx, esi, edi otherwise)
 * and sets %rax from `result` when the vCPU next runs, past the
 * instruction. A 32-bit caller gets a 32-bit result.
 */
bool kvm_xen_hcall_exit(struct vcpu *v, struct kvm_xen_exit *x,
                        const struct kvm_sregs *s)
{
    uint64_t arg[5];
    bool wide = x->u.hcall.longmode;
    long rc;

    if (x->type != KVM_EXIT_XEN_HCALL)
        return false;
    for (unsigned int i = 0; i < 5; i++)
        arg[i] = wide ? x->u.hcall.params[i] : (uint32_t)x->u.hcall.params[i];
    v->ctx.paging.cr0 = s->cr0;
    v->ctx.paging.cr3 = s->cr3;
    v->ctx.paging.cr4 = s->cr4;
    v->ctx.paging.efer = s->efer;
    v->ctx.cpl = x->u.hcall.cpl;
    v->ctx.compat = !wide;
    rc = exit_hypercall(v, x->u.hcall.input, arg);
    x->u.hcall.result = wide ? (uint64_t)rc : (uint32_t)rc;
    return true;
}
