/* SPDX-License-Identifier: MIT */
/* schedule.h: blocking and waking vCPUs. */
#ifndef PVHV_CORE_SCHEDULE_H
#define PVHV_CORE_SCHEDULE_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/*
 * vcpu_notify: something (an event, a timer, a stop) needs (v)'s
 * attention: wakes it if blocked, else makes it leave guest mode so that
 * its run loop injects the callback vector. Any thread; cheap when (v)
 * is already awake and out of guest mode.
 */
void vcpu_notify(struct vcpu *v);

/*
 * vcpu_block: blocks the calling vCPU thread (v) until (done)(v, opaque)
 * is true, the domain stops, or system time reaches (deadline) (0: none).
 * Returns true if (done) became true, false on deadline or stop.
 */
bool vcpu_block(struct vcpu *v, uint64_t deadline,
                bool (*done)(struct vcpu *v, void *opaque), void *opaque);

/*
 * vcpu_held: whether (v) must not enter the guest now: it is down, its
 * domain is paused, or its pvclock is from before the last unpause.
 * vcpu_hold: what the run loop does then: waits until (v) may run (or the
 * domain stops), then rewrites its pvclock if an unpause moved time on.
 */
static inline bool vcpu_held(struct vcpu *v);
void vcpu_hold(struct vcpu *v);

/*
 * domain_pause: no vCPU of (d) enters the guest from now on, and its
 * system time stops once none runs guest code (waited for, up to a
 * second: a vCPU busy in a hypercall is left to finish it). Returns 0, or
 * -EBUSY when already paused. domain_unpause: undoes it; -EINVAL when not
 * paused. Any thread but (d)'s vCPU threads.
 */
int domain_pause(struct domain *d);
int domain_unpause(struct domain *d);

/*
 * domain_vcpus_blocked: true when every vCPU of (d) that runs is blocked
 * (SCHEDOP_block, SCHEDOP_poll, hlt) or down: xl's state "b".
 */
bool domain_vcpus_blocked(struct domain *d);

/* vcpu_set_current: the calling thread runs (v) (its vCPU thread). */
void vcpu_set_current(struct vcpu *v);

/* vcpu_schedule_init / fini: the wake primitives of (v). */
void vcpu_schedule_init(struct vcpu *v);
void vcpu_schedule_fini(struct vcpu *v);

#include "core/domain.h"

static inline bool vcpu_held(struct vcpu *v)
{
    struct domain *d = v->domain;

    return !atomic_load_explicit(&v->up, memory_order_relaxed) ||
           atomic_load_explicit(&d->paused, memory_order_relaxed) ||
           v->time_gen !=
               atomic_load_explicit(&d->time_gen, memory_order_relaxed);
}

#endif /* PVHV_CORE_SCHEDULE_H */
