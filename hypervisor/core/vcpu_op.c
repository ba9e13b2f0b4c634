/* SPDX-License-Identifier: MIT */
/* vcpu_op.c: vcpu_op(cmd, vcpuid, arg): vCPU bring-up, vcpu_info placement,
 * one-shot timers, runstate and pvclock areas. */
#include <string.h>

#include "pvabi/compat.h"
#include "pvabi/errno.h"
#include "pvabi/sched.h"
#include "pvabi/vcpu.h"
#include "core/domain.h"
#include "core/hypercall_handler.h"
#include "core/log.h"
#include "core/runstate.h"
#include "core/schedule.h"
#include "core/time.h"
#include "core/vcpu_op.h"
#include "core/platform.h"

static int copy_arg(struct vcpu *v, void *dst, gva_t arg, size_t len)
{
    if (copy_from_guest(&v->domain->ram, &v->ctx.paging, dst, arg, len)) {
        gdprintk(v->domain, "vcpu_op: bad argument 0x%llx",
                 (unsigned long long)arg);
        return -XEN_EFAULT;
    }
    return 0;
}

/*
 * vcpu_initialise: the state (t) starts in at VCPUOP_up. The domain lock
 * orders it with vcpu_up, so a vCPU never gets a new state while it runs.
 */
static long vcpu_initialise(struct vcpu *v, struct vcpu *t, gva_t arg)
{
    struct domain *d = v->domain;
    struct vcpu_hvm_context ctx;
    int rc;

    rc = copy_arg(v, &ctx, arg, sizeof(ctx));
    if (rc)
        return rc;
    if (ctx.mode != VCPU_HVM_MODE_32B && ctx.mode != VCPU_HVM_MODE_64B) {
        gdprintk(d, "vcpu_op initialise: mode %u unknown", ctx.mode);
        return -XEN_EINVAL;
    }
    pthread_mutex_lock(&d->lock);
    if (atomic_load(&t->up))
        rc = -XEN_EEXIST;
    else
        rc = platform_vcpu_set_context(t, &ctx);
    if (rc == 0)
        t->initialised = true;
    pthread_mutex_unlock(&d->lock);
    return rc;
}

/*
 * vcpu_up: wakes (t) where it is parked (its thread runs from the
 * domain's start; down, it waits in exit_may_enter). Only the caller that
 * flips `up` (under the domain lock) acts, so two racing VCPUOP_up start
 * it once.
 */
static long vcpu_up(struct vcpu *t)
{
    struct domain *d = t->domain;
    bool was_up;

    pthread_mutex_lock(&d->lock);
    was_up = atomic_load(&t->up);
    if (!was_up && !t->initialised) {
        pthread_mutex_unlock(&d->lock);
        return -XEN_EINVAL;
    }
    atomic_store(&t->up, true);
    pthread_mutex_unlock(&d->lock);
    if (!was_up) /* else vCPU 0, or one already brought up */
        vcpu_notify(t);
    return 0;
}

/*
 * vcpu_down: the caller stops itself (its run loop parks on up == false).
 * The last running vCPU going down powers the domain off, as on Xen.
 */
static long vcpu_down(struct vcpu *v, struct vcpu *t)
{
    struct domain *d = v->domain;
    bool others = false;

    if (t != v) {
        gdprintk(d, "vcpu_op down: vCPU %u may only stop itself, not %u", v->id,
                 t->id);
        return -XEN_EINVAL;
    }
    pthread_mutex_lock(&d->lock);
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (&d->vcpus[i] != v && atomic_load(&d->vcpus[i].up))
            others = true;
    if (others)
        atomic_store(&v->up, false);
    pthread_mutex_unlock(&d->lock);
    if (!others)
        domain_shutdown(v, SHUTDOWN_poweroff);
    return 0;
}

/*
 * vcpu_info_move: makes (vi) (guest RAM) the vcpu_info of (t). The old
 * contents come along; then every selector bit and upcall_pending are
 * set, because a sender that read the old address may have set a bit
 * there after the copy: the guest sees a spurious upcall, never a lost one.
 */
static void vcpu_info_move(struct vcpu *t, struct vcpu_info *vi)
{
    struct vcpu_info *old = t->vcpu_info;

    if (old)
        memcpy(vi, old, sizeof(*vi));
    else
        memset(vi, 0, sizeof(*vi));
    __atomic_store_n(&t->vcpu_info, vi, __ATOMIC_RELEASE);
    t->vcpu_info_registered = true;
    if (atomic_load(&t->domain->shared_info_compat))
        __atomic_store_n(&((struct compat_vcpu_info *)vi)->evtchn_pending_sel,
                         ~(compat_ulong_t)0, __ATOMIC_SEQ_CST);
    else
        __atomic_store_n(&vi->evtchn_pending_sel, ~(xen_ulong_t)0,
                         __ATOMIC_SEQ_CST);
    __atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
    vcpu_time_update(t);
    vcpu_notify(t);
}

static long register_vcpu_info(struct vcpu *v, struct vcpu *t, gva_t arg)
{
    struct domain *d = v->domain;
    struct vcpu_register_vcpu_info op;
    struct vcpu_info *vi = NULL;
    int rc = copy_arg(v, &op, arg, sizeof(op));

    if (rc)
        return rc;
    if (op.offset <= XEN_PAGE_SIZE - sizeof(*vi) && op.offset % 8 == 0 &&
        op.mfn <= (UINT64_MAX >> XEN_PAGE_SHIFT))
        vi = guest_ram_data(&d->ram, (op.mfn << XEN_PAGE_SHIFT) + op.offset,
                            sizeof(*vi));
    if (!vi) {
        gdprintk(d,
                 "vcpu_op register_vcpu_info: frame 0x%llx offset %u is "
                 "not RAM, not 8-byte aligned or crosses the page",
                 (unsigned long long)op.mfn, op.offset);
        return -XEN_EINVAL;
    }
    if (t->vcpu_info_registered || (t != v && atomic_load(&t->up)))
        return -XEN_EINVAL; /* once per vCPU; another one only while down */
    vcpu_info_move(t, vi);
    return 0;
}

long vcpu_set_singleshot_timer(struct vcpu *v, struct vcpu *t,
                               const struct vcpu_set_singleshot_timer *op)
{
    if (t != v)
        return -XEN_EINVAL; /* Xen: only the caller's own timer */
    if ((op->flags & VCPU_SSHOTTMR_future) &&
        op->timeout_abs_ns < domain_system_time(v->domain))
        return -XEN_ETIME;
    timer_arm(v, op->timeout_abs_ns);
    return 0;
}

static long set_singleshot_timer(struct vcpu *v, struct vcpu *t, gva_t arg)
{
    struct vcpu_set_singleshot_timer op;
    int rc;

    if (t != v)
        return -XEN_EINVAL;
    rc = copy_arg(v, &op, arg, sizeof(op));
    return rc ? rc : vcpu_set_singleshot_timer(v, t, &op);
}

static long stop_singleshot_timer(struct vcpu *v, struct vcpu *t)
{
    if (t != v)
        return -XEN_EINVAL;
    timer_cancel(v);
    return 0;
}

static long register_runstate(struct vcpu *v, struct vcpu *t, gva_t arg)
{
    struct vcpu_register_runstate_memory_area op;
    int rc = copy_arg(v, &op, arg, sizeof(op));

    return rc ? rc : runstate_register(v, t, op.addr);
}

/* register_time_area: the second pvclock copy, written from now on. */
static long register_time_area(struct vcpu *v, struct vcpu *t, gva_t arg)
{
    struct domain *d = v->domain;
    struct vcpu_register_time_memory_area op;
    struct guest_area a;
    int rc = copy_arg(v, &op, arg, sizeof(op));

    if (rc)
        return rc;
    if (v->ctx.compat)
        op.addr = (uint32_t)op.addr;
    rc = guest_area_set(&a, &d->ram, &v->ctx.paging, op.addr,
                        sizeof(struct vcpu_time_info));
    if (rc) {
        gdprintk(d,
                 "vcpu_op register_vcpu_time_memory_area: address "
                 "0x%llx is not mapped writable to RAM",
                 (unsigned long long)op.addr);
        return rc;
    }
    pthread_mutex_lock(&t->runstate_lock);
    t->time_area = a;
    pthread_mutex_unlock(&t->runstate_lock);
    vcpu_time_update(t);
    return 0;
}

long do_vcpu_op(struct vcpu *v, const uint64_t arg[5])
{
    struct domain *d = v->domain;
    uint32_t vcpuid = (uint32_t)arg[1];
    struct vcpu *t;

    if (vcpuid >= d->nr_vcpus)
        return -XEN_ENOENT;
    t = &d->vcpus[vcpuid];
    switch ((uint32_t)arg[0]) {
    case VCPUOP_initialise:
        return vcpu_initialise(v, t, arg[2]);
    case VCPUOP_up:
        return vcpu_up(t);
    case VCPUOP_down:
        return vcpu_down(v, t);
    case VCPUOP_is_up:
        return atomic_load(&t->up) ? 1 : 0;
    case VCPUOP_register_vcpu_info:
        return register_vcpu_info(v, t, arg[2]);
    case VCPUOP_set_singleshot_timer:
        return set_singleshot_timer(v, t, arg[2]);
    case VCPUOP_stop_singleshot_timer:
        return stop_singleshot_timer(v, t);
    case VCPUOP_register_runstate_memory_area:
        return register_runstate(v, t, arg[2]);
    case VCPUOP_get_runstate_info:
        return runstate_get(v, t, arg[2]);
    case VCPUOP_register_vcpu_time_memory_area:
        return register_time_area(v, t, arg[2]);
    case VCPUOP_stop_periodic_timer:
        return 0; /* none runs: pvhv has only the single-shot timer */
    default:      /* set_periodic_timer, ...: not served */
        return -XEN_ENOSYS;
    }
}
