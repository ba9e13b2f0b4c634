/* SPDX-License-Identifier: MIT */
/* timer.c: each vCPU's single-shot timer (VIRQ_TIMER), on the host loop. */
#include <errno.h>

#include "core/domain.h"
#include "core/event_channel.h"
#include "core/time.h"
#include "host/loop.h"

/*
 * v->timer_deadline is what the guest asked for (system time; 0: none),
 * v->timer the loop's timer behind it. The loop may pop a timer just as
 * the vCPU re-arms or cancels it: the callback fires only while the
 * deadline it finds is due, and clears it in the same step, so each
 * arming raises VIRQ_TIMER at most once and a cancelled one never does.
 */
/* System time stands still while the domain is paused: its base moves. */
static uint64_t expiry(const struct vcpu *v, uint64_t deadline)
{
    return domain_time_base(v->domain) + deadline;
}

static void timer_fire(void *opaque)
{
    struct vcpu *v = opaque;
    uint64_t deadline = __atomic_load_n(&v->timer_deadline, __ATOMIC_ACQUIRE);

    if (!deadline || expiry(v, deadline) > host_now_ns())
        return; /* cancelled, or re-armed later: it fires then */
    if (__atomic_compare_exchange_n(&v->timer_deadline, &deadline, 0, false,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        evtchn_send_virq(v, VIRQ_TIMER);
}

int timer_vcpu_init(struct vcpu *v, struct host_loop *loop)
{
    return host_timer_new(loop, timer_fire, v, &v->timer);
}

void timer_vcpu_fini(struct vcpu *v)
{
    host_timer_free(v->timer);
    v->timer = NULL;
}

void timer_arm(struct vcpu *v, uint64_t deadline)
{
    deadline = deadline ? deadline : 1;
    __atomic_store_n(&v->timer_deadline, deadline, __ATOMIC_RELEASE);
    if (v->timer)
        host_timer_arm(v->timer, expiry(v, deadline));
}

void timer_cancel(struct vcpu *v)
{
    __atomic_store_n(&v->timer_deadline, 0, __ATOMIC_RELEASE);
    if (v->timer)
        host_timer_cancel(v->timer);
}
