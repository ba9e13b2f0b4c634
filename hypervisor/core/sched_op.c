/* SPDX-License-Identifier: MIT */
/* sched_op.c: sched_op(cmd, arg): yield and shutdown (block and poll later). */
#include <sched.h>

#include "pvabi/errno.h"
#include "pvabi/sched.h"
#include "core/domain.h"
#include "core/hypercall.h"
#include "core/log.h"

/* sched_yield_op: gives the host CPU away once; the vCPU stays runnable. */
static long sched_yield_op(void)
{
    sched_yield();
    return 0;
}

/*
 * sched_shutdown_op: stops the whole domain with the guest's reason. The
 * vCPU thread returns to its run loop, which sees the domain stopped.
 */
static long sched_shutdown_op(struct vcpu *v, gva_t arg)
{
    struct domain *d = v->domain;
    struct sched_shutdown op;

    if (copy_from_guest(&d->ram, &v->ctx.paging, &op, arg, sizeof(op))) {
        gdprintk(d, "sched_op shutdown: bad argument 0x%llx",
                 (unsigned long long)arg);
        return -XEN_EFAULT;
    }
    if (op.reason > SHUTDOWN_MAX) {
        gdprintk(d, "sched_op shutdown: reason %u is not a SHUTDOWN_* value",
                 op.reason);
        return -XEN_EINVAL;
    }
    domain_shutdown(v, op.reason);
    return 0;
}

long do_sched_op(struct vcpu *v, const uint64_t arg[5])
{
    switch ((uint32_t)arg[0]) {
    case SCHEDOP_yield:
        return sched_yield_op();
    case SCHEDOP_shutdown:
        return sched_shutdown_op(v, arg[1]);
    default: /* block, poll: need event channels; the rest: not served */
        return -XEN_ENOSYS;
    }
}
