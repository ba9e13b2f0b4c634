/* SPDX-License-Identifier: MIT */
/* check_event_channel.c: event channel states, the 2-level delivery rule, host
 * ports. */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pvabi/compat.h"
#include "pvabi/errno.h"
#include "pvabi/event_channel.h"
#include "pvabi/sched.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/event_channel_internal.h"
#include "core/exits.h"
#include "core/hypercall.h"
#include "core/instance.h"
#include "core/registry.h"
#include "core/schedule.h"
#include "domain_fixture.h"

#define RAM_SIZE (1ULL << 20)
#define ARG 0x1000ULL /* where hypercall arguments go in guest RAM */

/*
 * Three guests, built by domain_build over the fake platform: A (id 1,
 * two vCPUs), B (id 2) and C (id 3, with only 4 ports), in one instance
 * whose host ports are the remote end of host channels (domain 0). Each
 * starts with no port bound (fixture_free_ports) and every vCPU up.
 */
static struct domain *da, *db, *dc;

static struct domain *mkdom(uint16_t domid, unsigned int nr_vcpus,
                            unsigned int max_ports)
{
    struct pvhv_domain_config cfg;
    struct domain *d;

    fixture_config(&cfg, RAM_SIZE);
    cfg.vcpus = nr_vcpus;
    cfg.max_event_channels = max_ports;
    d = fixture_domain(&cfg, domid);
    fixture_free_ports(d);
    for (unsigned int i = 0; i < nr_vcpus; i++)
        atomic_store(&d->vcpus[i].up, true);
    return d;
}

/* rmdom: (d) torn down (NULL: none); the instance stays. */
static void rmdom(struct domain *d)
{
    if (d)
        fixture_teardown(d);
}

static void setup(void)
{
    da = mkdom(1, 2, 0);
    db = mkdom(2, 1, 0);
    dc = mkdom(3, 1, 4);
    ck_assert_uint_eq(da->domid, 1);
    ck_assert_uint_eq(db->domid, 2);
    ck_assert_uint_eq(dc->domid, 3);
}

static void teardown(void)
{
    rmdom(da);
    rmdom(db);
    rmdom(dc);
    fixture_destroy(NULL);
}

/* host_status: EVTCHNOP_status of the host's (port), as domain 0 sees it. */
static struct evtchn_status host_status(evtchn_port_t p)
{
    struct evtchn_status st = {.dom = HOST_DOMID, .port = p};

    ck_assert_int_eq(evtchn_host_status(fixture_instance()->host_ports, &st),
                     0);
    return st;
}

/* ---- Helpers ----------------------------------------------------------- */

static bool pending(struct domain *d, evtchn_port_t p)
{
    return d->shared_info->evtchn_pending[p / 64] & (1ULL << (p % 64));
}

static void mask(struct domain *d, evtchn_port_t p)
{
    d->shared_info->evtchn_mask[p / 64] |= 1ULL << (p % 64);
}

static struct vcpu_info *vi(struct domain *d, unsigned int vcpu)
{
    return &d->shared_info->vcpu_info[vcpu];
}

/* clear_events: what a guest's upcall handler leaves behind. */
static void clear_events(struct domain *d)
{
    memset(d->shared_info->evtchn_pending, 0,
           sizeof(d->shared_info->evtchn_pending));
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        vi(d, i)->evtchn_pending_sel = 0;
        vi(d, i)->evtchn_upcall_pending = 0;
    }
}

static unsigned int nr_pending_words(struct domain *d)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < 64; i++)
        n += d->shared_info->evtchn_pending[i] != 0;
    return n;
}

static evtchn_port_t alloc(struct domain *d, domid_t dom, domid_t remote)
{
    struct evtchn_alloc_unbound op = {.dom = dom, .remote_dom = remote};

    ck_assert_int_eq(evtchn_alloc_unbound(d, &op), 0);
    return op.port;
}

static int bind(struct domain *d, domid_t remote, evtchn_port_t rport,
                evtchn_port_t *lport)
{
    struct evtchn_bind_interdomain op = {.remote_dom = remote,
                                         .remote_port = rport};
    int rc = evtchn_bind_interdomain(d, &op);

    if (lport)
        *lport = op.local_port;
    return rc;
}

static struct evtchn_status status(struct domain *d, domid_t dom,
                                   evtchn_port_t p)
{
    struct evtchn_status st = {.dom = dom, .port = p};

    ck_assert_int_eq(evtchn_status(d, &st), 0);
    return st;
}

static int status_rc(struct domain *d, domid_t dom, evtchn_port_t p)
{
    struct evtchn_status st = {.dom = dom, .port = p};

    return evtchn_status(d, &st);
}

/* connect_ab: an A:(pa) <-> B:(pb) channel, B's pending bits cleared. */
static void connect_ab(evtchn_port_t *pa, evtchn_port_t *pb)
{
    *pa = alloc(da, DOMID_SELF, db->domid);
    ck_assert_int_eq(bind(db, da->domid, *pa, pb), 0);
    clear_events(da);
    clear_events(db);
}

static int ipi(struct domain *d, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_ipi op = {.vcpu = vcpu};
    int rc = evtchn_bind_ipi(d, &op);

    *port = op.port;
    return rc;
}

static int virq(struct domain *d, uint32_t virq, uint32_t vcpu,
                evtchn_port_t *port)
{
    struct evtchn_bind_virq op = {.virq = virq, .vcpu = vcpu};
    int rc = evtchn_bind_virq(d, &op);

    *port = op.port;
    return rc;
}

/* ---- State machine ----------------------------------------------------- */

START_TEST(test_alloc_bind_close)
{
    evtchn_port_t pa, pb;
    struct evtchn_status st;

    pa = alloc(da, DOMID_SELF, db->domid);
    ck_assert_uint_eq(pa, 1);
    st = status(da, DOMID_SELF, pa);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(st.u.unbound.dom, db->domid);
    ck_assert_uint_eq(st.vcpu, 0);

    ck_assert_int_eq(bind(db, da->domid, pa, &pb), 0);
    ck_assert_uint_eq(pb, 1);
    /* The new local port starts pending, with the whole 2-level rule. */
    ck_assert(pending(db, pb));
    ck_assert_uint_eq(vi(db, 0)->evtchn_pending_sel, 1);
    ck_assert_uint_eq(vi(db, 0)->evtchn_upcall_pending, 1);
    ck_assert(!pending(da, pa));
    st = status(da, DOMID_SELF, pa);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_interdomain);
    ck_assert_uint_eq(st.u.interdomain.dom, db->domid);
    ck_assert_uint_eq(st.u.interdomain.port, pb);
    st = status(db, db->domid, pb);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_interdomain);
    ck_assert_uint_eq(st.u.interdomain.dom, da->domid);
    ck_assert_uint_eq(st.u.interdomain.port, pa);

    /* Closing A's end: B's reverts to unbound, offered to A. */
    ck_assert_int_eq(evtchn_close(da, pa), 0);
    ck_assert_uint_eq(status(da, DOMID_SELF, pa).status, EVTCHNSTAT_closed);
    st = status(db, DOMID_SELF, pb);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(st.u.unbound.dom, da->domid);
    ck_assert(pending(db, pb)); /* the peer's bits are left alone */

    /* ... and A binds it again, getting its lowest free port. */
    clear_events(da);
    ck_assert_int_eq(bind(da, db->domid, pb, &pa), 0);
    ck_assert_uint_eq(pa, 1);
    ck_assert(pending(da, pa));
    ck_assert_uint_eq(status(db, DOMID_SELF, pb).u.interdomain.port, pa);
    /* A channel binds once: the port is no longer unbound. */
    ck_assert_int_eq(bind(dc, db->domid, pb, NULL), -XEN_EINVAL);
}
END_TEST

START_TEST(test_lowest_free_port)
{
    evtchn_port_t p[4];

    for (unsigned int i = 0; i < 4; i++)
        ck_assert_uint_eq(p[i] = alloc(da, DOMID_SELF, 0), i + 1);
    ck_assert_int_eq(evtchn_close(da, p[1]), 0);
    ck_assert_int_eq(evtchn_close(da, p[2]), 0);
    ck_assert_uint_eq(alloc(da, da->domid, DOMID_SELF), 2);
    ck_assert_uint_eq(status(da, DOMID_SELF, 2).u.unbound.dom, da->domid);
    ck_assert_uint_eq(alloc(da, DOMID_SELF, 0), 3);
    ck_assert_uint_eq(alloc(da, DOMID_SELF, 0), 5);
}
END_TEST

START_TEST(test_loopback)
{
    evtchn_port_t p1 = alloc(da, DOMID_SELF, DOMID_SELF), p2;

    ck_assert_int_eq(bind(da, DOMID_SELF, p1, &p2), 0);
    ck_assert_uint_eq(p2, 2);
    clear_events(da);
    ck_assert_int_eq(evtchn_send(da, p1), 0);
    ck_assert(pending(da, p2));
    ck_assert(!pending(da, p1));
    ck_assert_int_eq(evtchn_close(da, p2), 0);
    ck_assert_uint_eq(status(da, DOMID_SELF, p1).status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(status(da, DOMID_SELF, p1).u.unbound.dom, da->domid);
}
END_TEST

/* ---- Delivery ---------------------------------------------------------- */

START_TEST(test_send_bits)
{
    evtchn_port_t pa, pb, dummy;

    /* Push B's end into word 1: ports 1..65 are IPIs. */
    for (unsigned int i = 0; i < 65; i++)
        ck_assert_int_eq(ipi(db, 0, &dummy), 0);
    connect_ab(&pa, &pb);
    ck_assert_uint_eq(pb, 66);
    ck_assert_int_eq(evtchn_send(da, pa), 0);
    ck_assert_uint_eq(db->shared_info->evtchn_pending[1], 1ULL << 2);
    ck_assert_uint_eq(nr_pending_words(db), 1);
    ck_assert_uint_eq(vi(db, 0)->evtchn_pending_sel, 1ULL << 1);
    ck_assert_uint_eq(vi(db, 0)->evtchn_upcall_pending, 1);
    ck_assert_uint_eq(nr_pending_words(da), 0);
    ck_assert_uint_eq(vi(da, 0)->evtchn_upcall_pending, 0);

    /* Already pending: nothing more happens (the edge is merged). */
    vi(db, 0)->evtchn_upcall_pending = 0;
    vi(db, 0)->evtchn_pending_sel = 0;
    ck_assert_int_eq(evtchn_send(da, pa), 0);
    ck_assert_uint_eq(vi(db, 0)->evtchn_pending_sel, 0);
    ck_assert_uint_eq(vi(db, 0)->evtchn_upcall_pending, 0);

    /* Selector already set: pending bit only, no new upcall. */
    clear_events(db);
    vi(db, 0)->evtchn_pending_sel = 1ULL << 1;
    ck_assert_int_eq(evtchn_send(da, pa), 0);
    ck_assert(pending(db, pb));
    ck_assert_uint_eq(vi(db, 0)->evtchn_upcall_pending, 0);

    /* The other way round. */
    ck_assert_int_eq(evtchn_send(db, pb), 0);
    ck_assert(pending(da, pa));
    ck_assert_uint_eq(vi(da, 0)->evtchn_pending_sel, 1);
    ck_assert_uint_eq(vi(da, 0)->evtchn_upcall_pending, 1);
    ck_assert_uint_eq(vi(da, 1)->evtchn_upcall_pending, 0);
}
END_TEST

/*
 * A per-vCPU upcall vector is raised once per upcall, when
 * upcall_pending becomes set, and taken by the vCPU's own loop
 * (exit_lapic_upcall); the domain's callback vector is then not injected.
 */
START_TEST(test_upcall_vector_edge)
{
    struct vcpu *v = &db->vcpus[0];
    evtchn_port_t pa, pb;

    connect_ab(&pa, &pb);
    db->callback_vector = 0xf3;
    v->upcall_vector = 0xe9;
    ck_assert_int_eq(evtchn_send(da, pa), 0);
    ck_assert_uint_eq(vi(db, 0)->evtchn_upcall_pending, 1);
    ck_assert(v->upcall_raise);
    ck_assert_uint_eq(exit_upcall_vector(v), 0);
    ck_assert_uint_eq(exit_lapic_upcall(v), 0xe9);
    ck_assert_uint_eq(exit_lapic_upcall(v), 0);
    /* Still pending (the guest has not run): no second edge. */
    clear_events(db);
    vi(db, 0)->evtchn_upcall_pending = 1;
    ck_assert_int_eq(evtchn_send(da, pa), 0);
    ck_assert(!v->upcall_raise);
    /* The guest's handler cleared it: the next event raises it again. */
    clear_events(db);
    ck_assert_int_eq(evtchn_send(da, pa), 0);
    ck_assert_uint_eq(exit_lapic_upcall(v), 0xe9);
    /* Without one, the callback vector is injected while pending. */
    v->upcall_vector = 0;
    ck_assert_uint_eq(exit_upcall_vector(v), 0xf3);
    ck_assert_uint_eq(exit_lapic_upcall(v), 0);
}
END_TEST

START_TEST(test_masked_then_unmask)
{
    evtchn_port_t pa, pb;

    connect_ab(&pa, &pb);
    mask(db, pb);
    ck_assert_int_eq(evtchn_send(da, pa), 0);
    ck_assert(pending(db, pb));
    ck_assert_uint_eq(vi(db, 0)->evtchn_pending_sel, 0);
    ck_assert_uint_eq(vi(db, 0)->evtchn_upcall_pending, 0);
    /* Unmask catches the edge up. */
    ck_assert_int_eq(evtchn_unmask(db, pb), 0);
    ck_assert_uint_eq(db->shared_info->evtchn_mask[0], 0);
    ck_assert_uint_eq(vi(db, 0)->evtchn_pending_sel, 1);
    ck_assert_uint_eq(vi(db, 0)->evtchn_upcall_pending, 1);
    /* Unmasking a port that was not masked re-delivers nothing (Xen). */
    vi(db, 0)->evtchn_pending_sel = 0;
    vi(db, 0)->evtchn_upcall_pending = 0;
    ck_assert_int_eq(evtchn_unmask(db, pb), 0);
    ck_assert_uint_eq(vi(db, 0)->evtchn_upcall_pending, 0);
    /* Masked and not pending: unmask only clears the mask. */
    clear_events(db);
    mask(db, pb);
    ck_assert_int_eq(evtchn_unmask(db, pb), 0);
    ck_assert_uint_eq(db->shared_info->evtchn_mask[0], 0);
    ck_assert_uint_eq(vi(db, 0)->evtchn_upcall_pending, 0);
    ck_assert_int_eq(evtchn_unmask(db, EVTCHN_DEFAULT_MAX + 1), -XEN_EINVAL);
}
END_TEST

START_TEST(test_ipi_and_vcpu)
{
    evtchn_port_t p;

    ck_assert_int_eq(ipi(da, 1, &p), 0);
    ck_assert_uint_eq(status(da, DOMID_SELF, p).status, EVTCHNSTAT_ipi);
    ck_assert_uint_eq(status(da, DOMID_SELF, p).vcpu, 1);
    ck_assert_int_eq(evtchn_send(da, p), 0);
    ck_assert(pending(da, p));
    ck_assert_uint_eq(vi(da, 1)->evtchn_upcall_pending, 1);
    ck_assert_uint_eq(vi(da, 0)->evtchn_upcall_pending, 0);
    ck_assert_int_eq(ipi(da, 2, &p), -XEN_ENOENT);
}
END_TEST

START_TEST(test_virq)
{
    evtchn_port_t p, p2;

    ck_assert_int_eq(virq(da, VIRQ_TIMER, 1, &p), 0);
    ck_assert_uint_eq(da->vcpus[1].virq_port[VIRQ_TIMER], p);
    ck_assert_uint_eq(status(da, DOMID_SELF, p).status, EVTCHNSTAT_virq);
    ck_assert_uint_eq(status(da, DOMID_SELF, p).u.virq, VIRQ_TIMER);
    ck_assert_uint_eq(status(da, DOMID_SELF, p).vcpu, 1);
    ck_assert_int_eq(virq(da, VIRQ_TIMER, 1, &p2), -XEN_EEXIST);
    ck_assert_int_eq(virq(da, VIRQ_TIMER, 0, &p2), 0); /* per vCPU */
    ck_assert_int_eq(virq(da, VIRQ_CONSOLE, 1, &p2), -XEN_EINVAL);
    ck_assert_int_eq(virq(da, NR_VIRQS, 0, &p2), -XEN_EINVAL);
    ck_assert_int_eq(virq(da, VIRQ_TIMER, 2, &p2), -XEN_ENOENT);
    /* Only the hypervisor raises a VIRQ. */
    ck_assert_int_eq(evtchn_send(da, p), -XEN_EINVAL);
    evtchn_send_virq(&da->vcpus[1], VIRQ_TIMER);
    ck_assert(pending(da, p));
    ck_assert_uint_eq(vi(da, 1)->evtchn_upcall_pending, 1);
    ck_assert_uint_eq(vi(da, 0)->evtchn_upcall_pending, 0);
    evtchn_send_virq(&da->vcpus[0], VIRQ_DEBUG); /* not bound: nothing */
    ck_assert_uint_eq(vi(da, 0)->evtchn_upcall_pending, 0);
    /* Closing unbinds; the VIRQ binds again. */
    ck_assert_int_eq(evtchn_close(da, p), 0);
    ck_assert_uint_eq(da->vcpus[1].virq_port[VIRQ_TIMER], 0);
    ck_assert(!pending(da, p));
    ck_assert_int_eq(virq(da, VIRQ_TIMER, 1, &p2), 0);
    ck_assert_uint_eq(p2, p);
}
END_TEST

START_TEST(test_bind_vcpu)
{
    struct evtchn_bind_vcpu op;
    evtchn_port_t pa, pb, pi, pt, pg;

    connect_ab(&pa, &pb);
    ck_assert_int_eq(ipi(da, 0, &pi), 0);
    ck_assert_int_eq(virq(da, VIRQ_TIMER, 0, &pt), 0);
    ck_assert_int_eq(virq(da, VIRQ_CONSOLE, 0, &pg), 0);
    op = (struct evtchn_bind_vcpu){.port = pa, .vcpu = 1};
    ck_assert_int_eq(evtchn_bind_vcpu(da, &op), 0);
    ck_assert_uint_eq(status(da, DOMID_SELF, pa).vcpu, 1);
    ck_assert_int_eq(evtchn_send(db, pb), 0);
    ck_assert_uint_eq(vi(da, 1)->evtchn_upcall_pending, 1);
    ck_assert_uint_eq(vi(da, 0)->evtchn_upcall_pending, 0);
    op.port = pi;
    ck_assert_int_eq(evtchn_bind_vcpu(da, &op), -XEN_EINVAL);
    op.port = pt;
    ck_assert_int_eq(evtchn_bind_vcpu(da, &op), -XEN_EINVAL);
    op.port = pg; /* a global VIRQ moves */
    ck_assert_int_eq(evtchn_bind_vcpu(da, &op), 0);
    clear_events(da);
    evtchn_send_virq(&da->vcpus[0], VIRQ_CONSOLE);
    ck_assert_uint_eq(vi(da, 1)->evtchn_upcall_pending, 1);
    op.port = 100; /* closed */
    ck_assert_int_eq(evtchn_bind_vcpu(da, &op), -XEN_EINVAL);
    op.port = 0;
    ck_assert_int_eq(evtchn_bind_vcpu(da, &op), -XEN_EINVAL);
    op = (struct evtchn_bind_vcpu){.port = pa, .vcpu = 2};
    ck_assert_int_eq(evtchn_bind_vcpu(da, &op), -XEN_ENOENT);
}
END_TEST

/* ---- shared_info in the 32-bit layout (pvabi/compat.h) ----------------- */

START_TEST(test_compat_layout)
{
    struct compat_shared_info *cs = (void *)da->shared_info;
    struct compat_vcpu_info *cvi = &cs->vcpu_info[0];
    struct vcpu *v = &da->vcpus[0];
    evtchn_port_t p = 0;

    v->ctx.compat = true;
    da->boot_realtime_ns = 1234567890123456789ULL;
    evtchn_latch_layout(v);
    ck_assert(da->shared_info_compat);
    /* The wall clock where the 32-bit layout has it. */
    ck_assert_uint_eq(cs->wc_version % 2, 0);
    ck_assert_uint_ne(cs->wc_version, 0);
    ck_assert_uint_eq(cs->wc_sec, 1234567890);
    ck_assert_uint_eq(cs->wc_nsec, 123456789);
    ck_assert_uint_eq(cs->arch.wc_sec_hi, 0);
    while (p < 40)
        ck_assert_int_eq(ipi(da, 0, &p), 0);
    /* Masked at the 32-bit layout's evtchn_mask: pending, no selector. */
    cs->evtchn_mask[p / 32] |= 1U << (p % 32);
    cvi->arch.cr2 = 0x5eec;
    ck_assert_int_eq(evtchn_send(da, p), 0);
    ck_assert(pending(da, p)); /* the same bits in both layouts */
    ck_assert_uint_eq(cvi->evtchn_pending_sel, 0);
    ck_assert_uint_eq(cvi->evtchn_upcall_pending, 0);
    ck_assert_int_eq(evtchn_unmask(da, p), 0);
    ck_assert_uint_eq(cvi->evtchn_pending_sel, 1U << (p / 32));
    ck_assert_uint_eq(cvi->evtchn_upcall_pending, 1);
    ck_assert_uint_eq(cvi->arch.cr2, 0x5eec);
    /* 1024 ports: none beyond, and nothing is written beyond. */
    ck_assert(!evtchn_is_pending(da, 1024));
    /* The 64-bit layout again, latched from a 64-bit caller. */
    v->ctx.compat = false;
    evtchn_latch_layout(v);
    ck_assert(!da->shared_info_compat);
    ck_assert_uint_ne(da->shared_info->wc_version, 0);
}
END_TEST

/* ---- Errors and permissions -------------------------------------------- */

START_TEST(test_permissions)
{
    struct evtchn_alloc_unbound au = {.dom = 2, .remote_dom = DOMID_SELF};
    evtchn_port_t pa, pi;

    ck_assert_int_eq(evtchn_alloc_unbound(da, &au), -XEN_EPERM);
    au.dom = 99;
    ck_assert_int_eq(evtchn_alloc_unbound(da, &au), -XEN_ESRCH);
    /* As on Xen, the remote domain need not exist yet. */
    au = (struct evtchn_alloc_unbound){.dom = DOMID_SELF, .remote_dom = 99};
    ck_assert_int_eq(evtchn_alloc_unbound(da, &au), 0);
    ck_assert_uint_eq(status(da, DOMID_SELF, au.port).u.unbound.dom, 99);
    ck_assert_int_eq(evtchn_close(da, au.port), 0);
    /* Offered to B: C may not bind it, B may. */
    pa = alloc(da, DOMID_SELF, db->domid);
    ck_assert_int_eq(bind(dc, da->domid, pa, NULL), -XEN_EINVAL);
    ck_assert_uint_eq(status(da, DOMID_SELF, pa).status, EVTCHNSTAT_unbound);
    ck_assert_int_eq(bind(db, 99, pa, NULL), -XEN_ESRCH);
    ck_assert_int_eq(ipi(da, 0, &pi), 0);
    ck_assert_int_eq(bind(db, da->domid, pi, NULL), -XEN_EINVAL);
    ck_assert_int_eq(bind(db, da->domid, 0, NULL), -XEN_EINVAL);
    ck_assert_int_eq(bind(db, da->domid, 500, NULL), -XEN_EINVAL);
    ck_assert_int_eq(bind(db, da->domid, 5000, NULL), -XEN_EINVAL);
    /* B's port numbers are B's own: it cannot close or send on A's. */
    ck_assert_int_eq(evtchn_close(db, pa), -XEN_EINVAL);
    ck_assert_int_eq(evtchn_send(db, pa), -XEN_EINVAL);
    ck_assert_int_eq(status_rc(db, da->domid, pa), -XEN_EPERM);
    ck_assert_int_eq(status_rc(db, 99, pa), -XEN_ESRCH);
    /* A privileged domain acts on others. */
    db->privileged = true;
    ck_assert_uint_eq(status(db, da->domid, pa).status, EVTCHNSTAT_unbound);
    au = (struct evtchn_alloc_unbound){.dom = dc->domid,
                                       .remote_dom = DOMID_SELF};
    ck_assert_int_eq(evtchn_alloc_unbound(db, &au), 0);
    ck_assert_uint_eq(status(dc, DOMID_SELF, au.port).u.unbound.dom, db->domid);
}
END_TEST

START_TEST(test_bad_ports)
{
    evtchn_port_t pa = alloc(da, DOMID_SELF, db->domid);

    ck_assert_int_eq(evtchn_close(da, 0), -XEN_EINVAL);
    ck_assert_int_eq(evtchn_close(da, 7), -XEN_EINVAL);
    ck_assert_int_eq(evtchn_close(da, EVTCHN_DEFAULT_MAX + 1), -XEN_EINVAL);
    ck_assert_int_eq(evtchn_close(da, UINT32_MAX), -XEN_EINVAL);
    ck_assert_int_eq(evtchn_send(da, 0), -XEN_EINVAL);
    ck_assert_int_eq(evtchn_send(da, 7), -XEN_EINVAL);
    ck_assert_int_eq(evtchn_send(da, UINT32_MAX), -XEN_EINVAL);
    /* Sending on an unbound port is dropped silently, as on Xen. */
    ck_assert_int_eq(evtchn_send(da, pa), 0);
    ck_assert_uint_eq(nr_pending_words(da) + nr_pending_words(db), 0);
    ck_assert_uint_eq(status(da, DOMID_SELF, 0).status, EVTCHNSTAT_closed);
    ck_assert_uint_eq(status(da, DOMID_SELF, EVTCHN_DEFAULT_MAX).status,
                      EVTCHNSTAT_closed);
    ck_assert_int_eq(status_rc(da, DOMID_SELF, EVTCHN_DEFAULT_MAX + 1),
                     -XEN_EINVAL);
    ck_assert_int_eq(evtchn_close(da, pa), 0);
    ck_assert_int_eq(evtchn_close(da, pa), -XEN_EINVAL);
}
END_TEST

START_TEST(test_exhaustion)
{
    struct domain *d = mkdom(4, 1, 0);
    evtchn_port_t p;

    for (unsigned int i = 1; i <= 4; i++)
        ck_assert_uint_eq(alloc(dc, DOMID_SELF, 0), i);
    struct evtchn_alloc_unbound au = {.dom = DOMID_SELF};
    ck_assert_int_eq(evtchn_alloc_unbound(dc, &au), -XEN_ENOSPC);
    ck_assert_int_eq(ipi(dc, 0, &p), -XEN_ENOSPC);
    ck_assert_int_eq(virq(dc, VIRQ_TIMER, 0, &p), -XEN_ENOSPC);
    p = alloc(da, DOMID_SELF, dc->domid);
    ck_assert_int_eq(bind(dc, da->domid, p, NULL), -XEN_ENOSPC);
    ck_assert_int_eq(status_rc(dc, DOMID_SELF, 5), -XEN_EINVAL);
    ck_assert_int_eq(evtchn_close(dc, 5), -XEN_EINVAL);
    ck_assert_int_eq(evtchn_close(dc, 4), 0);
    ck_assert_int_eq(bind(dc, da->domid, p, NULL), 0);
    /* A table's size: at most EVTCHN_2L_MAX ports (D without one). */
    evtchn_domain_destroy(d);
    ck_assert_int_eq(evtchn_domain_init(d, EVTCHN_2L_MAX + 1), -EINVAL);
    ck_assert_int_eq(evtchn_domain_init(d, EVTCHN_2L_MAX), 0);
    evtchn_domain_destroy(d);
    ck_assert_ptr_null(d->evtchn);
    rmdom(d);
}
END_TEST

/* ---- Host ports and teardown ------------------------------------------- */

static unsigned int host_calls;
static evtchn_port_t host_reply_port;

/* A host endpoint that answers at once: the sender's lock is not held. */
static void host_cb(void *opaque)
{
    ck_assert_ptr_eq(opaque, &host_calls);
    host_calls++;
    if (host_reply_port)
        ck_assert_int_eq(evtchn_host_send(da, host_reply_port), 0);
}

START_TEST(test_host_ports)
{
    evtchn_port_t gp, hp;
    struct evtchn_status st;

    host_calls = 0;
    host_reply_port = 0;
    ck_assert_int_eq(evtchn_host_bind(da, host_cb, &host_calls, &gp, &hp), 0);
    ck_assert_uint_eq(gp, 1);
    ck_assert_uint_eq(hp, 1);
    st = status(da, DOMID_SELF, gp);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_interdomain);
    ck_assert_uint_eq(st.u.interdomain.dom, 0);
    ck_assert_uint_eq(st.u.interdomain.port, hp);
    ck_assert(!pending(da, gp));
    /* Guest -> host: the callback; host -> guest: the 2-level rule. */
    ck_assert_int_eq(evtchn_send(da, gp), 0);
    ck_assert_uint_eq(host_calls, 1);
    ck_assert_int_eq(evtchn_host_send(da, hp), 0);
    ck_assert(pending(da, gp));
    ck_assert_uint_eq(vi(da, 0)->evtchn_upcall_pending, 1);
    clear_events(da);
    host_reply_port = hp;
    ck_assert_int_eq(evtchn_send(da, gp), 0);
    ck_assert_uint_eq(host_calls, 2);
    ck_assert(pending(da, gp));
    ck_assert_int_eq(evtchn_host_send(da, hp + 1), -EINVAL);
    ck_assert_int_eq(evtchn_host_send(db, hp), -EINVAL);
    /* The guest closes its end: the host's is unbound, sends dropped. */
    clear_events(da);
    ck_assert_int_eq(evtchn_close(da, gp), 0);
    st = host_status(hp);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(st.u.unbound.dom, da->domid);
    ck_assert_int_eq(evtchn_host_send(da, hp), 0);
    ck_assert_uint_eq(nr_pending_words(da), 0);
    evtchn_host_close(da, hp);
    ck_assert_uint_eq(host_status(hp).status, EVTCHNSTAT_closed);
}
END_TEST

START_TEST(test_host_close)
{
    evtchn_port_t gp, hp, gp2, hp2;
    struct evtchn_status st;

    ck_assert_int_eq(evtchn_host_bind(da, host_cb, &host_calls, &gp, &hp), 0);
    ck_assert_int_eq(evtchn_host_bind(db, host_cb, &host_calls, &gp2, &hp2), 0);
    ck_assert_uint_eq(hp2, hp + 1);
    evtchn_host_close(db, hp); /* not B's: refused */
    ck_assert_uint_eq(host_status(hp).status, EVTCHNSTAT_interdomain);
    evtchn_host_close(da, hp);
    ck_assert_uint_eq(host_status(hp).status, EVTCHNSTAT_closed);
    st = status(da, DOMID_SELF, gp);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(st.u.unbound.dom, 0);
    ck_assert_int_eq(evtchn_send(da, gp), 0); /* dropped */
    /* The guest may bind the host's unbound ports like any other. */
    ck_assert_int_eq(evtchn_close(db, gp2), 0);
    ck_assert_int_eq(bind(db, 0, hp2, &gp2), 0);
    host_calls = 0;
    host_reply_port = 0;
    ck_assert_int_eq(evtchn_send(db, gp2), 0);
    ck_assert_uint_eq(host_calls, 1);
}
END_TEST

START_TEST(test_destroy_reverts_peers)
{
    evtchn_port_t pa, pb, gp, hp;
    domid_t a = da->domid;

    connect_ab(&pa, &pb);
    ck_assert_int_eq(evtchn_host_bind(da, host_cb, &host_calls, &gp, &hp), 0);
    rmdom(da);
    da = NULL;
    ck_assert_uint_eq(status(db, DOMID_SELF, pb).status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(status(db, DOMID_SELF, pb).u.unbound.dom, a);
    ck_assert_int_eq(evtchn_send(db, pb), 0);
    ck_assert_uint_eq(host_status(hp).status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(host_status(hp).u.unbound.dom, a);
    /* The host's ports go last and take B's host-bound ports with them. */
    ck_assert_int_eq(evtchn_host_bind(db, host_cb, &host_calls, &gp, &hp), 0);
    evtchn_host_destroy(fixture_instance()->host_ports);
    ck_assert_int_eq(evtchn_host_create(&fixture_instance()->host_ports), 0);
    ck_assert_uint_eq(status(db, DOMID_SELF, gp).status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(status(db, DOMID_SELF, gp).u.unbound.dom, 0);
}
END_TEST

/*
 * What a guest sees of domain 0, the host's ports: another domain's table
 * it may not act on without privilege, whose unbound ports offered to it
 * it may bind. A privileged caller reads and allocates there.
 */
START_TEST(test_host_is_domain_0)
{
    struct evtchn_alloc_unbound au = {.dom = HOST_DOMID, .remote_dom = 0};
    evtchn_port_t gp, hp, hp2;

    ck_assert_int_eq(status_rc(da, HOST_DOMID, 1), -XEN_EPERM);
    ck_assert_int_eq(evtchn_alloc_unbound(da, &au), -XEN_EPERM);
    ck_assert_int_eq(bind(da, HOST_DOMID, 1, NULL), -XEN_EINVAL); /* closed */
    ck_assert_int_eq(bind(da, HOST_DOMID, 0, NULL), -XEN_EINVAL);
    ck_assert_int_eq(bind(da, HOST_DOMID, EVTCHN_2L_MAX + 1, NULL),
                     -XEN_EINVAL);
    /* A port offered to domain 0 is bound by the host, not by a guest. */
    gp = alloc(da, DOMID_SELF, HOST_DOMID);
    ck_assert_int_eq(bind(db, da->domid, gp, NULL), -XEN_EINVAL);
    ck_assert_int_eq(
        evtchn_host_bind_existing(da, gp, host_cb, &host_calls, &hp), 0);
    ck_assert_uint_eq(status(da, DOMID_SELF, gp).u.interdomain.dom, 0);
    ck_assert_uint_eq(host_status(hp).u.interdomain.dom, da->domid);
    ck_assert_uint_eq(host_status(hp).u.interdomain.port, gp);
    ck_assert_int_eq(
        evtchn_host_bind_existing(da, gp, host_cb, &host_calls, &hp2), -EINVAL);
    /* Another guest's host port, unbound once A closed its end: not B's. */
    ck_assert_int_eq(evtchn_close(da, gp), 0);
    ck_assert_int_eq(bind(db, HOST_DOMID, hp, NULL), -XEN_EINVAL);
    /* Privileged: the host's ports are read and offered like others'. */
    db->privileged = true;
    ck_assert_uint_eq(status(db, HOST_DOMID, hp).status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(status(db, HOST_DOMID, hp).u.unbound.dom, da->domid);
    ck_assert_int_eq(status_rc(db, HOST_DOMID, EVTCHN_2L_MAX + 1), -XEN_EINVAL);
    au = (struct evtchn_alloc_unbound){.dom = HOST_DOMID,
                                       .remote_dom = DOMID_SELF};
    ck_assert_int_eq(evtchn_alloc_unbound(db, &au), 0);
    ck_assert_uint_eq(au.port, hp + 1);
    ck_assert_uint_eq(host_status(au.port).u.unbound.dom, db->domid);
    ck_assert_int_eq(bind(db, HOST_DOMID, au.port, &gp), 0);
    ck_assert_uint_eq(status(db, DOMID_SELF, gp).u.interdomain.port, au.port);
    evtchn_host_close(da, hp);
    ck_assert_uint_eq(host_status(hp).status, EVTCHNSTAT_closed);
}
END_TEST

/* ---- The hypercall ----------------------------------------------------- */

static long evtchn_call(struct domain *d, uint32_t cmd, const void *op,
                        size_t len)
{
    const uint64_t arg[5] = {cmd, ARG, 0, 0, 0};

    memcpy(d->ram.host + ARG, op, len);
    return do_event_channel_op(&d->vcpus[0], arg);
}

START_TEST(test_hypercall)
{
    struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = 2};
    struct evtchn_bind_interdomain bi = {.remote_dom = 1, .remote_port = 1};
    struct evtchn_status st = {.dom = DOMID_SELF, .port = 1};
    struct evtchn_send sd = {.port = 1};
    const uint64_t bad[5] = {EVTCHNOP_send, RAM_SIZE - 2, 0, 0, 0};

    ck_assert_int_eq(evtchn_call(da, EVTCHNOP_alloc_unbound, &au, sizeof(au)),
                     0);
    memcpy(&au, da->ram.host + ARG, sizeof(au));
    ck_assert_uint_eq(au.port, 1);
    ck_assert_int_eq(
        evtchn_call(db, EVTCHNOP_bind_interdomain, &bi, sizeof(bi)), 0);
    memcpy(&bi, db->ram.host + ARG, sizeof(bi));
    ck_assert_uint_eq(bi.local_port, 1);
    ck_assert_int_eq(evtchn_call(da, EVTCHNOP_status, &st, sizeof(st)), 0);
    memcpy(&st, da->ram.host + ARG, sizeof(st));
    ck_assert_uint_eq(st.status, EVTCHNSTAT_interdomain);
    ck_assert_uint_eq(st.u.interdomain.dom, 2);
    clear_events(db);
    ck_assert_int_eq(evtchn_call(da, EVTCHNOP_send, &sd, sizeof(sd)), 0);
    ck_assert(pending(db, 1));
    ck_assert_int_eq(evtchn_call(da, EVTCHNOP_close, &sd, sizeof(sd)), 0);
    ck_assert_int_eq(evtchn_call(da, EVTCHNOP_close, &sd, sizeof(sd)),
                     -XEN_EINVAL);
    ck_assert_int_eq(do_event_channel_op(&da->vcpus[0], bad), -XEN_EFAULT);
    ck_assert_int_eq(evtchn_call(da, EVTCHNOP_reset, &sd, sizeof(sd)),
                     -XEN_ENOSYS);
    ck_assert_int_eq(evtchn_call(da, EVTCHNOP_bind_pirq, &sd, sizeof(sd)),
                     -XEN_ENOSYS);
    ck_assert_int_eq(evtchn_call(da, 99, &sd, sizeof(sd)), -XEN_ENOSYS);
}
END_TEST

/* Xen's answers to the FIFO ABI's ops, for a domain on the 2-level ABI. */
START_TEST(test_fifo_answers)
{
    struct evtchn_init_control ic = {.control_gfn = 1, .offset = 0};
    struct evtchn_expand_array ea = {.array_gfn = 1};
    struct evtchn_set_priority sp = {.port = 1, .priority = 3};
    const uint64_t bad[5] = {EVTCHNOP_init_control, RAM_SIZE - 8, 0, 0, 0};

    ck_assert_int_eq(evtchn_call(da, EVTCHNOP_init_control, &ic, sizeof(ic)),
                     -XEN_ENOSYS);
    /* link_bits is OUT only on success: untouched. */
    ck_assert_uint_eq(da->ram.host[ARG + 16], 0);
    ic.vcpu = da->nr_vcpus;
    ck_assert_int_eq(evtchn_call(da, EVTCHNOP_init_control, &ic, sizeof(ic)),
                     -XEN_ENOENT);
    ic.vcpu = 0;
    ic.offset = XEN_PAGE_SIZE - 72;
    ck_assert_int_eq(evtchn_call(da, EVTCHNOP_init_control, &ic, sizeof(ic)),
                     -XEN_ENOSYS);
    ic.offset = XEN_PAGE_SIZE - 64;
    ck_assert_int_eq(evtchn_call(da, EVTCHNOP_init_control, &ic, sizeof(ic)),
                     -XEN_EINVAL);
    ic.offset = 4;
    ck_assert_int_eq(evtchn_call(da, EVTCHNOP_init_control, &ic, sizeof(ic)),
                     -XEN_EINVAL);
    ic.offset = 0;
    ic.control_gfn = RAM_SIZE >> XEN_PAGE_SHIFT;
    ck_assert_int_eq(evtchn_call(da, EVTCHNOP_init_control, &ic, sizeof(ic)),
                     -XEN_EINVAL);
    ic.control_gfn = ~0ULL;
    ck_assert_int_eq(evtchn_call(da, EVTCHNOP_init_control, &ic, sizeof(ic)),
                     -XEN_EINVAL);
    ck_assert_int_eq(do_event_channel_op(&da->vcpus[0], bad), -XEN_EFAULT);
    ck_assert_int_eq(evtchn_call(da, EVTCHNOP_expand_array, &ea, sizeof(ea)),
                     -XEN_EOPNOTSUPP);
    ck_assert_int_eq(evtchn_call(da, EVTCHNOP_set_priority, &sp, sizeof(sp)),
                     -XEN_ENOSYS);
    sp.port = 0; /* valid in Xen's sense: it is in the table */
    ck_assert_int_eq(evtchn_call(da, EVTCHNOP_set_priority, &sp, sizeof(sp)),
                     -XEN_ENOSYS);
    sp.port = 5000; /* beyond the largest table */
    ck_assert_int_eq(evtchn_call(da, EVTCHNOP_set_priority, &sp, sizeof(sp)),
                     -XEN_EINVAL);
}
END_TEST

/* ---- Blocking: SCHEDOP_block and SCHEDOP_poll --------------------------- */

struct sched_call {
    struct vcpu *v;
    uint32_t cmd;
    long rc;
};

static void *sched_thread(void *opaque)
{
    struct sched_call *c = opaque;
    const uint64_t arg[5] = {c->cmd, ARG, 0, 0, 0};

    c->rc = do_sched_op(c->v, arg);
    return NULL;
}

/* wait_blocked: until (v) sleeps in vcpu_block (the test's only sync). */
static void wait_blocked(struct vcpu *v)
{
    for (;;) {
        pthread_mutex_lock(&v->wake_lock);
        bool b = v->blocked;
        pthread_mutex_unlock(&v->wake_lock);
        if (b)
            return;
        sched_yield();
    }
}

static void poll_args(struct domain *d, const evtchn_port_t *ports, uint32_t n,
                      uint64_t timeout)
{
    struct sched_poll sp = {
        .ports = ARG + 64, .nr_ports = n, .timeout = timeout};

    memcpy(d->ram.host + ARG, &sp, sizeof(sp));
    memcpy(d->ram.host + ARG + 64, ports, n * sizeof(*ports));
}

START_TEST(test_block)
{
    struct sched_call c = {&da->vcpus[0], SCHEDOP_block, -1};
    pthread_t t;
    evtchn_port_t p;

    ck_assert_int_eq(ipi(da, 0, &p), 0);
    vi(da, 0)->evtchn_upcall_mask = 1;
    ck_assert_int_eq(pthread_create(&t, NULL, sched_thread, &c), 0);
    wait_blocked(c.v);
    ck_assert_uint_eq(vi(da, 0)->evtchn_upcall_mask, 0);
    ck_assert_int_eq(evtchn_send(da, p), 0);
    pthread_join(t, NULL);
    ck_assert_int_eq(c.rc, 0);
    /* With an upcall already pending, block returns at once. */
    sched_thread(&c);
    ck_assert_int_eq(c.rc, 0);
}
END_TEST

START_TEST(test_poll)
{
    struct sched_call c = {&da->vcpus[1], SCHEDOP_poll, -1};
    evtchn_port_t pa, pb, ports[2];
    pthread_t t;

    connect_ab(&pa, &pb);
    ports[0] = 7;
    ports[1] = pa;
    /* A masked port: no upcall, yet the poller wakes. */
    mask(da, pa);
    poll_args(da, ports, 2, 0);
    ck_assert_int_eq(pthread_create(&t, NULL, sched_thread, &c), 0);
    wait_blocked(c.v);
    ck_assert_int_eq(evtchn_send(db, pb), 0);
    pthread_join(t, NULL);
    ck_assert_int_eq(c.rc, 0);
    ck_assert_uint_eq(vi(da, 0)->evtchn_upcall_pending, 0);
    /* Already pending: at once. A timeout in the past: at once too. */
    sched_thread(&c);
    ck_assert_int_eq(c.rc, 0);
    ports[1] = 8;
    poll_args(da, ports, 2, 1);
    sched_thread(&c);
    ck_assert_int_eq(c.rc, 0);
}
END_TEST

START_TEST(test_poll_errors)
{
    struct sched_call c = {&da->vcpus[0], SCHEDOP_poll, -1};
    evtchn_port_t ports[129] = {0};

    poll_args(da, ports, 129, 1);
    sched_thread(&c);
    ck_assert_int_eq(c.rc, -XEN_EINVAL);
    ports[3] = EVTCHN_DEFAULT_MAX + 1;
    poll_args(da, ports, 4, 1);
    sched_thread(&c);
    ck_assert_int_eq(c.rc, -XEN_EINVAL);
    poll_args(da, ports, 3, 1);
    memcpy(da->ram.host + ARG, &(uint64_t){RAM_SIZE - 4}, 8);
    sched_thread(&c);
    ck_assert_int_eq(c.rc, -XEN_EFAULT);
    const uint64_t bad[5] = {SCHEDOP_poll, RAM_SIZE - 8, 0, 0, 0};
    ck_assert_int_eq(do_sched_op(c.v, bad), -XEN_EFAULT);
}
END_TEST

static Suite *event_channel_suite(void)
{
    Suite *s = suite_create("event_channel");
    TCase *states = tcase_create("states");
    TCase *delivery = tcase_create("delivery");
    TCase *errors = tcase_create("errors");
    TCase *host = tcase_create("host");
    TCase *calls = tcase_create("hypercalls");

    tcase_add_checked_fixture(states, setup, teardown);
    tcase_add_test(states, test_alloc_bind_close);
    tcase_add_test(states, test_lowest_free_port);
    tcase_add_test(states, test_loopback);
    tcase_add_test(states, test_virq);
    tcase_add_test(states, test_bind_vcpu);
    suite_add_tcase(s, states);
    tcase_add_checked_fixture(delivery, setup, teardown);
    tcase_add_test(delivery, test_send_bits);
    tcase_add_test(delivery, test_upcall_vector_edge);
    tcase_add_test(delivery, test_masked_then_unmask);
    tcase_add_test(delivery, test_ipi_and_vcpu);
    suite_add_tcase(s, delivery);
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_add_test(errors, test_permissions);
    tcase_add_test(errors, test_bad_ports);
    tcase_add_test(errors, test_exhaustion);
    suite_add_tcase(s, errors);
    tcase_add_checked_fixture(host, setup, teardown);
    tcase_add_test(host, test_host_ports);
    tcase_add_test(host, test_host_close);
    tcase_add_test(host, test_destroy_reverts_peers);
    tcase_add_test(host, test_host_is_domain_0);
    suite_add_tcase(s, host);
    tcase_add_checked_fixture(calls, setup, teardown);
    tcase_add_test(calls, test_hypercall);
    tcase_add_test(calls, test_fifo_answers);
    tcase_add_test(calls, test_compat_layout);
    tcase_add_test(calls, test_block);
    tcase_add_test(calls, test_poll);
    tcase_add_test(calls, test_poll_errors);
    suite_add_tcase(s, calls);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(event_channel_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
