/* SPDX-License-Identifier: MIT */
/* evtchn_thief.c: a domain cannot bind, send on or close what it wasn't
 * offered. */

#include "../testguest.h"

/* Finds the domain named (name) in XenStore; aborts after a while. */
static domid_t find_domain(const char *name)
{
    int id = xenbus_find_domain(name, monotonic_ns() + 2000000000ULL);
    if (id < 0)
        test_abort("no domain named %s: %d", name, id);
    return (domid_t)id;
}

int main(void)
{
    char peer[64], path[80], value[16];
    if (pvguest_cmdline_get("peer", peer, sizeof(peer)) < 0)
        test_abort("usage: peer=NAME");
    domid_t victim = find_domain(peer);
    printf("evtchn_thief: peer %s is domain %u\n", peer, victim);

    /* The port the victim offers to its partner is not ours to read. */
    snprintf(path, sizeof(path), "/local/domain/%u/data/pingpong/port", victim);
    int rc = xenbus_read(XBT_NIL, path, value, sizeof(value));
    if (rc != -XEN_EACCES && rc != -XEN_ENOENT)
        test_abort("read of %s returned %d", path, rc);

    /* Nor is any of its ports ours to bind: none is offered to us. */
    for (evtchn_port_t p = 1; p < 64; p++) {
        evtchn_port_t local;
        rc = pvg_evtchn_bind_interdomain(victim, p, &local);
        if (rc != -XEN_EINVAL)
            test_abort("bind_interdomain(%u, %u) returned %d", victim, p, rc);
    }
    puts("ok: no port of the peer could be bound");

    /* Ports we never allocated can be neither signalled nor closed. */
    for (evtchn_port_t p = 40; p < 48; p++) {
        check_result("send on a port never allocated", pvg_evtchn_notify(p),
                     -XEN_EINVAL);
        check_result("close of a port never allocated", pvg_evtchn_close(p),
                     -XEN_EINVAL);
    }

    /* Another domain's status is not ours to read. */
    struct evtchn_status st = {.dom = victim, .port = 1};
    check_result("status of the peer's port",
                 HYPERVISOR_event_channel_op(EVTCHNOP_status, &st), -XEN_EPERM);
    puts("SUCCESS");
    return 0;
}
