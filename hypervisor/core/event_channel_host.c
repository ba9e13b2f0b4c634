/* SPDX-License-Identifier: MIT */
/* event_channel_host.c: the hypervisor's own event channel endpoints (domain
 * 0's ports). */
#include <errno.h>

#include "core/domain.h"
#include "core/event_channel.h"
#include "core/event_channel_internal.h"
#include "core/log.h"
#include "core/domain_lookup.h"

/* connect_host_port: (host):(hp) calls (notify) and is (guest):(gp)'s peer. */
static void connect_host_port(struct domain *host, evtchn_port_t hp,
                              struct domain *guest, evtchn_port_t gp,
                              evtchn_host_notify_fn notify, void *opaque)
{
    chn(host, hp)->host_notify = notify;
    chn(host, hp)->host_opaque = opaque;
    evtchn_connect(guest, gp, host, hp);
    guest->evtchn->host = host;
}

static bool has_ports(const struct domain *td)
{
    return td->evtchn != NULL;
}

static void lock_both(struct domain *guest, struct domain *host)
{
    evtchn_lock_two(host, guest);
}

/*
 * lock_with_host: finds domain 0 and locks its table and (guest)'s, in
 * domid order. Returns 0 and the host in (hostp), or -ENOSYS / -ESRCH.
 */
static int lock_with_host(struct domain *guest, struct domain **hostp)
{
    static const struct domain_lookup how = {
        .rights = LOOKUP_ANY,
        .usable = has_ports,
        .lock = lock_both,
    };

    if (!guest->evtchn)
        return -ENOSYS;
    if (guest->domid == 0)
        return -ESRCH; /* the host is no guest of its own */
    return domain_lookup(guest, 0, &how, hostp) < 0 ? -ESRCH : 0;
}

int evtchn_host_bind(struct domain *guest, evtchn_host_notify_fn notify,
                     void *opaque, evtchn_port_t *guest_port,
                     evtchn_port_t *host_port)
{
    struct domain *host;
    int rc = lock_with_host(guest, &host);

    if (rc)
        return rc;
    int gp = evtchn_alloc_port(guest), hp = evtchn_alloc_port(host);
    if (gp < 0 || hp < 0) {
        rc = -ENOSPC;
    } else {
        connect_host_port(host, (evtchn_port_t)hp, guest, (evtchn_port_t)gp,
                          notify, opaque);
        *guest_port = (evtchn_port_t)gp;
        *host_port = (evtchn_port_t)hp;
    }
    evtchn_unlock_two(host, guest);
    return rc;
}

/*
 * Unlike EVTCHNOP_bind_interdomain, the new (host) end is not set pending:
 * a host port has no pending bit; the caller looks at its ring once after
 * binding instead. (guest_port) must be unbound and offered to domain 0.
 */
int evtchn_host_bind_existing(struct domain *guest, evtchn_port_t guest_port,
                              evtchn_host_notify_fn notify, void *opaque,
                              evtchn_port_t *host_port)
{
    struct domain *host;
    int hp, rc = lock_with_host(guest, &host);

    if (rc)
        return rc;
    if (!port_valid(guest, guest_port) ||
        chn(guest, guest_port)->state != EVTCHNSTAT_unbound ||
        chn(guest, guest_port)->unbound_dom != host->domid) {
        rc = -EINVAL;
    } else if ((hp = evtchn_alloc_port(host)) < 0) {
        rc = -ENOSPC;
    } else {
        connect_host_port(host, (evtchn_port_t)hp, guest, guest_port, notify,
                          opaque);
        *host_port = (evtchn_port_t)hp;
    }
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
        pr_warn("evtchn_host_close: host port %u is not domain %u's", host_port,
                guest->domid);
    evtchn_unlock_two(host, guest);
}
