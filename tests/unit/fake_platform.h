/* SPDX-License-Identifier: MIT */
/* fake_platform.h: what a unit test may ask of the fake platform
 * (fake_platform.c). */
#ifndef PVHV_TESTS_FAKE_PLATFORM_H
#define PVHV_TESTS_FAKE_PLATFORM_H

#include <stdbool.h>

#include "platform/platform.h"

/*
 * The fake platform satisfies hypervisor/platform/platform.h without
 * /dev/kvm: a VM is plain zeroed memory (RAM, the special pages), a vCPU a
 * counter; nothing runs. Linked into a test, it replaces platform/kvm
 * (whose objects then stay out of the link), but for the hypercall page's
 * stubs (platform/kvm/hypercall_page.c: bytes written to guest RAM), which
 * are KVM's own.
 *
 * fake_platform_fail: the next call named (call) fails with -ENOMEM, once:
 * "vm_create", "vcpu_create", "shared_info" (platform_special_page of
 * page 0 returns NULL) or "map_special_pages" (the grant frames).
 * NULL fails nothing. fake_platform_live: VMs and vCPUs not yet destroyed
 * (0 once every domain is gone).
 */
void fake_platform_fail(const char *call);

/*
 * fake_platform_irq_level, fake_platform_irq_changes: each ISA line's
 * level, as a domain's devices last set it (platform_irq_line), and how
 * many times it was set.
 */
extern bool fake_platform_irq_level[PLATFORM_ISA_IRQS];
extern unsigned int fake_platform_irq_changes[PLATFORM_ISA_IRQS];
unsigned int fake_platform_live(void);

#endif /* PVHV_TESTS_FAKE_PLATFORM_H */
