/* SPDX-License-Identifier: MIT */
/* ratelimit.c: a lock-free token bucket (GCRA). */
#include <stdatomic.h>
#include <time.h>

#include "core/ratelimit.h"

/*
 * The bucket holds what is left of p->burst units once the debt
 * (full_at - now) is paid back at one unit per p->unit_ns. Taking n units
 * moves full_at n units later, from now at the earliest (a full bucket
 * does not fill beyond full), and never further than p->burst units
 * ahead of now. All products stay below burst * unit_ns.
 */
uint64_t ratelimit_take(struct ratelimit *rl, const struct ratelimit_params *p,
                        uint64_t min, uint64_t want, uint64_t now_ns)
{
    uint64_t limit = now_ns + p->burst * p->unit_ns;
    uint64_t old = atomic_load_explicit(&rl->full_at, memory_order_relaxed);
    uint64_t base, n;

    do {
        base = old > now_ns ? old : now_ns;
        n = base < limit ? (limit - base) / p->unit_ns : 0;
        if (n > want)
            n = want;
        if (n == 0 || n < min)
            return 0;
    } while (!atomic_compare_exchange_weak_explicit(
        &rl->full_at, &old, base + n * p->unit_ns, memory_order_relaxed,
        memory_order_relaxed));
    return n;
}

uint64_t ratelimit_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}
