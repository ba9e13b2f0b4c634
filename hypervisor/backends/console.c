/* SPDX-License-Identifier: MIT */
/* console.c: the PV console backend: the guest's console ring page. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "host/worker.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/instance.h"
#include "core/log.h"
#include "core/xenstore/xenstore.h"
#include "pvabi/io/console.h"

#define GUEST_PAGE 4096

/*
 * The console is not negotiated: like Xen's toolstack, we set up the page
 * and the port before the guest runs and the guest finds them in its HVM
 * parameters. out[] is drained by the console's worker, kicked when the
 * guest notifies (worker_notify); in[] is filled from any thread
 * (console_backend_input) and moved into the ring by the worker.
 */
struct console_back {
    struct domain *d;
    struct xencons_interface *intf; /* in guest RAM */
    evtchn_port_t host_port;
    pthread_mutex_t out_lock, in_lock;
    bool broken;          /* logged once, then ignored */
    struct worker worker; /* moves output out, input in */
    char pending[1024];   /* host input not yet in in[] */
    size_t nr_pending;    /* under in_lock */
    bool in_broken;       /* the guest broke in[]: -EIO */
};

int console_ring_take(struct xencons_interface *intf, char *buf, size_t cap)
{
    XENCONS_RING_IDX prod = __atomic_load_n(&intf->out_prod, __ATOMIC_ACQUIRE);
    XENCONS_RING_IDX cons = __atomic_load_n(&intf->out_cons, __ATOMIC_RELAXED);
    size_t avail = (XENCONS_RING_IDX)(prod - cons), done = 0;

    if (avail > sizeof(intf->out))
        return -EIO;
    while (done < avail && done < cap) {
        size_t off = MASK_XENCONS_IDX(cons, intf->out);
        size_t n = sizeof(intf->out) - off; /* up to the end of out[] */

        if (n > avail - done)
            n = avail - done;
        if (n > cap - done)
            n = cap - done;
        memcpy(buf + done, intf->out + off, n);
        cons += (XENCONS_RING_IDX)n;
        done += n;
    }
    /* Bytes copied before the guest may overwrite them. */
    __atomic_store_n(&intf->out_cons, cons, __ATOMIC_RELEASE);
    return (int)done;
}

int console_ring_put(struct xencons_interface *intf, const char *buf,
                     size_t len)
{
    XENCONS_RING_IDX cons = __atomic_load_n(&intf->in_cons, __ATOMIC_ACQUIRE);
    XENCONS_RING_IDX prod = __atomic_load_n(&intf->in_prod, __ATOMIC_RELAXED);
    size_t used = (XENCONS_RING_IDX)(prod - cons), done = 0;

    if (used > sizeof(intf->in))
        return -EIO;
    while (done < len && used + done < sizeof(intf->in)) {
        size_t off = MASK_XENCONS_IDX(prod, intf->in);
        size_t n = sizeof(intf->in) - off;
        size_t room = sizeof(intf->in) - used - done;

        if (n > room)
            n = room;
        if (n > len - done)
            n = len - done;
        memcpy(intf->in + off, buf + done, n);
        prod += (XENCONS_RING_IDX)n;
        done += n;
    }
    /* Bytes before the index: the guest reads only what it is told of. */
    __atomic_store_n(&intf->in_prod, prod, __ATOMIC_RELEASE);
    return (int)done;
}

/* Output: what the guest queued goes to the domain's console. */
static void take_output(struct console_back *c)
{
    char buf[sizeof(c->intf->out)];
    int n;

    pthread_mutex_lock(&c->out_lock);
    if (c->broken) {
        pthread_mutex_unlock(&c->out_lock);
        return;
    }
    n = console_ring_take(c->intf, buf, sizeof(buf));
    if (n < 0) {
        c->broken = true;
        gdprintk(c->d,
                 "console ring: out_prod - out_cons exceeds %zu; "
                 "console output ignored from now on",
                 sizeof(c->intf->out));
    } else if (n > 0) {
        domain_console_write(c->d, buf, (size_t)n);
    }
    pthread_mutex_unlock(&c->out_lock);
    if (n > 0)
        evtchn_host_send(c->d, c->host_port); /* room in out[] again */
}

/* Input: what the host queued goes into in[] as far as it has room. */
static void put_input(struct console_back *c)
{
    int n = 0;

    pthread_mutex_lock(&c->in_lock);
    if (c->nr_pending > 0)
        n = console_ring_put(c->intf, c->pending, c->nr_pending);
    if (n < 0) {
        c->in_broken = true;
        c->nr_pending = 0;
    } else if (n > 0) {
        c->nr_pending -= (size_t)n;
        memmove(c->pending, c->pending + n, c->nr_pending);
    }
    pthread_mutex_unlock(&c->in_lock);
    if (n > 0)
        evtchn_host_send(c->d, c->host_port);
}

/* The worker's function: the guest kicked, or the host has input. */
static void console_work(void *opaque)
{
    struct console_back *c = opaque;

    take_output(c);
    put_input(c);
}

int console_backend_input(struct domain *d, const char *buf, size_t len)
{
    struct console_back *c = d->backends ? d->backends->console : NULL;
    size_t n;

    if (!c)
        return -ENODEV;
    pthread_mutex_lock(&c->in_lock);
    if (c->in_broken) {
        pthread_mutex_unlock(&c->in_lock);
        return -EIO;
    }
    n = sizeof(c->pending) - c->nr_pending;
    if (n > len)
        n = len;
    memcpy(c->pending + c->nr_pending, buf, n);
    c->nr_pending += n;
    pthread_mutex_unlock(&c->in_lock);
    if (n > 0)
        worker_kick(&c->worker);
    return (int)n;
}

static int publish(struct domain *d, uint64_t pfn, evtchn_port_t port)
{
    static const char *const keys[] = {"ring-ref", "port", "limit", "type",
                                       "output"};
    char vals[5][32], path[96];
    int rc = 0;

    snprintf(vals[0], sizeof(vals[0]), "%llu", (unsigned long long)pfn);
    snprintf(vals[1], sizeof(vals[1]), "%u", port);
    /* xenconsoled's bound on a console's buffer: here, the budget's burst. */
    snprintf(vals[2], sizeof(vals[2]), "%u", CONSOLE_BURST);
    snprintf(vals[3], sizeof(vals[3]), "xenconsoled");
    snprintf(vals[4], sizeof(vals[4]), "pvhv");
    for (size_t i = 0; i < 5 && rc == 0; i++) {
        snprintf(path, sizeof(path), "/local/domain/%u/console/%s", d->domid,
                 keys[i]);
        rc = xenstore_write(d->hv->xs, path, vals[i]);
    }
    return rc;
}

/* d->console_drain: console_io is about to write; our ring goes first. */
static void console_drain(void *opaque)
{
    take_output(opaque);
}

static void console_free(struct console_back *c)
{
    worker_stop(&c->worker); /* a last pass: output queued is not lost */
    if (c->host_port)
        evtchn_host_close(c->d, c->host_port);
    pthread_mutex_destroy(&c->out_lock);
    pthread_mutex_destroy(&c->in_lock);
    free(c);
}

static int console_setup(struct domain *d, struct pvhv_error *err)
{
    uint64_t pfn = d->hvm_param[HVM_PARAM_CONSOLE_PFN];
    struct console_back *c = calloc(1, sizeof(*c));
    evtchn_port_t guest_port;
    int rc = -ENOMEM;

    if (!c)
        goto fail;
    c->d = d;
    pthread_mutex_init(&c->out_lock, NULL);
    pthread_mutex_init(&c->in_lock, NULL);
    c->intf = guest_ram_ptr(&d->ram, pfn << 12, GUEST_PAGE);
    rc = -EINVAL;
    if (!c->intf)
        goto fail;
    memset(c->intf, 0, GUEST_PAGE);
    c->intf->connection = XENCONSOLE_CONNECTED;
    rc = worker_start(&c->worker, d->hv->platform, "pvhv-console", console_work,
                      c);
    if (rc < 0)
        goto fail;
    rc = evtchn_host_bind(d, worker_notify, &c->worker, &guest_port,
                          &c->host_port);
    if (rc < 0)
        goto fail;
    rc = publish(d, pfn, guest_port);
    if (rc < 0)
        goto fail;
    d->hvm_param[HVM_PARAM_CONSOLE_EVTCHN] = guest_port;
    d->backends->console = c;
    d->console_drain_opaque = c;
    d->console_drain = console_drain;
    return 0;
fail:
    pvhv_error_set(err, "cannot set up the console ring at pfn 0x%llx: %s",
                   (unsigned long long)pfn, strerror(-rc));
    if (c)
        console_free(c);
    return rc;
}

int step_console(struct domain *d, const struct domain_config *cfg,
                 struct pvhv_error *err)
{
    unsigned int pos = 0;
    const struct domain_device *c = domain_device_next(cfg, "console", &pos);
    int rc;

    if (!c)
        return 0; /* pvhv.c lists one for every PV domain */
    if (domain_device_next(cfg, "console", &pos)) {
        pvhv_error_set(err, "%s: a domain has one PV console", c->origin);
        return -EINVAL;
    }
    d->backends = calloc(1, sizeof(*d->backends));
    if (!d->backends) {
        pvhv_error_set(err, "out of memory");
        return -ENOMEM;
    }
    rc = console_setup(d, err);
    if (rc < 0) {
        free(d->backends);
        d->backends = NULL;
    }
    return rc;
}

void unstep_console(struct domain *d)
{
    if (!d->backends)
        return;
    d->console_drain = NULL;
    d->console_drain_opaque = NULL;
    if (d->backends->console)
        console_free(d->backends->console);
    free(d->backends);
    d->backends = NULL;
}

const struct device_type console_backend = {
    .name = "console",
    .type = "console",
    .attach = step_console,
    .detach = unstep_console,
};
