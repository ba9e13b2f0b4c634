/* SPDX-License-Identifier: MIT */
/* hvm_op.c: hvm_op(cmd, arg): the HVM parameters a PVH domain reads and sets.
 */
#include "pvabi/errno.h"
#include "pvabi/hvm.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/hypercall_handler.h"
#include "core/instance.h"
#include "core/log.h"
#include "core/domain_lookup.h"
#include "core/registry.h"
#include "core/schedule.h"

/*
 * The ring pages and ports the toolstack gives the domain: readable,
 * never set by the guest (Xen lets a guest set the two ports; pvhv's
 * XenStore and console do not follow such a change, so they refuse it).
 */
static bool param_is_toolstack(uint32_t index)
{
    switch (index) {
    case HVM_PARAM_STORE_PFN:
    case HVM_PARAM_STORE_EVTCHN:
    case HVM_PARAM_CONSOLE_PFN:
    case HVM_PARAM_CONSOLE_EVTCHN:
        return true;
    default:
        return false;
    }
}

/*
 * set_callback: HVM_PARAM_CALLBACK_IRQ. Only the vector type is served:
 * the others name an emulated interrupt controller pvhv does not have.
 * Every vCPU is notified so that events already pending get injected.
 */
static int set_callback(struct domain *d, uint64_t value)
{
    unsigned int type = (unsigned int)(value >> 56);
    uint8_t vector = (uint8_t)value;

    /* Linux sets GSI 1 once it has per-vCPU upcall vectors, to look
     * enlightened to the toolstack: recorded, it delivers nothing. */
    if (type == HVM_PARAM_CALLBACK_TYPE_GSI && value != 0 && d->lapic) {
        d->hvm_param[HVM_PARAM_CALLBACK_IRQ] = value;
        __atomic_store_n(&d->callback_vector, 0, __ATOMIC_RELEASE);
        return 0;
    }
    if (value != 0) {
        if (type != HVM_PARAM_CALLBACK_TYPE_VECTOR) {
            gdprintk(d, "hvm_op: callback type %u not served (only %u, vector)",
                     type, HVM_PARAM_CALLBACK_TYPE_VECTOR);
            return -XEN_EINVAL;
        }
        if (vector < 16) {
            gdprintk(d, "hvm_op: callback vector %u is an exception vector",
                     vector);
            return -XEN_EINVAL;
        }
    }
    d->hvm_param[HVM_PARAM_CALLBACK_IRQ] = value;
    __atomic_store_n(&d->callback_vector, value ? vector : 0, __ATOMIC_RELEASE);
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        vcpu_notify(&d->vcpus[i]);
    return 0;
}

/* set_param / get_param: (td) is the target, (caller) the calling domain. */
static int set_param(struct domain *caller, struct domain *td,
                     struct xen_hvm_param *op)
{
    if (op->index == HVM_PARAM_CALLBACK_IRQ)
        return set_callback(td, op->value);
    if (td == caller) {
        gdprintk(caller, "hvm_op: parameter %u is not the guest's to set",
                 op->index);
        return -XEN_EPERM;
    }
    /* A privileged caller (the toolstack side) sets the others. */
    if (param_is_toolstack(op->index))
        td->hvm_param[op->index] = op->value;
    return param_is_toolstack(op->index) ? 0 : -XEN_EPERM;
}

static int get_param(struct domain *td, struct xen_hvm_param *op)
{
    op->value = td->hvm_param[op->index];
    return 0;
}

/*
 * param_op: finds the target like Xen (-EINVAL bad index, -ESRCH no such
 * domain, -EPERM another domain without privilege) and runs the op with
 * the target's registry slot held, so it cannot go meanwhile.
 */
static int param_op(struct domain *d, struct xen_hvm_param *op, bool set)
{
    struct domain *td = d;
    int rc;

    if (op->index >= HVM_NR_PARAMS)
        return -XEN_EINVAL;
    if (op->domid == DOMID_SELF || op->domid == d->domid)
        return set ? set_param(d, d, op) : get_param(d, op);
    registry_lock_id(&d->hv->registry, op->domid);
    rc = domain_find_checked(d, op->domid, LOOKUP_PRIVILEGED, NULL, &td);
    if (rc == 0)
        rc = set ? set_param(d, td, op) : get_param(td, op);
    registry_unlock_id(&d->hv->registry, op->domid);
    return rc;
}

static long hvm_param_op(struct vcpu *v, gva_t arg, bool set)
{
    struct domain *d = v->domain;
    struct xen_hvm_param op;
    int rc;

    if (copy_from_guest(&d->ram, &v->ctx.paging, &op, arg, sizeof(op))) {
        gdprintk(d, "hvm_op: bad argument 0x%llx", (unsigned long long)arg);
        return -XEN_EFAULT;
    }
    rc = param_op(d, &op, set);
    /* Xen latches the shared_info layout when a guest sets its callback. */
    if (!rc && set && op.index == HVM_PARAM_CALLBACK_IRQ &&
        (op.domid == DOMID_SELF || op.domid == d->domid))
        evtchn_latch_layout(v);
    if (!rc && !set &&
        copy_to_guest(&d->ram, &v->ctx.paging, arg, &op, sizeof(op))) {
        gdprintk(d, "hvm_op: bad argument 0x%llx", (unsigned long long)arg);
        return -XEN_EFAULT;
    }
    return rc;
}

/*
 * set_upcall_vector: HVMOP_set_evtchn_upcall_vector. Upcalls for the
 * named vCPU then raise (vector) in its local APIC, in preference to the
 * domain's callback vector; one is raised at once if an upcall is already
 * pending. Errors as Xen's: -EINVAL an exception vector, -ENOENT no such
 * vCPU; -ENOSYS in a domain without local APICs (CPUID does not offer it).
 */
static long set_upcall_vector(struct vcpu *v, gva_t arg)
{
    struct domain *d = v->domain;
    struct xen_hvm_evtchn_upcall_vector op;
    struct vcpu *t;

    if (!d->lapic)
        return -XEN_ENOSYS;
    if (copy_from_guest(&d->ram, &v->ctx.paging, &op, arg, sizeof(op))) {
        gdprintk(d, "hvm_op: bad argument 0x%llx", (unsigned long long)arg);
        return -XEN_EFAULT;
    }
    if (op.vector < 0x10) {
        gdprintk(d, "hvm_op: upcall vector %u is an exception vector",
                 op.vector);
        return -XEN_EINVAL;
    }
    if (op.vcpu >= d->nr_vcpus) {
        gdprintk(d, "hvm_op: upcall vector for vCPU %u of %u", op.vcpu,
                 d->nr_vcpus);
        return -XEN_ENOENT;
    }
    t = &d->vcpus[op.vcpu];
    __atomic_store_n(&t->upcall_vector, op.vector, __ATOMIC_RELEASE);
    if (evtchn_vcpu_events_pending(t)) {
        __atomic_store_n(&t->upcall_raise, true, __ATOMIC_RELEASE);
        vcpu_notify(t);
    }
    return 0;
}

long do_hvm_op(struct vcpu *v, const uint64_t arg[5])
{
    switch (arg[0]) {
    case HVMOP_set_param:
        return hvm_param_op(v, arg[1], true);
    case HVMOP_get_param:
        return hvm_param_op(v, arg[1], false);
    case HVMOP_set_evtchn_upcall_vector:
        return set_upcall_vector(v, arg[1]);
    default: /* the rest: not served */
        return -XEN_ENOSYS;
    }
}
