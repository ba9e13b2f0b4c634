/* SPDX-License-Identifier: MIT */
/* time.c: domain system time, pvclock, wall clock and one-shot timers. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "pvabi/compat.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/log.h"
#include "core/time.h"
#include "core/platform.h"

static uint64_t clock_ns(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

uint64_t domain_time_base(const struct domain *d)
{
    return __atomic_load_n(&d->boot_ns, __ATOMIC_ACQUIRE);
}

uint64_t domain_system_time(const struct domain *d)
{
    if (atomic_load(&d->time_stopped))
        return __atomic_load_n(&d->frozen_ns, __ATOMIC_ACQUIRE);
    return clock_ns(CLOCK_MONOTONIC) - domain_time_base(d);
}

void domain_time_freeze(struct domain *d)
{
    __atomic_store_n(&d->frozen_ns, clock_ns(CLOCK_MONOTONIC) - d->boot_ns,
                     __ATOMIC_RELEASE);
    atomic_store(&d->time_stopped, true);
}

void domain_time_thaw(struct domain *d)
{
    __atomic_store_n(&d->boot_ns, clock_ns(CLOCK_MONOTONIC) - d->frozen_ns,
                     __ATOMIC_RELEASE);
    atomic_store(&d->time_stopped, false);
    atomic_fetch_add(&d->time_gen, 1);
}

uint64_t vcpu_cpu_ns(struct vcpu *v)
{
    struct timespec t;
    clockid_t id;
    uint64_t ns = 0;

    /* Under wake_lock the thread cannot pass vcpu_cpu_ns_final: it lives. */
    pthread_mutex_lock(&v->wake_lock);
    if (v->cpu_ns_final)
        ns = v->cpu_ns;
    else if (v->thread_started && pthread_getcpuclockid(v->thread, &id) == 0 &&
             clock_gettime(id, &t) == 0)
        ns = (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
    pthread_mutex_unlock(&v->wake_lock);
    return ns;
}

void vcpu_cpu_ns_final(struct vcpu *v)
{
    uint64_t ns = clock_ns(CLOCK_THREAD_CPUTIME_ID);

    pthread_mutex_lock(&v->wake_lock);
    v->cpu_ns = ns;
    v->cpu_ns_final = true;
    pthread_mutex_unlock(&v->wake_lock);
}

/*
 * pvclock scale: ns = ((tsc << shift) * mul) >> 32 (a right shift for a
 * negative shift). Bring the TSC rate within (1e9, 2e9] Hz-equivalents by
 * halving or doubling, then mul = 1e9 / rate as a 32.32 fraction < 1.
 */
static void pvclock_scale(uint64_t tsc_hz, int8_t *shift, uint32_t *mul)
{
    const uint64_t ns_per_s = 1000000000ULL;
    uint64_t rate = tsc_hz;
    int s = 0;
    while (rate > 2 * ns_per_s) {
        rate >>= 1;
        s--;
    }
    while (rate <= ns_per_s) {
        rate <<= 1;
        s++;
    }
    *shift = (int8_t)s;
    *mul = (uint32_t)((ns_per_s << 32) / rate);
}

/*
 * time_area_update: the guest's second copy (VCPUOP_register_vcpu_time_
 * memory_area) gets (t) under the same protocol: an odd version first,
 * then the fields, then the even version.
 */
static void time_area_update(struct vcpu *v, const struct vcpu_time_info *t)
{
    struct vcpu_time_info c = *t;
    struct domain *d = v->domain;
    uint32_t odd;

    pthread_mutex_lock(&v->runstate_lock);
    if (v->time_area.len) {
        odd = c.version - 1;
        guest_area_write(&v->time_area, &d->ram, 0, &odd, sizeof(odd));
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        c.version = odd;
        guest_area_write(&v->time_area, &d->ram, 0, &c, sizeof(c));
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        c.version = odd + 1;
        guest_area_write(&v->time_area, &d->ram, 0, &c.version,
                         sizeof(c.version));
    }
    pthread_mutex_unlock(&v->runstate_lock);
}

void vcpu_time_update(struct vcpu *v)
{
    struct vcpu_time_info *t = v->vcpu_info ? &v->vcpu_info->time : NULL;
    uint64_t khz;
    int64_t offset;
    if (!t || platform_vcpu_tsc(v, &khz, &offset) < 0)
        return;
    uint64_t host_tsc = __builtin_ia32_rdtsc();
    uint64_t now = domain_system_time(v->domain);
    /* The seqlock: odd while the fields change (see pvabi/xen.h). */
    __atomic_store_n(&t->version, t->version + 1, __ATOMIC_RELEASE);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t->tsc_timestamp = host_tsc + (uint64_t)offset;
    t->system_time = now;
    pvclock_scale(khz * 1000, &t->tsc_shift, &t->tsc_to_system_mul);
    t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    __atomic_store_n(&t->version, t->version + 1, __ATOMIC_RELEASE);
    time_area_update(v, t);
}

/* write_wallclock: the seqlock update, wherever the layout has the fields. */
static void write_wallclock(uint32_t *version, uint32_t *sec, uint32_t *nsec,
                            uint32_t *sec_hi, uint64_t wc)
{
    __atomic_store_n(version, *version + 1, __ATOMIC_RELEASE);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    *sec = (uint32_t)(wc / 1000000000ULL);
    *sec_hi = (uint32_t)((wc / 1000000000ULL) >> 32);
    *nsec = (uint32_t)(wc % 1000000000ULL);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    __atomic_store_n(version, *version + 1, __ATOMIC_RELEASE);
}

void domain_wallclock_update(struct domain *d)
{
    struct shared_info *s = d->shared_info;
    struct compat_shared_info *c = (struct compat_shared_info *)s;

    if (!s)
        return;
    if (atomic_load(&d->shared_info_compat))
        write_wallclock(&c->wc_version, &c->wc_sec, &c->wc_nsec,
                        &c->arch.wc_sec_hi, d->boot_realtime_ns);
    else
        write_wallclock(&s->wc_version, &s->wc_sec, &s->wc_nsec, &s->wc_sec_hi,
                        d->boot_realtime_ns);
}

long do_set_timer_op(struct vcpu *v, const uint64_t arg[5])
{
    if (arg[0] == 0)
        timer_cancel(v);
    else
        timer_arm(v, arg[0]);
    return 0;
}
