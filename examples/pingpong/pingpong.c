/* SPDX-License-Identifier: MIT */
/*
 * pingpong.c: two domains bounce an event back and forth over an
 * interdomain event channel they set up through XenStore.
 *
 * Command line: role=ping|pong peer=<the other domain's name> count=N
 * [wait=poll|upcall].
 *  - pong allocates a port for ping's domid and publishes it in
 *    data/pingpong/port, readable by ping;
 *  - ping finds pong's domid by name, waits (watch) for the port, binds
 *    it, then sends N events, each answered by pong, and prints the mean
 *    round trip. Both then power off.
 * Each side waits for the other's event in one of two ways: wait=poll
 * (the default) keeps the port masked and sleeps in pvg_evtchn_wait(), with
 * no upcall; wait=upcall binds a handler that counts events and sleeps
 * in wait_until() until the count moves.
 */

#include <pvguest/pvguest.h>

#define FIND_TIMEOUT (30 * NSEC_PER_SEC)

static volatile unsigned long received;
static unsigned long watch_fires;
static int use_upcall; /* wait=upcall */

static void on_event(evtchn_port_t port, void *data)
{
    (void)port;
    (void)data;
    received++;
}

static void on_watch(const char *path, const char *token, void *data)
{
    (void)path;
    (void)token;
    (void)data;
    watch_fires++;
}

static int watch_fired(void *arg)
{
    return watch_fires != *(unsigned long *)arg;
}

/* Sleeps until a watch fires, or 100 ms at most: callers look again. */
static void wait_for_watch(void)
{
    unsigned long seen = watch_fires;

    wait_until(watch_fired, &seen, monotonic_ns() + 100 * NSEC_PER_MSEC);
}

/* Waits until domain (name) exists; the peer may start after us. */
static domid_t find_peer(const char *name)
{
    int rc = xenbus_find_domain(name, monotonic_ns() + FIND_TIMEOUT);

    if (rc < 0) {
        printf("pingpong: no domain named '%s': %d\n", name, rc);
        exit(1);
    }
    return (domid_t)rc;
}

static int got_more(void *arg)
{
    return received > *(unsigned long *)arg;
}

/* Takes the peer's next event; (seen) events were taken before. */
static void wait_event(evtchn_port_t port, unsigned long seen)
{
    if (use_upcall)
        wait_until(got_more, &seen, 0);
    else
        pvg_evtchn_wait(port, 0);
}

/* Upcall mode only: a handler counts the events (poll: stays masked). */
static int listen(evtchn_port_t port)
{
    return use_upcall ? pvg_evtchn_bind(port, on_event, NULL) : 0;
}

static void pong(domid_t ping, unsigned long count)
{
    char perm_pong[8], perm_ping[8], value[16];
    const char *perms[2] = {perm_pong, perm_ping};
    evtchn_port_t port;
    unsigned long answered;
    int rc;

    if ((rc = pvg_evtchn_alloc_unbound(ping, &port)) < 0 ||
        (rc = listen(port)) < 0) {
        printf("pingpong: port for domain %u: %d\n", ping, rc);
        exit(1);
    }
    /* Readable by ping before the port node exists: it inherits this. */
    snprintf(perm_pong, sizeof(perm_pong), "n%u", pvguest_domid());
    snprintf(perm_ping, sizeof(perm_ping), "r%u", ping);
    snprintf(value, sizeof(value), "%u", port);
    if ((rc = xenbus_mkdir(XBT_NIL, "data/pingpong")) < 0 ||
        (rc = xenbus_set_perms(XBT_NIL, "data/pingpong", perms, 2)) < 0 ||
        (rc = xenbus_write(XBT_NIL, "data/pingpong/port", value)) < 0) {
        printf("pingpong: publishing the port: %d\n", rc);
        exit(1);
    }
    printf("pingpong: pong offers port %u to domain %u\n", port, ping);
    for (answered = 0; answered < count; answered++) {
        wait_event(port, answered);
        pvg_evtchn_notify(port);
    }
    printf("pingpong: pong answered %lu events\n", answered);
}

/* Reads pong's port once it is published. */
static evtchn_port_t wait_port(domid_t pong)
{
    char path[64];
    unsigned long port;
    uint64_t end = monotonic_ns() + FIND_TIMEOUT;

    snprintf(path, sizeof(path), "/local/domain/%u/data/pingpong/port", pong);
    if (xenbus_watch(path, "pingpong-port", on_watch, NULL) < 0)
        printf("pingpong: no watch on %s: polling\n", path);
    while (xenbus_read_ulong(XBT_NIL, path, &port) < 0) {
        if (monotonic_ns() >= end) {
            printf("pingpong: %s never appeared\n", path);
            exit(1);
        }
        wait_for_watch();
    }
    xenbus_unwatch(path, "pingpong-port");
    return (evtchn_port_t)port;
}

static void ping(domid_t pong, unsigned long count)
{
    evtchn_port_t remote = wait_port(pong), port;
    unsigned long i;
    uint64_t t0, t1;
    int rc;

    if ((rc = pvg_evtchn_bind_interdomain(pong, remote, &port)) < 0) {
        printf("pingpong: bind to domain %u port %u: %d\n", pong, remote, rc);
        exit(1);
    }
    /* Bound ports start pending: that one is not an answer. */
    pvg_evtchn_clear(port);
    listen(port);
    /* bench=1: markers that pvbench times the exchange between. */
    char flag[4];
    int bench = pvguest_cmdline_get("bench", flag, sizeof(flag)) >= 0;
    if (bench)
        puts("BENCH start");
    t0 = monotonic_ns();
    for (i = 0; i < count; i++) {
        pvg_evtchn_notify(port);
        wait_event(port, i);
    }
    t1 = monotonic_ns();
    if (bench)
        puts("BENCH end");
    printf("pingpong: %lu round trips, mean %lu us\n", count,
           (unsigned long)((t1 - t0) / (count ? count : 1) / NSEC_PER_USEC));
}

int main(void)
{
    char role[8], peer[64], num[16], wait[8] = "poll";
    unsigned long count = 1000;
    domid_t other;

    if (pvguest_cmdline_get("role", role, sizeof(role)) < 0 ||
        pvguest_cmdline_get("peer", peer, sizeof(peer)) < 0 ||
        (strcmp(role, "ping") != 0 && strcmp(role, "pong") != 0)) {
        printf("pingpong: usage: role=ping|pong peer=NAME [count=N] "
               "[wait=poll|upcall]\n");
        return 1;
    }
    if (pvguest_cmdline_get("count", num, sizeof(num)) >= 0)
        count = strtoul(num, NULL, 10);
    pvguest_cmdline_get("wait", wait, sizeof(wait));
    use_upcall = strcmp(wait, "upcall") == 0;
    if (!use_upcall && strcmp(wait, "poll") != 0) {
        printf("pingpong: wait=%s: want poll or upcall\n", wait);
        return 1;
    }
    if (!xenbus_ready()) {
        printf("pingpong: needs XenStore, which this hypervisor lacks\n");
        return 1;
    }
    other = find_peer(peer);
    printf("pingpong: %s: peer '%s' is domain %u\n", role, peer, other);
    if (strcmp(role, "ping") == 0)
        ping(other, count);
    else
        pong(other, count);
    return 0;
}
