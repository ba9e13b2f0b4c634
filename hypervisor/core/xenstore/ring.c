/* SPDX-License-Identifier: MIT */
/* ring.c: a domain's XenStore ring: the guest's transport to the store. */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/domain.h"
#include "core/event_channel.h"
#include "core/log.h"
#include "core/xenstore/ring.h"
#include "core/xenstore/xenstore.h"
#include "host/loop.h"
#include "pvabi/xs_wire.h"

/*
 * The guest writes requests into req[] and notifies its store port; the
 * host end of that port posts the ring's task to the host loop
 * (ring_notify, on the guest's vCPU thread), and the loop serves the
 * requests (ring_kick): one thread feeds the connection. Replies and
 * watch events (which other domains' writes may cause, from their
 * threads) go into rsp[] through ring_write(); what does not fit waits in
 * the connection until the guest frees room and notifies again. rsp_lock
 * orders ring_write's callers (taken inside the connection's own lock).
 * Within a kick the guest is notified once, at its end, for all it wrote
 * and took.
 *
 * A guest notifies, then waits for the reply: ring_notify waits up to
 * KICK_WAIT_NS for the loop to have served it, so that the reply is in
 * rsp[] when the hypercall returns, and sends the kick's event itself
 * (event_owed), from the guest's own thread, as a store served in the
 * hypercall would: the event is pending at the return, with no kick of
 * a running vCPU. Without that the guest would block, or be interrupted
 * by the event, one exit more per request. A busy loop only delays the
 * reply: past the wait the hypercall returns, and the loop sends the
 * event when it is done.
 */
#define KICK_WAIT_NS (10 * 1000000ULL)

struct xenstore_ring {
    struct domain *d;
    struct host_loop *loop;
    struct xenstore_domain_interface *intf; /* in guest RAM */
    struct xenstore_conn *conn;
    evtchn_port_t host_port;
    struct host_task *kick;
    pthread_mutex_t rsp_lock;
    bool in_kick, wrote; /* the loop's only: notify at the kick's end */
    _Atomic bool broken; /* closed: bad indexes or requests, overflow */
    /* Notifications, and the last one a kick served; under kick_lock. */
    pthread_mutex_t kick_lock;
    pthread_cond_t kick_done;
    uint64_t notified, served;
    unsigned int waiters; /* in ring_notify */
    bool event_owed;      /* a kick's event, for a waiter to send */
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
    while (done < len &&
           (XENSTORE_RING_IDX)(prod - cons) < XENSTORE_RING_SIZE) {
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
    if (done && host_loop_current(r->loop) && r->in_kick)
        r->wrote = true;
    else if (done)
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
 * Feeds the connection what req[] holds. Returns whether it took any: the
 * guest may be waiting for room.
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

/* The loop's work for the notifications so far. */
static void ring_kick(void *opaque)
{
    struct xenstore_ring *r = opaque;
    uint64_t seen;
    bool took, notify;

    pthread_mutex_lock(&r->kick_lock);
    seen = r->notified;
    pthread_mutex_unlock(&r->kick_lock);
    r->in_kick = true;
    r->wrote = false;
    /* The guest may have read replies: room first, then its requests. */
    xenstore_conn_flush(r->conn);
    took = ring_serve(r);
    if (!r->broken)
        xenstore_conn_flush(r->conn);
    r->in_kick = false;
    /* Replies, or room in req[] again: one event for both. */
    notify = !r->broken && (took || r->wrote);
    pthread_mutex_lock(&r->kick_lock);
    r->served = seen;
    if (notify && r->waiters) {
        r->event_owed = true;
        notify = false;
    }
    pthread_cond_broadcast(&r->kick_done);
    pthread_mutex_unlock(&r->kick_lock);
    if (notify)
        evtchn_host_send(r->d, r->host_port);
}

/*
 * The guest notified its store port: on its vCPU thread, wakes the loop,
 * waits a little for it (futex and clock_gettime only: the sandbox allows
 * them) and sends the event it left.
 */
static void ring_notify(void *opaque)
{
    struct xenstore_ring *r = opaque;
    uint64_t mine, until = host_now_ns() + KICK_WAIT_NS;
    struct timespec ts = {.tv_sec = (time_t)(until / 1000000000ULL),
                          .tv_nsec = (long)(until % 1000000000ULL)};
    bool owed;

    pthread_mutex_lock(&r->kick_lock);
    mine = ++r->notified;
    r->waiters++;
    pthread_mutex_unlock(&r->kick_lock);
    host_task_post(r->kick);
    pthread_mutex_lock(&r->kick_lock);
    while (r->served < mine &&
           pthread_cond_timedwait(&r->kick_done, &r->kick_lock, &ts) == 0)
        ;
    r->waiters--;
    owed = r->event_owed;
    r->event_owed = false;
    pthread_mutex_unlock(&r->kick_lock);
    if (owed)
        evtchn_host_send(r->d, r->host_port);
}

int xenstore_ring_create(struct domain *d, struct xenstore *xs,
                         struct host_loop *loop, uint64_t gpa,
                         struct xenstore_ring **out, evtchn_port_t *guest_port)
{
    struct xenstore_ring *r = calloc(1, sizeof(*r));
    pthread_condattr_t attr;
    if (!r)
        return -ENOMEM;
    pthread_mutex_init(&r->rsp_lock, NULL);
    pthread_mutex_init(&r->kick_lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&r->kick_done, &attr);
    pthread_condattr_destroy(&attr);
    r->d = d;
    r->loop = loop;
    r->intf = guest_ram_ptr(&d->ram, gpa, sizeof(*r->intf));
    r->conn = xenstore_conn_new(xs, d->domid, false, &ring_ops, r);
    int rc = host_task_new(loop, ring_kick, r, &r->kick);
    if (rc == 0 && (!r->intf || !r->conn))
        rc = -ENOMEM;
    if (rc == 0) {
        memset(r->intf, 0, sizeof(*r->intf));
        r->intf->connection = XENSTORE_CONNECTED;
        rc = evtchn_host_bind(d, ring_notify, r, guest_port, &r->host_port);
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
    /* No notification posts the task any more; then none runs. */
    if (r->host_port)
        evtchn_host_close(r->d, r->host_port);
    host_task_free(r->kick);
    if (r->conn)
        xenstore_conn_free(r->conn);
    pthread_cond_destroy(&r->kick_done);
    pthread_mutex_destroy(&r->kick_lock);
    pthread_mutex_destroy(&r->rsp_lock);
    free(r);
}
