/* SPDX-License-Identifier: MIT */
/*
 * blkfront_rw.c: the PV block frontend's blocking calls (read, write,
 * flush) and the drain at close, built on submit / complete / wait.
 */

#include "blkfront_dev.h"

#define CLOSE_TIMEOUT_NS (2 * NSEC_PER_SEC)

/* one_request()'s answers besides 0 and -errno. */
#define ONE_UNFIT 1   /* nothing submitted: take the general path */
#define ONE_PENDING 2 /* in flight, its response not taken */

static int error_of(int status)
{
    return status == BLKIF_RSP_OKAY         ? 0
           : status == BLKIF_RSP_EOPNOTSUPP ? -XEN_EOPNOTSUPP
                                            : -XEN_EIO;
}

/*
 * Takes the responses there are, (max) at most (those in flight), in one
 * pass; the first error goes to (*err). How many it took.
 */
static unsigned int reap(struct blkfront_dev *dev, unsigned int max, int *err)
{
    struct blkfront_done done[RING_SLOTS], *d;
    int rc = blkfront_complete_many(dev, done, max);

    if (rc < 0) {
        if (*err == 0)
            *err = rc;
        return 0;
    }
    for (d = done; d < done + rc; d++)
        if (d->status != BLKIF_RSP_OKAY && *err == 0)
            *err = error_of(d->status);
    return (unsigned int)rc;
}

/*
 * Sectors the next request of a transfer takes at (buf): as many as one
 * request carries, fewer for a sector-aligned buffer that starts inside
 * a page, so that it still fits the segments and goes without a copy.
 */
static unsigned int chunk_of(const char *buf, size_t n)
{
    uintptr_t a = (uintptr_t)buf;
    unsigned int max = BLKFRONT_MAX_REQUEST_SECTORS;

    if ((a & SECTOR_MASK) == 0)
        max -= (unsigned int)(a & (XEN_PAGE_SIZE - 1)) / BLKIF_SECTOR_SIZE;
    return n > max ? max : (unsigned int)n;
}

/*
 * The blocking calls' general path: as many requests in flight as the
 * ring takes, refilled as responses come; (inflight) are in flight
 * already (one_request()'s). An error stops new submissions; what is
 * in flight is still waited for.
 */
static int __attribute__((noinline))
transfer(struct blkfront_dev *dev, int op, uint64_t sector, char *buf, size_t n,
         unsigned int inflight)
{
    unsigned int chunk;
    int err = 0, rc;

    while ((n > 0 && err == 0) || inflight > 0) {
        while (n > 0 && err == 0) {
            chunk = chunk_of(buf, n);
            rc = blkfront_submit(dev, op, sector, buf, chunk, 0);
            if (rc == -XEN_EAGAIN && inflight > 0)
                break;
            if (rc < 0) {
                err = rc;
                break;
            }
            inflight++;
            sector += chunk;
            buf += (size_t)chunk * BLKIF_SECTOR_SIZE;
            n -= chunk;
        }
        if (inflight == 0)
            break;
        inflight -= reap(dev, inflight, &err);
        if (inflight > 0 &&
            (n == 0 || err || blkfront_in_flight(dev) == RING_SLOTS))
            blkfront_wait(dev, 0);
        if (dev->broken)
            return -XEN_EIO;
    }
    return err;
}

/*
 * The one request in flight, slot (idx), (sl), a fast request of (op) in
 * ring entry (cons), once rsp_prod is (prod): its response is taken if
 * it is the only one there, names the slot and op, and the grant ends.
 * Each response field is read once (volatile). Its status as 0 or
 * -errno; ONE_PENDING, nothing taken, for anything else: the
 * general completion checks it and says what is wrong. With (pages), a
 * pages request's, whose grants end.
 */
static inline __attribute__((always_inline)) int
take_one(struct blkfront_dev *dev, RING_IDX cons, RING_IDX prod,
         unsigned int idx, struct blk_slot *sl, unsigned int op, int pages)
{
    /* Ring entry i's response is where its request was: req_at[i]. */
    const volatile struct blkif_response *r =
        (const volatile struct blkif_response *)
            dev->req_at[cons & (RING_SLOTS - 1)];
    int status;

    if (prod - cons != 1 || r->id != idx || r->operation != op ||
        (pages ? end_pages(sl, own_flags(op))
               : gnttab_entry_end(sl->own, own_flags(op))) < 0)
        return ONE_PENDING;
    status = r->status;
    sl->state = SLOT_FREE;
    dev->free_slot[dev->nr_free++] = idx;
    dev->ring.rsp_cons = cons + 1;
    return error_of(status);
}

/*
 * Publishes the one request in flight, the slots' last, as req_prod
 * (prod), notifies the backend when it wants it, and waits until
 * rsp_prod is past (cons), into (*rp). Returns 0, or -1 when the wait
 * failed (the request stays in flight). With every slot free nothing is
 * written and not pushed: req_prod is ours, and the backend wants a
 * notification for this one request when its req_event is (prod) (what
 * RING_PUSH_REQUESTS_AND_CHECK_NOTIFY works out for one request).
 */
static inline __attribute__((always_inline)) int
push_one(struct blkfront_dev *dev, RING_IDX prod, RING_IDX cons, RING_IDX *rp)
{
    struct blkif_sring *sring = dev->sring;

    dev->nr_free = RING_SLOTS - 1;
    dev->ring.req_prod_pvt = prod;
    __atomic_store_n(&sring->req_prod, prod, __ATOMIC_RELEASE);
    /* The store before the load of req_event (RING_PUSH_...'s xen_mb). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(&sring->req_event, __ATOMIC_RELAXED) == prod) {
        dev->events_out++;
        pvg_evtchn_notify(dev->port);
    }
    /* The backend often answers while the notification's exit lasts. */
    while ((*rp = __atomic_load_n(&sring->rsp_prod, __ATOMIC_ACQUIRE)) == cons)
        if (dev->broken || blkfront_wait(dev, 0) < 0)
            return -1;
    return 0;
}

/*
 * A blocking read or write (op) of (n) sectors at (buf) as one fast
 * request, when it fits one and nothing else is in flight: submitted,
 * notified, waited for and taken with no loop, queue or batch around
 * it. Returns the response's status as 0 or -errno; ONE_UNFIT, nothing
 * done; ONE_PENDING: the request is in flight and the general completion
 * must take it (a response other than the one expected, a grant still
 * mapped, a failed wait). Published and notified by push_one().
 */
static inline __attribute__((always_inline)) int
one_request(struct blkfront_dev *dev, unsigned int op, uint64_t sector,
            void *buf, size_t n)
{
    RING_IDX prod = dev->ring.req_prod_pvt, cons = dev->ring.rsp_cons, rp;
    unsigned int idx;
    struct blk_slot *sl;

    if (!fast_fits(op, (uintptr_t)buf, n) || dev->nr_free != RING_SLOTS ||
        dev->broken)
        return ONE_UNFIT;
    idx = dev->free_slot[RING_SLOTS - 1];
    sl = dev->slot_at[idx];
    if (!sl->own)
        return ONE_UNFIT;
    put_fast(dev, dev->req_at[prod & (RING_SLOTS - 1)], idx, sl,
             &(struct blkfront_io){sector, buf, 0, op, (unsigned int)n});
    if (push_one(dev, ++prod, cons, &rp) < 0)
        return ONE_PENDING;
    return take_one(dev, cons, rp, idx, sl, op, 0);
}

/*
 * one_request() for a pages request (pages_fit(): several whole pages),
 * out of line: the one-page path stays as short.
 */
static int __attribute__((noinline))
one_pages(struct blkfront_dev *dev, unsigned int op, uint64_t sector, void *buf,
          size_t n)
{
    RING_IDX prod = dev->ring.req_prod_pvt, cons = dev->ring.rsp_cons, rp;
    unsigned int idx;
    struct blk_slot *sl;

    if (!pages_fit(op, (uintptr_t)buf, n) || dev->nr_free != RING_SLOTS ||
        dev->broken)
        return ONE_UNFIT;
    idx = dev->free_slot[RING_SLOTS - 1];
    sl = dev->slot_at[idx];
    if (!sl->pages)
        return ONE_UNFIT;
    put_pages(dev, dev->req_at[prod & (RING_SLOTS - 1)], idx, sl,
              &(struct blkfront_io){sector, buf, 0, op, (unsigned int)n});
    if (push_one(dev, ++prod, cons, &rp) < 0)
        return ONE_PENDING;
    return take_one(dev, cons, rp, idx, sl, op, 1);
}

/*
 * A transfer that is one request of another shape (several pages, or a
 * bounced buffer), with nothing else in flight: submitted and its
 * response taken without transfer()'s splitting and refilling. The one
 * response there is to take is ours.
 */
static int __attribute__((noinline))
one_any(struct blkfront_dev *dev, int op, uint64_t sector, char *buf,
        unsigned int n)
{
    struct blkfront_done d;
    int rc = blkfront_submit(dev, op, sector, buf, n, 0);

    if (rc < 0)
        return rc;
    for (;;) {
        rc = blkfront_complete_many(dev, &d, 1);
        if (rc == 1)
            return error_of(d.status);
        if (rc < 0)
            return rc;
        if (dev->broken)
            return -XEN_EIO;
        blkfront_wait(dev, 0);
    }
}

/*
 * A transfer within one page, with nothing else in flight, is one fast
 * request (one_request), one of any other shape is one_any()'s; what
 * one_request() leaves in flight, or any other transfer, takes the
 * general path.
 */
static inline __attribute__((always_inline)) int
blocking(struct blkfront_dev *dev, int op, uint64_t sector, char *buf, size_t n)
{
    int rc = one_request(dev, (unsigned int)op, sector, buf, n);

    if (rc <= 0)
        return rc;
    if (rc == ONE_UNFIT)
        rc = one_pages(dev, (unsigned int)op, sector, buf, n);
    if (rc <= 0)
        return rc;
    if (rc == ONE_PENDING)
        return transfer(dev, op, sector, buf, 0, 1);
    if (n > 0 && chunk_of(buf, n) == n && dev->nr_free == RING_SLOTS)
        return one_any(dev, op, sector, buf, (unsigned int)n);
    return transfer(dev, op, sector, buf, n, 0);
}

int blkfront_read(struct blkfront_dev *dev, uint64_t sector, void *buf,
                  size_t n)
{
    return blocking(dev, BLKIF_OP_READ, sector, buf, n);
}

int blkfront_write(struct blkfront_dev *dev, uint64_t sector, const void *buf,
                   size_t n)
{
    /* The buffer is only read: the cast does not let anyone write it. */
    return blocking(dev, BLKIF_OP_WRITE, sector, (char *)buf, n);
}

int blkfront_flush(struct blkfront_dev *dev)
{
    uint64_t id;
    int status, rc;

    if (!dev->flush)
        return -XEN_EOPNOTSUPP;
    while ((rc = blkfront_submit(dev, BLKIF_OP_FLUSH_DISKCACHE, 0, NULL, 0,
                                 0)) == -XEN_EAGAIN)
        blkfront_wait(dev, 0);
    if (rc < 0)
        return rc;
    /* Requests already in flight complete too; ours is among them. */
    while (blkfront_in_flight(dev) > 0) {
        while ((rc = blkfront_complete(dev, &id, &status)) == 1)
            if (status != BLKIF_RSP_OKAY)
                return error_of(status);
        if (rc < 0)
            return rc;
        if (blkfront_in_flight(dev) > 0)
            blkfront_wait(dev, 0);
    }
    return 0;
}

void blkfront_io_drain(struct blkfront_dev *dev)
{
    int err = 0;

    while (blkfront_in_flight(dev) > 0 && !dev->broken) {
        reap(dev, RING_SLOTS, &err);
        if (blkfront_in_flight(dev) > 0 &&
            blkfront_wait(dev, monotonic_ns() + CLOSE_TIMEOUT_NS) < 0)
            break;
    }
}
