/* SPDX-License-Identifier: MIT */
/* vchan.c: a byte stream between two domains over one granted page. */

#include <pvguest/gnttab.h>
#include <pvguest/mm.h>
#include <pvguest/vchan.h>

#include "internal.h"

#define VCHAN_MAX 4
#define NAME_MAX_LEN 32
#define PATH_MAX_LEN 96

/*
 * The shared page. Indexes count bytes forever (free-running, wrapping
 * at 2^32); a byte's place is its index masked by the ring's size.
 *
 *   offset    0  struct vchan_ctrl s2c   server -> client ring's indexes
 *   offset   16  struct vchan_ctrl c2s   client -> server ring's indexes
 *   offset   32  server_live, client_live: 0 not yet, 1 open, 2 closed
 *   offset 1024  c2s data, 1024 bytes
 *   offset 2048  s2c data, 2048 bytes
 *
 * Event indexes (as io/ring.h's req_event): a reader that finds the ring
 * empty sets prod_event = cons + 1, meaning "notify me when prod passes
 * cons", then looks again (full barrier between); a writer that finds it
 * full sets cons_event = cons + 1 the same way. After moving its own
 * index from old to new, each side notifies only if the other's event
 * index lies in (old, new].
 */
struct vchan_ctrl {
    uint32_t prod;       /* [writer] */
    uint32_t cons;       /* [reader] */
    uint32_t prod_event; /* [reader] */
    uint32_t cons_event; /* [writer] */
};

struct vchan_shared {
    struct vchan_ctrl s2c;
    struct vchan_ctrl c2s;
    uint8_t server_live;
    uint8_t client_live;
};

#define C2S_OFFSET 1024
#define C2S_SIZE 1024
#define S2C_OFFSET 2048
#define S2C_SIZE 2048

struct vchan {
    int used;
    int server;
    domid_t peer;
    char path[PATH_MAX_LEN]; /* server: its XenStore directory */
    struct vchan_shared *sh;
    struct vchan_ctrl *tx, *rx;
    uint8_t *tx_data, *rx_data;
    uint32_t tx_size, rx_size;
    int gref;              /* server: the grant; -1 none */
    grant_handle_t handle; /* client: the mapping */
    evtchn_port_t port;    /* kept masked: waits are pvg_evtchn_wait() */
    unsigned long events_out;
};

static struct vchan vchans[VCHAN_MAX];

static struct vchan *vchan_new(void)
{
    unsigned int i;

    for (i = 0; i < VCHAN_MAX; i++)
        if (!vchans[i].used) {
            memset(&vchans[i], 0, sizeof(vchans[i]));
            vchans[i].used = 1;
            vchans[i].gref = -1;
            return &vchans[i];
        }
    return NULL;
}

/* Points tx/rx at the right rings for our side. */
static void attach(struct vchan *v)
{
    uint8_t *page = (uint8_t *)v->sh;

    v->tx = v->server ? &v->sh->s2c : &v->sh->c2s;
    v->rx = v->server ? &v->sh->c2s : &v->sh->s2c;
    v->tx_data = page + (v->server ? S2C_OFFSET : C2S_OFFSET);
    v->rx_data = page + (v->server ? C2S_OFFSET : S2C_OFFSET);
    v->tx_size = v->server ? S2C_SIZE : C2S_SIZE;
    v->rx_size = v->server ? C2S_SIZE : S2C_SIZE;
}

static int publish_body(xenbus_transaction_t t, void *arg)
{
    struct vchan *v = arg;
    int rc = xenbus_write_ulong(t, v->path, "ring-ref", (unsigned long)v->gref);

    return rc < 0 ? rc
                  : xenbus_write_ulong(t, v->path, "event-channel", v->port);
}

/* The directory, readable by the client alone, then both nodes at once. */
static int publish(struct vchan *v)
{
    char owner[8], reader[8];
    const char *perms[2] = {owner, reader};
    int rc;

    snprintf(owner, sizeof(owner), "n%u", pvguest_domid());
    snprintf(reader, sizeof(reader), "r%u", v->peer);
    if ((rc = xenbus_mkdir(XBT_NIL, v->path)) < 0 ||
        (rc = xenbus_set_perms(XBT_NIL, v->path, perms, 2)) < 0)
        return rc;
    return xenbus_transaction_run(publish_body, v);
}

static int server_setup(struct vchan *v, const char *name)
{
    int rc;

    v->sh = page_alloc_zeroed();
    if (!v->sh)
        return -XEN_ENOMEM;
    v->sh->s2c.prod_event = v->sh->s2c.cons_event = 1;
    v->sh->c2s.prod_event = v->sh->c2s.cons_event = 1;
    v->sh->server_live = 1;
    attach(v);
    rc = gnttab_grant_access(v->peer, (uintptr_t)v->sh >> XEN_PAGE_SHIFT, 0);
    if (rc < 0)
        return rc;
    v->gref = rc;
    if ((rc = pvg_evtchn_alloc_unbound(v->peer, &v->port)) < 0)
        return rc;
    pvg_evtchn_mask(v->port);
    snprintf(v->path, sizeof(v->path), "data/vchan/%s", name);
    return publish(v);
}

/* vchan_start: checks (name) and what a channel needs; a new one in (v). */
static int vchan_start(const char *name, struct vchan **v)
{
    if (strlen(name) >= NAME_MAX_LEN || strchr(name, '/'))
        return -XEN_EINVAL;
    if (!gnttab_ready() || !xenbus_ready())
        return -XEN_ENOSYS;
    *v = vchan_new();
    return *v ? 0 : -XEN_ENOSPC;
}

int vchan_server_open(const char *name, domid_t client, struct vchan **out)
{
    struct vchan *v;
    int rc;

    if ((rc = vchan_start(name, &v)) < 0)
        return rc;
    v->server = 1;
    v->peer = client;
    rc = server_setup(v, name);
    if (rc < 0) {
        printf("vchan: server '%s' for domain %u: %d\n", name, client, rc);
        vchan_close(v);
        return rc;
    }
    *out = v;
    return 0;
}

static unsigned long node_fires;

static void on_node(const char *path, const char *token, void *data)
{
    (void)path;
    (void)token;
    (void)data;
    node_fires++;
}

static int node_fired(void *arg)
{
    return node_fires != *(unsigned long *)arg;
}

/* Waits for the server's ring-ref and event-channel. */
static int wait_offer(const char *dir, uint64_t deadline, unsigned long *ref,
                      unsigned long *port)
{
    char path[PATH_MAX_LEN + 16];
    unsigned long seen;
    int rc, watching;

    watching = xenbus_watch(dir, "pvguest-vchan", on_node, NULL) == 0;
    for (;;) {
        seen = node_fires;
        snprintf(path, sizeof(path), "%s/ring-ref", dir);
        rc = xenbus_read_ulong(XBT_NIL, path, ref);
        snprintf(path, sizeof(path), "%s/event-channel", dir);
        if (rc == 0)
            rc = xenbus_read_ulong(XBT_NIL, path, port);
        /* Not there yet, or not readable by us yet (perms come first). */
        if (rc != -XEN_ENOENT && rc != -XEN_EACCES)
            break;
        if (deadline && monotonic_ns() >= deadline) {
            rc = -XEN_ETIMEDOUT;
            break;
        }
        wait_until(node_fired, &seen,
                   watching ? deadline : monotonic_ns() + 20 * NSEC_PER_MSEC);
    }
    if (watching)
        xenbus_unwatch(dir, "pvguest-vchan");
    return rc;
}

static int client_setup(struct vchan *v, const char *name, uint64_t deadline)
{
    char dir[PATH_MAX_LEN];
    unsigned long ref, port;
    void *addr;
    int rc;

    snprintf(dir, sizeof(dir), "/local/domain/%u/data/vchan/%s", v->peer, name);
    if ((rc = wait_offer(dir, deadline, &ref, &port)) < 0)
        return rc;
    rc = gnttab_map(v->peer, (grant_ref_t)ref, 0, &addr, &v->handle);
    if (rc != GNTST_okay) {
        printf("vchan: map grant %lu of domain %u: status %d\n", ref, v->peer,
               rc);
        return -XEN_EACCES;
    }
    v->sh = addr;
    attach(v);
    rc = pvg_evtchn_bind_interdomain(v->peer, (evtchn_port_t)port, &v->port);
    if (rc < 0)
        return rc;
    /* A new binding starts pending; that event carries nothing. */
    pvg_evtchn_mask(v->port);
    pvg_evtchn_clear(v->port);
    __atomic_store_n(&v->sh->client_live, 1, __ATOMIC_SEQ_CST);
    return 0;
}

int vchan_client_open(domid_t server, const char *name, uint64_t deadline_ns,
                      struct vchan **out)
{
    struct vchan *v;
    int rc;

    if ((rc = vchan_start(name, &v)) < 0)
        return rc;
    v->peer = server;
    rc = client_setup(v, name, deadline_ns);
    if (rc < 0) {
        if (rc != -XEN_ETIMEDOUT)
            printf("vchan: client of '%s' on domain %u: %d\n", name, server,
                   rc);
        vchan_close(v);
        return rc;
    }
    *out = v;
    return 0;
}

/* Notifies the peer if its event index lies in (old, new]. */
static void maybe_notify(struct vchan *v, uint32_t old, uint32_t new_,
                         const uint32_t *event)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if ((uint32_t)(new_ - __atomic_load_n(event, __ATOMIC_RELAXED)) <
        (uint32_t)(new_ - old)) {
        v->events_out++;
        pvg_evtchn_notify(v->port);
    }
}

static int peer_live(struct vchan *v)
{
    return __atomic_load_n(v->server ? &v->sh->client_live
                                     : &v->sh->server_live,
                           __ATOMIC_ACQUIRE) != 2;
}

/* Bytes in the ring (c); -1 when the peer's index is impossible. */
static long used_of(const struct vchan_ctrl *c, uint32_t size)
{
    uint32_t used = __atomic_load_n(&c->prod, __ATOMIC_ACQUIRE) -
                    __atomic_load_n(&c->cons, __ATOMIC_ACQUIRE);

    return used > size ? -1 : (long)used;
}

/*
 * Sleeps on the masked port until (ready)(v): one port serves both
 * directions, so an event may be for the other; each wake looks again.
 * No upcall: the cheap wait where each guest instruction is emulated.
 */
static void wait_for(struct vchan *v, int (*ready)(void *arg))
{
    while (!ready(v))
        pvg_evtchn_wait(v->port, 0);
}

/* wait_for() conditions: arm the event index, then look once more. */
static int can_write(void *arg)
{
    struct vchan *v = arg;
    long used = used_of(v->tx, v->tx_size);

    if (used < 0 || (uint32_t)used < v->tx_size || !peer_live(v))
        return 1;
    __atomic_store_n(&v->tx->cons_event, v->tx->cons + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    used = used_of(v->tx, v->tx_size);
    return used < 0 || (uint32_t)used < v->tx_size;
}

static int can_read(void *arg)
{
    struct vchan *v = arg;
    long used = used_of(v->rx, v->rx_size);

    if (used != 0 || !peer_live(v))
        return 1;
    __atomic_store_n(&v->rx->prod_event, v->rx->cons + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return used_of(v->rx, v->rx_size) != 0;
}

/* Copies (n) bytes into the ring at index (idx), wrapping. */
static void copy_in(uint8_t *ring, uint32_t size, uint32_t idx,
                    const uint8_t *src, uint32_t n)
{
    uint32_t off = idx & (size - 1), first = size - off;

    if (first > n)
        first = n;
    memcpy(ring + off, src, first);
    memcpy(ring, src + first, n - first);
}

static void copy_out(uint8_t *dst, const uint8_t *ring, uint32_t size,
                     uint32_t idx, uint32_t n)
{
    uint32_t off = idx & (size - 1), first = size - off;

    if (first > n)
        first = n;
    memcpy(dst, ring + off, first);
    memcpy(dst + first, ring, n - first);
}

long vchan_write(struct vchan *v, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    size_t done = 0;
    uint32_t prod, n;
    long used;

    while (done < len) {
        wait_for(v, can_write);
        used = used_of(v->tx, v->tx_size);
        if (used < 0)
            return -XEN_EIO;
        if (!peer_live(v))
            return -XEN_ENOTCONN;
        n = v->tx_size - (uint32_t)used;
        if (n > len - done)
            n = (uint32_t)(len - done);
        prod = v->tx->prod;
        copy_in(v->tx_data, v->tx_size, prod, p + done, n);
        /* The bytes before the index that publishes them. */
        __atomic_store_n(&v->tx->prod, prod + n, __ATOMIC_RELEASE);
        maybe_notify(v, prod, prod + n, &v->tx->prod_event);
        done += n;
    }
    return (long)len;
}

long vchan_read(struct vchan *v, void *buf, size_t len)
{
    uint32_t cons, n;
    long used;

    if (len == 0)
        return 0;
    wait_for(v, can_read);
    used = used_of(v->rx, v->rx_size);
    if (used < 0)
        return -XEN_EIO;
    if (used == 0)
        return 0; /* the peer closed */
    n = (uint32_t)used < len ? (uint32_t)used : (uint32_t)len;
    cons = v->rx->cons;
    copy_out(buf, v->rx_data, v->rx_size, cons, n);
    /* Done with the bytes before handing their room back. */
    __atomic_store_n(&v->rx->cons, cons + n, __ATOMIC_RELEASE);
    maybe_notify(v, cons, cons + n, &v->rx->cons_event);
    return n;
}

long vchan_read_all(struct vchan *v, void *buf, size_t len)
{
    size_t done = 0;
    long n;

    while (done < len) {
        n = vchan_read(v, (uint8_t *)buf + done, len - done);
        if (n < 0)
            return n;
        if (n == 0)
            return -XEN_ENOTCONN;
        done += (size_t)n;
    }
    return (long)len;
}

unsigned long vchan_notifications(struct vchan *v)
{
    return v->events_out;
}

void vchan_close(struct vchan *v)
{
    if (v->sh) {
        /* 2: closed, so that the peer's waits end. */
        __atomic_store_n(v->server ? &v->sh->server_live : &v->sh->client_live,
                         2, __ATOMIC_SEQ_CST);
        if (v->port)
            pvg_evtchn_notify(v->port);
    }
    if (v->port)
        pvg_evtchn_close(v->port);
    if (v->server) {
        if (v->path[0])
            xenbus_rm(XBT_NIL, v->path);
        if (v->gref < 0 || gnttab_end_access((grant_ref_t)v->gref) == 0)
            page_free(v->sh);
    } else if (v->sh) {
        gnttab_unmap(v->sh, v->handle);
    }
    v->used = 0;
}
