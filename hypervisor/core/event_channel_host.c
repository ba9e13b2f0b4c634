/* SPDX-License-Identifier: MIT */
/* event_channel_host.c: the hypervisor's own event channel endpoints (domain 0's ports). */
#include <errno.h>

#include "core/domain.h"
#include "core/event_channel.h"
#include "core/event_channel_internal.h"
#include "core/log.h"
#include "core/registry.h"

/* host_bind_locked: both tables held; one new port on each side. */
static int host_bind_locked(struct domain *host, struct domain *guest,
                            evtchn_host_notify_fn notify, void *opaque,
                            evtchn_port_t *guest_port, evtchn_port_t *host_port)
{
    int gp = evtchn_alloc_port(guest), hp = evtchn_alloc_port(host);

    if (gp < 0 || hp < 0)
        return -ENOSPC;
    chn(host, (evtchn_port_t)hp)->host_notify = notify;
    chn(host, (evtchn_port_t)hp)->host_opaque = opaque;
    evtchn_connect(guest, (evtchn_port_t)gp, host, (evtchn_port_t)hp);
    guest->evtchn->host = host;
    *guest_port = (evtchn_port_t)gp;
    *host_port = (evtchn_port_t)hp;
    return 0;
}

int evtchn_host_bind(struct domain *guest, evtchn_host_notify_fn notify,
                     void *opaque, evtchn_port_t *guest_port,
                     evtchn_port_t *host_port)
{
    struct domain *host;
    int rc;

    if (!guest->evtchn || !guest->registry)
        return -ENOSYS;
    registry_lock(guest->registry);
    host = registry_find(guest->registry, 0);
    if (!host || !host->evtchn || host == guest) {
        registry_unlock(guest->registry);
        return -ESRCH;
    }
    evtchn_lock_two(host, guest);
    registry_unlock(guest->registry);
    rc = host_bind_locked(host, guest, notify, opaque, guest_port, host_port);
    evtchn_unlock_two(host, guest);
    return rc;
}

/* bind_existing_locked: both tables held; (gp) must be offered to (host). */
static int bind_existing_locked(struct domain *host, struct domain *guest,
                                evtchn_port_t gp, evtchn_host_notify_fn notify,
                                void *opaque, evtchn_port_t *host_port)
{
    struct evtchn *g;
    int hp;

    if (!port_valid(guest, gp))
        return -EINVAL;
    g = chn(guest, gp);
    if (g->state != EVTCHNSTAT_unbound || g->unbound_dom != host->domid)
        return -EINVAL;
    hp = evtchn_alloc_port(host);
    if (hp < 0)
        return -ENOSPC;
    chn(host, (evtchn_port_t)hp)->host_notify = notify;
    chn(host, (evtchn_port_t)hp)->host_opaque = opaque;
    evtchn_connect(guest, gp, host, (evtchn_port_t)hp);
    guest->evtchn->host = host;
    *host_port = (evtchn_port_t)hp;
    return 0;
}

/*
 * Unlike EVTCHNOP_bind_interdomain, the new (host) end is not set pending:
 * a host port has no pending bit; the caller looks at its ring once after
 * binding instead.
 */
int evtchn_host_bind_existing(struct domain *guest, evtchn_port_t guest_port,
                              evtchn_host_notify_fn notify, void *opaque,
                              evtchn_port_t *host_port)
{
    struct domain *host;
    int rc;

    if (!guest->evtchn || !guest->registry)
        return -ENOSYS;
    registry_lock(guest->registry);
    host = registry_find(guest->registry, 0);
    if (!host || !host->evtchn || host == guest) {
        registry_unlock(guest->registry);
        return -ESRCH;
    }
    evtchn_lock_two(host, guest);
    registry_unlock(guest->registry);
    rc = bind_existing_locked(host, guest, guest_port, notify, opaque,
                              host_port);
    evtchn_unlock_two(host, guest);
    return rc;
}

/*
 * bound_to: whether (host):(port) is connected to (guest). Called with
 * only (guest) locked: that is enough, because a channel to (guest)
 * changes only under its lock, and any other state of the entry (seen
 * through the atomic loads) answers false.
 */
static bool bound_to(struct domain *host, evtchn_port_t port,
                     struct domain *guest)
{
    const struct evtchn *c;

    if (!port_valid(host, port))
        return false;
    c = chn(host, port);
    return chn_state(c) == EVTCHNSTAT_interdomain && chn_remote(c) == guest;
}

/*
 * Locks the guest's table only: backends on many guests do not contend
 * on domain 0's.
 */
int evtchn_host_send(struct domain *guest, evtchn_port_t host_port)
{
    struct domain *host;
    int rc = 0;

    if (!guest->evtchn)
        return -EINVAL;
    lock_table(guest);
    host = guest->evtchn->host;
    if (host && bound_to(host, host_port, guest)) {
        evtchn_port_t gp = chn(host, host_port)->remote_port;

        evtchn_deliver(guest, gp, chn_vcpu(chn(guest, gp)));
    } else if (!host || !port_valid(host, host_port) ||
               chn_state(chn(host, host_port)) != EVTCHNSTAT_unbound) {
        rc = -EINVAL;
    } /* else unbound: the guest closed its end; dropped, as Xen does */
    unlock_table(guest);
    return rc;
}

void evtchn_host_close(struct domain *guest, evtchn_port_t host_port)
{
    struct domain *host = guest->evtchn ? guest->evtchn->host : NULL;
    struct evtchn *c;

    if (!host || !port_valid(host, host_port))
        return;
    evtchn_lock_two(host, guest);
    c = chn(host, host_port);
    if (c->state == EVTCHNSTAT_interdomain && chn_remote(c) == guest)
        evtchn_close_locked(host, host_port);
    else if (c->state == EVTCHNSTAT_unbound && c->unbound_dom == guest->domid)
        evtchn_free_port(host, host_port);
    else
        pr_warn("evtchn_host_close: host port %u is not domain %u's",
                host_port, guest->domid);
    evtchn_unlock_two(host, guest);
}
