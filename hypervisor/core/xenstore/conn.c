/* SPDX-License-Identifier: MIT */
/* conn.c: XenStore connections: made, fed the peer's requests, freed. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xenstore/internal.h"

/*
 * A connection frames its peer's requests and serves each under the store
 * lock (wire.c); its output (output.c) leaves after the lock is dropped.
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

void xenstore_conn_free(struct xenstore_conn *conn)
{
    struct xenstore_conn **pp;
    struct xenstore *xs;

    if (!conn)
        return;
    xs = conn->xs;
    xs_conn_quiet(conn);
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
    xs_conn_close_output(conn);
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

/*
 * Whether the next request must wait: the peer left more output unread
 * than XENSTORE_OUTPUT_PAUSE. An unlocked, racy read: output only drains
 * meanwhile, and the transport offers the input again after a flush.
 */
static bool input_paused(struct xenstore_conn *conn)
{
    return __atomic_load_n(&conn->out_bytes, __ATOMIC_RELAXED) >
           XENSTORE_OUTPUT_PAUSE;
}

ssize_t xenstore_conn_input(struct xenstore_conn *conn, const void *buf,
                            size_t len)
{
    const char *p = buf;
    size_t take, left = len;

    if (conn->broken)
        return -EPROTO;
    for (;;) {
        if (__atomic_load_n(&conn->overflowed, __ATOMIC_RELAXED))
            return -ENOBUFS;
        if (conn->hdr_got < sizeof(conn->hdr)) {
            if (!left || (conn->hdr_got == 0 && input_paused(conn)))
                return (ssize_t)(len - left);
            take = sizeof(conn->hdr) - conn->hdr_got;
            take = take < left ? take : left;
            memcpy((char *)&conn->hdr + conn->hdr_got, p, take);
            conn->hdr_got += take;
            p += take;
            left -= take;
            if (conn->hdr_got < sizeof(conn->hdr))
                return (ssize_t)len;
            if (conn->hdr.len > XENSTORE_PAYLOAD_MAX) {
                /* As Xen does: such a peer is broken, drop it. */
                xs_conn_log(
                    conn,
                    "xenstore: request of %u payload bytes (limit %d); dropping the connection",
                    conn->hdr.len, XENSTORE_PAYLOAD_MAX);
                conn->broken = true;
                return -E2BIG;
            }
        }
        if (conn->pay_got < conn->hdr.len) {
            if (!left)
                return (ssize_t)len;
            take = conn->hdr.len - conn->pay_got;
            take = take < left ? take : left;
            memcpy(conn->payload + conn->pay_got, p, take);
            conn->pay_got += take;
            p += take;
            left -= take;
            continue;
        }
        serve(conn);
    }
}
