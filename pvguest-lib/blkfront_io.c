/* SPDX-License-Identifier: MIT */
/* blkfront_io.c: the PV block frontend's requests: grants, ring, completions.
 */

#include "blkfront_dev.h"

/*
 * Where the host emulates guest instructions each one counts (pvbench's
 * guest_insns), so the request path is kept short: a request is written
 * in place in the ring, a sector-aligned buffer is granted as it is (no
 * copy), and the waiting side sleeps in pvg_evtchn_wait() on the masked port
 * rather than taking an upcall. A one-page request is granted with its
 * slot's own ref (no free list), one of whole pages with the slot's page
 * refs, and the batch calls push once and read rsp_prod once for many
 * requests.
 */

unsigned int blkfront_in_flight(struct blkfront_dev *dev)
{
    return RING_SLOTS - dev->nr_free;
}

unsigned long blkfront_notifications(struct blkfront_dev *dev)
{
    return dev->events_out;
}

unsigned long blkfront_bounced(struct blkfront_dev *dev)
{
    return dev->bounced_bytes;
}

/* Sectors segment (i) of a request of (n) sectors carries from page i. */
static unsigned int seg_sectors(unsigned int n, unsigned int i)
{
    unsigned int k = n - i * SECTORS_PER_PAGE;

    return k > SECTORS_PER_PAGE ? SECTORS_PER_PAGE : k;
}

static void end_grants(struct blk_slot *sl, unsigned int n)
{
    while (n-- > 0)
        gnttab_end_access(sl->gref[n]);
}

/*
 * Direct: the pages that hold (buf), consecutive frames under the
 * identity map, granted in one go; each segment names the sectors of its
 * page the transfer uses. (buf) is aligned to a sector and the request
 * fits the segments (direct_fits()).
 */
static int grant_direct(struct blkfront_dev *dev, struct blk_slot *sl,
                        struct blkif_request *req, uintptr_t buf,
                        unsigned int n, int readonly)
{
    unsigned int first =
        (unsigned int)(buf & (XEN_PAGE_SIZE - 1)) / BLKIF_SECTOR_SIZE;
    unsigned int nseg = (first + n + SECTORS_PER_PAGE - 1) / SECTORS_PER_PAGE;
    unsigned int i, k;
    int rc;

    rc = gnttab_grant_range(dev->backend_id, buf >> XEN_PAGE_SHIFT, nseg,
                            readonly, sl->gref);
    if (rc < 0)
        return rc;
    for (i = 0; i < nseg; i++) {
        k = SECTORS_PER_PAGE - first;
        k = k > n ? n : k;
        req->seg[i].gref = sl->gref[i];
        req->seg[i].first_sect = (uint8_t)first;
        req->seg[i].last_sect = (uint8_t)(first + k - 1);
        n -= k;
        first = 0;
    }
    sl->bounced = 0;
    return (int)nseg;
}

/*
 * Bounce: one page of the slot per 8 sectors, granted; a write's data is
 * copied in now (8 bytes a step), a read's is copied out on completion.
 */
static int __attribute__((noinline))
grant_bounce(struct blkfront_dev *dev, struct blk_slot *sl,
             struct blkif_request *req, char *buf, unsigned int n, int write)
{
    unsigned int nseg = (n + SECTORS_PER_PAGE - 1) / SECTORS_PER_PAGE, i, k;
    int ref;

    for (i = 0; i < nseg; i++) {
        if (!sl->page[i] && !(sl->page[i] = page_alloc())) {
            end_grants(sl, i);
            return -XEN_ENOMEM;
        }
        ref = gnttab_grant_access(
            dev->backend_id, (uintptr_t)sl->page[i] >> XEN_PAGE_SHIFT, write);
        if (ref < 0) {
            end_grants(sl, i);
            return ref;
        }
        k = seg_sectors(n, i);
        if (write)
            memcpy(sl->page[i], buf + i * XEN_PAGE_SIZE, k * BLKIF_SECTOR_SIZE);
        sl->gref[i] = (grant_ref_t)ref;
        req->seg[i].gref = (grant_ref_t)ref;
        req->seg[i].first_sect = 0;
        req->seg[i].last_sect = (uint8_t)(k - 1);
    }
    sl->bounced = 1;
    dev->bounced_bytes += (unsigned long)n * BLKIF_SECTOR_SIZE;
    return (int)nseg;
}

/*
 * Whether (n) sectors at (buf) can be granted as they are: aligned to a
 * sector, in RAM below the grant window (never a foreign page mapped
 * there), and in no more pages than a request has segments.
 */
static int direct_fits(uintptr_t buf, unsigned int n)
{
    unsigned int first =
        (unsigned int)(buf & (XEN_PAGE_SIZE - 1)) / BLKIF_SECTOR_SIZE;

    return (buf & SECTOR_MASK) == 0 &&
           buf + (uintptr_t)n * BLKIF_SECTOR_SIZE <= PVHV_GRANT_WINDOW_BASE &&
           first + n <= BLKIF_MAX_SEGMENTS_PER_REQUEST * SECTORS_PER_PAGE;
}

/*
 * The next free slot and ring entry, or NULL (-XEN_EAGAIN) when either
 * is full. Nothing is taken until take_slot().
 */
static struct blk_slot *peek_slot(struct blkfront_dev *dev,
                                  struct blkif_request **req)
{
    if (dev->nr_free == 0 || RING_FULL(&dev->ring))
        return NULL;
    *req = RING_GET_REQUEST(&dev->ring, dev->ring.req_prod_pvt);
    return &dev->slot[dev->free_slot[dev->nr_free - 1]];
}

/*
 * Takes the slot peek_slot() gave, for the request written in place in
 * the ring: it is published in batches (blkfront_kick), so that a
 * backend serving the ring as soon as it is notified sees several.
 */
static void take_slot(struct blkfront_dev *dev, struct blk_slot *sl,
                      struct blkif_request *req, uint8_t op, uint64_t id)
{
    req->id = dev->free_slot[--dev->nr_free];
    sl->state = SLOT_ANY;
    sl->op = op;
    sl->user_id = id;
    dev->ring.req_prod_pvt++;
}

void blkfront_kick(struct blkfront_dev *dev)
{
    int notify;

    if (dev->ring.req_prod_pvt == dev->sring->req_prod)
        return;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&dev->ring, notify);
    if (notify) {
        dev->events_out++;
        pvg_evtchn_notify(dev->port);
    }
}

static int bad_request(int op, const void *buf, unsigned int n)
{
    if (op == BLKIF_OP_FLUSH_DISKCACHE)
        return n != 0;
    return (op != BLKIF_OP_READ && op != BLKIF_OP_WRITE) || n == 0 ||
           n > BLKFRONT_MAX_REQUEST_SECTORS || !buf;
}

/* The segments of a read or write: granted as they are, or bounced. */
static int __attribute__((noinline))
grant_segments(struct blkfront_dev *dev, struct blk_slot *sl,
               struct blkif_request *req, void *buf, unsigned int n, int write)
{
    if (direct_fits((uintptr_t)buf, n))
        return grant_direct(dev, sl, req, (uintptr_t)buf, n, write);
    return grant_bounce(dev, sl, req, buf, n, write);
}

static int submit_any(struct blkfront_dev *dev, int op, uint64_t sector,
                      void *buf, unsigned int n, uint64_t id);

/*
 * A request of whole pages (pages_fit()) through the next free slot's
 * page refs, else submit_any()'s. Returns 0 or -errno.
 */
static int __attribute__((noinline))
submit_pages(struct blkfront_dev *dev, const struct blkfront_io *q)
{
    RING_IDX prod = dev->ring.req_prod_pvt;
    unsigned int nf = dev->nr_free, idx;
    struct blk_slot *sl;

    if (!pages_fit(q->op, (uintptr_t)q->buf, q->n) || dev->broken || nf == 0)
        return submit_any(dev, (int)q->op, q->sector, q->buf, q->n, q->id);
    idx = dev->free_slot[nf - 1];
    sl = dev->slot_at[idx];
    if (!sl->pages)
        return submit_any(dev, (int)q->op, q->sector, q->buf, q->n, q->id);
    put_pages(dev, dev->req_at[prod & (RING_SLOTS - 1)], idx, sl, q);
    dev->nr_free = nf - 1;
    dev->ring.req_prod_pvt = prod + 1;
    return 0;
}

/*
 * No ring check: each response we take frees at most one slot, so the
 * ring has at least as many free entries as there are free slots.
 */
int blkfront_submit(struct blkfront_dev *dev, int op, uint64_t sector,
                    void *buf, unsigned int n, uint64_t id)
{
    RING_IDX prod = dev->ring.req_prod_pvt;
    unsigned int nf = dev->nr_free, idx;
    struct blk_slot *sl;

    if (!fast_fits((unsigned int)op, (uintptr_t)buf, n) || dev->broken ||
        nf == 0)
        return submit_pages(
            dev, &(struct blkfront_io){sector, buf, id, (unsigned int)op, n});
    idx = dev->free_slot[nf - 1];
    sl = dev->slot_at[idx];
    if (!sl->own)
        return submit_any(dev, op, sector, buf, n, id);
    put_fast(dev, dev->req_at[prod & (RING_SLOTS - 1)], idx, sl,
             &(struct blkfront_io){sector, buf, id, (unsigned int)op, n});
    dev->nr_free = nf - 1;
    dev->ring.req_prod_pvt = prod + 1;
    return 0;
}

int blkfront_submit_many(struct blkfront_dev *dev, const struct blkfront_io *io,
                         unsigned int count)
{
    const struct blkfront_io *q = io, *last = io + count;
    RING_IDX prod = dev->ring.req_prod_pvt;
    unsigned long nf = dev->nr_free; /* long: it indexes, no extension */
    struct blk_slot *sl;
    unsigned int idx;
    int rc = 0;

    if (dev->broken)
        return -XEN_EIO;
    for (; q != last; q++) {
        if (nf > 0) {
            idx = dev->free_slot[nf - 1];
            sl = dev->slot_at[idx];
            if (fast_fits(q->op, (uintptr_t)q->buf, q->n) && sl->own) {
                put_fast(dev, dev->req_at[prod & (RING_SLOTS - 1)], idx, sl, q);
                nf--;
                prod++;
                continue;
            }
            /* A pages request here too: no call, nothing stored back. */
            if (pages_fit(q->op, (uintptr_t)q->buf, q->n) && sl->pages) {
                put_pages(dev, dev->req_at[prod & (RING_SLOTS - 1)], idx, sl,
                          q);
                nf--;
                prod++;
                continue;
            }
        }
        dev->nr_free = (unsigned int)nf;
        dev->ring.req_prod_pvt = prod;
        rc = submit_pages(dev, q);
        if (rc < 0)
            break;
        nf = dev->nr_free;
        prod = dev->ring.req_prod_pvt;
    }
    dev->nr_free = (unsigned int)nf;
    dev->ring.req_prod_pvt = prod;
    blkfront_kick(dev);
    return q > io ? (int)(q - io) : rc;
}

/*
 * Whether (a) is a page in RAM below the grant window, not page 0
 * (NULL): rotated right by the page shift, a - one page is below the
 * window's page less one only then (low bits set make it huge).
 */
static inline int page_fits(uintptr_t a)
{
    uintptr_t t = a - XEN_PAGE_SIZE;

    return (t >> XEN_PAGE_SHIFT | t << (64 - XEN_PAGE_SHIFT)) <
           (PVHV_GRANT_WINDOW_BASE - XEN_PAGE_SIZE) >> XEN_PAGE_SHIFT;
}

/*
 * Up to (count) reads of one page, each into a page (page_fits()), with
 * the slots free_slot[nf - count..] (nf: nr_free) in that order and the
 * ring entries from req_prod_pvt on: the slot's segment word, the
 * read's head and the grant's word are ready, so each request is a few
 * loads and stores. Stops at the first other buffer; the slots above
 * the ones it took move down. Returns how many it queued.
 */
static inline __attribute__((always_inline)) unsigned long
read_pages(struct blkfront_dev *dev, const uint64_t *sectors, void *const *bufs,
           const uint64_t *ids, unsigned long count)
{
    unsigned long nf = dev->nr_free, taken, j;
    RING_IDX prod = dev->ring.req_prod_pvt;
    struct blkif_request *const *reqs = &dev->req_at[prod & (RING_SLOTS - 1)];
    struct blk_slot *const *slot_at = dev->slot_at;
    uint64_t word = dev->own_word[BLKIF_OP_READ];
    uint32_t head = dev->req_head[BLKIF_OP_READ];
    unsigned int *fs, idx;
    struct blkif_request *req;
    struct blk_slot *sl;
    uintptr_t a;
    long i;

    if (count > nf)
        count = nf;
    /* Every array indexed from -count up to 0: one add ends the loop. */
    fs = &dev->free_slot[nf];
    reqs += count;
    sectors += count;
    bufs += count;
    ids += count;
    for (i = -(long)count; i != 0; i++) {
        a = (uintptr_t)bufs[i];
        if (!page_fits(a))
            break;
        idx = fs[i];
        sl = slot_at[idx];
        req = reqs[i];
        __builtin_memcpy(req, &head, sizeof(head));
        req->id = idx;
        req->sector_number = sectors[i];
        __builtin_memcpy(&req->seg[0], &sl->page_seg, sizeof(sl->page_seg));
        sl->user_id = ids[i];
        sl->state = SLOT_FAST(BLKIF_OP_READ);
        /*
         * gnttab_entry_grant(sl->own, word, a >> XEN_PAGE_SHIFT) in one
         * shift: a page's address has no low bits.
         */
        __atomic_store_n((gnttab_word_t *)sl->own,
                         word | (uint64_t)a << (32 - XEN_PAGE_SHIFT),
                         __ATOMIC_RELEASE);
    }
    taken = (unsigned long)((long)count + i);
    fs -= count;
    for (j = taken; j < count; j++)
        fs[j - taken] = fs[j];
    dev->nr_free = (unsigned int)(nf - taken);
    dev->ring.req_prod_pvt = prod + (RING_IDX)taken;
    return taken;
}

int blkfront_read_many(struct blkfront_dev *dev, const uint64_t *sectors,
                       void *const *bufs, unsigned int count,
                       const uint64_t *ids)
{
    unsigned long done = 0;
    int rc = 0;

    if (dev->broken)
        return -XEN_EIO;
    while (done < count) {
        if (dev->no_own == 0)
            done += read_pages(dev, sectors + done, bufs + done, ids + done,
                               count - done);
        if (done == count)
            break;
        rc = submit_any(dev, BLKIF_OP_READ, sectors[done], bufs[done],
                        SECTORS_PER_PAGE, ids[done]);
        if (rc < 0)
            break;
        done++;
    }
    blkfront_kick(dev);
    return done > 0 ? (int)done : rc;
}

static int __attribute__((noinline))
submit_any(struct blkfront_dev *dev, int op, uint64_t sector, void *buf,
           unsigned int n, uint64_t id)
{
    struct blkif_request *req;
    struct blk_slot *sl;
    int nseg = 0;

    if (dev->broken)
        return -XEN_EIO;
    if (bad_request(op, buf, n))
        return -XEN_EINVAL;
    sl = peek_slot(dev, &req);
    if (!sl)
        return -XEN_EAGAIN;
    if (n > 0)
        nseg = grant_segments(dev, sl, req, buf, n, op == BLKIF_OP_WRITE);
    if (nseg < 0)
        return nseg;
    req->operation = (uint8_t)op;
    req->nr_segments = (uint8_t)nseg;
    req->handle = (blkif_vdev_t)dev->devid;
    req->sector_number = sector;
    sl->raw = 0;
    sl->nseg = (uint8_t)nseg;
    sl->buf = buf;
    sl->nsect = n;
    take_slot(dev, sl, req, (uint8_t)op, id);
    return 0;
}

int blkfront_submit_raw(struct blkfront_dev *dev,
                        const struct blkif_request *req, uint64_t id)
{
    struct blkif_request *slot_req;
    struct blk_slot *sl;

    if (dev->broken)
        return -XEN_EIO;
    sl = peek_slot(dev, &slot_req);
    if (!sl)
        return -XEN_EAGAIN;
    *slot_req = *req;
    sl->raw = 1;
    sl->nseg = 0;
    sl->buf = NULL;
    take_slot(dev, sl, slot_req, req->operation, id);
    return 0;
}

/* The op a slot's request has. */
static unsigned int slot_op(const struct blk_slot *sl)
{
    return sl->state == SLOT_ANY
               ? sl->op
               : ((sl->state & SLOT_OP_MASK) - SLOT_FAST(0)) / GTF_readonly;
}

/*
 * Ends a pages request's grants. One the backend still maps (it should
 * not, once it answered) is left granted, and the slot without page refs
 * from then on (without its own ref either, for segment 0's); the
 * caller's page cannot be reused as long, so the request fails.
 */
static int __attribute__((noinline))
pages_finish(struct blkfront_dev *dev, struct blk_slot *sl, int status)
{
    uint16_t flags = own_flags(slot_op(sl));
    unsigned int i;

    for (i = 0; i < sl->nseg; i++) {
        if (gnttab_entry_end((struct grant_entry_v1 *)sl->page_entry[i],
                             flags) == 0)
            continue;
        printf("blkfront: %s: backend still maps grant %u after answering; "
               "request failed\n",
               dev->node, i == 0 ? sl->own_ref : sl->page_ref[i - 1]);
        sl->pages = 0;
        if (i == 0 && sl->own) {
            sl->own = NULL;
            dev->no_own++;
        }
        status = BLKIF_RSP_ERROR;
    }
    return status;
}

/*
 * Ends a fast request's grant, the slot's own ref. One the backend still
 * maps (it should not, once it answered) is left granted, and the slot
 * without an own ref from then on; the caller's page cannot be reused
 * as long, so the request fails.
 */
static int fast_finish(struct blkfront_dev *dev, struct blk_slot *sl,
                       int status)
{
    if (gnttab_entry_end(sl->own, own_flags(slot_op(sl))) == 0)
        return status;
    printf("blkfront: %s: backend still maps grant %u after answering; "
           "request failed\n",
           dev->node, sl->own_ref);
    sl->own = NULL;
    sl->pages = 0; /* segment 0 of a pages request is own_ref */
    dev->no_own++;
    return BLKIF_RSP_ERROR;
}

/*
 * Ends a slot's grants and, for a good bounced read, copies the data
 * out. A grant the backend still maps (it should not, once it answered)
 * is left granted: a bounce page is dropped from the slot, never reused;
 * the caller's page cannot be, so the request fails.
 */
static int slot_finish(struct blkfront_dev *dev, struct blk_slot *sl,
                       int status)
{
    unsigned int i;

    for (i = 0; i < sl->nseg; i++) {
        if (gnttab_end_access(sl->gref[i]) < 0) {
            printf("blkfront: %s: backend still maps grant %u after "
                   "answering; %s\n",
                   dev->node, sl->gref[i],
                   sl->bounced ? "page leaked" : "request failed");
            if (sl->bounced)
                sl->page[i] = NULL;
            status = BLKIF_RSP_ERROR;
            continue;
        }
        if (sl->bounced && sl->op == BLKIF_OP_READ && status == BLKIF_RSP_OKAY)
            memcpy(sl->buf + i * XEN_PAGE_SIZE, sl->page[i],
                   seg_sectors(sl->nsect, i) * BLKIF_SECTOR_SIZE);
    }
    return status;
}

/* The next response of a request we have in flight; 0 when none is. */
static struct blk_slot *next_response(struct blkfront_dev *dev,
                                      struct blkif_response *rsp, int *rc)
{
    struct blk_slot *sl;
    RING_IDX prod;

    for (;;) {
        prod = __atomic_load_n(&dev->sring->rsp_prod, __ATOMIC_ACQUIRE);
        if (RING_RESPONSE_PROD_OVERFLOW(&dev->ring, prod)) {
            printf("blkfront: %s: backend's rsp_prod %u is past our "
                   "requests: ring abandoned\n",
                   dev->node, prod);
            dev->broken = 1;
            *rc = -XEN_EIO;
            return NULL;
        }
        if (dev->ring.rsp_cons == prod) {
            *rc = 0;
            return NULL;
        }
        *rsp = *RING_GET_RESPONSE(&dev->ring, dev->ring.rsp_cons);
        dev->ring.rsp_cons++;
        sl = rsp->id < RING_SLOTS ? &dev->slot[rsp->id] : NULL;
        if (sl && sl->state != SLOT_FREE)
            return sl;
        printf("blkfront: %s: response for unknown id %lu ignored\n", dev->node,
               (unsigned long)rsp->id);
    }
}

/* One response, any: the checks and messages of every odd case. */
static int __attribute__((noinline))
complete_any(struct blkfront_dev *dev, struct blkfront_done *done)
{
    struct blkif_response rsp;
    struct blk_slot *sl;
    int rc, st;

    sl = next_response(dev, &rsp, &rc);
    if (!sl)
        return rc;
    if (rsp.operation != slot_op(sl))
        printf("blkfront: %s: response op %u for a request of op %u\n",
               dev->node, rsp.operation, slot_op(sl));
    st = rsp.status;
    /* raw, nseg and the rest describe only a SLOT_ANY request. */
    if (sl->state & SLOT_PAGES)
        st = pages_finish(dev, sl, st);
    else if (sl->state != SLOT_ANY)
        st = fast_finish(dev, sl, st);
    else if (!sl->raw)
        st = slot_finish(dev, sl, st);
    sl->state = SLOT_FREE;
    dev->free_slot[dev->nr_free++] = (unsigned int)rsp.id;
    done->id = sl->user_id;
    done->status = st;
    return 1;
}

/*
 * Takes the fast requests' responses from rsp_cons up to (end), stopping
 * at the first other one; where it stopped. Each response field is read
 * once (volatile): the backend could change the entry meanwhile. The id
 * must name a slot holding a fast request of the same op, whose grant
 * then ends; with (pages), a pages request of the same op, whose grants
 * then end.
 */
static inline __attribute__((always_inline)) RING_IDX
take_run(struct blkfront_dev *dev, RING_IDX end, struct blkfront_done *done,
         unsigned int *got, int pages)
{
    const union blkif_sring_entry *ring = dev->sring->ring, *e, *stop;
    struct blk_slot *const *slot_at = dev->slot_at;
    const volatile struct blkif_response *r;
    struct blkfront_done *d0 = done + *got, *d = d0;
    RING_IDX cons = dev->ring.rsp_cons;
    unsigned long nf = dev->nr_free, left = end - cons, run;
    struct blk_slot *sl;
    unsigned int flags;
    uint64_t rid;

    /*
     * The ring walked by pointer in runs that do not wrap: one compare
     * per response ends a run.
     */
    run = RING_SLOTS - (cons & (RING_SLOTS - 1));
    for (e = &ring[cons & (RING_SLOTS - 1)]; left > 0; e = ring) {
        run = run < left ? run : left;
        left -= run;
        for (stop = e + run; e != stop; e++) {
            r = &e->rsp;
            rid = r->id;
            if (rid >= RING_SLOTS)
                goto out;
            sl = slot_at[rid];
            /* The state of a fast request of op: its grant's flags. */
            flags = SLOT_FAST(r->operation);
            if (pages ? sl->state != flags + SLOT_PAGES ||
                            end_pages(sl, (uint16_t)flags) < 0
                      : sl->state != flags ||
                            gnttab_entry_end(sl->own, (uint16_t)flags) < 0)
                goto out;
            d->status = r->status;
            d->id = sl->user_id;
            d++;
            sl->state = SLOT_FREE;
            dev->free_slot[nf++] = (unsigned int)rid;
        }
        run = RING_SLOTS;
    }
out:
    cons += (RING_IDX)(d - d0);
    dev->nr_free = (unsigned int)nf;
    dev->ring.rsp_cons = cons;
    *got += (unsigned int)(d - d0);
    return cons;
}

static inline __attribute__((always_inline)) RING_IDX
take_fast(struct blkfront_dev *dev, RING_IDX end, struct blkfront_done *done,
          unsigned int *got)
{
    return take_run(dev, end, done, got, 0);
}

/* take_fast() for pages requests: out of line, the loop left as short. */
static RING_IDX __attribute__((noinline))
take_pages(struct blkfront_dev *dev, RING_IDX end, struct blkfront_done *done,
           unsigned int *got)
{
    return take_run(dev, end, done, got, 1);
}

/*
 * Up to (max) responses in one pass: rsp_prod read once for all the fast
 * ones; any other response goes through complete_any(), then the pass
 * goes on.
 */
static inline __attribute__((always_inline)) int
complete_core(struct blkfront_dev *dev, struct blkfront_done *done,
              unsigned int max)
{
    RING_IDX cons, prod, end, stop;
    unsigned int got = 0;
    int rc;

    if (dev->ring.req_prod_pvt != dev->sring->req_prod)
        blkfront_kick(dev);
    while (got < max) {
        cons = dev->ring.rsp_cons;
        prod = __atomic_load_n(&dev->sring->rsp_prod, __ATOMIC_ACQUIRE);
        if (prod == cons)
            break;
        end = prod;
        if (prod - cons > max - got)
            end = cons + (max - got);
        /* A rsp_prod past our requests: complete_any() says so. */
        if (prod - cons <= RING_SLOTS) {
            stop = take_fast(dev, end, done, &got);
            if (stop == end || take_pages(dev, end, done, &got) != stop)
                continue;
        }
        rc = complete_any(dev, &done[got]);
        if (rc < 0)
            return got > 0 ? (int)got : rc;
        if (rc == 0)
            break;
        got++;
    }
    return (int)got;
}

int blkfront_complete_many(struct blkfront_dev *dev, struct blkfront_done *done,
                           unsigned int max)
{
    return complete_core(dev, done, max);
}

int blkfront_complete(struct blkfront_dev *dev, uint64_t *id, int *status)
{
    struct blkfront_done d;
    int rc = complete_core(dev, &d, 1);

    if (rc == 1) {
        *id = d.id;
        *status = d.status;
    }
    return rc;
}

/*
 * The backend answers from its own thread, usually within a few
 * microseconds of the kick: looking at the ring a bounded number of
 * times first (a few instructions each) saves blocking and being woken
 * (two exits) when the answer is that close.
 */
#define BLKFRONT_POLL_LOOKS 64

static int answered_soon(struct blkfront_dev *dev)
{
    for (unsigned int i = 0; i < BLKFRONT_POLL_LOOKS; i++)
        if (__atomic_load_n(&dev->sring->rsp_prod, __ATOMIC_ACQUIRE) !=
            dev->ring.rsp_cons)
            return 1;
    return 0;
}

int blkfront_wait(struct blkfront_dev *dev, uint64_t deadline_ns)
{
    int more, rc;

    blkfront_kick(dev);
    if (answered_soon(dev))
        return 0;
    for (;;) {
        if (dev->broken)
            return 0;
        RING_FINAL_CHECK_FOR_RESPONSES(&dev->ring, more);
        if (more)
            return 0;
        rc = pvg_evtchn_wait(dev->port, deadline_ns);
        if (rc < 0)
            return rc;
    }
}

/*
 * Each slot's page refs, besides its own: only while the table keeps
 * enough free for a ring of general requests of the most segments (this
 * device's or another's); a slot without them sends a request of
 * several pages down the general path.
 */
static void pages_setup(struct blkfront_dev *dev)
{
    unsigned int more = BLKIF_MAX_SEGMENTS_PER_REQUEST - 1, i, j;
    struct blk_slot *sl;

    for (i = 0; i < RING_SLOTS; i++) {
        sl = &dev->slot[i];
        sl->page_entry[0] = (gnttab_word_t *)sl->own;
        sl->page_seg_of[0] = sl->page_seg;
        if (gnttab_free_count() <
                RING_SLOTS * BLKIF_MAX_SEGMENTS_PER_REQUEST + more ||
            gnttab_reserve(sl->page_ref, more) < 0)
            break;
        for (j = 0; j < more; j++) {
            sl->page_entry[j + 1] =
                (gnttab_word_t *)gnttab_entry(sl->page_ref[j]);
            sl->page_seg_of[j + 1] =
                sl->page_ref[j] | (uint64_t)(SECTORS_PER_PAGE - 1) << 40;
        }
        sl->pages_reserved = 1;
        sl->pages = 1;
    }
    if (i < RING_SLOTS)
        printf("blkfront: %s: page refs for %u of %u slots only: the "
               "others send requests of several pages the general way\n",
               dev->node, i, RING_SLOTS);
}

int blkfront_io_setup(struct blkfront_dev *dev)
{
    grant_ref_t refs[RING_SLOTS];
    unsigned int i, op;
    int rc;

    for (i = 0; i < 2 * RING_SLOTS; i++)
        dev->req_at[i] = RING_GET_REQUEST(&dev->ring, i & (RING_SLOTS - 1));
    for (i = 0; i < RING_SLOTS; i++)
        dev->slot_at[i] = &dev->slot[i];
    dev->no_own = RING_SLOTS;
    for (op = BLKIF_OP_READ; op <= BLKIF_OP_WRITE; op++) {
        /* A read lets the backend write our page; a write, only read it. */
        dev->own_word[op] =
            gnttab_entry_word(dev->backend_id, op == BLKIF_OP_WRITE);
        dev->req_head[op] =
            op | 1U << 8 | (uint32_t)(blkif_vdev_t)dev->devid << 16;
    }
    rc = gnttab_reserve(refs, RING_SLOTS);
    if (rc < 0) {
        printf("blkfront: %s: no grant refs of its own (%d): every request "
               "takes the general path\n",
               dev->node, rc);
        return 0;
    }
    for (i = 0; i < RING_SLOTS; i++) {
        dev->slot[i].own_ref = refs[i];
        dev->slot[i].own = gnttab_entry(refs[i]);
        /* gref, first_sect 0, last_sect 7 (blkif_request_segment). */
        dev->slot[i].page_seg = refs[i] | (uint64_t)(SECTORS_PER_PAGE - 1)
                                              << 40;
    }
    dev->no_own = 0;
    pages_setup(dev);
    return 0;
}

void blkfront_io_free(struct blkfront_dev *dev)
{
    struct blk_slot *sl;
    unsigned int i, j;

    for (i = 0; i < RING_SLOTS; i++) {
        sl = &dev->slot[i];
        for (j = 0; j < BLKIF_MAX_SEGMENTS_PER_REQUEST; j++) {
            page_free(sl->page[j]);
            sl->page[j] = NULL;
        }
        /* One the backend still maps stays reserved: never reused. */
        if (sl->own && gnttab_unreserve(sl->own_ref) < 0)
            printf("blkfront: %s: backend still maps grant %u at close\n",
                   dev->node, sl->own_ref);
        sl->own = NULL;
        for (j = 0;
             sl->pages_reserved && j < BLKIF_MAX_SEGMENTS_PER_REQUEST - 1; j++)
            if (gnttab_unreserve(sl->page_ref[j]) < 0)
                printf("blkfront: %s: backend still maps grant %u at "
                       "close\n",
                       dev->node, sl->page_ref[j]);
        sl->pages_reserved = 0;
        sl->pages = 0;
    }
    dev->no_own = RING_SLOTS;
}
