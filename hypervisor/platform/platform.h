/* SPDX-License-Identifier: MIT */
/* platform.h: what core asks of the virtualization platform (KVM). */
#ifndef PVHV_PLATFORM_PLATFORM_H
#define PVHV_PLATFORM_PLATFORM_H

#include "pvhv.h"

struct domain;
struct vcpu;
struct platform;

/*
 * platform_open: opens the platform (on KVM: /dev/kvm, API version,
 * required capabilities). Returns 0 or -ENODEV/-errno, err saying plainly
 * what is missing.
 */
int platform_open(struct platform **p, struct pvhv_error *err);
void platform_close(struct platform *p);

/*
 * platform_vm_create: makes the VM for (d) with d->ram.size bytes of RAM,
 * filling d->ram and d->pv. Returns 0 or -errno.
 */
int platform_vm_create(struct platform *p, struct domain *d,
                       struct pvhv_error *err);
void platform_vm_destroy(struct domain *d);

/*
 * platform_vcpu_create: makes vCPU (v); vCPU 0 gets the PVH boot state
 * (entry d->entry, %ebx = d->start_info).
 */
int platform_vcpu_create(struct vcpu *v, struct pvhv_error *err);
void platform_vcpu_destroy(struct vcpu *v);

/* platform_vcpu_run: the vCPU thread's loop; returns once the domain stops. */
void platform_vcpu_run(struct vcpu *v);

/* platform_vcpu_kick: makes (v) leave guest mode and look at its domain. */
void platform_vcpu_kick(struct vcpu *v);

/* platform_vcpu_regs: the current registers of (v), for crash reports. */
int platform_vcpu_regs(struct vcpu *v, struct pvhv_regs *regs);

#endif /* PVHV_PLATFORM_PLATFORM_H */
