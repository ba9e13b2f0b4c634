/* SPDX-License-Identifier: MIT */
/* time.c: domain system time, pvclock, wall clock and one-shot timers. */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "pvabi/compat.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/log.h"
#include "core/time.h"
#include "platform/platform.h"

static uint64_t clock_ns(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

uint64_t domain_system_time(const struct domain *d)
{
    return clock_ns(CLOCK_MONOTONIC) - d->boot_ns;
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
        write_wallclock(&s->wc_version, &s->wc_sec, &s->wc_nsec,
                        &s->wc_sec_hi, d->boot_realtime_ns);
}

long do_set_timer_op(struct vcpu *v, const uint64_t arg[5])
{
    if (arg[0] == 0)
        timer_cancel(v);
    else
        timer_arm(v, arg[0]);
    return 0;
}
