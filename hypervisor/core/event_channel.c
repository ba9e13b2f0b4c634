/* SPDX-License-Identifier: MIT */
/* event_channel.c: event channels (Xen 2-level ABI): port tables, binding,
 * delivery. */
#include <errno.h>
#include <stddef.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "pvabi/compat.h"
#include "pvabi/errno.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/event_channel_internal.h"
#include "core/domain_lookup.h"
#include "core/registry.h"
#include "core/schedule.h"
#include "core/time.h"

/* Xen's split: per-vCPU VIRQs bind once per vCPU, the others on vCPU 0. */
static bool virq_is_global(unsigned int virq)
{
    switch (virq) {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU:
        return false;
    default:
        return true;
    }
}

/* ---- Table lifetime ---------------------------------------------------- */

int evtchn_domain_init(struct domain *d, unsigned int max_ports)
{
    struct evtchn_table *t;

    if (max_ports == 0)
        max_ports = EVTCHN_DEFAULT_MAX;
    if (max_ports > EVTCHN_2L_MAX)
        return -EINVAL;
    t = calloc(1, sizeof(*t) + (max_ports + 1) * sizeof(t->port[0]));
    if (!t)
        return -ENOMEM;
    pthread_mutex_init(&t->lock, NULL);
    t->max_ports = max_ports;
    d->evtchn = t;
    return 0;
}

/* ---- Delivery: the 2-level rule ---------------------------------------- */

/*
 * The layout of shared_info and vcpu_info is the one the guest latched
 * (evtchn_latch_layout): 64-bit, or 32-bit (pvabi/compat.h), where there
 * are 1024 ports, evtchn_mask sits elsewhere (its bits in the same
 * order) and the selector is a 32-bit word naming 32-bit words.
 */
static bool layout_compat(struct domain *d)
{
    return atomic_load_explicit(&d->shared_info_compat, memory_order_relaxed);
}

static unsigned int nr_channels(struct domain *d)
{
    return layout_compat(d) ? COMPAT_EVTCHN_2L_NR_CHANNELS
                            : EVTCHN_2L_NR_CHANNELS;
}

/* mask_word: the 64-bit word of evtchn_mask that holds (port)'s bit. */
static xen_ulong_t *mask_word(struct domain *d, struct shared_info *s,
                              evtchn_port_t port)
{
    xen_ulong_t *mask = s->evtchn_mask;

    if (layout_compat(d))
        mask =
            (xen_ulong_t *)((uint8_t *)s +
                            offsetof(struct compat_shared_info, evtchn_mask));
    return &mask[port / BITS_PER_WORD];
}

void evtchn_latch_layout(struct vcpu *v)
{
    struct domain *d = v->domain;

    atomic_store(&d->shared_info_compat, v->ctx.compat);
    domain_wallclock_update(d); /* Xen too: the clock where it is read */
}

/* wake_pollers: vCPUs in SCHEDOP_poll re-check their ports. */
static void wake_pollers(struct domain *d)
{
    uint64_t p = __atomic_load_n(&d->evtchn->polling, __ATOMIC_SEQ_CST);

    while (p) {
        unsigned int i = (unsigned int)__builtin_ctzll(p);

        if (i < d->nr_vcpus)
            vcpu_notify(&d->vcpus[i]);
        p &= p - 1;
    }
}

/*
 * mark_word: steps 2 and 3 of the rule: the selector bit of (port)'s word
 * in (v)'s vcpu_info, then upcall_pending and a notification if the
 * selector bit was new. A vCPU without a vcpu_info (none in the shared
 * page) keeps the event pending only.
 */
static void mark_word(struct vcpu *v, evtchn_port_t port)
{
    struct vcpu_info *vi = __atomic_load_n(&v->vcpu_info, __ATOMIC_ACQUIRE);

    if (!vi)
        return;
    if (layout_compat(v->domain)) {
        struct compat_vcpu_info *cvi = (struct compat_vcpu_info *)vi;
        uint32_t bit = 1U << (port / 32);

        if (__atomic_fetch_or(&cvi->evtchn_pending_sel, bit, __ATOMIC_SEQ_CST) &
            bit)
            return;
    } else {
        xen_ulong_t bit = 1ULL << (port / BITS_PER_WORD);

        if (__atomic_fetch_or(&vi->evtchn_pending_sel, bit, __ATOMIC_SEQ_CST) &
            bit)
            return;
    }
    /* A per-vCPU vector is an edge: raised when upcall_pending becomes
     * set (Xen's vcpu_mark_events_pending); the guest's handler clears it
     * before it scans, so no event is left without one. */
    if (__atomic_exchange_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST) ==
            0 &&
        __atomic_load_n(&v->upcall_vector, __ATOMIC_ACQUIRE))
        __atomic_store_n(&v->upcall_raise, true, __ATOMIC_RELEASE);
    vcpu_notify(v);
}

/*
 * deliver: makes (port) of (d) pending for vCPU (vcpu). Lock-free on the
 * guest page: the caller holds a lock that keeps (d) alive (its own table
 * or the peer's). SEQ_CST on the pending bit pairs with evtchn_poll, which
 * publishes `polling` before it reads the pending bits.
 */
void evtchn_deliver(struct domain *d, evtchn_port_t port, uint32_t vcpu)
{
    struct shared_info *s = d->shared_info;
    unsigned int word = port / BITS_PER_WORD;
    xen_ulong_t bit = 1ULL << (port % BITS_PER_WORD);

    if (port >= nr_channels(d))
        return;
    if (__atomic_fetch_or(&s->evtchn_pending[word], bit, __ATOMIC_SEQ_CST) &
        bit)
        return;
    wake_pollers(d);
    if (__atomic_load_n(mask_word(d, s, port), __ATOMIC_SEQ_CST) & bit)
        return;
    if (vcpu < d->nr_vcpus)
        mark_word(&d->vcpus[vcpu], port);
}

static void clear_pending(struct domain *d, evtchn_port_t port)
{
    struct shared_info *s = d->shared_info;

    if (port < nr_channels(d))
        __atomic_fetch_and(&s->evtchn_pending[port / BITS_PER_WORD],
                           ~(1ULL << (port % BITS_PER_WORD)), __ATOMIC_SEQ_CST);
}

bool evtchn_is_pending(struct domain *d, evtchn_port_t port)
{
    struct shared_info *s = d->shared_info;

    if (port >= nr_channels(d))
        return false;
    return __atomic_load_n(&s->evtchn_pending[port / BITS_PER_WORD],
                           __ATOMIC_SEQ_CST) &
           (1ULL << (port % BITS_PER_WORD));
}

bool evtchn_vcpu_events_pending(struct vcpu *v)
{
    struct vcpu_info *vi = __atomic_load_n(&v->vcpu_info, __ATOMIC_ACQUIRE);

    return vi && __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST);
}

/* ---- Locking and lookup ------------------------------------------------ */

/* lock_two / unlock_two: both tables, lower domid first; once if same. */
void evtchn_lock_two(struct domain *a, struct domain *b)
{
    domain_lock_pair(a, b, lock_table);
}

void evtchn_unlock_two(struct domain *a, struct domain *b)
{
    domain_unlock_pair(a, b, unlock_table);
}

/*
 * peer_lock: the lock of the peer of (d)'s interdomain port (c): the
 * peer domain's table, or the host's ports for a host-bound one.
 */
static pthread_mutex_t *peer_lock(struct domain *d, const struct evtchn *c)
{
    struct domain *rd = chn_remote(c);

    return rd ? &rd->evtchn->lock : &host_ports_of(d)->lock;
}

/*
 * lock_peer: with (d) locked, also locks (m), the lock of (rd), the peer
 * of a bound channel (which keeps it alive; NULL: the host). A
 * lower-numbered peer (the host is 0) is only try-locked, as blocking on
 * it would invert the order; on failure (d) is dropped and retaken and
 * false says: re-read the channel, it may have changed meanwhile.
 */
static bool lock_peer(struct domain *d, struct domain *rd, pthread_mutex_t *m)
{
    if (rd == d)
        return true;
    if (rd && d->domid < rd->domid) {
        pthread_mutex_lock(m);
        return true;
    }
    if (pthread_mutex_trylock(m) == 0)
        return true;
    unlock_table(d);
    sched_yield();
    lock_table(d);
    return false;
}

static bool has_ports(const struct domain *td)
{
    return td->evtchn != NULL;
}

static void lock_target_table(struct domain *d, struct domain *td)
{
    (void)d;
    lock_table(td);
}

static void lock_both_tables(struct domain *d, struct domain *td)
{
    evtchn_lock_two(d, td);
}

/*
 * lock_target: finds (domid) for caller (d) and locks its table; the
 * target must be (d) unless (d) is privileged. Returns 0 and the locked
 * domain in (out), -ESRCH (no such domain, or one without event channels)
 * or -EPERM, as Xen checks them.
 */
static int lock_target(struct domain *d, domid_t domid, struct domain **out)
{
    static const struct domain_lookup how = {
        .rights = LOOKUP_PRIVILEGED,
        .usable = has_ports,
        .lock = lock_target_table,
    };

    return domain_lookup(d, domid, &how, out);
}

/* ---- Port allocation --------------------------------------------------- */

/* alloc_port: the lowest free port of (d) (locked), or -ENOSPC. */
int evtchn_alloc_port(struct domain *d)
{
    struct evtchn_table *t = d->evtchn;

    for (unsigned int p = 1; p <= t->max_ports && p < nr_channels(d); p++)
        if (t->port[p].state == EVTCHNSTAT_closed)
            return (int)p;
    return -XEN_ENOSPC;
}

/* free_port: back to closed, bound to vCPU 0, not pending (as Xen). */
void evtchn_free_port(struct domain *d, evtchn_port_t port)
{
    struct evtchn *c = chn(d, port);

    set_state(c, EVTCHNSTAT_closed);
    set_remote(c, NULL, 0);
    set_vcpu(c, 0);
    c->unbound_dom = 0;
    c->virq = 0;
    clear_pending(d, port);
}

/* ---- Sub-ops: binding -------------------------------------------------- */

/*
 * host_target: whether (d) may act on the host's ports (HOST_DOMID) as
 * on another domain's: 0 when privileged, else -XEN_EPERM, as for any
 * domain other than its own.
 */
static int host_target(const struct domain *d)
{
    return d->privileged ? 0 : -XEN_EPERM;
}

int evtchn_alloc_unbound(struct domain *d, struct evtchn_alloc_unbound *op)
{
    domid_t remote = op->remote_dom == DOMID_SELF ? d->domid : op->remote_dom;
    struct domain *td;
    int rc, port;

    if (!d->evtchn)
        return -XEN_ENOSYS;
    if (op->dom == HOST_DOMID) {
        rc = host_target(d);
        return rc ? rc
                  : evtchn_host_alloc_unbound(host_ports_of(d), remote,
                                              &op->port);
    }
    /*
     * As on Xen, remote_dom is not looked up: a backend may offer a port
     * to a domain that does not exist yet (it must exist to bind it).
     */
    rc = lock_target(d, op->dom, &td);
    if (rc)
        return rc;
    port = evtchn_alloc_port(td);
    if (port > 0) {
        struct evtchn *c = chn(td, (evtchn_port_t)port);

        c->unbound_dom = remote;
        set_state(c, EVTCHNSTAT_unbound);
        op->port = (evtchn_port_t)port;
    }
    unlock_table(td);
    return port < 0 ? port : 0;
}

/* connect: ties (d):(lport) and (rd):(rport); both tables locked. */
void evtchn_connect(struct domain *d, evtchn_port_t lport, struct domain *rd,
                    evtchn_port_t rport)
{
    struct evtchn *l = chn(d, lport), *r = chn(rd, rport);

    set_remote(l, rd, rport);
    set_state(l, EVTCHNSTAT_interdomain);
    set_remote(r, d, lport);
    set_state(r, EVTCHNSTAT_interdomain);
}

/* bind_locked: bind_interdomain once both tables are held. */
static int bind_locked(struct domain *d, struct domain *rd,
                       struct evtchn_bind_interdomain *op)
{
    evtchn_port_t rport = op->remote_port;
    int lport = evtchn_alloc_port(d);
    struct evtchn *r;

    if (lport < 0)
        return lport;
    if (!port_valid(rd, rport))
        return -XEN_EINVAL;
    r = chn(rd, rport);
    if (r->state != EVTCHNSTAT_unbound || r->unbound_dom != d->domid)
        return -XEN_EINVAL;
    evtchn_connect(d, (evtchn_port_t)lport, rd, rport);
    /* The peer may have signalled before we bound: start pending. */
    evtchn_deliver(d, (evtchn_port_t)lport, 0);
    op->local_port = (evtchn_port_t)lport;
    return 0;
}

int evtchn_bind_interdomain(struct domain *d,
                            struct evtchn_bind_interdomain *op)
{
    static const struct domain_lookup remote = {
        .rights = LOOKUP_ANY,
        .usable = has_ports,
        .lock = lock_both_tables,
    };
    struct domain *rd;
    int rc;

    if (!d->evtchn)
        return -XEN_ENOSYS;
    if (op->remote_dom == HOST_DOMID)
        return evtchn_bind_host(d, op);
    rc = domain_lookup(d, op->remote_dom, &remote, &rd);
    if (rc < 0)
        return rc;
    rc = bind_locked(d, rd, op);
    evtchn_unlock_two(d, rd);
    return rc;
}

int evtchn_bind_virq(struct domain *d, struct evtchn_bind_virq *op)
{
    struct vcpu *v;
    int port;

    if (!d->evtchn)
        return -XEN_ENOSYS;
    if (op->virq >= NR_VIRQS || (virq_is_global(op->virq) && op->vcpu != 0))
        return -XEN_EINVAL;
    if (op->vcpu >= d->nr_vcpus)
        return -XEN_ENOENT;
    v = &d->vcpus[op->vcpu];
    lock_table(d);
    port = v->virq_port[op->virq] ? -XEN_EEXIST : evtchn_alloc_port(d);
    if (port > 0) {
        struct evtchn *c = chn(d, (evtchn_port_t)port);

        c->virq = (uint8_t)op->virq;
        set_vcpu(c, op->vcpu);
        set_state(c, EVTCHNSTAT_virq);
        v->virq_port[op->virq] = (evtchn_port_t)port;
        op->port = (evtchn_port_t)port;
    }
    unlock_table(d);
    return port < 0 ? port : 0;
}

int evtchn_bind_ipi(struct domain *d, struct evtchn_bind_ipi *op)
{
    int port;

    if (!d->evtchn)
        return -XEN_ENOSYS;
    if (op->vcpu >= d->nr_vcpus)
        return -XEN_ENOENT;
    lock_table(d);
    port = evtchn_alloc_port(d);
    if (port > 0) {
        struct evtchn *c = chn(d, (evtchn_port_t)port);

        set_vcpu(c, op->vcpu);
        set_state(c, EVTCHNSTAT_ipi);
        op->port = (evtchn_port_t)port;
    }
    unlock_table(d);
    return port < 0 ? port : 0;
}

int evtchn_bind_vcpu(struct domain *d, struct evtchn_bind_vcpu *op)
{
    struct evtchn *c;
    int rc = 0;

    if (!d->evtchn)
        return -XEN_ENOSYS;
    if (op->vcpu >= d->nr_vcpus)
        return -XEN_ENOENT;
    if (!port_valid(d, op->port))
        return -XEN_EINVAL;
    lock_table(d);
    c = chn(d, op->port);
    switch (c->state) {
    case EVTCHNSTAT_virq:
        if (!virq_is_global(c->virq)) {
            rc = -XEN_EINVAL; /* per-vCPU VIRQs stay where they are */
            break;
        }
        /* fall through */
    case EVTCHNSTAT_unbound:
    case EVTCHNSTAT_interdomain:
        set_vcpu(c, op->vcpu);
        break;
    default: /* closed; IPIs belong to their vCPU */
        rc = -XEN_EINVAL;
    }
    unlock_table(d);
    return rc;
}

/* ---- Sub-ops: closing -------------------------------------------------- */

/*
 * close_locked: closes (d):(port) with (d) locked and, for an interdomain
 * channel, the peer too (a domain's table or the host's ports). The
 * peer's end reverts to unbound, offered to (d) again, keeping its vCPU
 * and (for a host port) its callback.
 */
void evtchn_close_locked(struct domain *d, evtchn_port_t port)
{
    struct evtchn *c = chn(d, port);

    switch (c->state) {
    case EVTCHNSTAT_virq: {
        uint32_t vcpu = virq_is_global(c->virq) ? 0 : chn_vcpu(c);

        if (vcpu < d->nr_vcpus && d->vcpus[vcpu].virq_port[c->virq] == port)
            d->vcpus[vcpu].virq_port[c->virq] = 0;
        break;
    }
    case EVTCHNSTAT_interdomain: {
        struct domain *rd = chn_remote(c);
        struct evtchn *r;

        if (!rd) {
            evtchn_host_unbind(host_ports_of(d), c->remote_port, d);
            break;
        }
        r = chn(rd, c->remote_port);
        set_remote(r, NULL, 0);
        r->unbound_dom = d->domid;
        set_state(r, EVTCHNSTAT_unbound);
        break;
    }
    default:
        break;
    }
    evtchn_free_port(d, port);
}

/*
 * close_port: locks what closing (d):(port) needs and closes it. Returns
 * 0, or -EINVAL for port 0, a port out of range or a closed one.
 */
static int close_port(struct domain *d, evtchn_port_t port)
{
    pthread_mutex_t *peer = NULL;
    struct evtchn *c;

    if (!port_valid(d, port))
        return -XEN_EINVAL;
    lock_table(d);
    c = chn(d, port);
    for (;;) {
        if (c->state != EVTCHNSTAT_interdomain) {
            peer = NULL;
            break;
        }
        peer = peer_lock(d, c);
        if (lock_peer(d, chn_remote(c), peer))
            break;
    }
    if (c->state == EVTCHNSTAT_closed) {
        unlock_table(d);
        return -XEN_EINVAL;
    }
    evtchn_close_locked(d, port);
    if (peer && peer != &d->evtchn->lock)
        pthread_mutex_unlock(peer);
    unlock_table(d);
    return 0;
}

int evtchn_close(struct domain *d, evtchn_port_t port)
{
    if (!d->evtchn)
        return -XEN_ENOSYS;
    return close_port(d, port);
}

void evtchn_domain_destroy(struct domain *d)
{
    struct evtchn_table *t = d->evtchn;

    if (!t)
        return;
    for (evtchn_port_t p = 1; p <= t->max_ports; p++)
        if (chn_state(&t->port[p]) != EVTCHNSTAT_closed)
            close_port(d, p);
    d->evtchn = NULL;
    pthread_mutex_destroy(&t->lock);
    free(t);
}

/* ---- Sub-ops: signalling ----------------------------------------------- */

/*
 * send_locked: what a send on (c), a port of the locked (d), does. A host
 * endpoint's callback is returned in (fn)/(opaque) for the caller to run
 * once unlocked. The peer is pinned by our lock (see struct evtchn).
 */
static int send_locked(struct domain *d, evtchn_port_t port,
                       evtchn_host_notify_fn *fn, void **opaque)
{
    struct evtchn *c = chn(d, port);

    switch (c->state) {
    case EVTCHNSTAT_interdomain: {
        struct domain *rd = chn_remote(c);

        if (!rd) {
            const struct host_port *h = &host_ports_of(d)->port[c->remote_port];

            *fn = h->notify;
            *opaque = h->opaque;
        } else {
            evtchn_deliver(rd, c->remote_port,
                           chn_vcpu(chn(rd, c->remote_port)));
        }
        return 0;
    }
    case EVTCHNSTAT_ipi:
        evtchn_deliver(d, port, chn_vcpu(c));
        return 0;
    case EVTCHNSTAT_unbound:
        return 0; /* nobody listens yet: dropped, as Xen does */
    default:      /* closed, port 0, VIRQs (only the hypervisor raises) */
        return -XEN_EINVAL;
    }
}

int evtchn_send(struct domain *d, evtchn_port_t port)
{
    evtchn_host_notify_fn fn = NULL;
    void *opaque = NULL;
    int rc;

    if (!d->evtchn)
        return -XEN_ENOSYS;
    if (!port_valid(d, port))
        return -XEN_EINVAL;
    lock_table(d);
    rc = send_locked(d, port, &fn, &opaque);
    unlock_table(d);
    /* Unlocked: the host may answer at once with evtchn_host_send. */
    if (fn)
        fn(opaque);
    return rc;
}

/*
 * Unmask: Xen's rule. Only a port that was masked is re-examined; if it is
 * pending, the edge lost while masked is delivered now.
 */
int evtchn_unmask(struct domain *d, evtchn_port_t port)
{
    struct shared_info *s = d->shared_info;
    unsigned int word = port / BITS_PER_WORD;
    xen_ulong_t bit = 1ULL << (port % BITS_PER_WORD);
    uint32_t vcpu;

    if (!d->evtchn)
        return -XEN_ENOSYS;
    if (port > d->evtchn->max_ports)
        return -XEN_EINVAL;
    if (port >= nr_channels(d))
        return 0;
    if (!(__atomic_fetch_and(mask_word(d, s, port), ~bit, __ATOMIC_SEQ_CST) &
          bit))
        return 0;
    if (!(__atomic_load_n(&s->evtchn_pending[word], __ATOMIC_SEQ_CST) & bit))
        return 0;
    vcpu = chn_vcpu(chn(d, port));
    if (vcpu < d->nr_vcpus)
        mark_word(&d->vcpus[vcpu], port);
    return 0;
}

void evtchn_send_virq(struct vcpu *v, unsigned int virq)
{
    struct domain *d = v->domain;
    struct vcpu *owner;
    evtchn_port_t port;

    if (!d->evtchn || virq >= NR_VIRQS)
        return;
    /* Global VIRQs are recorded on vCPU 0 and go where bind_vcpu says. */
    owner = virq_is_global(virq) ? &d->vcpus[0] : v;
    lock_table(d);
    port = owner->virq_port[virq];
    if (port && chn(d, port)->state == EVTCHNSTAT_virq)
        evtchn_deliver(d, port, chn_vcpu(chn(d, port)));
    unlock_table(d);
}

/* ---- Status ------------------------------------------------------------ */

static void fill_status(struct domain *td, struct evtchn_status *op)
{
    const struct evtchn *c = chn(td, op->port);

    memset(&op->u, 0, sizeof(op->u));
    op->status = c->state;
    op->vcpu = chn_vcpu(c);
    switch (c->state) {
    case EVTCHNSTAT_unbound:
        op->u.unbound.dom = c->unbound_dom;
        break;
    case EVTCHNSTAT_interdomain: {
        const struct domain *rd = chn_remote(c);

        op->u.interdomain.dom = rd ? rd->domid : HOST_DOMID;
        op->u.interdomain.port = c->remote_port;
        break;
    }
    case EVTCHNSTAT_virq:
        op->u.virq = c->virq;
        break;
    default:
        break;
    }
}

int evtchn_status(struct domain *d, struct evtchn_status *op)
{
    struct domain *td;
    int rc;

    if (!d->evtchn)
        return -XEN_ENOSYS;
    if (op->dom == HOST_DOMID) {
        rc = host_target(d);
        return rc ? rc : evtchn_host_status(host_ports_of(d), op);
    }
    rc = lock_target(d, op->dom, &td);
    if (rc)
        return rc;
    if (op->port > td->evtchn->max_ports)
        rc = -XEN_EINVAL;
    else
        fill_status(td, op); /* port 0 reads as closed, as on Xen */
    unlock_table(td);
    return rc;
}

/* ---- SCHEDOP_poll ------------------------------------------------------ */

struct poll_set {
    const evtchn_port_t *ports;
    unsigned int n;
};

static bool any_pending(struct vcpu *v, void *opaque)
{
    const struct poll_set *ps = opaque;

    for (unsigned int i = 0; i < ps->n; i++)
        if (evtchn_is_pending(v->domain, ps->ports[i]))
            return true;
    return false;
}

int evtchn_poll(struct vcpu *v, const evtchn_port_t *ports, unsigned int n,
                uint64_t deadline)
{
    struct domain *d = v->domain;
    struct poll_set ps = {ports, n};
    uint64_t me = 1ULL << v->id;

    if (!d->evtchn)
        return -XEN_ENOSYS;
    for (unsigned int i = 0; i < n; i++)
        if (ports[i] > d->evtchn->max_ports)
            return -XEN_EINVAL;
    /*
     * Published before the pending bits are read (vcpu_block's first
     * check): a sender sets its bit, then reads `polling`, so one of the
     * two sides sees the other (both SEQ_CST) and no wake-up is lost.
     */
    __atomic_fetch_or(&d->evtchn->polling, me, __ATOMIC_SEQ_CST);
    vcpu_block(v, deadline, any_pending, &ps);
    __atomic_fetch_and(&d->evtchn->polling, ~me, __ATOMIC_SEQ_CST);
    return 0;
}
