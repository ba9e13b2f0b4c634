/* SPDX-License-Identifier: MIT */
/* ring.c: a domain's XenStore ring: the guest's transport to the store. */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain.h"
#include "core/event_channel.h"
#include "core/log.h"
#include "core/xenstore/ring.h"
#include "core/xenstore/xenstore.h"
#include "pvabi/xs_wire.h"

/*
 * The guest writes requests into req[] and notifies its store port; the
 * host end of that port runs ring_kick() on the guest's own vCPU
 * thread: requests are served synchronously, without a thread hand-off.
 * Replies and watch events (which other domains' writes may cause, from
 * their threads) go into rsp[] through ring_write(); what does not fit
 * waits in the connection until the guest frees room and notifies again.
 * Two locks, always taken in this order: req_lock (reading req[] and
 * feeding the connection must not interleave between vCPUs), then the
 * connection's own, then rsp_lock (ring_write, from any thread).
 */
struct xenstore_ring {
    struct domain *d;
    struct xenstore_domain_interface *intf;  /* in guest RAM */
    struct xenstore_conn *conn;
    evtchn_port_t host_port;
    pthread_mutex_t req_lock, rsp_lock;
    _Atomic bool broken;  /* closed: bad indexes or requests, overflow */
};

static void ring_fail(struct xenstore_ring *r, uint32_t error, const char *why);

static ssize_t ring_write(void *opaque, const void *buf, size_t len)
{
    struct xenstore_ring *r = opaque;
    struct xenstore_domain_interface *in = r->intf;
    size_t done = 0;
    pthread_mutex_lock(&r->rsp_lock);
    XENSTORE_RING_IDX cons = __atomic_load_n(&in->rsp_cons, __ATOMIC_ACQUIRE);
    XENSTORE_RING_IDX prod = in->rsp_prod;
    if (r->broken || (XENSTORE_RING_IDX)(prod - cons) > XENSTORE_RING_SIZE) {
        pthread_mutex_unlock(&r->rsp_lock);
        ring_fail(r, XENSTORE_ERROR_RINGIDX, "response indexes out of range");
        return -EIO;
    }
    while (done < len && (XENSTORE_RING_IDX)(prod - cons) < XENSTORE_RING_SIZE) {
        size_t room = XENSTORE_RING_SIZE - (XENSTORE_RING_IDX)(prod - cons);
        size_t chunk = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);
        size_t n = len - done;
        n = n < room ? n : room;
        n = n < chunk ? n : chunk;
        memcpy(in->rsp + MASK_XENSTORE_IDX(prod), (const char *)buf + done, n);
        prod += (XENSTORE_RING_IDX)n;
        done += n;
    }
    /* Data before index: the guest must see the bytes it is told about. */
    __atomic_store_n(&in->rsp_prod, prod, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&r->rsp_lock);
    if (done)
        evtchn_host_send(r->d, r->host_port);
    return (ssize_t)done;
}

/*
 * Closes the ring for good: the guest learns why from its `error` field
 * (xs_wire.h), the host from one rate-limited line. Any thread; the kick
 * stops at its next check of `broken`.
 */
static void ring_fail(struct xenstore_ring *r, uint32_t error, const char *why)
{
    if (atomic_exchange(&r->broken, true))
        return;
    __atomic_store_n(&r->intf->error, error, __ATOMIC_RELEASE);
    gdprintk(r->d, "XenStore ring: %s; the connection is closed", why);
    evtchn_host_send(r->d, r->host_port);
}

/* The output cap was reached: the guest reads none of what it asked. */
static void ring_overflow(void *opaque)
{
    char why[96];

    snprintf(why, sizeof(why),
             "over %d bytes of replies and watch events unread",
             XENSTORE_OUTPUT_MAX);
    ring_fail(opaque, XENSTORE_ERROR_COMM, why);
}

static const struct xenstore_conn_ops ring_ops = {
    .write = ring_write,
    .overflow = ring_overflow,
};

/*
 * Copies what the guest queued in req[] into (buf), up to (len) bytes,
 * without consuming it: req_cons moves only over what the store takes,
 * so requests it does not take yet stay in the ring and the guest cannot
 * queue more. The consumer index goes in (*cons). Returns the bytes
 * copied, or -EIO when the indexes are more than a ring apart.
 */
static ssize_t ring_peek(struct xenstore_ring *r, char *buf, size_t len,
                         XENSTORE_RING_IDX *cons)
{
    struct xenstore_domain_interface *in = r->intf;
    XENSTORE_RING_IDX prod = __atomic_load_n(&in->req_prod, __ATOMIC_ACQUIRE);
    XENSTORE_RING_IDX c = *cons = in->req_cons;
    size_t avail = (XENSTORE_RING_IDX)(prod - c), done = 0;
    if (avail > XENSTORE_RING_SIZE)
        return -EIO;
    while (done < avail && done < len) {
        size_t chunk = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(c);
        size_t n = avail - done < len - done ? avail - done : len - done;
        n = n < chunk ? n : chunk;
        memcpy(buf + done, in->req + MASK_XENSTORE_IDX(c), n);
        c += (XENSTORE_RING_IDX)n;
        done += n;
    }
    return (ssize_t)done;
}

/*
 * Feeds the connection what req[] holds, under req_lock. Returns whether
 * it took any: the guest may be waiting for room.
 */
static bool ring_serve(struct xenstore_ring *r)
{
    char buf[XENSTORE_RING_SIZE];
    XENSTORE_RING_IDX cons;
    bool took = false;
    while (!r->broken) {
        ssize_t n = ring_peek(r, buf, sizeof(buf), &cons), t;
        if (n < 0)
            ring_fail(r, XENSTORE_ERROR_RINGIDX,
                      "request indexes out of range");
        if (n <= 0)
            break;
        t = xenstore_conn_input(r->conn, buf, (size_t)n);
        if (t == -ENOBUFS)
            break; /* closed by the overflow, which said why */
        if (t < 0) {
            ring_fail(r, XENSTORE_ERROR_PROTO, "malformed request");
            break;
        }
        __atomic_store_n(&r->intf->req_cons, cons + (XENSTORE_RING_IDX)t,
                         __ATOMIC_RELEASE);
        took |= t > 0;
        if (t < n)
            break; /* paused until the guest reads its replies */
    }
    return took;
}

static void ring_kick(void *opaque)
{
    struct xenstore_ring *r = opaque;
    /* The guest may have read replies: room first, then its requests. */
    xenstore_conn_flush(r->conn);
    pthread_mutex_lock(&r->req_lock);
    bool took = ring_serve(r);
    bool ok = !r->broken;
    pthread_mutex_unlock(&r->req_lock);
    if (ok) {
        if (took)
            evtchn_host_send(r->d, r->host_port); /* room in req[] again */
        xenstore_conn_flush(r->conn);
    }
}

int xenstore_ring_create(struct domain *d, struct xenstore *xs, uint64_t gpa,
                      struct xenstore_ring **out, evtchn_port_t *guest_port)
{
    struct xenstore_ring *r = calloc(1, sizeof(*r));
    if (!r)
        return -ENOMEM;
    pthread_mutex_init(&r->req_lock, NULL);
    pthread_mutex_init(&r->rsp_lock, NULL);
    r->d = d;
    r->intf = guest_ram_ptr(&d->ram, gpa, sizeof(*r->intf));
    r->conn = xenstore_conn_new(xs, d->domid, false, &ring_ops, r);
    int rc = -ENOMEM;
    if (r->intf && r->conn) {
        memset(r->intf, 0, sizeof(*r->intf));
        r->intf->connection = XENSTORE_CONNECTED;
        rc = evtchn_host_bind(d, ring_kick, r, guest_port, &r->host_port);
    }
    if (rc < 0) {
        xenstore_ring_destroy(r);
        return rc;
    }
    *out = r;
    return 0;
}

void xenstore_ring_destroy(struct xenstore_ring *r)
{
    if (!r)
        return;
    if (r->host_port)
        evtchn_host_close(r->d, r->host_port);
    if (r->conn)
        xenstore_conn_free(r->conn);
    pthread_mutex_destroy(&r->req_lock);
    pthread_mutex_destroy(&r->rsp_lock);
    free(r);
}
