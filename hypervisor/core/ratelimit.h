/* SPDX-License-Identifier: MIT */
/* ratelimit.h: a lock-free token bucket: so many units per second, a burst. */
#ifndef PVHV_CORE_RATELIMIT_H
#define PVHV_CORE_RATELIMIT_H

#include <stdint.h>

/*
 * A bucket's shape: it holds (burst) units and gains one every (unit_ns)
 * nanoseconds. RATELIMIT(per_second, burst) writes one.
 */
struct ratelimit_params {
    uint64_t unit_ns;
    uint64_t burst;
};
#define RATELIMIT(per_second, burst_)                                          \
    {                                                                          \
        .unit_ns = 1000000000ULL / (per_second), .burst = (burst_)             \
    }

/*
 * A bucket's state: one word, the time at which it will be full again
 * (the "theoretical arrival time" of GCRA, the token bucket's usual
 * lock-free form). Zero-initialised, a bucket is full.
 */
struct ratelimit {
    _Atomic uint64_t full_at;
};

/*
 * ratelimit_take: takes up to (want) units from (rl), shaped by (p), at
 * time (now_ns) (any clock that does not go back, in ns; ratelimit_now
 * for CLOCK_MONOTONIC), but none unless at least (min) of them are there
 * (min <= want; 1 for all it can get). Returns how many were taken: 0 or
 * min ... want; what is over the budget is the caller's to drop.
 * Thread-safe without a lock.
 */
uint64_t ratelimit_take(struct ratelimit *rl, const struct ratelimit_params *p,
                        uint64_t min, uint64_t want, uint64_t now_ns);

/* ratelimit_now: CLOCK_MONOTONIC in ns. */
uint64_t ratelimit_now(void);

#endif /* PVHV_CORE_RATELIMIT_H */
