/* SPDX-License-Identifier: MIT */
/* event_channel_fifo.c: FIFO ABI sub-ops, answered as Xen does on 2-level. */
#include "pvabi/errno.h"
#include "pvabi/event_channel.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/event_channel_internal.h"
#include "core/log.h"

/*
 * pvhv delivers events with the 2-level ABI only (ABI.md 5.1): FIFO's
 * event array and per-vCPU queues are a second delivery path through
 * every send, unmask and close, for ports beyond 4095 that no domain
 * here is configured to have. A guest asks for FIFO with init_control
 * and stays on 2-level when that fails (Linux, Mini-OS), so these ops
 * check their arguments exactly as Xen's event_fifo.c does, in its
 * order, and then give the answer that keeps the guest on 2-level.
 */

int evtchn_init_control(struct vcpu *v, const struct evtchn_init_control *op)
{
    struct domain *d = v->domain;
    uint64_t gfn = op->control_gfn;

    if (op->vcpu >= d->nr_vcpus)
        return -XEN_ENOENT;
    /* The control block must not cross a page, and is 8-byte aligned. */
    if (op->offset > XEN_PAGE_SIZE - sizeof(struct evtchn_fifo_control_block) ||
        (op->offset & 7)) {
        gdprintk(d, "event_channel_op init_control: offset %u", op->offset);
        return -XEN_EINVAL;
    }
    if (gfn > (UINT64_MAX >> XEN_PAGE_SHIFT) ||
        !guest_ram_data(&d->ram, gfn << XEN_PAGE_SHIFT, XEN_PAGE_SIZE)) {
        gdprintk(d, "event_channel_op init_control: frame 0x%llx is not RAM",
                 (unsigned long long)gfn);
        return -XEN_EINVAL;
    }
    return -XEN_ENOSYS;
}

int evtchn_expand_array(struct domain *d, const struct evtchn_expand_array *op)
{
    (void)d;
    (void)op;
    /* Xen's answer until init_control has succeeded: never, here. */
    return -XEN_EOPNOTSUPP;
}

int evtchn_set_priority(struct domain *d, const struct evtchn_set_priority *op)
{
    if (!d->evtchn)
        return -XEN_ENOSYS;
    /* Xen looks the port up first; the 2-level ABI has no priorities. */
    if (op->port > d->evtchn->max_ports)
        return -XEN_EINVAL;
    return -XEN_ENOSYS;
}
