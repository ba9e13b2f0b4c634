/* SPDX-License-Identifier: MIT */
/* blkfront.c: the PV block frontend: XenbusState handshake, open and close. */

#include <pvabi/io/vbd.h>

#include "blkfront_dev.h"

#define STATE_TIMEOUT_NS (10 * NSEC_PER_SEC)

static struct blkfront_dev devs[BLKFRONT_MAX_DEVS];

static void on_state_watch(const char *path, const char *token, void *data)
{
    (void)path;
    (void)token;
    ((struct blkfront_dev *)data)->state_changes++;
}

struct state_wait {
    struct blkfront_dev *dev;
    unsigned long seen; /* state_changes when we last looked */
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
        if (rc == 0 && want < XenbusStateClosing && state >= XenbusStateClosing)
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
               "\n",
               dev->node, dev->backend, state, want, rc);
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
    rc = pvg_evtchn_alloc_unbound(dev->backend_id, &dev->port);
    if (rc < 0)
        return rc;
    /* No handler: blkfront_wait() takes the events with pvg_evtchn_wait(). */
    pvg_evtchn_mask(dev->port);
    return blkfront_io_setup(dev);
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
    {"find backend", 0, find_backend},
    {"ring and event channel", XenbusStateInitWait, setup_ring},
    {"publish ring-ref, event-channel, protocol", 0, publish},
    {"read disk properties", XenbusStateConnected, read_properties},
    {"switch to Connected", 0, go_connected},
};

/* Frees what the steps made; safe on a half-made device. */
static void teardown(struct blkfront_dev *dev)
{
    if (dev->port) {
        pvg_evtchn_close(dev->port);
        dev->port = 0;
    }
    /* A ring the backend still maps stays allocated, never reused. */
    if (dev->ring_ref < 0 || gnttab_end_access(dev->ring_ref) == 0)
        page_free(dev->sring);
    dev->ring_ref = -1;
    dev->sring = NULL;
    blkfront_io_free(dev);
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
            printf("blkfront: %s (%s): step '%s' failed: %d\n", name, dev->node,
                   fe_steps[i].name, rc);
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

void blkfront_close(struct blkfront_dev *dev)
{
    blkfront_io_drain(dev);
    if (switch_state(dev, XenbusStateClosing) == 0 &&
        wait_backend(dev, XenbusStateClosing) == 0)
        switch_state(dev, XenbusStateClosed);
    teardown(dev);
}
