/* SPDX-License-Identifier: MIT */
/* conn.c: XenStore connections: request framing in, queued output out, lifetime. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
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

struct xenstore_conn *xenstore_conn_new(struct xenstore *xs, uint16_t domid,
                                        bool privileged,
                                        const struct xenstore_conn_ops *ops,
                                        void *opaque)
{
    struct xenstore_conn *conn = calloc(1, sizeof(*conn));

    if (!conn)
        return NULL;
    if (pthread_mutex_init(&conn->out_lock, NULL)) {
        free(conn);
        return NULL;
    }
    conn->xs = xs;
    conn->who.domid = domid;
    conn->who.priv = privileged;
    conn->who.quota = !privileged;
    conn->ops = ops;
    conn->opaque = opaque;
    conn->ref = 1;
    conn->out_tail = &conn->out;
    xs_lock(xs);
    conn->next = xs->conns;
    xs->conns = conn;
    xs_unlock(xs);
    return conn;
}

static void out_drop(struct xenstore_conn *conn)
{
    struct xs_msg *m;

    while ((m = conn->out)) {
        conn->out = m->next;
        free(m);
    }
    conn->out_tail = &conn->out;
    conn->out_bytes = 0;
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

int xs_conn_queue(struct xenstore_conn *conn, uint32_t type,
                  uint32_t req_id, uint32_t tx_id, const void *data,
                  size_t len)
{
    struct xs_msg *m = malloc(sizeof(*m) + sizeof(struct xsd_sockmsg) + len);
    struct xsd_sockmsg h = { type, req_id, tx_id, (uint32_t)len };
    int rc = 0;

    if (!m)
        return -ENOMEM;
    m->next = NULL;
    m->off = 0;
    m->len = sizeof(h) + len;
    memcpy(m->data, &h, sizeof(h));
    if (len)
        memcpy(m->data + sizeof(h), data, len);
    pthread_mutex_lock(&conn->out_lock);
    /* Watch events to a peer that reads nothing would pile up: drop them. */
    if (conn->dead || (type == XS_WATCH_EVENT && !conn->who.priv &&
                       conn->out_bytes > XS_OUTPUT_MAX)) {
        rc = conn->dead ? -EPIPE : -ENOBUFS;
        free(m);
    } else {
        *conn->out_tail = m;
        conn->out_tail = &m->next;
        conn->out_bytes += m->len;
    }
    pthread_mutex_unlock(&conn->out_lock);
    if (!rc)
        xs_conn_flush_later(conn->xs, conn);
    return rc;
}

ssize_t xenstore_conn_flush(struct xenstore_conn *conn)
{
    struct xs_msg *m;
    ssize_t n = 0;

    pthread_mutex_lock(&conn->out_lock);
    while (!conn->dead && (m = conn->out)) {
        n = conn->ops->write(conn->opaque, m->data + m->off, m->len - m->off);
        if (n < 0) {
            conn->dead = true;  /* the peer is gone: nothing more to it */
            out_drop(conn);
            break;
        }
        if ((size_t)n > m->len - m->off)
            n = (ssize_t)(m->len - m->off);
        m->off += (size_t)n;
        conn->out_bytes -= (size_t)n;
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
    size_t n;

    pthread_mutex_lock(&conn->out_lock);
    n = conn->out_bytes;
    pthread_mutex_unlock(&conn->out_lock);
    return n;
}

void xenstore_conn_free(struct xenstore_conn *conn)
{
    struct xenstore_conn **pp;
    struct xenstore *xs;

    if (!conn)
        return;
    xs = conn->xs;
    xs_lock(xs);
    xs_watch_remove_conn(xs, conn);
    xs_tx_free_all(conn);
    for (pp = &xs->conns; *pp; pp = &(*pp)->next) {
        if (*pp == conn) {
            *pp = conn->next;
            break;
        }
    }
    xs_unlock(xs);
    /* From here on, no thread calls ops->write for this connection. */
    pthread_mutex_lock(&conn->out_lock);
    conn->dead = true;
    out_drop(conn);
    pthread_mutex_unlock(&conn->out_lock);
    xs_conn_put(conn);
}

/* One complete request: served under the store lock, output after it. */
static void serve(struct xenstore_conn *conn)
{
    conn->payload[conn->hdr.len] = '\0';
    xs_lock(conn->xs);
    xs_wire_dispatch(conn);
    xs_unlock(conn->xs);
    conn->hdr_got = 0;
    conn->pay_got = 0;
}

int xenstore_conn_input(struct xenstore_conn *conn, const void *buf,
                        size_t len)
{
    const char *p = buf;
    size_t take;

    if (conn->broken)
        return -EPROTO;
    for (;;) {
        if (conn->hdr_got < sizeof(conn->hdr)) {
            if (!len)
                return 0;
            take = sizeof(conn->hdr) - conn->hdr_got;
            take = take < len ? take : len;
            memcpy((char *)&conn->hdr + conn->hdr_got, p, take);
            conn->hdr_got += take;
            p += take;
            len -= take;
            if (conn->hdr_got < sizeof(conn->hdr))
                return 0;
            if (conn->hdr.len > XENSTORE_PAYLOAD_MAX) {
                /* As Xen does: such a peer is broken, drop it. */
                guest_log(conn->who.domid, "xenstore: request of %u payload bytes (limit %d); dropping the connection",
                          conn->hdr.len, XENSTORE_PAYLOAD_MAX);
                conn->broken = true;
                return -E2BIG;
            }
        }
        if (conn->pay_got < conn->hdr.len) {
            if (!len)
                return 0;
            take = conn->hdr.len - conn->pay_got;
            take = take < len ? take : len;
            memcpy(conn->payload + conn->pay_got, p, take);
            conn->pay_got += take;
            p += take;
            len -= take;
            continue;
        }
        serve(conn);
    }
}
