/* SPDX-License-Identifier: MIT */
/* hypercall_handler.h: what a hypercall handler is, may return, and which
 * handlers the table (core/hypercall.c) lists. */
#ifndef PVHV_CORE_HYPERCALL_HANDLER_H
#define PVHV_CORE_HYPERCALL_HANDLER_H

#include <stdint.h>

#include "core/vcpu.h"

/* A handler gets the calling vCPU and up to five arguments. */
typedef long (*hypercall_fn)(struct vcpu *v, const uint64_t arg[5]);

/*
 * Continuations (Xen's hypercall_create_continuation). A handler whose
 * work depends on a guest-given size does a bounded part of it, then
 * returns hypercall_continue(v, next), (next) being the arguments that
 * describe the rest (a count lowered, a buffer pointer advanced): all
 * the state of a continued call is in its arguments, so the guest may
 * take events, and make other hypercalls in their handlers, in between.
 * hypercall_dispatch then returns HYPERCALL_CONTINUE with arg[] updated;
 * its caller puts arg[] back in the guest's argument registers and has
 * the guest execute the same hypercall again, delivering pending events
 * first and stopping if the domain was stopped. HYPERCALL_CONTINUE never
 * reaches a guest (it is Xen's internal -ERESTART).
 *
 * multicall is not served; when it is, an entry that continues must end
 * the multicall as a continuation of itself from that entry, with the
 * entry's arguments updated in the guest's multicall_entry (Xen's rule).
 */
#define HYPERCALL_CONTINUE (-85L)

/*
 * hypercall_continue: records (next) as the arguments with which (v)'s
 * current hypercall goes on. Returns HYPERCALL_CONTINUE, for the handler
 * to return.
 */
static inline long hypercall_continue(struct vcpu *v, const uint64_t next[5])
{
    for (unsigned int i = 0; i < 5; i++)
        v->hypercall_next[i] = next[i];
    return HYPERCALL_CONTINUE;
}

/* Handlers, one file each under hypervisor/core/. */
long do_console_io(struct vcpu *v, const uint64_t arg[5]);
long do_xen_version(struct vcpu *v, const uint64_t arg[5]);
long do_sched_op(struct vcpu *v, const uint64_t arg[5]);
long do_memory_op(struct vcpu *v, const uint64_t arg[5]);
long do_hvm_op(struct vcpu *v, const uint64_t arg[5]);
long do_vcpu_op(struct vcpu *v, const uint64_t arg[5]);
long do_event_channel_op(struct vcpu *v, const uint64_t arg[5]);
long do_set_timer_op(struct vcpu *v, const uint64_t arg[5]);
long do_vm_assist(struct vcpu *v, const uint64_t arg[5]);

#endif /* PVHV_CORE_HYPERCALL_HANDLER_H */
