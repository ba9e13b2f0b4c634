/* SPDX-License-Identifier: MIT */
/* map_budget.h: the host's memory mappings, shared out among domains. */
#ifndef PVHV_CORE_MAP_BUDGET_H
#define PVHV_CORE_MAP_BUDGET_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Linux gives a process at most vm.max_map_count mappings (VMAs); past it
 * every mmap of the process fails, whichever domain asked. Each page the
 * platform maps over a domain's memory (a grant, shared_info, a grant
 * frame) may be a mapping of its own, so these are budgeted: of the
 * host's count, a headroom stays with the process (libraries, threads,
 * heap); the rest, the limit, serves the domains:
 *  - each domain reserves a guaranteed minimum when it is made, refused
 *    if that does not fit: the mappings it makes whatever its guest does,
 *    and MAP_BUDGET_MIN_GRANT_MAPS grant mappings;
 *  - grant mappings beyond a domain's own come from a shared pool, which
 *    may hold at most half the limit (the other half is always there for
 *    new domains' minimums), and of which one domain may hold at most a
 *    quarter (so that one guest cannot take it all).
 * Counts are conservative: one page mapped inside a mapping splits it in
 * three, MAP_BUDGET_PAGE_COST more.
 */
#define MAP_BUDGET_PAGE_COST 2
#define MAP_BUDGET_MIN_GRANT_MAPS 64
#define MAP_BUDGET_DEFAULT_MAX 65530 /* Linux's default max_map_count */
#define MAP_BUDGET_MIN_HEADROOM 1024
#define MAP_BUDGET_HEADROOM_DIV 8 /* at least 1/8 kept for the process */
#define MAP_BUDGET_POOL_DIV 2     /* the pool: at most 1/2 the limit */
#define MAP_BUDGET_SHARE_DIV 4    /* a domain: at most 1/4 the pool */

/* One hypervisor instance's budget (struct pvhv). */
struct map_budget {
    pthread_mutex_t lock;   /* protects reserved and pool_used */
    uint64_t max_map_count; /* the host's, read once at open */
    uint64_t limit;         /* max_map_count less the headroom */
    uint64_t pool_max;      /* limit / MAP_BUDGET_POOL_DIV */
    uint64_t share_max;     /* pool_max / MAP_BUDGET_SHARE_DIV */
    uint64_t reserved;      /* the domains' minimums, together */
    uint64_t pool_used;     /* drawn from the pool by all domains */
};

/*
 * One domain's part. The fields are the caller's to lock (the domain's
 * grant table lock); only pool draws take the budget's lock. A share
 * without a budget (budget NULL) counts nothing and refuses nothing.
 */
struct map_share {
    struct map_budget *budget;
    uint64_t reserved; /* held from creation: fixed + own */
    uint64_t own;      /* of it, what charges use before the pool */
    uint64_t used;     /* charged now */
    uint64_t pool;     /* of used, what the pool gives */
};

/*
 * map_budget_host_max: the host's vm.max_map_count from
 * /proc/sys/vm/max_map_count, or MAP_BUDGET_DEFAULT_MAX (with a warning)
 * when it cannot be read.
 */
uint64_t map_budget_host_max(void);

/*
 * map_budget_init: (b) for a process allowed (max_map_count) mappings.
 * map_budget_fini: destroys its lock; every share must be released.
 */
void map_budget_init(struct map_budget *b, uint64_t max_map_count);
void map_budget_fini(struct map_budget *b);

/*
 * map_budget_domain_fixed: what a domain of (vcpus) vCPUs, (grant_frames)
 * grant frames and (disks) disks maps whatever its guest does: its RAM's
 * two views, special pages and grant window, per vCPU its kvm_run and its
 * thread's stack and guard, per disk its I/O ring; and what may lie over
 * its memory besides grant mappings: shared_info at one place, the grant
 * frames at their boot place (one range) and each at one place more.
 */
uint64_t map_budget_domain_fixed(unsigned int vcpus, unsigned int grant_frames,
                                 unsigned int disks);

/* map_budget_domain_own: the grant mappings every domain is sure of. */
#define MAP_BUDGET_OWN (MAP_BUDGET_MIN_GRANT_MAPS * MAP_BUDGET_PAGE_COST)

/*
 * map_budget_reserve: makes (s) a share of (b) holding (fixed) + (own)
 * from now on, (own) of it for charges. Returns 0, or -ENOSPC when the
 * limit cannot hold it besides the other domains' minimums and the
 * pool in use (s is then left without a budget).
 * map_budget_release: gives back all that (s) holds; any thread.
 */
int map_budget_reserve(struct map_budget *b, struct map_share *s,
                       uint64_t fixed, uint64_t own);
void map_budget_release(struct map_share *s);

/*
 * map_budget_explain: writes to (buf) why a domain needing (need) cannot
 * be made: the host's count and what others hold.
 */
void map_budget_explain(struct map_budget *b, uint64_t need, char *buf,
                        size_t len);

/*
 * map_budget_charge: counts (n) more mappings for (s): from its own
 * first, then from the pool. Returns 0, or (nothing counted) -EDQUOT when
 * (s) would hold more than its most of the pool, -ENOSPC when the pool is
 * used up (by all domains together).
 * map_budget_refund: counts (n) fewer, the pool's part first.
 */
int map_budget_charge(struct map_share *s, uint64_t n);
void map_budget_refund(struct map_share *s, uint64_t n);

#endif /* PVHV_CORE_MAP_BUDGET_H */
