/* SPDX-License-Identifier: MIT */
/* sched_op.c: sched_op(cmd, arg): yield, block, shutdown and poll. */
#include <sched.h>

#include "pvabi/errno.h"
#include "pvabi/sched.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/hypercall_handler.h"
#include "core/log.h"
#include "core/sched_op.h"
#include "core/schedule.h"

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

static bool events_pending(struct vcpu *v, void *opaque)
{
    (void)opaque;
    return evtchn_vcpu_events_pending(v);
}

/*
 * sched_block_op: as on Xen, blocking enables event delivery first
 * (clears evtchn_upcall_mask), then sleeps until an upcall is pending.
 * Returns 0 also when the domain stops or the vCPU goes down meanwhile.
 */
static long sched_block_op(struct vcpu *v)
{
    struct vcpu_info *vi = __atomic_load_n(&v->vcpu_info, __ATOMIC_ACQUIRE);

    if (vi)
        __atomic_store_n(&vi->evtchn_upcall_mask, 0, __ATOMIC_SEQ_CST);
    vcpu_block(v, 0, events_pending, NULL);
    return 0;
}

long sched_poll(struct vcpu *v, const struct sched_poll *op)
{
    struct domain *d = v->domain;
    evtchn_port_t ports[SCHED_POLL_MAX_PORTS];

    if (op->nr_ports > SCHED_POLL_MAX_PORTS) {
        gdprintk(d, "sched_op poll: %u ports, at most %u", op->nr_ports,
                 SCHED_POLL_MAX_PORTS);
        return -XEN_EINVAL;
    }
    if (copy_from_guest(&d->ram, &v->ctx.paging, ports, op->ports,
                        op->nr_ports * sizeof(ports[0]))) {
        gdprintk(d, "sched_op poll: bad port list 0x%llx",
                 (unsigned long long)op->ports);
        return -XEN_EFAULT;
    }
    return evtchn_poll(v, ports, op->nr_ports, op->timeout);
}

/* sched_poll_op: SCHEDOP_poll's struct, then sched_poll. */
static long sched_poll_op(struct vcpu *v, gva_t arg)
{
    struct sched_poll op;

    if (copy_from_guest(&v->domain->ram, &v->ctx.paging, &op, arg,
                        sizeof(op))) {
        gdprintk(v->domain, "sched_op poll: bad argument 0x%llx",
                 (unsigned long long)arg);
        return -XEN_EFAULT;
    }
    return sched_poll(v, &op);
}

long do_sched_op(struct vcpu *v, const uint64_t arg[5])
{
    switch ((uint32_t)arg[0]) {
    case SCHEDOP_yield:
        return sched_yield_op();
    case SCHEDOP_block:
        return sched_block_op(v);
    case SCHEDOP_shutdown:
        return sched_shutdown_op(v, arg[1]);
    case SCHEDOP_poll:
        return sched_poll_op(v, arg[1]);
    default: /* remote_shutdown, shutdown_code, watchdog, ...: not served */
        return -XEN_ENOSYS;
    }
}
