/* SPDX-License-Identifier: MIT */
/* platform.c: core's calls into its platform, through the operations the
 * platform filled (core/platform.h). */
#include "core/platform.h"
#include "core/domain.h"
#include "core/instance.h"
#include "core/vcpu.h"

static const struct platform_ops *of_domain(const struct domain *d)
{
    return d->hv->platform->ops;
}

static const struct platform_ops *of_vcpu(const struct vcpu *v)
{
    return of_domain(v->domain);
}

int platform_open(const struct platform_ops *ops, struct platform **p,
                  struct pvhv_error *err)
{
    return ops->open(p, err);
}

void platform_close(struct platform *p)
{
    if (p)
        p->ops->close(p);
}

bool platform_vmcall_hypercalls(const struct platform *p)
{
    return p->ops->vmcall_hypercalls(p);
}

bool platform_native_usable(struct platform *p, char *why, size_t len,
                            uint64_t *ns)
{
    return p->ops->native_usable(p, why, len, ns);
}

int platform_vm_create(struct platform *p, struct domain *d,
                       struct pvhv_error *err)
{
    const struct platform_vm_config cfg = {
        .ram = &d->ram,
        .domid = d->domid,
        .name = d->name,
        .hvm = d->hvm,
        .exec_mode = d->exec_mode,
    };

    return p->ops->vm_create(p, &cfg, &d->pv, err);
}

void platform_vm_destroy(struct domain *d)
{
    of_domain(d)->vm_destroy(d->pv);
    d->pv = NULL;
}

bool platform_vm_lapic(const struct domain *d)
{
    return d->pv && of_domain(d)->vm_lapic && of_domain(d)->vm_lapic(d->pv);
}

bool platform_vcpu_started(struct vcpu *v)
{
    return of_vcpu(v)->vcpu_started && of_vcpu(v)->vcpu_started(v);
}

bool platform_vcpu_halted(const struct vcpu *v)
{
    return of_vcpu(v)->vcpu_halted && of_vcpu(v)->vcpu_halted(v);
}

int platform_vcpu_create(struct vcpu *v, struct platform_vm *vm,
                         const struct platform_vcpu_config *cfg,
                         struct pvhv_error *err)
{
    return of_vcpu(v)->vcpu_create(v, vm, cfg, err);
}

bool platform_vcpu_native(const struct vcpu *v)
{
    return of_vcpu(v)->vcpu_native(v);
}

void platform_vcpu_destroy(struct vcpu *v)
{
    of_vcpu(v)->vcpu_destroy(v);
}

void platform_vcpu_run(struct vcpu *v)
{
    of_vcpu(v)->vcpu_run(v);
}

const struct io_device *platform_hypercall_port(const struct domain *d)
{
    return of_domain(d)->hypercall_port;
}

int platform_hypercall_page_fill(struct domain *d, uint64_t gpa)
{
    return of_domain(d)->hypercall_page_fill(d->pv, gpa);
}

int platform_irq_line(struct domain *d, unsigned int irq, bool level)
{
    return of_domain(d)->irq_line(d->pv, irq, level);
}

void platform_vcpu_kick(struct vcpu *v)
{
    of_vcpu(v)->vcpu_kick(v);
}

int platform_vcpu_guest_insns(const struct vcpu *v, uint64_t *n)
{
    return of_vcpu(v)->vcpu_guest_insns(v, n);
}

int platform_vcpu_kvm_exits(const struct vcpu *v, uint64_t *n)
{
    return of_vcpu(v)->vcpu_kvm_exits(v, n);
}

int platform_vcpu_regs(struct vcpu *v, struct pvhv_regs *regs)
{
    return of_vcpu(v)->vcpu_regs(v, regs);
}

void *platform_special_page(struct domain *d, unsigned int idx)
{
    return of_domain(d)->special_page(d->pv, idx);
}

int platform_map_special_pages(struct domain *d, unsigned int idx,
                               unsigned int nr, uint64_t gpa)
{
    return of_domain(d)->map_special_pages(d->pv, idx, nr, gpa);
}

int platform_map_foreign_page(struct domain *mapper, uint64_t gpa,
                              struct domain *granter, uint64_t granter_gpa,
                              bool readonly)
{
    return of_domain(mapper)->map_foreign_page(mapper->pv, gpa, granter->pv,
                                               granter_gpa, readonly);
}

int platform_unmap_foreign_page(struct domain *mapper, uint64_t gpa)
{
    return of_domain(mapper)->unmap_foreign_page(mapper->pv, gpa);
}

int platform_map_grant_frame(struct domain *d, unsigned int idx, uint64_t gpa)
{
    return of_domain(d)->map_grant_frame(d->pv, idx, gpa);
}

int platform_release_ram(struct domain *d, uint64_t gpa, uint64_t len)
{
    return of_domain(d)->release_ram(d->pv, gpa, len);
}

int platform_vcpu_set_context(struct vcpu *v,
                              const struct vcpu_hvm_context *ctx)
{
    return of_vcpu(v)->vcpu_set_context(v, ctx);
}

int platform_vcpu_tsc(struct vcpu *v, uint64_t *khz, int64_t *offset)
{
    return of_vcpu(v)->vcpu_tsc(v, khz, offset);
}

int platform_sandbox_worker_thread(const struct platform *p)
{
    return p->ops->sandbox_worker_thread();
}
