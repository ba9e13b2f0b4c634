/* SPDX-License-Identifier: MIT */
/*
 * events_local.c: event channels within one domain: IPI, mask and unmask,
 * a loop-back interdomain channel, waiting on a masked port
 * (pvg_evtchn_wait), status, bad ports, the port limit.
 */

#include "../testguest.h"

/* <controller maxEventChannels> in events_local.xml. */
#define MAX_PORTS 16

static volatile unsigned long hits[2];

static void on_event(evtchn_port_t port, void *data)
{
    (void)port;
    hits[(uintptr_t)data]++;
}

struct goal {
    unsigned int which;
    unsigned long n;
};

static int reached(void *arg)
{
    const struct goal *g = arg;

    return hits[g->which] >= g->n;
}

/* Waits for counter (which) to reach (n), then checks it stays there. */
static void expect_hits(unsigned int which, unsigned long n, const char *what)
{
    struct goal g = {which, n};

    wait_until(reached, &g, monotonic_ns() + 500 * NSEC_PER_MSEC);
    sleep_ns(5 * NSEC_PER_MSEC); /* a late duplicate would show now */
    if (hits[which] != n)
        test_abort("%s: %lu upcalls, expected %lu", what, hits[which], n);
    printf("ok: %s (%lu upcalls)\n", what, n);
}

static void status_of(evtchn_port_t port, struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = DOMID_SELF;
    st->port = port;
    if (pvg_evtchn_status(st) != 0)
        test_abort("pvg_evtchn_status(port %u) failed", port);
}

static evtchn_port_t ipi_and_mask(void)
{
    struct evtchn_status st;
    evtchn_port_t p;

    check_result("bind_ipi(vCPU 0)", pvg_evtchn_bind_ipi(0, &p), 0);
    check_result("pvg_evtchn_bind", pvg_evtchn_bind(p, on_event, (void *)0), 0);
    check_result("pvg_evtchn_bind again",
                 pvg_evtchn_bind(p, on_event, (void *)0), -XEN_EBUSY);
    status_of(p, &st);
    check_result("ipi status", st.status, EVTCHNSTAT_ipi);
    check_result("ipi status vcpu", st.vcpu, 0);

    check_result("send on the IPI port", pvg_evtchn_notify(p), 0);
    expect_hits(0, 1, "IPI delivered once");

    pvg_evtchn_mask(p);
    check_result("send while masked", pvg_evtchn_notify(p), 0);
    sleep_ns(10 * NSEC_PER_MSEC);
    check_result("upcalls while masked", hits[0], 1);
    check_result("pending while masked", pvg_evtchn_is_pending(p), 1);
    pvg_evtchn_unmask(p);
    expect_hits(0, 2, "unmask delivered the masked event once");
    return p;
}

static void loopback(void)
{
    domid_t me = pvguest_domid();
    struct evtchn_status st;
    evtchn_port_t u, l;

    check_result("alloc_unbound(remote self)", pvg_evtchn_alloc_unbound(me, &u),
                 0);
    status_of(u, &st);
    check_result("unbound status", st.status, EVTCHNSTAT_unbound);
    check_result("unbound status dom", st.u.unbound.dom, me);

    check_result("bind_interdomain(self)",
                 pvg_evtchn_bind_interdomain(me, u, &l), 0);
    check_result("bound port pending at once", pvg_evtchn_is_pending(l), 1);
    status_of(l, &st);
    check_result("interdomain status", st.status, EVTCHNSTAT_interdomain);
    check_result("interdomain status dom", st.u.interdomain.dom, me);
    check_result("interdomain status port", st.u.interdomain.port, u);
    status_of(u, &st);
    check_result("other end status", st.status, EVTCHNSTAT_interdomain);
    check_result("other end status port", st.u.interdomain.port, l);

    check_result("pvg_evtchn_bind(l)", pvg_evtchn_bind(l, on_event, (void *)1),
                 0);
    expect_hits(1, 1, "the bind-time pending event");
    check_result("send on u", pvg_evtchn_notify(u), 0);
    expect_hits(1, 2, "send on u reaches l");

    check_result("close(l)", pvg_evtchn_close(l), 0);
    check_result("send on closed l", pvg_evtchn_notify(l), -XEN_EINVAL);
    status_of(u, &st);
    check_result("u unbound again", st.status, EVTCHNSTAT_unbound);
    check_result("close(u)", pvg_evtchn_close(u), 0);
    check_result("close(u) again", pvg_evtchn_close(u), -XEN_EINVAL);
}

/* A masked port, no handler: pvg_evtchn_wait takes its events itself. */
static void waited(void)
{
    unsigned long upcalls = hits[0] + hits[1];
    uint64_t t0;
    evtchn_port_t p;

    check_result("bind_ipi for waiting", pvg_evtchn_bind_ipi(0, &p), 0);
    pvg_evtchn_mask(p);
    check_result("send", pvg_evtchn_notify(p), 0);
    check_result("pvg_evtchn_wait, event already there", pvg_evtchn_wait(p, 0),
                 0);
    check_result("pending after the wait", pvg_evtchn_is_pending(p), 0);
    t0 = monotonic_ns();
    check_result("pvg_evtchn_wait with no event",
                 pvg_evtchn_wait(p, t0 + 20 * NSEC_PER_MSEC), -XEN_ETIMEDOUT);
    if (monotonic_ns() - t0 < 20 * NSEC_PER_MSEC)
        test_abort("pvg_evtchn_wait timed out early");
    check_result("send again", pvg_evtchn_notify(p), 0);
    check_result("pvg_evtchn_wait with a deadline",
                 pvg_evtchn_wait(p, monotonic_ns() + NSEC_PER_SEC), 0);
    check_result("upcalls for the waited port", hits[0] + hits[1], upcalls);
    check_result("pvg_evtchn_wait on port 4096", pvg_evtchn_wait(4096, 0),
                 -XEN_EINVAL);
    check_result("close the waited port", pvg_evtchn_close(p), 0);
}

static void bad_ports(void)
{
    struct evtchn_status st;

    status_of(MAX_PORTS, &st);
    check_result("last port free", st.status, EVTCHNSTAT_closed);
    check_result("send on a never-allocated port", pvg_evtchn_notify(MAX_PORTS),
                 -XEN_EINVAL);
    check_result("close a never-allocated port", pvg_evtchn_close(MAX_PORTS),
                 -XEN_EINVAL);
    check_result("send on port 4095", pvg_evtchn_notify(4095), -XEN_EINVAL);
    check_result("send on port 0", pvg_evtchn_notify(0), -XEN_EINVAL);
}

/* Ports in use now, by status, 1 .. MAX_PORTS. */
static unsigned int ports_in_use(void)
{
    struct evtchn_status st;
    unsigned int p, n = 0;

    for (p = 1; p <= MAX_PORTS; p++) {
        status_of(p, &st);
        n += st.status != EVTCHNSTAT_closed;
    }
    return n;
}

static void port_limit(void)
{
    evtchn_port_t got[MAX_PORTS + 1];
    unsigned int used = ports_in_use(), n = 0, i;
    int rc;

    while ((rc = pvg_evtchn_alloc_unbound(0, &got[n])) == 0 && n < MAX_PORTS)
        n++;
    printf("ok: %u ports in use, %u more allocated, then %d\n", used, n, rc);
    check_result("alloc_unbound past the limit", rc, -XEN_ENOSPC);
    check_result("ports in use + allocated", used + n, MAX_PORTS);
    for (i = 0; i < n; i++)
        if (got[i] == 0 || got[i] > MAX_PORTS)
            test_abort("port %u beyond the limit %u", got[i], MAX_PORTS);
    for (i = 0; i < n; i++)
        if (pvg_evtchn_close(got[i]) != 0)
            test_abort("close(%u) failed", got[i]);
    check_result("ports in use after closing", ports_in_use(), used);
    check_result("alloc_unbound after closing",
                 pvg_evtchn_alloc_unbound(0, &got[0]), 0);
    check_result("close", pvg_evtchn_close(got[0]), 0);
}

int main(void)
{
    evtchn_port_t ipi = ipi_and_mask();

    loopback();
    waited();
    bad_ports();
    check_result("close the IPI port", pvg_evtchn_close(ipi), 0);
    port_limit();
    puts("SUCCESS");
    return 0;
}
