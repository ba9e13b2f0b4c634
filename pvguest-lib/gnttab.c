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

/* Refs not handed out, as a stack; in_use[] tells ours from strangers. */
static grant_ref_t free_refs[GNTTAB_MAX_REFS];
static unsigned int nr_free;
static uint8_t in_use[GNTTAB_MAX_REFS];
static struct spinlock ref_lock;

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
               "failed: rc %ld, status %d\n", rc, q.status);
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
               "frames) failed: rc %ld, status %d\n", n, rc, st.status);
        return rc < 0 ? (int)rc : -XEN_EIO;
    }
    for (i = 0; i < n; i++) {
        /* The boot page tables map only the first 4 GiB. */
        if (list[i] == 0 || list[i] >= (1ULL << (32 - XEN_PAGE_SHIFT))) {
            printf("pvguest: gnttab: frame %u at pfn 0x%lx is not mapped\n",
                   i, (unsigned long)list[i]);
            return -XEN_EFAULT;
        }
        frames[i] = (struct grant_entry_v1 *)(uintptr_t)(list[i]
                                                         << XEN_PAGE_SHIFT);
    }
    return 0;
}

/*
 * Boot step, after events: asks how many frames we may have, takes up to
 * GNTTAB_MAX_FRAMES of them, and lists every ref past the reserved ones
 * as free (highest pushed first, so the lowest is handed out first).
 */
int gnttab_init(void)
{
    uint32_t nr = 0, max = 0, want, r;
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
    for (r = nr_refs; r-- > GNTTAB_NR_RESERVED_ENTRIES;)
        free_refs[nr_free++] = r;
    table_ready = 1;
    return 0;
}

static int ref_get(void)
{
    unsigned long flags = spin_lock_irqsave(&ref_lock);
    int ref = -XEN_ENOSPC;

    if (nr_free > 0) {
        ref = (int)free_refs[--nr_free];
        in_use[ref] = 1;
    }
    spin_unlock_irqrestore(&ref_lock, flags);
    return ref;
}

static void ref_put(grant_ref_t ref)
{
    unsigned long flags = spin_lock_irqsave(&ref_lock);

    in_use[ref] = 0;
    free_refs[nr_free++] = ref;
    spin_unlock_irqrestore(&ref_lock, flags);
}

/*
 * The v1 update protocol (grant_table.h): domid and frame first, then a
 * write barrier, then flags: the hypervisor must never see a valid type
 * in flags with a stale domid or frame behind it.
 */
int gnttab_grant_access(domid_t domid, uint64_t frame, int readonly)
{
    struct grant_entry_v1 *e;
    int ref;

    if (!table_ready)
        return -XEN_ENOSYS;
    if (frame > UINT32_MAX)
        return -XEN_EINVAL;
    ref = ref_get();
    if (ref < 0)
        return ref;
    e = entry_of((grant_ref_t)ref);
    __atomic_store_n(&e->domid, domid, __ATOMIC_RELAXED);
    __atomic_store_n(&e->frame, (uint32_t)frame, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(&e->flags,
                     (uint16_t)(GTF_permit_access |
                                (readonly ? GTF_readonly : 0)),
                     __ATOMIC_RELEASE);
    return ref;
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
int gnttab_end_access(grant_ref_t ref)
{
    struct grant_entry_v1 *e;
    uint16_t flags;

    if (!table_ready || ref >= nr_refs || !in_use[ref])
        return -XEN_EINVAL;
    e = entry_of(ref);
    flags = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);
    do {
        if (flags & (GTF_reading | GTF_writing))
            return -XEN_EBUSY;
    } while (!__atomic_compare_exchange_n(&e->flags, &flags, 0, 0,
                                          __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE));
    ref_put(ref);
    return 0;
}

unsigned int gnttab_free_count(void)
{
    return nr_free;
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
