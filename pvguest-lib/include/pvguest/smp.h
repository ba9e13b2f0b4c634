/* SPDX-License-Identifier: MIT */
/* smp.h: secondary vCPUs. */
#ifndef PVGUEST_SMP_H
#define PVGUEST_SMP_H

/*
 * pvguest_vcpu_up(id, fn, arg): starts vCPU (id), 1 to 7, which must be
 * down, in (fn)(arg): long mode, our page tables, GDT and IDT, its own
 * 16 KiB stack, interrupts off. When (fn) returns, the vCPU takes itself
 * down (VCPUOP_down) and may be started again once
 * pvguest_vcpu_is_up(id) says 0. Returns 0, -XEN_EINVAL for
 * a bad (id), -XEN_EBUSY when (id) still runs a function we gave it, or
 * the hypervisor's error from VCPUOP_initialise or VCPUOP_up.
 */
int pvguest_vcpu_up(unsigned int id, void (*fn)(void *arg), void *arg);

/*
 * pvguest_vcpu_is_up(id): VCPUOP_is_up: 1 when vCPU (id) runs, 0 when it
 * is down, or -XEN_Exxx (-XEN_ENOENT: no such vCPU).
 */
int pvguest_vcpu_is_up(unsigned int id);

/* pvguest_vcpu_id(): the id of the vCPU that calls it. */
unsigned int pvguest_vcpu_id(void);

#endif /* PVGUEST_SMP_H */
