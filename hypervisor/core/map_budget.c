/* SPDX-License-Identifier: MIT */
/* map_budget.c: the host's memory mappings, shared out among domains. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/map_budget.h"

#define MAX_MAP_COUNT_PATH "/proc/sys/vm/max_map_count"

/*
 * A domain's own mappings besides its vCPUs and disks (map_budget.h): RAM
 * twice, the special pages, the window, its toolstack's thread (stack and
 * guard), with room to spare; 100 sleeping domains of 1 vCPU made 13 each.
 */
#define DOMAIN_BASE 12
#define PER_VCPU 4
#define PER_DISK 4

uint64_t map_budget_host_max(void)
{
    FILE *f = fopen(MAX_MAP_COUNT_PATH, "re");
    uint64_t n = 0;
    int ok = f && fscanf(f, "%" SCNu64, &n) == 1 && n > 0;

    if (f)
        fclose(f);
    if (ok)
        return n;
    pr_warn("cannot read %s (%s): counting on Linux's default of %u "
            "mappings",
            MAX_MAP_COUNT_PATH, f ? "no number" : strerror(errno),
            MAP_BUDGET_DEFAULT_MAX);
    return MAP_BUDGET_DEFAULT_MAX;
}

void map_budget_init(struct map_budget *b, uint64_t max_map_count)
{
    uint64_t headroom = max_map_count / MAP_BUDGET_HEADROOM_DIV;

    if (headroom < MAP_BUDGET_MIN_HEADROOM)
        headroom = MAP_BUDGET_MIN_HEADROOM;
    pthread_mutex_init(&b->lock, NULL);
    b->max_map_count = max_map_count;
    b->limit = max_map_count > headroom ? max_map_count - headroom : 0;
    b->pool_max = b->limit / MAP_BUDGET_POOL_DIV;
    b->share_max = b->pool_max / MAP_BUDGET_SHARE_DIV;
    b->reserved = 0;
    b->pool_used = 0;
}

void map_budget_fini(struct map_budget *b)
{
    pthread_mutex_destroy(&b->lock);
}

uint64_t map_budget_domain_fixed(unsigned int vcpus, unsigned int grant_frames,
                                 unsigned int disks)
{
    uint64_t over = 1 + 1 + (uint64_t)grant_frames;

    return DOMAIN_BASE + (uint64_t)PER_VCPU * vcpus +
           (uint64_t)PER_DISK * disks + MAP_BUDGET_PAGE_COST * over;
}

int map_budget_reserve(struct map_budget *b, struct map_share *s,
                       uint64_t fixed, uint64_t own)
{
    uint64_t need = fixed + own;
    int rc = -ENOSPC;

    *s = (struct map_share){.budget = NULL};
    pthread_mutex_lock(&b->lock);
    if (need >= fixed && b->reserved + b->pool_used <= b->limit &&
        need <= b->limit - b->reserved - b->pool_used) {
        b->reserved += need;
        *s = (struct map_share){.budget = b, .reserved = need, .own = own};
        rc = 0;
    }
    pthread_mutex_unlock(&b->lock);
    return rc;
}

void map_budget_release(struct map_share *s)
{
    struct map_budget *b = s->budget;

    if (!b)
        return;
    pthread_mutex_lock(&b->lock);
    b->reserved -= s->reserved;
    b->pool_used -= s->pool;
    pthread_mutex_unlock(&b->lock);
    *s = (struct map_share){.budget = NULL};
}

void map_budget_explain(struct map_budget *b, uint64_t need, char *buf,
                        size_t len)
{
    pthread_mutex_lock(&b->lock);
    snprintf(buf, len,
             "cannot reserve %" PRIu64 " memory mappings for the domain: the "
             "host's vm.max_map_count is %" PRIu64 ", of which %" PRIu64
             " serve domains; %" PRIu64
             " are reserved by other domains and %" PRIu64
             " in use from their shared pool",
             need, b->max_map_count, b->limit, b->reserved, b->pool_used);
    pthread_mutex_unlock(&b->lock);
}

/* pool_part: what of (used) mappings of (s) the pool must give. */
static uint64_t pool_part(const struct map_share *s, uint64_t used)
{
    return used > s->own ? used - s->own : 0;
}

/*
 * draw: takes (more) from the pool for a share that then holds (pool) of
 * it. The pool may give it only while it stays within its most, half the
 * limit, and the limit less the minimums (those shrink the pool only
 * once many domains exist).
 */
static int draw(struct map_budget *b, uint64_t more, uint64_t pool)
{
    int rc = -ENOSPC;

    if (pool > b->share_max)
        return -EDQUOT;
    pthread_mutex_lock(&b->lock);
    if (b->pool_used + more <= b->pool_max &&
        b->reserved + b->pool_used + more <= b->limit) {
        b->pool_used += more;
        rc = 0;
    }
    pthread_mutex_unlock(&b->lock);
    return rc;
}

int map_budget_charge(struct map_share *s, uint64_t n)
{
    uint64_t used, pool;

    if (!s->budget)
        return 0;
    if (__builtin_add_overflow(s->used, n, &used))
        return -EDQUOT;
    pool = pool_part(s, used);
    /* Within its own: no lock shared with other domains. */
    if (pool > s->pool) {
        int rc = draw(s->budget, pool - s->pool, pool);

        if (rc < 0)
            return rc;
    }
    s->used = used;
    s->pool = pool;
    return 0;
}

void map_budget_refund(struct map_share *s, uint64_t n)
{
    struct map_budget *b = s->budget;
    uint64_t pool;

    if (!b)
        return;
    s->used = n < s->used ? s->used - n : 0;
    pool = pool_part(s, s->used);
    if (pool < s->pool) {
        pthread_mutex_lock(&b->lock);
        b->pool_used -= s->pool - pool;
        pthread_mutex_unlock(&b->lock);
        s->pool = pool;
    }
}
