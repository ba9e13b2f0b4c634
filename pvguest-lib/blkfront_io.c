/* SPDX-License-Identifier: MIT */
/* blkfront_io.c: the PV block frontend's requests: grants, ring, completions.
 */

#include "blkfront_dev.h"

#define CLOSE_TIMEOUT_NS (2 * NSEC_PER_SEC)
#define SECTOR_MASK (BLKIF_SECTOR_SIZE - 1)

/*
 * Where the host emulates guest instructions each one counts (pvbench's
 * guest_insns), so the request path is kept short: a request is written
 * in place in the ring, a sector-aligned buffer is granted as it is (no
 * copy), and the waiting side sleeps in pvg_evtchn_wait() on the masked port
 * rather than taking an upcall.
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
    sl->busy = 1;
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
 * The common request, a read or write within one page of a
 * sector-aligned buffer (a 4 KiB page-aligned one, say), takes this
 * path: one grant, one segment, no copy, no loop. Any other goes to
 * submit_any(), which also answers the errors.
 */
int blkfront_submit(struct blkfront_dev *dev, int op, uint64_t sector,
                    void *buf, unsigned int n, uint64_t id)
{
    uintptr_t a = (uintptr_t)buf;
    unsigned int first = (unsigned int)(a >> 9) & (SECTORS_PER_PAGE - 1);
    struct blkif_request *req;
    struct blk_slot *sl;
    unsigned int idx;
    int ref;

    if ((op != BLKIF_OP_READ && op != BLKIF_OP_WRITE) || (a & SECTOR_MASK) ||
        n - 1 >= SECTORS_PER_PAGE - first || a >= PVHV_GRANT_WINDOW_BASE ||
        dev->broken || dev->nr_free == 0 || RING_FULL(&dev->ring))
        return submit_any(dev, op, sector, buf, n, id);
    idx = dev->free_slot[dev->nr_free - 1];
    sl = &dev->slot[idx];
    ref = gnttab_grant_access(dev->backend_id, a >> XEN_PAGE_SHIFT,
                              op == BLKIF_OP_WRITE);
    if (ref < 0)
        return submit_any(dev, op, sector, buf, n, id);
    sl->gref[0] = (grant_ref_t)ref;
    req = RING_GET_REQUEST(&dev->ring, dev->ring.req_prod_pvt);
    req->operation = (uint8_t)op;
    req->nr_segments = 1;
    req->handle = (blkif_vdev_t)dev->devid;
    req->id = idx;
    req->sector_number = sector;
    req->seg[0].gref = sl->gref[0];
    req->seg[0].first_sect = (uint8_t)first;
    req->seg[0].last_sect = (uint8_t)(first + n - 1);
    sl->busy = 1;
    sl->raw = 0;
    sl->op = (uint8_t)op;
    sl->nseg = 1;
    sl->bounced = 0;
    sl->nsect = n;
    sl->buf = buf;
    sl->user_id = id;
    dev->nr_free--;
    dev->ring.req_prod_pvt++;
    return 0;
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
        if (sl && sl->busy)
            return sl;
        printf("blkfront: %s: response for unknown id %lu ignored\n", dev->node,
               (unsigned long)rsp->id);
    }
}

static int complete_any(struct blkfront_dev *dev, uint64_t *id, int *status);

/*
 * The common response, for a request of blkfront_submit()'s fast path,
 * ends its one grant here; anything else (an odd id, a broken ring, a
 * bounced or raw request, a busy grant) goes to complete_any().
 */
int blkfront_complete(struct blkfront_dev *dev, uint64_t *id, int *status)
{
    RING_IDX cons = dev->ring.rsp_cons, prod;
    struct blkif_response rsp;
    struct blk_slot *sl;

    if (dev->ring.req_prod_pvt != dev->sring->req_prod)
        blkfront_kick(dev);
    prod = __atomic_load_n(&dev->sring->rsp_prod, __ATOMIC_ACQUIRE);
    if (prod == cons)
        return 0;
    /* A copy, read once: the backend could change the slot meanwhile. */
    rsp =
        *(volatile struct blkif_response *)RING_GET_RESPONSE(&dev->ring, cons);
    if (prod - cons > RING_SIZE(&dev->ring) || rsp.id >= RING_SLOTS)
        return complete_any(dev, id, status);
    sl = &dev->slot[rsp.id];
    if (!sl->busy || sl->raw || sl->nseg != 1 || sl->bounced ||
        rsp.operation != sl->op || gnttab_end_access(sl->gref[0]) < 0)
        return complete_any(dev, id, status);
    *status = rsp.status;
    *id = sl->user_id;
    sl->busy = 0;
    dev->free_slot[dev->nr_free++] = (unsigned int)rsp.id;
    dev->ring.rsp_cons = cons + 1;
    return 1;
}

static int __attribute__((noinline))
complete_any(struct blkfront_dev *dev, uint64_t *id, int *status)
{
    struct blkif_response rsp;
    struct blk_slot *sl;
    int rc, st;

    sl = next_response(dev, &rsp, &rc);
    if (!sl)
        return rc;
    if (rsp.operation != sl->op)
        printf("blkfront: %s: response op %u for a request of op %u\n",
               dev->node, rsp.operation, sl->op);
    st = rsp.status;
    if (!sl->raw)
        st = slot_finish(dev, sl, st);
    sl->busy = 0;
    dev->free_slot[dev->nr_free++] = (unsigned int)rsp.id;
    *id = sl->user_id;
    *status = st;
    return 1;
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

static int error_of(int status)
{
    return status == BLKIF_RSP_OKAY         ? 0
           : status == BLKIF_RSP_EOPNOTSUPP ? -XEN_EOPNOTSUPP
                                            : -XEN_EIO;
}

/* Takes every response there is; the first error goes to (*err). */
static unsigned int reap(struct blkfront_dev *dev, int *err)
{
    unsigned int got = 0;
    uint64_t id;
    int status, rc;

    while ((rc = blkfront_complete(dev, &id, &status)) == 1) {
        got++;
        if (status != BLKIF_RSP_OKAY && *err == 0)
            *err = error_of(status);
    }
    if (rc < 0 && *err == 0)
        *err = rc;
    return got;
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
 * The blocking calls: as many requests in flight as the ring takes,
 * refilled as responses come. An error stops new submissions; what is
 * in flight is still waited for.
 */
static int transfer(struct blkfront_dev *dev, int op, uint64_t sector,
                    char *buf, size_t n)
{
    unsigned int chunk, inflight = 0;
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
        inflight -= reap(dev, &err);
        if (inflight > 0 &&
            (n == 0 || err || blkfront_in_flight(dev) == RING_SLOTS))
            blkfront_wait(dev, 0);
        if (dev->broken)
            return -XEN_EIO;
    }
    return err;
}

int blkfront_read(struct blkfront_dev *dev, uint64_t sector, void *buf,
                  size_t n)
{
    return transfer(dev, BLKIF_OP_READ, sector, buf, n);
}

int blkfront_write(struct blkfront_dev *dev, uint64_t sector, const void *buf,
                   size_t n)
{
    /* The buffer is only read: the cast does not let anyone write it. */
    return transfer(dev, BLKIF_OP_WRITE, sector, (char *)buf, n);
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
        reap(dev, &err);
        if (blkfront_in_flight(dev) > 0 &&
            blkfront_wait(dev, monotonic_ns() + CLOSE_TIMEOUT_NS) < 0)
            break;
    }
}

void blkfront_io_free(struct blkfront_dev *dev)
{
    unsigned int i, j;

    for (i = 0; i < RING_SLOTS; i++)
        for (j = 0; j < BLKIF_MAX_SEGMENTS_PER_REQUEST; j++) {
            page_free(dev->slot[i].page[j]);
            dev->slot[i].page[j] = NULL;
        }
}
