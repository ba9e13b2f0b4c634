/* SPDX-License-Identifier: MIT */
/* timer.c: one thread fires every vCPU's single-shot timer (VIRQ_TIMER). */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "core/domain.h"
#include "core/event_channel.h"
#include "core/log.h"
#include "core/time.h"

/*
 * Armed vCPUs sit in an array scanned for the earliest deadline: there
 * are few (one per vCPU at most), and arming stays O(1). A timer fires
 * with the lock held, so timer_cancel() returning means it will not fire:
 * a domain can then be torn down safely.
 */
#define TIMERS_MAX 4096

static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pthread_t thread;
    bool running;
    unsigned int users;          /* hypervisor instances */
    struct vcpu *armed[TIMERS_MAX];
    unsigned int nr_armed;
} timers = { .lock = PTHREAD_MUTEX_INITIALIZER };

static uint64_t monotonic_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static uint64_t expiry(const struct vcpu *v)
{
    return v->domain->boot_ns + v->timer_deadline;
}

static void unlink_locked(struct vcpu *v)
{
    if (!v->timer_deadline)
        return;
    unsigned int i = v->timer_slot;
    timers.armed[i] = timers.armed[--timers.nr_armed];
    timers.armed[i]->timer_slot = i;
    v->timer_deadline = 0;
}

void timer_arm(struct vcpu *v, uint64_t deadline)
{
    pthread_mutex_lock(&timers.lock);
    unlink_locked(v);
    if (timers.nr_armed < TIMERS_MAX) {
        v->timer_deadline = deadline ? deadline : 1;
        v->timer_slot = timers.nr_armed;
        timers.armed[timers.nr_armed++] = v;
        pthread_cond_signal(&timers.changed);
    }
    pthread_mutex_unlock(&timers.lock);
}

void timer_cancel(struct vcpu *v)
{
    pthread_mutex_lock(&timers.lock);
    unlink_locked(v);
    pthread_mutex_unlock(&timers.lock);
}

static struct vcpu *earliest_locked(void)
{
    struct vcpu *first = NULL;
    for (unsigned int i = 0; i < timers.nr_armed; i++)
        if (!first || expiry(timers.armed[i]) < expiry(first))
            first = timers.armed[i];
    return first;
}

static void *timer_thread(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&timers.lock);
    while (timers.running) {
        struct vcpu *v = earliest_locked();
        if (!v) {
            pthread_cond_wait(&timers.changed, &timers.lock);
            continue;
        }
        uint64_t at = expiry(v);
        if (monotonic_ns() < at) {
            struct timespec ts = { .tv_sec = (time_t)(at / 1000000000ULL),
                                   .tv_nsec = (long)(at % 1000000000ULL) };
            pthread_cond_timedwait(&timers.changed, &timers.lock, &ts);
            continue;
        }
        unlink_locked(v);
        evtchn_send_virq(v, VIRQ_TIMER);
    }
    pthread_mutex_unlock(&timers.lock);
    return NULL;
}

int timers_start(struct pvhv *hv)
{
    (void)hv;
    int rc = 0;
    pthread_mutex_lock(&timers.lock);
    if (timers.users++ == 0) {
        pthread_condattr_t attr;
        pthread_condattr_init(&attr);
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        pthread_cond_init(&timers.changed, &attr);
        pthread_condattr_destroy(&attr);
        timers.running = true;
        rc = -pthread_create(&timers.thread, NULL, timer_thread, NULL);
        if (rc < 0) {
            timers.running = false;
            timers.users--;
        }
    }
    pthread_mutex_unlock(&timers.lock);
    return rc;
}

void timers_stop(struct pvhv *hv)
{
    (void)hv;
    pthread_mutex_lock(&timers.lock);
    bool last = --timers.users == 0;
    if (last) {
        timers.running = false;
        pthread_cond_signal(&timers.changed);
    }
    pthread_mutex_unlock(&timers.lock);
    if (last) {
        pthread_join(timers.thread, NULL);
        pthread_cond_destroy(&timers.changed);
    }
}
