/* SPDX-License-Identifier: MIT */
/* output.c: a connection's output: queued, flushed, capped; its references. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/xenstore/internal.h"

/*
 * Output is queued under the store lock and written later, by whichever
 * thread unlocks the store (xs_unlock), under the connection's out_lock
 * only: a transport's write never runs with the store locked, so it may
 * block or take its own locks without deadlocking the store.
 *
 * Lifetime: the transport holds one reference, each pending flush another
 * (atomics: flushes drop theirs without the store lock).
 */

static void out_bytes_set(struct xenstore_conn *conn, size_t n)
{
    __atomic_store_n(&conn->out_bytes, n, __ATOMIC_RELAXED);
}

static void out_drop(struct xenstore_conn *conn)
{
    struct xs_msg *m;

    while ((m = conn->out)) {
        conn->out = m->next;
        free(m);
    }
    conn->out_tail = &conn->out;
    out_bytes_set(conn, 0);
}

void xs_conn_put(struct xenstore_conn *conn)
{
    if (__atomic_sub_fetch(&conn->ref, 1, __ATOMIC_ACQ_REL) > 0)
        return;
    out_drop(conn);
    pthread_mutex_destroy(&conn->out_lock);
    free(conn);
}

void xs_conn_flush_later(struct xenstore *xs, struct xenstore_conn *conn)
{
    if (conn->flush_queued)
        return;
    conn->flush_queued = true;
    __atomic_add_fetch(&conn->ref, 1, __ATOMIC_RELAXED);
    conn->flush_next = xs->flush;
    xs->flush = conn;
}

/*
 * Appends one message under out_lock: -EPIPE when the connection takes no
 * more output, -ENOBUFS when the message would take it over the cap (the
 * connection is then closed: xenstore_conn_flush tells the transport).
 */
static int out_append(struct xenstore_conn *conn, const struct xsd_sockmsg *h,
                      const void *data)
{
    size_t size = sizeof(*h) + h->len;
    struct xs_msg *m;

    if (conn->dead)
        return -EPIPE;
    if (conn->out_bytes + size > XENSTORE_OUTPUT_MAX) {
        conn->dead = true;
        __atomic_store_n(&conn->overflowed, true, __ATOMIC_RELAXED);
        out_drop(conn);
        return -ENOBUFS;
    }
    m = malloc(sizeof(*m) + size);
    if (!m)
        return -ENOMEM;
    m->next = NULL;
    m->off = 0;
    m->len = size;
    memcpy(m->data, h, sizeof(*h));
    if (h->len)
        memcpy(m->data + sizeof(*h), data, h->len);
    *conn->out_tail = m;
    conn->out_tail = &m->next;
    out_bytes_set(conn, conn->out_bytes + size);
    return 0;
}

int xs_conn_queue(struct xenstore_conn *conn, uint32_t type, uint32_t req_id,
                  uint32_t tx_id, const void *data, size_t len)
{
    struct xsd_sockmsg h = {type, req_id, tx_id, (uint32_t)len};
    int rc;

    pthread_mutex_lock(&conn->out_lock);
    rc = out_append(conn, &h, data);
    pthread_mutex_unlock(&conn->out_lock);
    /* An overflow too: the flush tells the transport. */
    if (!rc || rc == -ENOBUFS)
        xs_conn_flush_later(conn->xs, conn);
    return rc;
}

/* Under out_lock: the first flush after an overflow reports it. */
static void overflow_report(struct xenstore_conn *conn)
{
    if (!conn->overflowed || conn->overflow_told || conn->freed)
        return;
    conn->overflow_told = true;
    if (conn->ops->overflow)
        conn->ops->overflow(conn->opaque);
}

ssize_t xenstore_conn_flush(struct xenstore_conn *conn)
{
    struct xs_msg *m;
    ssize_t n = 0;

    pthread_mutex_lock(&conn->out_lock);
    overflow_report(conn);
    while (!conn->dead && (m = conn->out)) {
        n = conn->ops->write(conn->opaque, m->data + m->off, m->len - m->off);
        if (n < 0) {
            conn->dead = true; /* the peer is gone: nothing more to it */
            out_drop(conn);
            break;
        }
        if ((size_t)n > m->len - m->off)
            n = (ssize_t)(m->len - m->off);
        m->off += (size_t)n;
        out_bytes_set(conn, conn->out_bytes - (size_t)n);
        if (m->off < m->len)
            break;
        conn->out = m->next;
        if (!conn->out)
            conn->out_tail = &conn->out;
        free(m);
    }
    if (conn->dead)
        n = -EPIPE;
    else
        n = (ssize_t)conn->out_bytes;
    pthread_mutex_unlock(&conn->out_lock);
    return n;
}

size_t xenstore_conn_pending(struct xenstore_conn *conn)
{
    return __atomic_load_n(&conn->out_bytes, __ATOMIC_RELAXED);
}

void xs_conn_quiet(struct xenstore_conn *conn)
{
    pthread_mutex_lock(&conn->out_lock);
    conn->freed = true; /* ops->overflow is never called from here on */
    pthread_mutex_unlock(&conn->out_lock);
}

void xs_conn_close_output(struct xenstore_conn *conn)
{
    pthread_mutex_lock(&conn->out_lock);
    conn->dead = true;
    out_drop(conn);
    pthread_mutex_unlock(&conn->out_lock);
}
