/* SPDX-License-Identifier: MIT */
/* xenbus.c: a split device's XenStore directories and its handshake table. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "core/domain.h"
#include "core/instance.h"
#include "core/log.h"
#include "core/xenstore/xenstore.h"

/*
 * The handshake (io/xenbus.h, io/blkif.h) as rows: in our state (be), on
 * seeing the frontend in state (fe), do (action) and go to (next). ANY
 * matches every state of ours. Rows are tried in order; no row: nothing
 * to do (e.g. the frontend still Initialising). A failed connect sends
 * us to Closing instead of (next).
 */
#define ANY ((enum xenbus_state) - 1)

static const struct xenbus_transition {
    enum xenbus_state be, fe;
    enum xenbus_action action;
    enum xenbus_state next;
} transitions[] = {
    /* Frontend published its ring (Mini-OS goes straight to Connected). */
    {XenbusStateInitWait, XenbusStateInitialised, XB_CONNECT,
     XenbusStateConnected},
    {XenbusStateInitWait, XenbusStateConnected, XB_CONNECT,
     XenbusStateConnected},
    /* Frontend going away: let go of its ring, mirror its state. */
    {XenbusStateConnected, XenbusStateClosing, XB_DISCONNECT,
     XenbusStateClosing},
    {ANY, XenbusStateClosing, XB_NONE, XenbusStateClosing},
    {ANY, XenbusStateClosed, XB_DISCONNECT, XenbusStateClosed},
    /* Its directory or state vanished: same as Closed. */
    {ANY, XenbusStateUnknown, XB_DISCONNECT, XenbusStateClosed},
    /* Frontend starting again after Closed (a reconnecting driver). */
    {XenbusStateClosed, XenbusStateInitialising, XB_NONE, XenbusStateInitWait},
    {XenbusStateClosing, XenbusStateInitialising, XB_NONE, XenbusStateInitWait},
};

bool xenbus_next_state(enum xenbus_state be, enum xenbus_state fe,
                       enum xenbus_action *action, enum xenbus_state *next)
{
    for (size_t i = 0; i < sizeof(transitions) / sizeof(transitions[0]); i++) {
        const struct xenbus_transition *t = &transitions[i];

        if ((t->be != ANY && t->be != be) || t->fe != fe)
            continue;
        if (t->next == be)
            return false; /* already there: nothing left to do */
        *action = t->action;
        *next = t->next;
        return true;
    }
    return false;
}

static struct xenstore *store(const struct xenbus_dev *dev)
{
    return dev->d->hv->xs;
}

int xenbus_dev_printf(struct xenbus_dev *dev, const char *key, const char *fmt,
                      ...)
{
    char path[160], val[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(val, sizeof(val), fmt, ap);
    va_end(ap);
    snprintf(path, sizeof(path), "%s/%s", dev->be_path, key);
    return xenstore_write(store(dev), path, val);
}

/* Reads (dir)/(key) as a decimal number <= (max). */
static int read_uint(struct xenstore *xs, const char *dir, const char *key,
                     uint64_t max, uint64_t *val)
{
    char path[160], *s, *end;
    int rc;

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    rc = xenstore_read(xs, path, &s, NULL);
    if (rc < 0)
        return rc;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    rc = (errno || end == s || *end || s[0] == '-' || v > max) ? -EINVAL : 0;
    free(s);
    if (rc == 0)
        *val = v;
    return rc;
}

int xenbus_dev_read_uint(struct xenbus_dev *dev, const char *key, uint64_t max,
                         uint64_t *val)
{
    return read_uint(store(dev), dev->fe_path, key, max, val);
}

static void publish_state(struct xenbus_dev *dev, enum xenbus_state s)
{
    dev->state = s;
    if (xenbus_dev_printf(dev, "state", "%d", (int)s) < 0)
        pr_warn("%s: cannot publish state %d", dev->be_path, (int)s);
}

/*
 * The frontend's state changed (or the watch was just set): one step of
 * the table. Runs on the thread that wrote the frontend's node (usually
 * the guest's vCPU serving its store ring), with the store unlocked.
 */
static void frontend_changed(void *opaque, const char *path)
{
    struct xenbus_dev *dev = opaque;
    enum xenbus_action action;
    enum xenbus_state next;
    uint64_t v;

    (void)path;
    pthread_mutex_lock(&dev->lock);
    if (read_uint(store(dev), dev->fe_path, "state", XenbusStateReconfigured,
                  &v) < 0)
        v = XenbusStateUnknown;
    if (xenbus_next_state(dev->state, (enum xenbus_state)v, &action, &next)) {
        if (action == XB_CONNECT && dev->ops->connect(dev) < 0) {
            gdprintk(dev->d, "%s: cannot connect to the frontend",
                     dev->be_path);
            next = XenbusStateClosing;
        } else if (action == XB_DISCONNECT) {
            dev->ops->disconnect(dev);
        }
        publish_state(dev, next);
    }
    pthread_mutex_unlock(&dev->lock);
}

/* Makes (path) with owner perms[0] and the access of perms[1]. */
static int make_dir(struct xenstore *xs, const char *path, unsigned int owner,
                    unsigned int reader)
{
    char p0[16], p1[16];
    const char *perms[2] = {p0, p1};
    int rc = xenstore_mkdir(xs, path);

    snprintf(p0, sizeof(p0), "n%u", owner);
    snprintf(p1, sizeof(p1), "r%u", reader);
    return rc < 0 ? rc : xenstore_set_perms(xs, path, perms, 2);
}

/* The nodes a Xen toolstack writes before either driver runs. */
static int make_nodes(struct xenbus_dev *dev)
{
    struct xenstore *xs = store(dev);
    unsigned int domid = dev->d->domid;
    char path[160];
    int rc;

    rc = make_dir(xs, dev->fe_path, domid, 0);
    if (rc == 0)
        rc = make_dir(xs, dev->be_path, 0, domid);
        /* Children inherit their directory's permissions. */
#define FE(key, ...)                                                           \
    if (rc == 0) {                                                             \
        char v_[96];                                                           \
        snprintf(v_, sizeof(v_), __VA_ARGS__);                                 \
        snprintf(path, sizeof(path), "%s/%s", dev->fe_path, key);              \
        rc = xenstore_write(xs, path, v_);                                     \
    }
    FE("backend", "%s", dev->be_path)
    FE("backend-id", "0")
    FE("state", "%d", XenbusStateInitialising)
#undef FE
    if (rc == 0)
        rc = xenbus_dev_printf(dev, "frontend", "%s", dev->fe_path);
    if (rc == 0)
        rc = xenbus_dev_printf(dev, "frontend-id", "%u", domid);
    if (rc == 0)
        rc = xenbus_dev_printf(dev, "state", "%d", XenbusStateInitialising);
    return rc;
}

static void remove_nodes(struct xenbus_dev *dev)
{
    xenstore_rm(store(dev), dev->fe_path);
    xenstore_rm(store(dev), dev->be_path);
}

int xenbus_dev_create(struct domain *d, const struct backend_ops *ops,
                      unsigned int devid, void *priv, struct xenbus_dev **out,
                      struct pvhv_error *err)
{
    struct xenbus_dev *dev = calloc(1, sizeof(*dev));
    char wpath[160];
    int rc;

    if (!dev) {
        ops->release(&(struct xenbus_dev){.d = d, .ops = ops, .priv = priv});
        pvhv_error_set(err, "out of memory");
        return -ENOMEM;
    }
    dev->d = d;
    dev->ops = ops;
    dev->devid = devid;
    dev->priv = priv;
    dev->state = XenbusStateInitialising;
    pthread_mutex_init(&dev->lock, NULL);
    snprintf(dev->fe_path, sizeof(dev->fe_path),
             "/local/domain/%u/device/%s/%u", d->domid, ops->name, devid);
    snprintf(dev->be_path, sizeof(dev->be_path),
             "/local/domain/0/backend/%s/%u/%u", ops->name, d->domid, devid);
    rc = make_nodes(dev);
    if (rc < 0)
        pvhv_error_set(err, "%s: cannot create XenStore nodes: %s",
                       dev->be_path, strerror(-rc));
    else
        rc = ops->setup(dev, err);
    if (rc == 0) {
        publish_state(dev, XenbusStateInitWait);
        snprintf(wpath, sizeof(wpath), "%s/state", dev->fe_path);
        rc = xenstore_watch_cb(store(dev), wpath, frontend_changed, dev,
                               &dev->watch);
        if (rc < 0)
            pvhv_error_set(err, "%s: cannot watch: %s", wpath, strerror(-rc));
    }
    if (rc < 0) {
        xenbus_dev_destroy(dev);
        return rc;
    }
    *out = dev;
    return 0;
}

void xenbus_dev_destroy(struct xenbus_dev *dev)
{
    if (!dev)
        return;
    /* After unwatch no transition runs: the rest needs no lock. */
    if (dev->watch)
        xenstore_unwatch_cb(store(dev), dev->watch);
    dev->ops->disconnect(dev);
    remove_nodes(dev);
    dev->ops->release(dev);
    pthread_mutex_destroy(&dev->lock);
    free(dev);
}
