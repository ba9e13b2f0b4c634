/* SPDX-License-Identifier: MIT */
/* event_channel_host.c: the hypervisor's own event channel ends, its
 * instance's host ports (domain 0 to guests). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pvabi/errno.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/event_channel_internal.h"
#include "core/log.h"
#include "core/registry.h"

/* ---- The table --------------------------------------------------------- */

static uint8_t hport_state(const struct host_port *p)
{
    return __atomic_load_n(&p->state, __ATOMIC_ACQUIRE);
}

static void set_hport_state(struct host_port *p, uint8_t state)
{
    __atomic_store_n(&p->state, state, __ATOMIC_RELEASE);
}

static struct domain *hport_guest(const struct host_port *p)
{
    return __atomic_load_n(&p->guest, __ATOMIC_ACQUIRE);
}

static void set_hport_guest(struct host_port *p, struct domain *g,
                            evtchn_port_t gp)
{
    p->guest_port = gp;
    __atomic_store_n(&p->guest, g, __ATOMIC_RELEASE);
}

int evtchn_host_create(struct host_ports **hp)
{
    struct host_ports *h = calloc(1, sizeof(*h));

    if (!h)
        return -ENOMEM;
    pthread_mutex_init(&h->lock, NULL);
    *hp = h;
    return 0;
}

/* alloc_hport: the lowest closed host port (host locked), or -ENOSPC. */
static int alloc_hport(struct host_ports *h)
{
    for (unsigned int p = 1; p <= HOST_PORTS_MAX; p++)
        if (h->port[p].state == EVTCHNSTAT_closed)
            return (int)p;
    return -XEN_ENOSPC;
}

static void free_hport(struct host_ports *h, evtchn_port_t port)
{
    struct host_port *p = &h->port[port];

    set_hport_state(p, EVTCHNSTAT_closed);
    set_hport_guest(p, NULL, 0);
    p->unbound_dom = 0;
    p->notify = NULL;
    p->opaque = NULL;
}

/*
 * connect: host port (hport) and (guest):(gp) become one channel, both
 * tables locked; the guest's end has no peer domain (remote NULL).
 */
static void connect(struct host_ports *h, evtchn_port_t hport,
                    struct domain *guest, evtchn_port_t gp)
{
    struct host_port *p = &h->port[hport];
    struct evtchn *c = chn(guest, gp);

    set_hport_guest(p, guest, gp);
    set_hport_state(p, EVTCHNSTAT_interdomain);
    set_remote(c, NULL, hport);
    set_state(c, EVTCHNSTAT_interdomain);
}

/* revert_guest: (guest):(gp), bound to a host port, becomes unbound,
 * offered to domain 0 again; both tables locked. */
static void revert_guest(struct domain *guest, evtchn_port_t gp)
{
    struct evtchn *c = chn(guest, gp);

    set_remote(c, NULL, 0);
    c->unbound_dom = HOST_DOMID;
    set_state(c, EVTCHNSTAT_unbound);
}

void evtchn_host_destroy(struct host_ports *h)
{
    if (!h)
        return;
    for (evtchn_port_t port = 1; port <= HOST_PORTS_MAX; port++) {
        struct host_port *p = &h->port[port];

        evtchn_lock_host(h);
        if (p->state == EVTCHNSTAT_interdomain) {
            struct domain *g = p->guest;

            lock_table(g);
            revert_guest(g, p->guest_port);
            unlock_table(g);
        }
        free_hport(h, port);
        evtchn_unlock_host(h);
    }
    pthread_mutex_destroy(&h->lock);
    free(h);
}

/* ---- What the host does ------------------------------------------------ */

/* lock_with_host: the host's ports of (guest), then (guest)'s table. */
static int lock_with_host(struct domain *guest, struct host_ports **h)
{
    if (!guest->evtchn)
        return -ENOSYS;
    *h = host_ports_of(guest);
    evtchn_lock_host(*h);
    lock_table(guest);
    return 0;
}

static void unlock_with_host(struct domain *guest, struct host_ports *h)
{
    unlock_table(guest);
    evtchn_unlock_host(h);
}

static void set_notify(struct host_ports *h, evtchn_port_t hport,
                       evtchn_host_notify_fn notify, void *opaque)
{
    h->port[hport].notify = notify;
    h->port[hport].opaque = opaque;
}

int evtchn_host_bind(struct domain *guest, evtchn_host_notify_fn notify,
                     void *opaque, evtchn_port_t *guest_port,
                     evtchn_port_t *host_port)
{
    struct host_ports *h;
    int rc = lock_with_host(guest, &h);

    if (rc)
        return rc;
    int gp = evtchn_alloc_port(guest), hp = alloc_hport(h);
    if (gp < 0 || hp < 0) {
        rc = -ENOSPC;
    } else {
        set_notify(h, (evtchn_port_t)hp, notify, opaque);
        connect(h, (evtchn_port_t)hp, guest, (evtchn_port_t)gp);
        *guest_port = (evtchn_port_t)gp;
        *host_port = (evtchn_port_t)hp;
    }
    unlock_with_host(guest, h);
    return rc;
}

/*
 * Unlike EVTCHNOP_bind_interdomain, the new host end is not set pending:
 * a host port has no pending bit; the caller looks at its ring once after
 * binding instead. (guest_port) must be unbound and offered to domain 0.
 */
int evtchn_host_bind_existing(struct domain *guest, evtchn_port_t guest_port,
                              evtchn_host_notify_fn notify, void *opaque,
                              evtchn_port_t *host_port)
{
    struct host_ports *h;
    int hp, rc = lock_with_host(guest, &h);

    if (rc)
        return rc;
    if (!port_valid(guest, guest_port) ||
        chn(guest, guest_port)->state != EVTCHNSTAT_unbound ||
        chn(guest, guest_port)->unbound_dom != HOST_DOMID) {
        rc = -EINVAL;
    } else if ((hp = alloc_hport(h)) < 0) {
        rc = -ENOSPC;
    } else {
        set_notify(h, (evtchn_port_t)hp, notify, opaque);
        connect(h, (evtchn_port_t)hp, guest, guest_port);
        *host_port = (evtchn_port_t)hp;
    }
    unlock_with_host(guest, h);
    return rc;
}

/*
 * Locks the guest's table only: backends on many guests do not contend
 * on the host's. That is enough to read the host port's binding to
 * (guest), which changes only under the guest's lock too; any other
 * state of the entry, seen through the atomic loads, is not (guest)'s.
 */
int evtchn_host_send(struct domain *guest, evtchn_port_t host_port)
{
    const struct host_port *p;
    int rc = 0;

    if (!guest->evtchn || !host_port_valid(host_port))
        return -EINVAL;
    p = &host_ports_of(guest)->port[host_port];
    lock_table(guest);
    if (hport_state(p) == EVTCHNSTAT_interdomain && hport_guest(p) == guest) {
        evtchn_port_t gp = p->guest_port;

        evtchn_deliver(guest, gp, chn_vcpu(chn(guest, gp)));
    } else if (hport_state(p) != EVTCHNSTAT_unbound) {
        rc = -EINVAL;
    } /* else unbound: the guest closed its end; dropped, as Xen does */
    unlock_table(guest);
    return rc;
}

void evtchn_host_close(struct domain *guest, evtchn_port_t host_port)
{
    struct host_ports *h;
    struct host_port *p;

    if (!host_port_valid(host_port) || lock_with_host(guest, &h))
        return;
    p = &h->port[host_port];
    if (p->state == EVTCHNSTAT_interdomain && p->guest == guest) {
        revert_guest(guest, p->guest_port);
        free_hport(h, host_port);
    } else if (p->state == EVTCHNSTAT_unbound &&
               p->unbound_dom == guest->domid) {
        free_hport(h, host_port);
    } else {
        pr_warn("evtchn_host_close: host port %u is not domain %u's", host_port,
                guest->domid);
    }
    unlock_with_host(guest, h);
}

/* ---- What a guest does to the host's ports ----------------------------- */

int evtchn_bind_host(struct domain *d, struct evtchn_bind_interdomain *op)
{
    struct host_ports *h = host_ports_of(d);
    evtchn_port_t hport = op->remote_port;
    int lport;

    evtchn_lock_host(h);
    lock_table(d);
    lport = evtchn_alloc_port(d);
    if (lport > 0 && (!host_port_valid(hport) ||
                      h->port[hport].state != EVTCHNSTAT_unbound ||
                      h->port[hport].unbound_dom != d->domid))
        lport = -XEN_EINVAL;
    if (lport > 0) {
        connect(h, hport, d, (evtchn_port_t)lport);
        /* The host may have signalled before we bound: start pending. */
        evtchn_deliver(d, (evtchn_port_t)lport, 0);
        op->local_port = (evtchn_port_t)lport;
    }
    unlock_with_host(d, h);
    return lport < 0 ? lport : 0;
}

void evtchn_host_unbind(struct host_ports *h, evtchn_port_t hport,
                        struct domain *d)
{
    struct host_port *p = &h->port[hport];

    set_hport_guest(p, NULL, 0);
    p->unbound_dom = d->domid;
    set_hport_state(p, EVTCHNSTAT_unbound);
}

int evtchn_host_alloc_unbound(struct host_ports *h, domid_t remote,
                              evtchn_port_t *port)
{
    int hp;

    evtchn_lock_host(h);
    hp = alloc_hport(h);
    if (hp > 0) {
        h->port[hp].unbound_dom = remote;
        set_hport_state(&h->port[hp], EVTCHNSTAT_unbound);
        *port = (evtchn_port_t)hp;
    }
    evtchn_unlock_host(h);
    return hp < 0 ? hp : 0;
}

int evtchn_host_status(struct host_ports *h, struct evtchn_status *op)
{
    const struct host_port *p;

    if (op->port > HOST_PORTS_MAX)
        return -XEN_EINVAL;
    evtchn_lock_host(h);
    p = &h->port[op->port]; /* port 0 reads as closed, as on Xen */
    memset(&op->u, 0, sizeof(op->u));
    op->status = p->state;
    op->vcpu = 0;
    if (p->state == EVTCHNSTAT_unbound) {
        op->u.unbound.dom = p->unbound_dom;
    } else if (p->state == EVTCHNSTAT_interdomain) {
        op->u.interdomain.dom = p->guest->domid;
        op->u.interdomain.port = p->guest_port;
    }
    evtchn_unlock_host(h);
    return 0;
}
