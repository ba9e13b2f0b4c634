/* SPDX-License-Identifier: MIT */
/* watch.c: XenStore watches: registration, matching, events to peers and
 * in-process callbacks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xenstore/internal.h"

void xs_watch_unlink(struct xenstore *xs, struct xs_watch *w)
{
    struct xs_watch **pp;
    struct xs_domain *d;

    for (pp = &xs->watches; *pp; pp = &(*pp)->next) {
        if (*pp == w) {
            *pp = w->next;
            break;
        }
    }
    if (w->conn) {
        d = xs_domain_get(xs, w->conn->who.domid, false);
        if (d && d->watches)
            d->watches--;
    }
    w->dead = true;
    xs_watch_put(w);
}

static struct xs_watch *watch_find(struct xenstore *xs,
                                   struct xenstore_conn *conn,
                                   const char *abspath, const char *token)
{
    struct xs_watch *w;

    for (w = xs->watches; w; w = w->next)
        if (w->conn == conn && conn && !strcmp(w->abspath, abspath) &&
            !strcmp(w->token, token))
            return w;
    return NULL;
}

static int watch_quota(struct xenstore *xs, struct xenstore_conn *conn)
{
    struct xs_domain *d;

    if (!conn)
        return 0;
    d = xs_domain_get(xs, conn->who.domid, true);
    if (!d)
        return -ENOMEM;
    /* Xen answers E2BIG, not ENOSPC, past the watch quota. */
    if (conn->who.quota && d->watches >= XS_QUOTA_WATCHES)
        return -E2BIG;
    d->watches++;
    return 0;
}

int xs_watch_add(struct xenstore *xs, struct xenstore_conn *conn,
                 const char *path, const char *token, struct xs_watch **out)
{
    char abspath[XS_PATH_BUF];
    struct xs_watch *w, **pp;
    bool rel;
    int rc;

    rc = xs_path_canon(conn ? conn->who.domid : 0, path, true, abspath, &rel);
    if (rc)
        return rc;
    if (watch_find(xs, conn, abspath, token))
        return -EEXIST;
    w = calloc(1, sizeof(*w));
    if (!w)
        return -ENOMEM;
    w->path = strdup(path);
    w->abspath = strdup(abspath);
    w->token = strdup(token);
    rc = (!w->path || !w->abspath || !w->token) ? -ENOMEM
                                                : watch_quota(xs, conn);
    if (rc) {
        w->ref = 1;
        xs_watch_put(w);
        return rc;
    }
    w->conn = conn;
    w->relative = rel;
    w->ref = 1;
    for (pp = &xs->watches; *pp; pp = &(*pp)->next)
        ;
    *pp = w;
    *out = w;
    return 0;
}

int xs_watch_remove(struct xenstore *xs, struct xenstore_conn *conn,
                    const char *path, const char *token)
{
    char abspath[XS_PATH_BUF];
    struct xs_watch *w;
    bool rel;
    int rc;

    rc = xs_path_canon(conn->who.domid, path, true, abspath, &rel);
    if (rc)
        return rc;
    w = watch_find(xs, conn, abspath, token);
    if (!w)
        return -ENOENT;
    xs_watch_unlink(xs, w);
    return 0;
}

void xs_watch_remove_conn(struct xenstore *xs, struct xenstore_conn *conn)
{
    struct xs_watch *w, *next;

    for (w = xs->watches; w; w = next) {
        next = w->next;
        if (w->conn == conn)
            xs_watch_unlink(xs, w);
    }
}

/* Queues an in-process callback: it runs once the store is unlocked. */
static void queue_cb(struct xenstore *xs, struct xs_watch *w, const char *path)
{
    size_t len = strlen(path) + 1;
    struct xs_pending_cb *cb = malloc(sizeof(*cb) + len);

    if (!cb) {
        pr_err("xenstore: out of memory; watch event for %s lost", path);
        return;
    }
    memcpy(cb->path, path, len);
    cb->w = w;
    cb->next = NULL;
    w->ref++;
    *xs->cbs_tail = cb;
    xs->cbs_tail = &cb->next;
}

/* The path a peer sees: relative watches get paths relative to home. */
static const char *event_path(const struct xs_watch *w, const char *path)
{
    char home[32];
    size_t hl;

    if (!w->relative)
        return path;
    hl = (size_t)snprintf(home, sizeof(home), "/local/domain/%u/",
                          w->conn->who.domid);
    return strncmp(path, home, hl) == 0 ? path + hl : path;
}

void xs_watch_fire_one(struct xenstore *xs, struct xs_watch *w,
                       const char *path)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    struct xenstore_conn *conn = w->conn;
    size_t pl, tl;

    if (!conn) {
        queue_cb(xs, w, path);
        return;
    }
    pl = strlen(path) + 1;
    tl = strlen(w->token) + 1;
    if (pl + tl > sizeof(buf)) {
        xs_conn_log(
            conn,
            "xenstore: watch event for %s with a %zu-byte token exceeds the payload limit; dropped",
            path, tl);
        return;
    }
    memcpy(buf, path, pl);
    memcpy(buf + pl, w->token, tl);
    /* Past the output cap the connection is closed (its transport logs). */
    xs_conn_queue(conn, XS_WATCH_EVENT, 0, 0, buf, pl + tl);
}

/*
 * A change at (path), node (n) (NULL for "@" events): fires every watch on
 * it or above it whose owner may read the node; (recurse) (a removal) also
 * fires watches below it, with their own path.
 */
bool xenstore_domain_watches(struct xenstore *xs, uint16_t domid,
                             const char *path)
{
    struct xs_watch *w;
    bool yes = false;

    xs_lock(xs);
    for (w = xs->watches; w && !yes; w = w->next)
        yes = w->conn && w->conn->who.domid == domid &&
              xs_path_under(path, w->abspath);
    xs_unlock(xs);
    return yes;
}

void xs_watch_fire(struct xenstore *xs, const char *path,
                   const struct xs_node *n, bool recurse)
{
    struct xs_watch *w;
    const char *ep;

    for (w = xs->watches; w; w = w->next) {
        if (xs_path_under(path, w->abspath))
            ep = path;
        else if (recurse && xs_path_under(w->abspath, path))
            ep = w->abspath;
        else
            continue;
        if (w->conn && n && !(xs_perm_get(n, &w->conn->who) & XS_PERM_READ))
            continue;
        xs_watch_fire_one(xs, w, w->conn ? event_path(w, ep) : ep);
    }
}
