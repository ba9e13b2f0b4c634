/* SPDX-License-Identifier: MIT */
/* event_channel_internal.h: the port tables (a domain's, the host's), for
 * event_channel.c and event_channel_host.c. */
#ifndef PVHV_CORE_EVENT_CHANNEL_INTERNAL_H
#define PVHV_CORE_EVENT_CHANNEL_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/domain.h"
#include "core/event_channel.h"
#include "core/instance.h"

/*
 * One port. `state`, `remote` and `notify_vcpu` are read without the
 * table's lock by other domains' threads (delivery, host sends), so they
 * are accessed with atomic loads and stores; the rest only under the lock.
 * What keeps a peer alive: the two ends of an interdomain channel change
 * only with both tables locked, so holding either lock pins the binding
 * and with it the peer domain (it closes its ports before it goes).
 */
struct evtchn {
    uint8_t state;         /* EVTCHNSTAT_* */
    uint8_t virq;          /* EVTCHNSTAT_virq: which VIRQ */
    domid_t unbound_dom;   /* EVTCHNSTAT_unbound: who may bind */
    uint32_t notify_vcpu;  /* vCPU the port signals */
    struct domain *remote; /* EVTCHNSTAT_interdomain: the peer; NULL for a
                            * host port (HOST_DOMID to the guest) */
    evtchn_port_t remote_port;
};

struct evtchn_table {
    pthread_mutex_t lock;
    unsigned int max_ports; /* ports 1 ... max_ports; 0 is reserved */
    uint64_t polling;       /* vCPUs in SCHEDOP_poll (atomic) */
    struct evtchn port[];   /* max_ports + 1 entries */
};

/*
 * The hypervisor's own ends (struct host_ports, one per instance): a port
 * is closed, unbound (offered to unbound_dom, once its guest closed its
 * end) or interdomain with a guest's port. `state` and `guest` are read
 * with atomics by a guest's thread that holds only its own table (host
 * sends); the rest changes with the host's table and the guest's locked,
 * the host's first. A port keeps its callback while unbound, so the guest
 * may bind it again.
 */
struct host_port {
    uint8_t state;        /* EVTCHNSTAT_closed, _unbound or _interdomain */
    domid_t unbound_dom;  /* EVTCHNSTAT_unbound: who may bind */
    struct domain *guest; /* EVTCHNSTAT_interdomain: the peer */
    evtchn_port_t guest_port;
    evtchn_host_notify_fn notify;
    void *opaque;
};

#define HOST_PORTS_MAX EVTCHN_2L_MAX
struct host_ports {
    pthread_mutex_t lock;
    struct host_port port[HOST_PORTS_MAX + 1]; /* 1 ... HOST_PORTS_MAX */
};

_Static_assert(PVHV_MAX_VCPUS <= 64, "evtchn_table.polling is a 64-bit mask");

#define BITS_PER_WORD 64U

static inline uint8_t chn_state(const struct evtchn *c)
{
    return __atomic_load_n(&c->state, __ATOMIC_ACQUIRE);
}

static inline void set_state(struct evtchn *c, uint8_t state)
{
    __atomic_store_n(&c->state, state, __ATOMIC_RELEASE);
}

static inline struct domain *chn_remote(const struct evtchn *c)
{
    return __atomic_load_n(&c->remote, __ATOMIC_ACQUIRE);
}

static inline void set_remote(struct evtchn *c, struct domain *rd,
                              evtchn_port_t rp)
{
    c->remote_port = rp;
    __atomic_store_n(&c->remote, rd, __ATOMIC_RELEASE);
}

static inline uint32_t chn_vcpu(const struct evtchn *c)
{
    return __atomic_load_n(&c->notify_vcpu, __ATOMIC_RELAXED);
}

static inline void set_vcpu(struct evtchn *c, uint32_t vcpu)
{
    __atomic_store_n(&c->notify_vcpu, vcpu, __ATOMIC_RELAXED);
}

static inline void lock_table(struct domain *d)
{
    pthread_mutex_lock(&d->evtchn->lock);
}

static inline void unlock_table(struct domain *d)
{
    pthread_mutex_unlock(&d->evtchn->lock);
}

static inline struct evtchn *chn(struct domain *d, evtchn_port_t port)
{
    return &d->evtchn->port[port];
}

static inline bool port_valid(struct domain *d, evtchn_port_t port)
{
    return port != 0 && port <= d->evtchn->max_ports;
}

/* host_ports_of: the host's ports, the peer of (d)'s host-bound ports. */
static inline struct host_ports *host_ports_of(const struct domain *d)
{
    return d->hv->host_ports;
}

static inline bool host_port_valid(evtchn_port_t port)
{
    return port != 0 && port <= HOST_PORTS_MAX;
}

/*
 * Shared helpers (event_channel.c). evtchn_lock_two / unlock_two: both
 * tables, lower domid first (once when the same). evtchn_alloc_port: the
 * lowest free port of a locked table, or -ENOSPC. evtchn_connect: ties
 * two ports into a channel (both tables locked). evtchn_close_locked /
 * evtchn_free_port: close a port (and revert its peer) / mark it free.
 * evtchn_deliver: the 2-level rule for (port) of (d) towards (vcpu).
 * evtchn_lock_host / unlock_host: the host's ports, taken before any
 * domain's table (domain 0 is the lowest id).
 */
void evtchn_lock_two(struct domain *a, struct domain *b);
void evtchn_unlock_two(struct domain *a, struct domain *b);
int evtchn_alloc_port(struct domain *d);
void evtchn_connect(struct domain *d, evtchn_port_t lport, struct domain *rd,
                    evtchn_port_t rport);
void evtchn_close_locked(struct domain *d, evtchn_port_t port);
void evtchn_free_port(struct domain *d, evtchn_port_t port);
void evtchn_deliver(struct domain *d, evtchn_port_t port, uint32_t vcpu);

static inline void evtchn_lock_host(struct host_ports *h)
{
    pthread_mutex_lock(&h->lock);
}

static inline void evtchn_unlock_host(struct host_ports *h)
{
    pthread_mutex_unlock(&h->lock);
}

/*
 * The host's side of what a guest does (event_channel_host.c), for
 * event_channel.c. evtchn_bind_host: EVTCHNOP_bind_interdomain to
 * HOST_DOMID. evtchn_host_unbind: with the host's ports and (d) locked,
 * the host end (hport) of (d)'s closing port reverts to unbound, offered
 * to (d), keeping its callback. evtchn_host_alloc_unbound /
 * evtchn_host_status: EVTCHNOP_alloc_unbound and EVTCHNOP_status naming
 * HOST_DOMID, for a privileged caller.
 */
int evtchn_bind_host(struct domain *d, struct evtchn_bind_interdomain *op);
void evtchn_host_unbind(struct host_ports *h, evtchn_port_t hport,
                        struct domain *d);
int evtchn_host_alloc_unbound(struct host_ports *h, domid_t remote,
                              evtchn_port_t *port);
int evtchn_host_status(struct host_ports *h, struct evtchn_status *op);

#endif /* PVHV_CORE_EVENT_CHANNEL_INTERNAL_H */
