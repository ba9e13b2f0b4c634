/* SPDX-License-Identifier: MIT */
/* fake_platform.h: what a unit test may ask of the fake platform
 * (fake_platform.c). */
#ifndef PVHV_TESTS_FAKE_PLATFORM_H
#define PVHV_TESTS_FAKE_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The fake platform (fake_platform_ops, for pvhv_open_on) fills
 * core/platform.h without /dev/kvm: a VM is plain zeroed memory (RAM, the
 * special pages), a vCPU a counter; nothing runs. It borrows two things of
 * KVM's: the hypercall page's stubs (platform/kvm/hypercall_page.c: bytes
 * written to guest RAM) and the backend workers' seccomp confinement.
 *
 * fake_platform_fail: the next call named (call) fails with -ENOMEM, once:
 * "vm_create", "vcpu_create", "shared_info" (platform_special_page of
 * page 0 returns NULL) or "map_special_pages" (the grant frames).
 * NULL fails nothing. fake_platform_live: VMs and vCPUs not yet destroyed
 * (0 once every domain is gone).
 */
#include "core/platform.h"

extern const struct platform_ops fake_platform_ops;
void fake_platform_fail(const char *call);

/*
 * fake_platform_irq_level, fake_platform_irq_changes: each ISA line's
 * level, as a domain's devices last set it (platform_irq_line), and how
 * many times it was set.
 */
extern bool fake_platform_irq_level[PLATFORM_ISA_IRQS];
extern unsigned int fake_platform_irq_changes[PLATFORM_ISA_IRQS];

/* fake_platform_lapic: whether VMs made from now on have local APICs
 * (platform_vm_lapic); off at first. */
void fake_platform_lapic(bool on);
unsigned int fake_platform_live(void);

/*
 * fake_platform_kvm_exits: what platform_vcpu_kvm_exits answers for (v)
 * from now on: (n) if (kept), else -ENOENT (a host without the
 * statistic), which is what a new vCPU answers.
 */
struct vcpu;
void fake_platform_kvm_exits(struct vcpu *v, bool kept, uint64_t n);

#endif /* PVHV_TESTS_FAKE_PLATFORM_H */
