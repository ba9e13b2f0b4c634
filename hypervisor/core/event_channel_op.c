/* SPDX-License-Identifier: MIT */
/* event_channel_op.c: event_channel_op(cmd, arg): copy in, evtchn_<op>(), copy
 * out. */
#include "pvabi/errno.h"
#include "pvabi/event_channel.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/hypercall_handler.h"
#include "core/log.h"

static int copy_in(struct vcpu *v, void *op, gva_t arg, size_t len)
{
    if (copy_from_guest(&v->domain->ram, &v->ctx.paging, op, arg, len)) {
        gdprintk(v->domain, "event_channel_op: bad argument 0x%llx",
                 (unsigned long long)arg);
        return -XEN_EFAULT;
    }
    return 0;
}

static int copy_out(struct vcpu *v, gva_t arg, const void *op, size_t len)
{
    if (copy_to_guest(&v->domain->ram, &v->ctx.paging, arg, op, len)) {
        gdprintk(v->domain, "event_channel_op: bad argument 0x%llx",
                 (unsigned long long)arg);
        return -XEN_EFAULT;
    }
    return 0;
}

/*
 * Sub-ops with an OUT part: copy in, helper, copy out on success. One
 * definition for all of them, each instance one line below.
 */
#define EVTCHN_SUBOP_INOUT(name)                                               \
    static long op_##name(struct vcpu *v, gva_t arg)                           \
    {                                                                          \
        struct evtchn_##name op;                                               \
        int rc = copy_in(v, &op, arg, sizeof(op));                             \
        if (!rc)                                                               \
            rc = evtchn_##name(v->domain, &op);                                \
        return rc ? rc : copy_out(v, arg, &op, sizeof(op));                    \
    }

EVTCHN_SUBOP_INOUT(alloc_unbound)
EVTCHN_SUBOP_INOUT(bind_interdomain)
EVTCHN_SUBOP_INOUT(bind_virq)
EVTCHN_SUBOP_INOUT(bind_ipi)
EVTCHN_SUBOP_INOUT(status)

static long op_bind_vcpu(struct vcpu *v, gva_t arg)
{
    struct evtchn_bind_vcpu op;
    int rc = copy_in(v, &op, arg, sizeof(op));

    return rc ? rc : evtchn_bind_vcpu(v->domain, &op);
}

/* The FIFO ABI's ops: in only; init_control's OUT part is never set. */
static long op_init_control(struct vcpu *v, gva_t arg)
{
    struct evtchn_init_control op;
    int rc = copy_in(v, &op, arg, sizeof(op));

    return rc ? rc : evtchn_init_control(v, &op);
}

static long op_expand_array(struct vcpu *v, gva_t arg)
{
    struct evtchn_expand_array op;
    int rc = copy_in(v, &op, arg, sizeof(op));

    return rc ? rc : evtchn_expand_array(v->domain, &op);
}

static long op_set_priority(struct vcpu *v, gva_t arg)
{
    struct evtchn_set_priority op;
    int rc = copy_in(v, &op, arg, sizeof(op));

    return rc ? rc : evtchn_set_priority(v->domain, &op);
}

/* close, send and unmask take a struct holding just a port. */
static long op_port(struct vcpu *v, gva_t arg,
                    int (*fn)(struct domain *d, evtchn_port_t port))
{
    evtchn_port_t port;
    int rc = copy_in(v, &port, arg, sizeof(port));

    return rc ? rc : fn(v->domain, port);
}

long do_event_channel_op(struct vcpu *v, const uint64_t arg[5])
{
    switch ((uint32_t)arg[0]) {
    case EVTCHNOP_alloc_unbound:
        return op_alloc_unbound(v, arg[1]);
    case EVTCHNOP_bind_interdomain:
        return op_bind_interdomain(v, arg[1]);
    case EVTCHNOP_bind_virq:
        return op_bind_virq(v, arg[1]);
    case EVTCHNOP_bind_ipi:
        return op_bind_ipi(v, arg[1]);
    case EVTCHNOP_bind_vcpu:
        return op_bind_vcpu(v, arg[1]);
    case EVTCHNOP_close:
        return op_port(v, arg[1], evtchn_close);
    case EVTCHNOP_send:
        return op_port(v, arg[1], evtchn_send);
    case EVTCHNOP_status:
        return op_status(v, arg[1]);
    case EVTCHNOP_unmask:
        return op_port(v, arg[1], evtchn_unmask);
    case EVTCHNOP_init_control:
        return op_init_control(v, arg[1]);
    case EVTCHNOP_expand_array:
        return op_expand_array(v, arg[1]);
    case EVTCHNOP_set_priority:
        return op_set_priority(v, arg[1]);
    default: /* bind_pirq (no physical IRQs), reset */
        return -XEN_ENOSYS;
    }
}
