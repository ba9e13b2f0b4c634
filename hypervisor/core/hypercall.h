/* SPDX-License-Identifier: MIT */
/* hypercall.h: the hypercall table and its dispatcher. */
#ifndef PVHV_CORE_HYPERCALL_H
#define PVHV_CORE_HYPERCALL_H

#include <stdint.h>

#include "pvabi/xen.h"

struct vcpu;

/* A handler gets the calling vCPU and up to five arguments. */
typedef long (*hypercall_fn)(struct vcpu *v, const uint64_t arg[5]);

struct hypercall {
    const char *name;
    hypercall_fn fn;
    unsigned int nargs;
};

/*
 * hypercall_lookup: the table entry for (nr), or NULL when (nr) is out of
 * range or not served.
 */
const struct hypercall *hypercall_lookup(uint64_t nr);

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
long hypercall_continue(struct vcpu *v, const uint64_t next[5]);

/*
 * hypercall_dispatch: runs hypercall (nr) for (v) and returns what goes
 * back in %rax: the handler's result, -XEN_ENOSYS for an unknown number,
 * -XEN_EPERM when the guest is not at CPL 0; or HYPERCALL_CONTINUE with
 * (arg) updated, when the call is to be executed again (see above).
 */
long hypercall_dispatch(struct vcpu *v, uint64_t nr, uint64_t arg[5]);

/*
 * hypercall_compat: runs hypercall (nr) (< XEN_HYPERCALL_MAX) for (v), a
 * caller outside 64-bit mode (v->ctx.compat): the calls and sub-ops whose
 * structures have another layout there (pvabi/compat.h) are translated
 * (hypercall_compat.c holds the table of them); the others go to (fn),
 * the native handler, as they are. Returns as the handler would.
 */
long hypercall_compat(struct vcpu *v, uint64_t nr, uint64_t arg[5],
                      hypercall_fn fn);

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

#endif /* PVHV_CORE_HYPERCALL_H */
