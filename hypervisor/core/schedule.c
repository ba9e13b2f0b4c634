/* SPDX-License-Identifier: MIT */
/* schedule.c: blocking and waking vCPUs. */
#include <errno.h>
#include <time.h>

#include "core/domain.h"
#include "core/runstate.h"
#include "core/schedule.h"
#include "core/time.h"
#include "core/platform.h"

void vcpu_schedule_init(struct vcpu *v)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    /* Deadlines are system time, which follows CLOCK_MONOTONIC. */
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&v->wake, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&v->wake_lock, NULL);
    runstate_init(v);
}

void vcpu_schedule_fini(struct vcpu *v)
{
    pthread_cond_destroy(&v->wake);
    pthread_mutex_destroy(&v->wake_lock);
    runstate_fini(v);
}

/*
 * `kicked` is set under wake_lock, which vcpu_block holds from checking
 * its condition to sleeping: a notification can't fall between the two.
 */
/* The vCPU this thread runs, if any: it needs no kick to see an event. */
static __thread struct vcpu *current_vcpu;

void vcpu_set_current(struct vcpu *v)
{
    current_vcpu = v;
}

void vcpu_notify(struct vcpu *v)
{
    /* Inside one of its own exits: the run loop looks before re-entry. */
    if (v == current_vcpu)
        return;
    pthread_mutex_lock(&v->wake_lock);
    v->kicked = true;
    bool blocked = v->blocked;
    if (blocked)
        pthread_cond_signal(&v->wake);
    pthread_mutex_unlock(&v->wake_lock);
    if (!blocked)
        platform_vcpu_kick(v);
}

static struct timespec deadline_abs(const struct domain *d, uint64_t deadline)
{
    uint64_t ns = domain_time_base(d) + deadline;
    return (struct timespec){.tv_sec = (time_t)(ns / 1000000000ULL),
                             .tv_nsec = (long)(ns % 1000000000ULL)};
}

/*
 * Halt polling (as KVM's halt_poll_ns): a wake-up often follows within
 * microseconds (a reply from another domain), and a sleeping thread takes
 * far longer to wake than that. Spin briefly before sleeping.
 */
#define HALT_POLL_NS 30000ULL

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static bool halt_poll(struct vcpu *v, bool (*done)(struct vcpu *, void *),
                      void *opaque)
{
    uint64_t until = now_ns() + HALT_POLL_NS;
    do {
        if (done(v, opaque) || domain_is_stopped(v->domain) ||
            __atomic_load_n(&v->kicked, __ATOMIC_ACQUIRE))
            return true;
        __builtin_ia32_pause();
    } while (now_ns() < until);
    return false;
}

/*
 * block_as: vcpu_block, with (v) in RUNSTATE_(state) while it waits
 * (blocked; offline while down or paused) and running again after.
 */
static bool block_as(struct vcpu *v, int state, uint64_t deadline,
                     bool (*done)(struct vcpu *v, void *opaque), void *opaque)
{
    struct domain *d = v->domain;
    struct timespec until = deadline_abs(d, deadline);
    bool ok = false;

    runstate_change(v, state);
    /* Blocked from here on: a notification signals instead of kicking. */
    pthread_mutex_lock(&v->wake_lock);
    v->blocked = true;
    pthread_mutex_unlock(&v->wake_lock);
    halt_poll(v, done, opaque);
    pthread_mutex_lock(&v->wake_lock);
    for (;;) {
        if (done(v, opaque)) {
            ok = true;
            break;
        }
        if (domain_is_stopped(d))
            break;
        if (v->kicked) {
            v->kicked = false;
            continue;
        }
        int rc = deadline
                     ? pthread_cond_timedwait(&v->wake, &v->wake_lock, &until)
                     : pthread_cond_wait(&v->wake, &v->wake_lock);
        if (rc == ETIMEDOUT) {
            ok = done(v, opaque);
            break;
        }
    }
    v->blocked = false;
    v->kicked = false;
    pthread_mutex_unlock(&v->wake_lock);
    runstate_change(v, RUNSTATE_running);
    return ok;
}

bool vcpu_block(struct vcpu *v, uint64_t deadline,
                bool (*done)(struct vcpu *v, void *opaque), void *opaque)
{
    return block_as(v, RUNSTATE_blocked, deadline, done, opaque);
}

static bool may_run(struct vcpu *v, void *opaque)
{
    (void)opaque;
    return atomic_load(&v->up) && !atomic_load(&v->domain->paused);
}

/*
 * A down vCPU with a local APIC may also be started by another vCPU's
 * INIT and start-up IPI (Linux brings its CPUs up so), which the platform
 * keeps for it without telling anyone: it looks every START_IPI_POLL_NS.
 * Started so, the vCPU is up, as after VCPUOP_up.
 */
#define START_IPI_POLL_NS (10 * 1000000ULL)

static void wait_start_ipi(struct vcpu *v)
{
    struct domain *d = v->domain;

    if (platform_vcpu_started(v)) {
        pthread_mutex_lock(&d->lock);
        atomic_store(&v->up, true);
        pthread_mutex_unlock(&d->lock);
        return;
    }
    block_as(v, RUNSTATE_offline, domain_system_time(d) + START_IPI_POLL_NS,
             may_run, NULL);
}

void vcpu_hold(struct vcpu *v)
{
    struct domain *d = v->domain;
    uint32_t gen;

    if (!may_run(v, NULL)) {
        if (d->lapic && !atomic_load(&v->up) && !atomic_load(&d->paused))
            wait_start_ipi(v);
        else
            block_as(v, RUNSTATE_offline, 0, may_run, NULL);
    }
    gen = atomic_load(&d->time_gen);
    if (v->time_gen != gen && may_run(v, NULL)) {
        /* Time moved on at the unpause: the guest's pvclock must too. */
        v->time_gen = gen;
        vcpu_time_update(v);
    }
}

/* out_of_guest: (v) runs no guest code now: not started, or blocked. */
static bool out_of_guest(struct vcpu *v)
{
    bool out;

    pthread_mutex_lock(&v->wake_lock);
    out = !v->thread_started || v->blocked;
    pthread_mutex_unlock(&v->wake_lock);
    return out;
}

#define PAUSE_WAIT_NS 1000000000ULL

int domain_pause(struct domain *d)
{
    struct timespec tick = {0, 100000};
    uint64_t until = now_ns() + PAUSE_WAIT_NS;
    unsigned int i = 0;

    pthread_mutex_lock(&d->pause_lock);
    if (atomic_load(&d->paused)) {
        pthread_mutex_unlock(&d->pause_lock);
        return -EBUSY;
    }
    /* Time stops after the last guest instruction, so that the guest never
     * sees its clock go back at the unpause. */
    atomic_store(&d->paused, true);
    for (i = 0; i < d->nr_vcpus; i++)
        vcpu_notify(&d->vcpus[i]);
    for (i = 0; i < d->nr_vcpus && now_ns() < until;)
        if (out_of_guest(&d->vcpus[i]) || domain_is_stopped(d))
            i++;
        else
            nanosleep(&tick, NULL);
    domain_time_freeze(d);
    pthread_mutex_unlock(&d->pause_lock);
    return 0;
}

int domain_unpause(struct domain *d)
{
    pthread_mutex_lock(&d->pause_lock);
    if (!atomic_load(&d->paused)) {
        pthread_mutex_unlock(&d->pause_lock);
        return -EINVAL;
    }
    domain_time_thaw(d);
    atomic_store(&d->paused, false);
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        vcpu_notify(&d->vcpus[i]);
    pthread_mutex_unlock(&d->pause_lock);
    return 0;
}

bool domain_vcpus_blocked(struct domain *d)
{
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = &d->vcpus[i];
        bool blocked;

        pthread_mutex_lock(&v->wake_lock);
        blocked = v->blocked || !atomic_load(&v->up);
        pthread_mutex_unlock(&v->wake_lock);
        /* Or in a `hlt` that the platform serves itself. */
        if (!blocked && !platform_vcpu_halted(v))
            return false;
    }
    return true;
}
