/* SPDX-License-Identifier: MIT */
/* lock.c: the store's lock; unlocking delivers what was queued under it. */
#include <stdlib.h>

#include "core/xenstore/internal.h"

/*
 * A locked section queues what it produces: output for connections
 * (xs_conn_flush_later) and in-process watch callbacks (watch.c). Both
 * leave after the lock is dropped, so neither a transport's write nor a
 * callback ever runs with the store locked.
 */

/* A watch's last reference, dropped here when its last queued callback
 * has run, or by watch.c when it is unlinked; store locked. */
void xs_watch_put(struct xs_watch *w)
{
    if (--w->ref > 0)
        return;
    free(w->path);
    free(w->abspath);
    free(w->token);
    free(w);
}

void xs_lock(struct xenstore *xs)
{
    pthread_mutex_lock(&xs->lock);
}

static void run_callbacks(struct xenstore *xs, struct xs_pending_cb *cb)
{
    struct xs_pending_cb *next;

    /* cb_lock orders callbacks with xenstore_unwatch_cb; w->dead is only
     * set under it, so reading it here is safe. */
    pthread_mutex_lock(&xs->cb_lock);
    for (; cb; cb = next) {
        next = cb->next;
        if (!cb->w->dead)
            cb->w->fn(cb->w->opaque, cb->path);
        xs_lock(xs);
        xs_watch_put(cb->w);
        pthread_mutex_unlock(&xs->lock);
        free(cb);
    }
    pthread_mutex_unlock(&xs->cb_lock);
}

/*
 * Unlocks, then delivers what the locked section produced: output to
 * connections, in-process watch callbacks. Nothing of this runs locked.
 */
void xs_unlock(struct xenstore *xs)
{
    struct xenstore_conn *f = xs->flush, *next;
    struct xs_pending_cb *cbs = xs->cbs;

    xs->flush = NULL;
    xs->cbs = NULL;
    xs->cbs_tail = &xs->cbs;
    for (next = f; next; next = next->flush_next)
        next->flush_queued = false;
    pthread_mutex_unlock(&xs->lock);
    for (; f; f = next) {
        next = f->flush_next;
        xenstore_conn_flush(f);
        xs_conn_put(f);
    }
    if (cbs)
        run_callbacks(xs, cbs);
}
