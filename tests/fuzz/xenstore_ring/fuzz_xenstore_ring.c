/* SPDX-License-Identifier: MIT */
/* fuzz_xenstore_ring.c: fuzz target: a guest driving its XenStore ring. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvabi/xs_wire.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/instance.h"
#include "core/registry.h"
#include "core/schedule.h"
#include "core/xenstore/ring.h"
#include "core/xenstore/xenstore.h"
#include "host/loop.h"
#include "platform/platforms.h"

/* KVM's operations, on each domain's own platform state. */
static struct platform fuzz_platform = {.ops = &platform_kvm};

/*
 * Each input gets a fresh store, host ports (domain 0's event channels)
 * and guest 1 (one vCPU, no KVM) whose ring page is at guest-physical 0,
 * served by the real core/xenstore/ring.c on a host loop (one for the
 * process; a kick waits until the loop served it). The input is a list
 * of guest actions, one byte each (its low 3 bits), most with arguments
 * from the following bytes:
 *   0 PUT n, n bytes: copies them into req[] from req_prod on and moves
 *     req_prod over them, as much as the free space allows (a well-behaved
 *     writer; requests cross the ring's end wherever n puts them);
 *   1 PROD d16: moves req_prod by d without writing (hostile: past the
 *     ring, backwards);
 *   2 KICK: the guest notifies its store port;
 *   3 READ n16: consumes up to n bytes of rsp[] as a reader should, and
 *     checks the store's framing (headers, payload lengths);
 *   4 REQCONS v32 / 5 RSPPROD v32 / 6 RSPCONS v32: the guest overwrites
 *     an index it should leave alone;
 *   7 WRITE v8: dom0 writes /local/domain/1/data/<v>, which fires the
 *     guest's watches (the events other domains' changes cause).
 * Checks, while the guest has not touched the store's indexes: the store
 * never fills rsp[] past its size, and never consumes requests the guest
 * did not produce; a producer more than a ring ahead closes the ring with
 * XENSTORE_ERROR_RINGIDX.
 */
#define RAM_SIZE 0x4000ULL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The response stream as a reader parses it. */
struct reader {
    struct xsd_sockmsg hdr;
    uint32_t hdr_got, pay_left;
};

static void console_drop(void *opaque, const char *buf, size_t len)
{
    (void)opaque, (void)buf, (void)len;
}

static struct domain *mkdom(struct pvhv *hv)
{
    struct domain *d = calloc(1, sizeof(*d));

    if (!d || registry_add(&hv->registry, d) != 0)
        abort();
    d->hv = hv;
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->stopped, NULL);
    atomic_init(&d->state, DOMAIN_RUNNING);
    snprintf(d->name, sizeof(d->name), "fuzz%u", d->domid);
    d->console = console_drop;
    d->shared_info = calloc(1, 4096);
    d->ram.host = aligned_alloc(4096, RAM_SIZE);
    d->vcpus = calloc(1, sizeof(*d->vcpus));
    if (!d->shared_info || !d->ram.host || !d->vcpus)
        abort();
    memset(d->ram.host, 0, RAM_SIZE);
    d->ram.size = d->ram.low_size = RAM_SIZE;
    d->nr_vcpus = 1;
    d->vcpus[0].domain = d;
    d->vcpus[0].vcpu_info = &d->shared_info->vcpu_info[0];
    vcpu_schedule_init(&d->vcpus[0]);
    atomic_store(&d->vcpus[0].up, true);
    if (evtchn_domain_init(d, 0) != 0)
        abort();
    return d;
}

static void rmdom(struct domain *d)
{
    registry_remove(&d->hv->registry, d);
    evtchn_domain_destroy(d);
    vcpu_schedule_fini(&d->vcpus[0]);
    pthread_cond_destroy(&d->stopped);
    pthread_mutex_destroy(&d->lock);
    free(d->vcpus);
    free(d->shared_info);
    free(d->ram.host);
    free(d);
}

static uint32_t arg(const uint8_t *data, size_t size, size_t *off,
                    unsigned int bytes)
{
    uint32_t v = 0;

    for (unsigned int i = 0; i < bytes && *off < size; i++)
        v |= (uint32_t)data[(*off)++] << (8 * i);
    return v;
}

/*
 * Consumes up to (n) bytes of rsp[], checking the framing on the way
 * unless the guest (tampered) with the indexes.
 */
static void read_rsp(struct xenstore_domain_interface *in, struct reader *rd,
                     uint32_t n, bool tampered)
{
    XENSTORE_RING_IDX cons = in->rsp_cons, prod = in->rsp_prod;

    if (tampered) {
        in->rsp_cons = cons + (n < prod - cons ? n : prod - cons);
        return;
    }
    if (prod - cons > XENSTORE_RING_SIZE) {
        fprintf(stderr, "the store filled rsp[] with %u bytes\n", prod - cons);
        abort();
    }
    for (; n && cons != prod; n--, cons++) {
        uint8_t b = (uint8_t)in->rsp[MASK_XENSTORE_IDX(cons)];

        if (rd->pay_left) {
            rd->pay_left--;
            continue;
        }
        ((uint8_t *)&rd->hdr)[rd->hdr_got++] = b;
        if (rd->hdr_got < sizeof(rd->hdr))
            continue;
        rd->hdr_got = 0;
        if (rd->hdr.len > XENSTORE_PAYLOAD_MAX ||
            rd->hdr.type >= XS_TYPE_COUNT) {
            fprintf(stderr, "the store sent type %u with %u bytes\n",
                    rd->hdr.type, rd->hdr.len);
            abort();
        }
        rd->pay_left = rd->hdr.len;
    }
    in->rsp_cons = cons;
}

/* PUT: (n) input bytes at req_prod, within the free space. */
static void put(struct xenstore_domain_interface *in, const uint8_t *src,
                uint32_t n)
{
    XENSTORE_RING_IDX prod = in->req_prod;
    uint32_t used = prod - in->req_cons, room;

    room = used < XENSTORE_RING_SIZE ? XENSTORE_RING_SIZE - used : 0;
    n = n < room ? n : room;
    for (uint32_t i = 0; i < n; i++)
        in->req[MASK_XENSTORE_IDX(prod + i)] = (char)src[i];
    in->req_prod = prod + n;
}

static struct host_loop *loop;

static void nothing(void *opaque)
{
    (void)opaque;
}

static void kick(struct domain *d1, evtchn_port_t port,
                 struct xenstore_domain_interface *in, bool tampered)
{
    XENSTORE_RING_IDX prod = in->req_prod, cons = in->req_cons;
    bool overrun = prod - cons > XENSTORE_RING_SIZE, open = !in->error;

    evtchn_send(d1, port);
    host_loop_run(loop, nothing, NULL); /* the ring was served */
    if (tampered)
        return;
    if (in->rsp_prod - in->rsp_cons > XENSTORE_RING_SIZE ||
        in->req_cons - cons > prod - cons) {
        fprintf(stderr, "ring indexes after a kick: req %u/%u rsp %u/%u\n",
                in->req_cons, in->req_prod, in->rsp_cons, in->rsp_prod);
        abort();
    }
    if (overrun && open && in->error != XENSTORE_ERROR_RINGIDX) {
        fprintf(stderr, "a producer %u bytes ahead left error %u\n",
                prod - cons, in->error);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t uuid[16] = {0xf0, 0x22};
    static struct pvhv hv; /* its registry and host ports only */
    struct domain *d1;
    struct xenstore *xs;
    struct xenstore_ring *ring;
    struct xenstore_domain_interface *in;
    struct reader rd = {0};
    evtchn_port_t port;
    bool tampered = false;
    char path[64];
    size_t off = 0;

    if (!loop && host_loop_start(&loop) != 0)
        abort();
    registry_init(&hv.registry);
    hv.platform = &fuzz_platform;
    if (evtchn_host_create(&hv.host_ports) != 0)
        abort();
    d1 = mkdom(&hv);
    if (xenstore_create(&xs) != 0 ||
        xenstore_domain_introduce(xs, d1->domid, "fuzz", uuid) != 0 ||
        xenstore_ring_create(d1, xs, loop, 0, &ring, &port) != 0)
        abort();
    in = (struct xenstore_domain_interface *)d1->ram.host;
    while (off < size) {
        uint8_t op = data[off++] & 7;
        uint32_t n;

        switch (op) {
        case 0:
            n = arg(data, size, &off, 1);
            n = n < size - off ? n : (uint32_t)(size - off);
            put(in, data + off, n);
            off += n;
            break;
        case 1:
            in->req_prod += (uint16_t)arg(data, size, &off, 2);
            break;
        case 2:
            kick(d1, port, in, tampered);
            break;
        case 3:
            read_rsp(in, &rd, arg(data, size, &off, 2), tampered);
            break;
        case 4:
        case 5:
        case 6:
            n = arg(data, size, &off, 4);
            tampered = true;
            *(op == 4   ? &in->req_cons
              : op == 5 ? &in->rsp_prod
                        : &in->rsp_cons) = n;
            break;
        case 7:
            snprintf(path, sizeof(path), "/local/domain/%u/data/%u", d1->domid,
                     arg(data, size, &off, 1));
            xenstore_write(xs, path, "v");
            break;
        }
    }
    xenstore_ring_destroy(ring);
    xenstore_domain_release(xs, d1->domid);
    xenstore_destroy(xs);
    rmdom(d1);
    evtchn_host_destroy(hv.host_ports);
    registry_fini(&hv.registry);
    return 0;
}
