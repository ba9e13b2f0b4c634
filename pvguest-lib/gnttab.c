/* SPDX-License-Identifier: MIT */
/* gnttab.c: our grant table (v1), and foreign grants mapped in the window. */

#include "internal.h"

/* Frames we ask for: 8 frames of 512 entries are 4096 refs. */
#define GNTTAB_MAX_FRAMES 8
#define ENTRIES_PER_FRAME (XEN_PAGE_SIZE / sizeof(struct grant_entry_v1))
#define GNTTAB_MAX_REFS (GNTTAB_MAX_FRAMES * ENTRIES_PER_FRAME)

#define WINDOW_PAGES (PVHV_GRANT_WINDOW_SIZE >> XEN_PAGE_SHIFT)
#define BITS_PER_WORD 64

/* Each frame's entries, where setup_table said the frame is. */
static struct grant_entry_v1 *frames[GNTTAB_MAX_FRAMES];
static unsigned int nr_refs;
static int table_ready;

/*
 * Refs given back, as a stack, and the refs never handed out yet: all
 * from next_fresh to nr_refs. Listing every ref at boot cost 4,088
 * stores, most of a small guest's boot where each guest instruction is
 * emulated; fresh refs are taken in order instead, lowest first, once
 * the stack is empty. in_use[] tells ours from strangers.
 */
static grant_ref_t free_refs[GNTTAB_MAX_REFS];
static unsigned int nr_free;
static unsigned int next_fresh;
static uint8_t in_use[GNTTAB_MAX_REFS];
static struct spinlock ref_lock;

/* in_use[] values: a ref gnttab_grant_access() gave, or one reserved. */
#define REF_GRANTED 1
#define REF_RESERVED 2
/* Refs reserved now: while any is, their entries' addresses must hold. */
static unsigned int nr_reserved;

/*
 * Each vCPU keeps a few free refs of its own, taken from and given back
 * to the shared pool above REF_BATCH at a time: granting and ending a
 * grant, once per request of a block device, then touch only the
 * calling vCPU's cache, with no lock and no interrupt flag (no event
 * handler may call gnttab, so nothing else on the vCPU touches it).
 */
#define REF_CACHE 63 /* with the count, 256 bytes: a shift indexes */
#define REF_BATCH 32
struct ref_cache {
    unsigned int n;
    grant_ref_t refs[REF_CACHE];
};
static struct ref_cache caches[PVGUEST_MAX_VCPUS];

/* Pages of the grant window in use: one bit each. */
static uint64_t window_used[WINDOW_PAGES / BITS_PER_WORD];
static struct spinlock window_lock;

int gnttab_ready(void)
{
    return table_ready;
}

static struct grant_entry_v1 *entry_of(grant_ref_t ref)
{
    return &frames[ref / ENTRIES_PER_FRAME][ref % ENTRIES_PER_FRAME];
}

static int query_size(uint32_t *nr, uint32_t *max)
{
    struct gnttab_query_size q = {.dom = DOMID_SELF};
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1);

    /* Not offered: the boot list says so; nothing to add. */
    if (rc == -XEN_ENOSYS)
        return (int)rc;
    if (rc < 0 || q.status != GNTST_okay) {
        printf("pvguest: gnttab: grant_table_op(GNTTABOP_query_size) "
               "failed: rc %ld, status %d\n",
               rc, q.status);
        return rc < 0 ? (int)rc : -XEN_EIO;
    }
    *nr = q.nr_frames;
    *max = q.max_nr_frames;
    return 0;
}

static int setup_table(uint32_t n)
{
    xen_pfn_t list[GNTTAB_MAX_FRAMES];
    struct gnttab_setup_table st = {
        .dom = DOMID_SELF,
        .nr_frames = n,
    };
    uint32_t i;
    long rc;

    st.frame_list = (uint64_t)(uintptr_t)list;
    rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1);
    if (rc < 0 || st.status != GNTST_okay) {
        printf("pvguest: gnttab: grant_table_op(GNTTABOP_setup_table, %u "
               "frames) failed: rc %ld, status %d\n",
               n, rc, st.status);
        return rc < 0 ? (int)rc : -XEN_EIO;
    }
    for (i = 0; i < n; i++) {
        /* The boot page tables map only the first 4 GiB. */
        if (list[i] == 0 || list[i] >= (1ULL << (32 - XEN_PAGE_SHIFT))) {
            printf("pvguest: gnttab: frame %u at pfn 0x%lx is not mapped\n", i,
                   (unsigned long)list[i]);
            return -XEN_EFAULT;
        }
        frames[i] =
            (struct grant_entry_v1 *)(uintptr_t)(list[i] << XEN_PAGE_SHIFT);
    }
    return 0;
}

int gnttab_relocate(uint64_t gpfn, void *va)
{
    unsigned int i, n = nr_refs / ENTRIES_PER_FRAME;
    long rc;

    /* Their holders keep the entries' addresses (gnttab_entry()). */
    if (__atomic_load_n(&nr_reserved, __ATOMIC_RELAXED) > 0) {
        printf("pvguest: gnttab: %u refs reserved: table not moved\n",
               nr_reserved);
        return -XEN_EBUSY;
    }
    for (i = 0; i < n; i++) {
        struct xen_add_to_physmap op = {
            .domid = DOMID_SELF,
            .space = XENMAPSPACE_grant_table,
            .idx = i,
            .gpfn = gpfn + i,
        };

        rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &op);
        if (rc < 0) {
            printf("pvguest: gnttab: add_to_physmap(grant frame %u at pfn "
                   "0x%lx) failed: %ld\n",
                   i, (unsigned long)(gpfn + i), rc);
            return (int)rc;
        }
        frames[i] =
            (struct grant_entry_v1 *)((uint8_t *)va + i * XEN_PAGE_SIZE);
    }
    return 0;
}

/*
 * Boot step, after events: asks how many frames we may have, takes up to
 * GNTTAB_MAX_FRAMES of them; every ref past the reserved ones is free.
 */
int gnttab_init(void)
{
    uint32_t nr = 0, max = 0, want;
    int rc;

    rc = query_size(&nr, &max);
    if (rc < 0)
        return rc;
    want = max < GNTTAB_MAX_FRAMES ? max : GNTTAB_MAX_FRAMES;
    if (want < nr)
        want = nr < GNTTAB_MAX_FRAMES ? nr : GNTTAB_MAX_FRAMES;
    if (want == 0) {
        printf("pvguest: gnttab: the hypervisor allows no grant frames\n");
        return -XEN_ENOSYS;
    }
    rc = setup_table(want);
    if (rc < 0)
        return rc;
    nr_refs = want * ENTRIES_PER_FRAME;
    next_fresh = GNTTAB_NR_RESERVED_ENTRIES;
    table_ready = 1;
    return 0;
}

/* Moves up to (want) refs of the pool into (c); how many (c) holds then. */
static unsigned int __attribute__((noinline))
cache_fill(struct ref_cache *c, unsigned int want)
{
    unsigned long flags = spin_lock_irqsave(&ref_lock);

    for (; want > 0 && c->n < REF_CACHE; want--) {
        if (nr_free > 0)
            c->refs[c->n++] = free_refs[--nr_free];
        else if (next_fresh < nr_refs)
            c->refs[c->n++] = next_fresh++;
        else
            break;
    }
    spin_unlock_irqrestore(&ref_lock, flags);
    return c->n;
}

static struct ref_cache *my_cache(void)
{
    return &caches[smp_id() % PVGUEST_MAX_VCPUS];
}

/* Gives a full cache's older half back to the pool. */
static void __attribute__((noinline)) cache_spill(struct ref_cache *c)
{
    unsigned long flags = spin_lock_irqsave(&ref_lock);
    unsigned int i;

    for (i = 0; i < REF_BATCH; i++)
        free_refs[nr_free++] = c->refs[i];
    for (i = REF_BATCH; i < c->n; i++)
        c->refs[i - REF_BATCH] = c->refs[i];
    c->n -= REF_BATCH;
    spin_unlock_irqrestore(&ref_lock, flags);
}

/*
 * The v1 update protocol (grant_table.h): the hypervisor must never see
 * a valid type in flags with a stale domid or frame behind it. Each
 * entry is written with one 8-byte store (gnttab_entry_grant(), in
 * internal.h), which keeps that without a separate barrier.
 */
static int grant_range_slow(domid_t domid, uint64_t frame, unsigned int n,
                            int readonly, grant_ref_t *refs);

/* A leaf function on its fast path: no call, no register to save. */
int gnttab_grant_range(domid_t domid, uint64_t frame, unsigned int n,
                       int readonly, grant_ref_t *refs)
{
    uint64_t word = gnttab_entry_word(domid, readonly);
    struct ref_cache *c = my_cache();
    unsigned int i;

    if (!table_ready || n - 1 >= REF_BATCH || frame + n - 1 > UINT32_MAX ||
        c->n < n)
        return grant_range_slow(domid, frame, n, readonly, refs);
    for (i = 0; i < n; i++) {
        refs[i] = c->refs[--c->n];
        in_use[refs[i]] = REF_GRANTED;
        gnttab_entry_grant(entry_of(refs[i]), word, frame + i);
    }
    return 0;
}

/* The errors, and a cache to refill from the pool first. */
static int __attribute__((noinline))
grant_range_slow(domid_t domid, uint64_t frame, unsigned int n, int readonly,
                 grant_ref_t *refs)
{
    struct ref_cache *c = my_cache();

    if (!table_ready)
        return -XEN_ENOSYS;
    if (n - 1 >= REF_BATCH || frame + n - 1 > UINT32_MAX)
        return -XEN_EINVAL;
    if (cache_fill(c, n - c->n + REF_BATCH) < n)
        return -XEN_ENOSPC;
    return gnttab_grant_range(domid, frame, n, readonly, refs);
}

static int __attribute__((noinline))
grant_one_slow(domid_t domid, uint64_t frame, int readonly)
{
    grant_ref_t ref;
    int rc = grant_range_slow(domid, frame, 1, readonly, &ref);

    return rc < 0 ? rc : (int)ref;
}

/* The range's code for one frame, a leaf too: one request, one page. */
int gnttab_grant_access(domid_t domid, uint64_t frame, int readonly)
{
    struct ref_cache *c = my_cache();
    grant_ref_t ref;

    if (!table_ready || frame > UINT32_MAX || c->n == 0)
        return grant_one_slow(domid, frame, readonly);
    ref = c->refs[--c->n];
    in_use[ref] = REF_GRANTED;
    gnttab_entry_grant(entry_of(ref), gnttab_entry_word(domid, readonly),
                       frame);
    return (int)ref;
}

int gnttab_is_busy(grant_ref_t ref)
{
    uint16_t flags;

    if (!table_ready || ref >= nr_refs)
        return 0;
    flags = __atomic_load_n(&entry_of(ref)->flags, __ATOMIC_ACQUIRE);
    return (flags & (GTF_reading | GTF_writing)) != 0;
}

/*
 * Clearing flags must not race with the hypervisor setting GTF_reading
 * or GTF_writing for a new mapping: compare-and-swap from a value
 * without them to 0, and give up as soon as either is set.
 */
/* A full cache: half of it back to the pool, then (ref) in. */
static int __attribute__((noinline)) ref_put_slow(grant_ref_t ref)
{
    struct ref_cache *c = my_cache();

    cache_spill(c);
    c->refs[c->n++] = ref;
    return 0;
}

/*
 * ref_end: ends the grant of (ref), held as (state), and gives the ref
 * back to this CPU's cache. -XEN_EINVAL: not held so; -XEN_EBUSY: the
 * grantee still maps it.
 */
static inline int ref_end(grant_ref_t ref, uint8_t state)
{
    struct ref_cache *c = my_cache();
    struct grant_entry_v1 *e;
    uint16_t flags;

    if (!table_ready || ref >= nr_refs || in_use[ref] != state)
        return -XEN_EINVAL;
    e = entry_of(ref);
    flags = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);
    if ((flags & (GTF_reading | GTF_writing)) || gnttab_entry_end(e, flags) < 0)
        return -XEN_EBUSY;
    in_use[ref] = 0;
    if (state == REF_RESERVED)
        __atomic_sub_fetch(&nr_reserved, 1, __ATOMIC_RELAXED);
    if (c->n == REF_CACHE)
        return ref_put_slow(ref);
    c->refs[c->n++] = ref;
    return 0;
}

int gnttab_end_access(grant_ref_t ref)
{
    return ref_end(ref, REF_GRANTED);
}

int gnttab_reserve(grant_ref_t *refs, unsigned int n)
{
    struct ref_cache *c = my_cache();
    unsigned int i;

    if (!table_ready)
        return -XEN_ENOSYS;
    if (n - 1 >= REF_BATCH)
        return -XEN_EINVAL;
    if (c->n < n && cache_fill(c, n - c->n + REF_BATCH) < n)
        return -XEN_ENOSPC;
    for (i = 0; i < n; i++) {
        refs[i] = c->refs[--c->n];
        in_use[refs[i]] = REF_RESERVED;
    }
    __atomic_add_fetch(&nr_reserved, n, __ATOMIC_RELAXED);
    return 0;
}

int gnttab_unreserve(grant_ref_t ref)
{
    return ref_end(ref, REF_RESERVED);
}

struct grant_entry_v1 *gnttab_entry(grant_ref_t ref)
{
    return table_ready && ref < nr_refs ? entry_of(ref) : NULL;
}

unsigned int gnttab_free_count(void)
{
    unsigned int n = nr_free + (nr_refs - next_fresh), i;

    for (i = 0; i < PVGUEST_MAX_VCPUS; i++)
        n += caches[i].n;
    return n;
}

/* A free page of the grant window, marked used; 0 when it is full. */
static uint64_t window_get(void)
{
    unsigned long flags = spin_lock_irqsave(&window_lock);
    uint64_t addr = 0;
    unsigned int w, b;

    for (w = 0; w < WINDOW_PAGES / BITS_PER_WORD; w++) {
        if (window_used[w] == ~0UL)
            continue;
        b = __builtin_ctzl(~window_used[w]);
        window_used[w] |= 1UL << b;
        addr = PVHV_GRANT_WINDOW_BASE +
               ((uint64_t)(w * BITS_PER_WORD + b) << XEN_PAGE_SHIFT);
        break;
    }
    spin_unlock_irqrestore(&window_lock, flags);
    return addr;
}

static void window_put(uint64_t addr)
{
    uint64_t page = (addr - PVHV_GRANT_WINDOW_BASE) >> XEN_PAGE_SHIFT;
    unsigned long flags;

    if (addr < PVHV_GRANT_WINDOW_BASE || page >= WINDOW_PAGES)
        return;
    flags = spin_lock_irqsave(&window_lock);
    window_used[page / BITS_PER_WORD] &= ~(1UL << (page % BITS_PER_WORD));
    spin_unlock_irqrestore(&window_lock, flags);
}

int gnttab_map_raw(struct gnttab_map_grant_ref *op)
{
    return (int)HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, op, 1);
}

int gnttab_map(domid_t dom, grant_ref_t ref, int readonly, void **addr,
               grant_handle_t *handle)
{
    struct gnttab_map_grant_ref op = {
        .flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0),
        .ref = ref,
        .dom = dom,
    };
    int rc;

    op.host_addr = window_get();
    if (op.host_addr == 0)
        return GNTST_no_space;
    rc = gnttab_map_raw(&op);
    if (rc == 0)
        rc = op.status;
    if (rc != GNTST_okay) {
        window_put(op.host_addr);
        return rc;
    }
    *addr = (void *)(uintptr_t)op.host_addr;
    *handle = op.handle;
    return GNTST_okay;
}

int gnttab_unmap(void *addr, grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref op = {
        .host_addr = (uint64_t)(uintptr_t)addr,
        .handle = handle,
    };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);

    if (rc < 0)
        return (int)rc;
    if (op.status == GNTST_okay)
        window_put(op.host_addr);
    return op.status;
}
