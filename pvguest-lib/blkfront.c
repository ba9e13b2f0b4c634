/* SPDX-License-Identifier: MIT */
/* blkfront.c: the PV block frontend: XenbusState handshake, ring, requests. */

#include <pvabi/io/vbd.h>
#include <pvabi/io/xenbus.h>
#include <pvguest/blkfront.h>
#include <pvguest/gnttab.h>
#include <pvguest/mm.h>

#include "internal.h"

#define BLKFRONT_MAX_DEVS 4
#define RING_SLOTS __CONST_RING_SIZE(blkif, XEN_PAGE_SIZE)
#define SECTORS_PER_PAGE (XEN_PAGE_SIZE / BLKIF_SECTOR_SIZE)
#define STATE_TIMEOUT_NS (10 * NSEC_PER_SEC)
#define CLOSE_TIMEOUT_NS (2 * NSEC_PER_SEC)
#define PATH_MAX_LEN 128

/* One request in flight, found by the id the backend echoes. */
struct blk_slot {
    int busy;
    int raw;                 /* from blkfront_submit_raw(): no pages */
    uint8_t op;
    uint8_t nseg;
    uint64_t user_id;
    char *buf;               /* a read copies into it on completion */
    unsigned int nsect;
    grant_ref_t gref[BLKIF_MAX_SEGMENTS_PER_REQUEST];
    /* Bounce pages, kept with the slot from one request to the next. */
    void *page[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};

struct blkfront_dev {
    int used;
    unsigned int devid;
    char node[PATH_MAX_LEN];     /* device/vbd/<devid> */
    char backend[PATH_MAX_LEN];  /* the backend's directory */
    domid_t backend_id;
    uint64_t sectors;
    unsigned int sector_size;
    unsigned int info;
    int readonly;
    int flush;                   /* feature-flush-cache */

    struct blkif_sring *sring;
    struct blkif_front_ring ring;
    int ring_ref;                /* -1: not granted */
    evtchn_port_t port;          /* 0: none */
    int broken;

    struct blk_slot slot[RING_SLOTS];
    unsigned int free_slot[RING_SLOTS];
    unsigned int nr_free;
    unsigned long events_in, events_out;
    unsigned long state_changes;
};

static struct blkfront_dev devs[BLKFRONT_MAX_DEVS];

static void on_event(evtchn_port_t port, void *data)
{
    (void)port;
    ((struct blkfront_dev *)data)->events_in++;
}

static void on_state_watch(const char *path, const char *token, void *data)
{
    (void)path;
    (void)token;
    ((struct blkfront_dev *)data)->state_changes++;
}

struct state_wait {
    struct blkfront_dev *dev;
    unsigned long seen;      /* state_changes when we last looked */
};

static int state_changed(void *arg)
{
    struct state_wait *w = arg;

    return w->dev->state_changes != w->seen;
}

static int read_state(const char *dir, unsigned long *state)
{
    char path[PATH_MAX_LEN + 8];

    snprintf(path, sizeof(path), "%s/state", dir);
    return xenbus_read_ulong(XBT_NIL, path, state);
}

/*
 * Waits until the backend's state is (want) or past it. Closing or
 * beyond, when (want) is not, means the backend gave up: -XEN_ENODEV.
 * A watch on its state node wakes us; each wake re-reads the node, as
 * the store may report several changes once.
 */
static int wait_backend(struct blkfront_dev *dev, unsigned long want)
{
    char path[PATH_MAX_LEN + 8], token[32];
    uint64_t end = monotonic_ns() + STATE_TIMEOUT_NS;
    unsigned long state = XenbusStateUnknown;
    struct state_wait w = {.dev = dev};
    int rc, watching;

    snprintf(path, sizeof(path), "%s/state", dev->backend);
    snprintf(token, sizeof(token), "blkfront-%u", dev->devid);
    watching = xenbus_watch(path, token, on_state_watch, dev) == 0;
    for (;;) {
        w.seen = dev->state_changes;
        rc = read_state(dev->backend, &state);
        if (rc == 0 && want < XenbusStateClosing &&
            state >= XenbusStateClosing)
            rc = -XEN_ENODEV;
        if (rc < 0 || state >= want)
            break;
        if (monotonic_ns() >= end) {
            rc = -XEN_ETIMEDOUT;
            break;
        }
        /* Without a watch, look again every 10 ms. */
        wait_until(state_changed, &w,
                   watching ? end : monotonic_ns() + 10 * NSEC_PER_MSEC);
    }
    if (watching)
        xenbus_unwatch(path, token);
    if (rc < 0)
        printf("blkfront: %s: backend %s in state %lu, waiting for %lu: %d"
               "\n", dev->node, dev->backend, state, want, rc);
    return rc;
}

static int switch_state(struct blkfront_dev *dev, XenbusState state)
{
    return xenbus_write_ulong(XBT_NIL, dev->node, "state", state);
}

/* Step: where the backend is (the toolstack wrote it for us). */
static int find_backend(struct blkfront_dev *dev)
{
    char path[PATH_MAX_LEN + 16];
    unsigned long id;
    int rc;

    snprintf(path, sizeof(path), "%s/backend", dev->node);
    rc = xenbus_read(XBT_NIL, path, dev->backend, sizeof(dev->backend));
    if (rc < 0)
        return rc == -XEN_EACCES ? -XEN_ENOENT : rc;
    snprintf(path, sizeof(path), "%s/backend-id", dev->node);
    rc = xenbus_read_ulong(XBT_NIL, path, &id);
    if (rc < 0)
        return rc;
    if (id >= DOMID_FIRST_RESERVED)
        return -XEN_EINVAL;
    dev->backend_id = (domid_t)id;
    return 0;
}

/* Step: the ring page, granted to the backend, and an unbound port. */
static int setup_ring(struct blkfront_dev *dev)
{
    int rc;

    dev->sring = page_alloc_zeroed();
    if (!dev->sring)
        return -XEN_ENOMEM;
    SHARED_RING_INIT(dev->sring);
    FRONT_RING_INIT(&dev->ring, dev->sring, XEN_PAGE_SIZE);
    rc = gnttab_grant_access(dev->backend_id,
                             (uintptr_t)dev->sring >> XEN_PAGE_SHIFT, 0);
    if (rc < 0)
        return rc;
    dev->ring_ref = rc;
    rc = evtchn_alloc_unbound(dev->backend_id, &dev->port);
    if (rc < 0)
        return rc;
    return evtchn_bind(dev->port, on_event, dev);
}

static int publish_body(xenbus_transaction_t t, void *arg)
{
    struct blkfront_dev *dev = arg;
    char path[PATH_MAX_LEN + 16];
    int rc;

    if ((rc = xenbus_write_ulong(t, dev->node, "ring-ref",
                                 (unsigned long)dev->ring_ref)) < 0 ||
        (rc = xenbus_write_ulong(t, dev->node, "event-channel", dev->port)) < 0)
        return rc;
    snprintf(path, sizeof(path), "%s/protocol", dev->node);
    if ((rc = xenbus_write(t, path, XEN_IO_PROTO_ABI_X86_64)) < 0)
        return rc;
    return xenbus_write_ulong(t, dev->node, "state", XenbusStateInitialised);
}

/* Step: ring-ref, event-channel, protocol and Initialised, all at once. */
static int publish(struct blkfront_dev *dev)
{
    return xenbus_transaction_run(publish_body, dev);
}

/* Reads <backend>/<key> as a number; (dflt) when the node is missing. */
static int backend_ulong(struct blkfront_dev *dev, const char *key,
                         unsigned long dflt, unsigned long *v)
{
    char path[PATH_MAX_LEN + 32];
    int rc;

    snprintf(path, sizeof(path), "%s/%s", dev->backend, key);
    rc = xenbus_read_ulong(XBT_NIL, path, v);
    if (rc == -XEN_ENOENT) {
        *v = dflt;
        rc = 0;
    }
    return rc;
}

/* Step: what the backend published on Connected. */
static int read_properties(struct blkfront_dev *dev)
{
    char path[PATH_MAX_LEN + 8], mode[8] = "";
    unsigned long sectors, size, info, flush;
    int rc;

    if ((rc = backend_ulong(dev, "sectors", 0, &sectors)) < 0 ||
        (rc = backend_ulong(dev, "sector-size", BLKIF_SECTOR_SIZE, &size)) ||
        (rc = backend_ulong(dev, "info", 0, &info)) < 0 ||
        (rc = backend_ulong(dev, "feature-flush-cache", 0, &flush)) < 0)
        return rc;
    if (size < BLKIF_SECTOR_SIZE || size > XEN_PAGE_SIZE ||
        (size & (size - 1))) {
        printf("blkfront: %s: sector-size %lu not supported\n", dev->node,
               size);
        return -XEN_EINVAL;
    }
    snprintf(path, sizeof(path), "%s/mode", dev->backend);
    xenbus_read(XBT_NIL, path, mode, sizeof(mode));
    dev->sectors = sectors;
    dev->sector_size = (unsigned int)size;
    dev->info = (unsigned int)info;
    dev->flush = flush != 0;
    dev->readonly = (info & VDISK_READONLY) || strcmp(mode, "r") == 0;
    return 0;
}

static int go_connected(struct blkfront_dev *dev)
{
    return switch_state(dev, XenbusStateConnected);
}

/*
 * The frontend's side of the handshake (io/blkif.h), one row per step:
 * wait until the backend reached (backend_state) (0: no wait), then run
 * the step. A failing step is named, and blkfront_open() undoes the
 * earlier ones.
 */
static const struct fe_step {
    const char *name;
    unsigned long backend_state;
    int (*run)(struct blkfront_dev *dev);
} fe_steps[] = {
    { "find backend", 0, find_backend },
    { "ring and event channel", XenbusStateInitWait, setup_ring },
    { "publish ring-ref, event-channel, protocol", 0, publish },
    { "read disk properties", XenbusStateConnected, read_properties },
    { "switch to Connected", 0, go_connected },
};

/* Frees what the steps made; safe on a half-made device. */
static void teardown(struct blkfront_dev *dev)
{
    unsigned int i, j;

    if (dev->port) {
        evtchn_close(dev->port);
        dev->port = 0;
    }
    /* A ring the backend still maps stays allocated, never reused. */
    if (dev->ring_ref < 0 || gnttab_end_access(dev->ring_ref) == 0)
        page_free(dev->sring);
    dev->ring_ref = -1;
    dev->sring = NULL;
    for (i = 0; i < RING_SLOTS; i++)
        for (j = 0; j < BLKIF_MAX_SEGMENTS_PER_REQUEST; j++) {
            page_free(dev->slot[i].page[j]);
            dev->slot[i].page[j] = NULL;
        }
    dev->used = 0;
}

static struct blkfront_dev *dev_new(long devid)
{
    struct blkfront_dev *dev = NULL;
    unsigned int i;

    for (i = 0; i < BLKFRONT_MAX_DEVS && !dev; i++)
        if (!devs[i].used)
            dev = &devs[i];
    if (!dev)
        return NULL;
    memset(dev, 0, sizeof(*dev));
    dev->used = 1;
    dev->devid = (unsigned int)devid;
    dev->ring_ref = -1;
    snprintf(dev->node, sizeof(dev->node), "device/vbd/%u", dev->devid);
    for (i = 0; i < RING_SLOTS; i++)
        dev->free_slot[dev->nr_free++] = RING_SLOTS - 1 - i;
    return dev;
}

int blkfront_open(const char *name, struct blkfront_dev **out)
{
    long devid = pvabi_vbd_devid(name);
    struct blkfront_dev *dev;
    const struct fe_step *s;
    size_t i;
    int rc = 0;

    if (devid < 0)
        return -XEN_EINVAL;
    if (!xenbus_ready() || !gnttab_ready())
        return -XEN_ENOSYS;
    dev = dev_new(devid);
    if (!dev)
        return -XEN_ENOSPC;
    for (i = 0; i < sizeof(fe_steps) / sizeof(fe_steps[0]); i++) {
        s = &fe_steps[i];
        if (s->backend_state && (rc = wait_backend(dev, s->backend_state)))
            break;
        if ((rc = s->run(dev)) < 0)
            break;
    }
    if (rc < 0) {
        if (rc != -XEN_ENOENT || i > 0)
            printf("blkfront: %s (%s): step '%s' failed: %d\n", name,
                   dev->node, fe_steps[i].name, rc);
        teardown(dev);
        return rc;
    }
    *out = dev;
    return 0;
}

void blkfront_info(struct blkfront_dev *dev, uint64_t *sectors,
                   unsigned int *sector_size, int *readonly)
{
    if (sectors)
        *sectors = dev->sectors;
    if (sector_size)
        *sector_size = dev->sector_size;
    if (readonly)
        *readonly = dev->readonly;
}

unsigned int blkfront_in_flight(struct blkfront_dev *dev)
{
    return RING_SLOTS - dev->nr_free;
}

unsigned long blkfront_notifications(struct blkfront_dev *dev)
{
    return dev->events_out;
}

/* A free slot with (nseg) granted bounce pages; NULL on failure (*rc). */
static struct blk_slot *slot_get(struct blkfront_dev *dev, unsigned int nseg,
                                 int readonly, int *rc)
{
    struct blk_slot *sl;
    unsigned int i;
    int ref;

    if (dev->nr_free == 0 || RING_FULL(&dev->ring)) {
        *rc = -XEN_EAGAIN;
        return NULL;
    }
    sl = &dev->slot[dev->free_slot[dev->nr_free - 1]];
    for (i = 0; i < nseg; i++) {
        if (!sl->page[i] && !(sl->page[i] = page_alloc()))
            *rc = -XEN_ENOMEM;
        else if ((ref = gnttab_grant_access(
                      dev->backend_id,
                      (uintptr_t)sl->page[i] >> XEN_PAGE_SHIFT, readonly)) < 0)
            *rc = ref;
        else {
            sl->gref[i] = (grant_ref_t)ref;
            continue;
        }
        while (i-- > 0)
            gnttab_end_access(sl->gref[i]);
        return NULL;
    }
    dev->nr_free--;
    sl->busy = 1;
    sl->nseg = (uint8_t)nseg;
    sl->raw = 0;
    return sl;
}

/*
 * Puts the request in the next slot of the ring, unpublished: requests
 * are published in batches (blkfront_kick), so that a backend serving
 * the ring as soon as it is notified sees several at once.
 */
static void push(struct blkfront_dev *dev, const struct blkif_request *req)
{
    *RING_GET_REQUEST(&dev->ring, dev->ring.req_prod_pvt) = *req;
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
        evtchn_notify(dev->port);
    }
}

static unsigned int slot_id(struct blkfront_dev *dev, struct blk_slot *sl)
{
    return (unsigned int)(sl - dev->slot);
}

int blkfront_submit(struct blkfront_dev *dev, int op, uint64_t sector,
                    void *buf, unsigned int n, uint64_t id)
{
    struct blkif_request req = {.operation = (uint8_t)op};
    unsigned int nseg = (n + SECTORS_PER_PAGE - 1) / SECTORS_PER_PAGE, i, k;
    struct blk_slot *sl;
    int rc = 0;

    if (dev->broken)
        return -XEN_EIO;
    if (op == BLKIF_OP_FLUSH_DISKCACHE ? n != 0
        : (op != BLKIF_OP_READ && op != BLKIF_OP_WRITE) || n == 0 ||
              n > BLKFRONT_MAX_REQUEST_SECTORS || !buf)
        return -XEN_EINVAL;
    sl = slot_get(dev, nseg, op == BLKIF_OP_WRITE, &rc);
    if (!sl)
        return rc;
    sl->op = (uint8_t)op;
    sl->user_id = id;
    sl->buf = buf;
    sl->nsect = n;
    req.nr_segments = (uint8_t)nseg;
    req.handle = (blkif_vdev_t)dev->devid;
    req.id = slot_id(dev, sl);
    req.sector_number = sector;
    for (i = 0; i < nseg; i++) {
        k = n - i * SECTORS_PER_PAGE;
        k = k > SECTORS_PER_PAGE ? SECTORS_PER_PAGE : k;
        if (op == BLKIF_OP_WRITE)
            memcpy(sl->page[i], (char *)buf + i * XEN_PAGE_SIZE,
                   k * BLKIF_SECTOR_SIZE);
        req.seg[i].gref = sl->gref[i];
        req.seg[i].first_sect = 0;
        req.seg[i].last_sect = (uint8_t)(k - 1);
    }
    push(dev, &req);
    return 0;
}

int blkfront_submit_raw(struct blkfront_dev *dev,
                        const struct blkif_request *req, uint64_t id)
{
    struct blkif_request copy = *req;
    struct blk_slot *sl;
    int rc = 0;

    if (dev->broken)
        return -XEN_EIO;
    sl = slot_get(dev, 0, 0, &rc);
    if (!sl)
        return rc;
    sl->raw = 1;
    sl->op = req->operation;
    sl->user_id = id;
    sl->buf = NULL;
    copy.id = slot_id(dev, sl);
    push(dev, &copy);
    return 0;
}

/*
 * Ends a slot's grants and, for a good read, copies the data out. A
 * grant the backend still maps (it should not, once it answered) keeps
 * its page: the page is dropped from the slot, never reused.
 */
static void slot_finish(struct blkfront_dev *dev, struct blk_slot *sl,
                        int status)
{
    unsigned int i, k;

    for (i = 0; i < sl->nseg; i++) {
        k = sl->nsect - i * SECTORS_PER_PAGE;
        k = k > SECTORS_PER_PAGE ? SECTORS_PER_PAGE : k;
        if (gnttab_end_access(sl->gref[i]) < 0) {
            printf("blkfront: %s: backend still maps grant %u after "
                   "answering; page leaked\n", dev->node, sl->gref[i]);
            sl->page[i] = NULL;
            continue;
        }
        if (sl->op == BLKIF_OP_READ && status == BLKIF_RSP_OKAY)
            memcpy(sl->buf + i * XEN_PAGE_SIZE, sl->page[i],
                   k * BLKIF_SECTOR_SIZE);
    }
    sl->busy = 0;
    dev->free_slot[dev->nr_free++] = slot_id(dev, sl);
}

int blkfront_complete(struct blkfront_dev *dev, uint64_t *id, int *status)
{
    struct blkif_response rsp;
    struct blk_slot *sl;
    RING_IDX prod;

    blkfront_kick(dev);
    for (;;) {
        prod = __atomic_load_n(&dev->sring->rsp_prod, __ATOMIC_ACQUIRE);
        if (RING_RESPONSE_PROD_OVERFLOW(&dev->ring, prod)) {
            printf("blkfront: %s: backend's rsp_prod %u is past our "
                   "requests: ring abandoned\n", dev->node, prod);
            dev->broken = 1;
            return -XEN_EIO;
        }
        if (dev->ring.rsp_cons == prod)
            return 0;
        rsp = *RING_GET_RESPONSE(&dev->ring, dev->ring.rsp_cons);
        dev->ring.rsp_cons++;
        sl = rsp.id < RING_SLOTS ? &dev->slot[rsp.id] : NULL;
        if (sl && sl->busy)
            break;
        printf("blkfront: %s: response for unknown id %lu ignored\n",
               dev->node, (unsigned long)rsp.id);
    }
    if (rsp.operation != sl->op)
        printf("blkfront: %s: response op %u for a request of op %u\n",
               dev->node, rsp.operation, sl->op);
    if (!sl->raw)
        slot_finish(dev, sl, rsp.status);
    else {
        sl->busy = 0;
        dev->free_slot[dev->nr_free++] = slot_id(dev, sl);
    }
    *id = sl->user_id;
    *status = rsp.status;
    return 1;
}

static int response_ready(void *arg)
{
    struct blkfront_dev *dev = arg;
    int more;

    if (dev->broken)
        return 1;
    RING_FINAL_CHECK_FOR_RESPONSES(&dev->ring, more);
    return more != 0;
}

int blkfront_wait(struct blkfront_dev *dev, uint64_t deadline_ns)
{
    blkfront_kick(dev);
    return wait_until(response_ready, dev, deadline_ns);
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
            chunk = n > BLKFRONT_MAX_REQUEST_SECTORS
                        ? BLKFRONT_MAX_REQUEST_SECTORS : (unsigned int)n;
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
        if (inflight > 0 && (n == 0 || err || blkfront_in_flight(dev) ==
                                                   RING_SLOTS))
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

int blkfront_write(struct blkfront_dev *dev, uint64_t sector,
                   const void *buf, size_t n)
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

void blkfront_close(struct blkfront_dev *dev)
{
    int err = 0;

    while (blkfront_in_flight(dev) > 0 && !dev->broken) {
        reap(dev, &err);
        if (blkfront_in_flight(dev) > 0 &&
            blkfront_wait(dev, monotonic_ns() + CLOSE_TIMEOUT_NS) < 0)
            break;
    }
    if (switch_state(dev, XenbusStateClosing) == 0 &&
        wait_backend(dev, XenbusStateClosing) == 0)
        switch_state(dev, XenbusStateClosed);
    teardown(dev);
}
