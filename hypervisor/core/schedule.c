/* SPDX-License-Identifier: MIT */
/* schedule.c: blocking and waking vCPUs. */
#include <errno.h>
#include <time.h>

#include "core/domain.h"
#include "core/schedule.h"
#include "platform/platform.h"

void vcpu_schedule_init(struct vcpu *v)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    /* Deadlines are system time, which follows CLOCK_MONOTONIC. */
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&v->wake, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&v->wake_lock, NULL);
}

void vcpu_schedule_fini(struct vcpu *v)
{
    pthread_cond_destroy(&v->wake);
    pthread_mutex_destroy(&v->wake_lock);
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
    uint64_t ns = d->boot_ns + deadline;
    return (struct timespec){ .tv_sec = (time_t)(ns / 1000000000ULL),
                              .tv_nsec = (long)(ns % 1000000000ULL) };
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

bool vcpu_block(struct vcpu *v, uint64_t deadline,
                bool (*done)(struct vcpu *v, void *opaque), void *opaque)
{
    struct domain *d = v->domain;
    struct timespec until = deadline_abs(d, deadline);
    bool ok = false;

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
        int rc = deadline ? pthread_cond_timedwait(&v->wake, &v->wake_lock,
                                                   &until)
                          : pthread_cond_wait(&v->wake, &v->wake_lock);
        if (rc == ETIMEDOUT) {
            ok = done(v, opaque);
            break;
        }
    }
    v->blocked = false;
    v->kicked = false;
    pthread_mutex_unlock(&v->wake_lock);
    return ok;
}
