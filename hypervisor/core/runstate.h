/* SPDX-License-Identifier: MIT */
/* runstate.h: each vCPU's run/block/offline times, as Xen keeps them. */
#ifndef PVHV_CORE_RUNSTATE_H
#define PVHV_CORE_RUNSTATE_H

#include "core/guest_memory.h"

struct vcpu;

/*
 * runstate_change: (v) enters RUNSTATE_(state) now: the time since it
 * entered its current state goes to that state's total, and the guest's
 * area (if registered) is rewritten. Called on (v)'s own thread only
 * (core/schedule.c: block, wake, hold), so transitions never race; a
 * change to the current state does nothing.
 */
void runstate_change(struct vcpu *v, int state);

/*
 * runstate_blocked_for: (v), running, was in fact blocked for the last
 * (ns) (a halt that the platform served without leaving guest mode): the
 * time before goes to running, those (ns) to blocked, and it runs again
 * from now. Called on (v)'s own thread only.
 */
void runstate_blocked_for(struct vcpu *v, uint64_t ns);

/*
 * runstate_register: VCPUOP_register_runstate_memory_area from (v) for
 * (t): the area at (va), translated through (v)'s paging, in the layout
 * of (v)'s mode (44 bytes for a 32-bit caller). Written at once. Returns
 * 0 or -XEN_EFAULT.
 */
long runstate_register(struct vcpu *v, struct vcpu *t, gva_t va);

/*
 * runstate_get: VCPUOP_get_runstate_info from (v) for (t): (t)'s runstate
 * as of now, written at guest-virtual (va) in (v)'s layout (44 bytes for
 * a 32-bit caller). Returns 0 or -XEN_EFAULT.
 */
long runstate_get(struct vcpu *v, struct vcpu *t, gva_t va);

/* runstate_init / fini: the lock of (v)'s runstate. */
void runstate_init(struct vcpu *v);
void runstate_fini(struct vcpu *v);

#endif /* PVHV_CORE_RUNSTATE_H */
