/* SPDX-License-Identifier: MIT */
/* check_doorbell.c: the inter-domain doorbell: its registers, its line, bad
 * values, and rings between hvm domains built over the fake platform. */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain.h"
#include "core/log.h"
#include "domain_fixture.h"
#include "emulated/doorbell.h"
#include "emulated/emulated.h"
#include "fake_platform.h"

/* ---- The register model: two doorbells rung through a fake path ------- */

static struct doorbell a, b;
static bool level[2];
static unsigned int changes[2];
static int ring_rc; /* what the fake path answers besides ringing b */

static void irq(void *opaque, bool l)
{
    int i = opaque == &b;

    level[i] = l;
    changes[i]++;
}

/* A's rings reach B when PEER is B's id; others fail as ring_rc says. */
static int ring(void *opaque, uint32_t peer)
{
    struct doorbell *from = opaque;

    if (peer != b.id)
        return ring_rc;
    doorbell_lock(&b);
    doorbell_receive(&b, from->id);
    doorbell_unlock(&b);
    return 0;
}

static void setup(void)
{
    memset(level, 0, sizeof(level));
    memset(changes, 0, sizeof(changes));
    ring_rc = -ESRCH;
    doorbell_init(&a, 3, ring, irq, &a);
    doorbell_init(&b, 7, ring, irq, &b);
}

static void teardown(void)
{
    doorbell_fini(&a);
    doorbell_fini(&b);
}

static uint32_t rd(struct doorbell *db, unsigned int reg)
{
    uint32_t v = 0xdeadbeef;

    ck_assert(doorbell_read(db, reg, &v));
    return v;
}

static void wr(struct doorbell *db, unsigned int reg, uint32_t v)
{
    ck_assert(doorbell_write(db, reg, v));
}

START_TEST(test_reset_state)
{
    ck_assert_uint_eq(rd(&a, DOORBELL_ID), 3);
    ck_assert_uint_eq(rd(&b, DOORBELL_ID), 7);
    ck_assert_uint_eq(rd(&a, DOORBELL_PEER), DOORBELL_NOBODY);
    ck_assert_uint_eq(rd(&a, DOORBELL_RING), 0);
    ck_assert_uint_eq(rd(&a, DOORBELL_STATUS), 0);
    ck_assert_uint_eq(rd(&a, DOORBELL_ERROR), 0);
    ck_assert_uint_eq(rd(&a, DOORBELL_SOURCE), DOORBELL_NOBODY);
    ck_assert(!level[0] && !level[1]);
    ck_assert_uint_eq(changes[0] + changes[1], 0);
}
END_TEST

START_TEST(test_ring_and_ack)
{
    wr(&a, DOORBELL_PEER, 7);
    ck_assert_uint_eq(rd(&a, DOORBELL_PEER), 7);
    wr(&a, DOORBELL_RING, 0);
    ck_assert_uint_eq(rd(&a, DOORBELL_RING), 1); /* delivered */
    ck_assert_uint_eq(rd(&b, DOORBELL_STATUS), 1);
    ck_assert_uint_eq(rd(&b, DOORBELL_SOURCE), 3);
    ck_assert(level[1] && !level[0]);
    ck_assert_uint_eq(changes[1], 1);
    /* A second ring coalesces: one more pending, no new edge. */
    wr(&a, DOORBELL_RING, 0);
    ck_assert_uint_eq(rd(&b, DOORBELL_STATUS), 2);
    ck_assert_uint_eq(changes[1], 1);
    /* Acknowledging one of two: low, then high again (a new edge). */
    wr(&b, DOORBELL_STATUS, 1);
    ck_assert_uint_eq(rd(&b, DOORBELL_STATUS), 1);
    ck_assert(level[1]);
    ck_assert_uint_eq(changes[1], 3);
    /* Acknowledging more than pending: none left, the line low. */
    wr(&b, DOORBELL_STATUS, 5);
    ck_assert_uint_eq(rd(&b, DOORBELL_STATUS), 0);
    ck_assert(!level[1]);
    ck_assert_uint_eq(changes[1], 4);
    /* An acknowledge with nothing pending changes nothing. */
    wr(&b, DOORBELL_STATUS, 1);
    ck_assert_uint_eq(changes[1], 4);
    ck_assert_uint_eq(rd(&a, DOORBELL_ERROR), 0);
    ck_assert_uint_eq(rd(&a, DOORBELL_STATUS), 0); /* the ringer's own */
}
END_TEST

START_TEST(test_bad_peers)
{
    /* No such domain: NO_PEER, nothing delivered; the bit stays. */
    wr(&a, DOORBELL_PEER, 9);
    wr(&a, DOORBELL_RING, 1);
    ck_assert_uint_eq(rd(&a, DOORBELL_ERROR), DOORBELL_ERR_NO_PEER);
    ck_assert_uint_eq(rd(&a, DOORBELL_RING), 0);
    ring_rc = -EINVAL;
    wr(&a, DOORBELL_PEER, 0xffffffff);
    ck_assert_uint_eq(rd(&a, DOORBELL_PEER), 0xffffffff);
    wr(&a, DOORBELL_RING, 1);
    ck_assert_uint_eq(rd(&a, DOORBELL_ERROR), DOORBELL_ERR_MASK);
    /* Write 1 to clear, bit by bit; other bits written are ignored. */
    wr(&a, DOORBELL_ERROR, DOORBELL_ERR_NO_PEER | 0xf0);
    ck_assert_uint_eq(rd(&a, DOORBELL_ERROR), DOORBELL_ERR_BAD_PEER);
    wr(&a, DOORBELL_ERROR, 0xffffffff);
    ck_assert_uint_eq(rd(&a, DOORBELL_ERROR), 0);
    /* A later good ring works and leaves ERROR clear. */
    wr(&a, DOORBELL_PEER, 7);
    wr(&a, DOORBELL_RING, 1);
    ck_assert_uint_eq(rd(&a, DOORBELL_ERROR), 0);
    ck_assert_uint_eq(rd(&b, DOORBELL_STATUS), 1);
    ck_assert_uint_eq(changes[0], 0); /* the ringer's line never moved */
}
END_TEST

START_TEST(test_read_only_and_unknown)
{
    uint32_t v = 0x1234;

    wr(&a, DOORBELL_ID, 99);
    wr(&a, DOORBELL_SOURCE, 99);
    ck_assert_uint_eq(rd(&a, DOORBELL_ID), 3);
    ck_assert_uint_eq(rd(&a, DOORBELL_SOURCE), DOORBELL_NOBODY);
    /* Offsets that are no register: refused, (v) untouched. */
    for (unsigned int reg = DOORBELL_REGS; reg < DOORBELL_PORTS; reg += 4) {
        ck_assert(!doorbell_read(&a, reg, &v));
        ck_assert(!doorbell_write(&a, reg, 1));
    }
    ck_assert(!doorbell_read(&a, 2, &v));
    ck_assert(!doorbell_write(&a, 0x0a, 1));
    ck_assert_uint_eq(v, 0x1234);
    ck_assert_uint_eq(rd(&b, DOORBELL_STATUS), 0);
}
END_TEST

/* A ringer in a tight loop: the count coalesces and saturates, one edge. */
START_TEST(test_flood_coalesces)
{
    wr(&a, DOORBELL_PEER, 7);
    for (int i = 0; i < 100000; i++)
        wr(&a, DOORBELL_RING, 0);
    ck_assert_uint_eq(rd(&b, DOORBELL_STATUS), 100000);
    ck_assert_uint_eq(changes[1], 1);
    b.pending = UINT32_MAX - 1;
    wr(&a, DOORBELL_RING, 0);
    wr(&a, DOORBELL_RING, 0);
    ck_assert_uint_eq(rd(&b, DOORBELL_STATUS), UINT32_MAX);
    ck_assert_uint_eq(changes[1], 1);
    wr(&b, DOORBELL_STATUS, UINT32_MAX);
    ck_assert_uint_eq(rd(&b, DOORBELL_STATUS), 0);
    ck_assert(!level[1]);
}
END_TEST

/* A domain may ring itself: its own lock is not held while it does. */
START_TEST(test_ring_self)
{
    wr(&b, DOORBELL_PEER, 7);
    wr(&b, DOORBELL_RING, 0);
    ck_assert_uint_eq(rd(&b, DOORBELL_STATUS), 1);
    ck_assert_uint_eq(rd(&b, DOORBELL_SOURCE), 7);
}
END_TEST

/* ---- Between domains built by domain_build ----------------------------- */

#define RAM_SIZE (4ULL << 20)

static struct domain *mkdom(uint16_t domid, bool hvm)
{
    struct pvhv_domain_config cfg;
    struct domain *d;

    fixture_config(&cfg, RAM_SIZE);
    cfg.hvm = hvm;
    d = fixture_domain(&cfg, domid);
    atomic_store(&d->state, DOMAIN_RUNNING); /* no vCPU runs all the same */
    return d;
}

/* port: a 32-bit access of (d)'s vCPU 0 to doorbell register (reg). */
static uint32_t port_read(struct domain *d, unsigned int reg)
{
    uint32_t v = 0;

    io_access(&d->vcpus[0], IO_SPACE_PORT, DOORBELL_BASE + reg, (uint8_t *)&v,
              4, 1, false);
    return v;
}

static void port_write(struct domain *d, unsigned int reg, uint32_t v)
{
    io_access(&d->vcpus[0], IO_SPACE_PORT, DOORBELL_BASE + reg, (uint8_t *)&v,
              4, 1, true);
}

static char logged[4096];

static void log_sink(enum log_level lvl, const char *msg)
{
    (void)lvl;
    if (strlen(logged) + strlen(msg) + 2 < sizeof(logged)) {
        strcat(logged, msg);
        strcat(logged, "\n");
    }
}

START_TEST(test_between_domains)
{
    struct domain *h1 = mkdom(11, true), *h2 = mkdom(12, true);
    struct domain *pv = mkdom(13, false);
    struct domain *idle = mkdom(14, true);
    unsigned int before = fake_platform_irq_changes[DOORBELL_IRQ];
    uint16_t v16 = 0x5555;

    atomic_store(&idle->state, DOMAIN_CREATED); /* built, never started */
    logged[0] = '\0';
    log_set_sink(log_sink);
    ck_assert_uint_eq(port_read(h1, DOORBELL_ID), 11);
    ck_assert_uint_eq(port_read(h2, DOORBELL_ID), 12);
    port_write(h1, DOORBELL_PEER, 12);
    port_write(h1, DOORBELL_RING, 1);
    ck_assert_uint_eq(port_read(h2, DOORBELL_STATUS), 1);
    ck_assert_uint_eq(port_read(h2, DOORBELL_SOURCE), 11);
    ck_assert_uint_eq(port_read(h1, DOORBELL_RING), 1);
    ck_assert(fake_platform_irq_level[DOORBELL_IRQ]);
    ck_assert_uint_eq(fake_platform_irq_changes[DOORBELL_IRQ], before + 1);
    port_write(h2, DOORBELL_STATUS, 1);
    ck_assert(!fake_platform_irq_level[DOORBELL_IRQ]);
    ck_assert_uint_eq(port_read(h1, DOORBELL_ERROR), 0);

    /* No domain 77, a PV domain, one not running, the host, no id: each
     * an error bit for the ringer, nothing for anyone else. */
    static const uint32_t bad[] = {77, 13, 14, 0, 0x7ff0, 0x10000};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        port_write(h1, DOORBELL_ERROR, DOORBELL_ERR_MASK);
        port_write(h1, DOORBELL_PEER, bad[i]);
        port_write(h1, DOORBELL_RING, 1);
        ck_assert_uint_eq(port_read(h1, DOORBELL_ERROR),
                          bad[i] >= 0x7ff0 ? DOORBELL_ERR_BAD_PEER
                                           : DOORBELL_ERR_NO_PEER);
    }
    ck_assert_uint_eq(port_read(h1, DOORBELL_RING), 1);
    ck_assert_uint_eq(port_read(h2, DOORBELL_STATUS), 0);
    ck_assert_uint_eq(port_read(idle, DOORBELL_STATUS), 0);
    ck_assert_uint_eq(fake_platform_irq_changes[DOORBELL_IRQ], before + 2);
    ck_assert_ptr_nonnull(
        strstr(logged, "doorbell: domain 77 is no running hvm domain"));
    ck_assert_ptr_nonnull(strstr(logged, "doorbell: PEER 0x10000 is no "
                                         "domain id, not rung"));

    /* Not 32 bits, or not at a register: the unclaimed policy. */
    io_access(&h1->vcpus[0], IO_SPACE_PORT, DOORBELL_BASE + DOORBELL_ID,
              (uint8_t *)&v16, 2, 1, false);
    ck_assert_uint_eq(v16, 0xffff);
    ck_assert_uint_eq(port_read(h1, DOORBELL_REGS), 0xffffffff);
    ck_assert_uint_eq(port_read(h1, 2), 0xffffffff);
    /* A PV domain has no doorbell at all. */
    ck_assert_uint_eq(port_read(pv, DOORBELL_ID), 0xffffffff);
    log_set_sink(NULL);

    /* Gone from the registry: a ring to it fails, and its ringer goes on. */
    port_write(h2, DOORBELL_PEER, 11);
    fixture_destroy(h1);
    port_write(h2, DOORBELL_RING, 1);
    ck_assert_uint_eq(port_read(h2, DOORBELL_ERROR), DOORBELL_ERR_NO_PEER);
    fixture_destroy(idle);
    fixture_destroy(pv);
    fixture_destroy(h2);
}
END_TEST

/* A ringer in a loop on another thread while its target is torn down:
 * rings land until the target leaves the registry, then fail; no ring
 * touches the target's doorbell after it is gone. */
struct ringer {
    struct domain *d;
    _Atomic bool stop;
    unsigned long rings;
};

static void *ring_loop(void *opaque)
{
    struct ringer *r = opaque;

    while (!atomic_load(&r->stop)) {
        port_write(r->d, DOORBELL_RING, 1);
        r->rings++;
    }
    return NULL;
}

START_TEST(test_ring_during_teardown)
{
    struct domain *target = mkdom(21, true), *from = mkdom(22, true);
    struct ringer r = {.d = from};
    pthread_t t;
    uint32_t delivered;

    log_set_sink(log_sink); /* the refusals, rate-limited, kept quiet */
    port_write(from, DOORBELL_PEER, 21);
    ck_assert_int_eq(pthread_create(&t, NULL, ring_loop, &r), 0);
    while (port_read(from, DOORBELL_RING) < 100)
        ;
    fixture_destroy(target);
    delivered = port_read(from, DOORBELL_RING);
    port_write(from, DOORBELL_ERROR, DOORBELL_ERR_MASK);
    while (!(port_read(from, DOORBELL_ERROR) & DOORBELL_ERR_NO_PEER))
        ;
    atomic_store(&r.stop, true);
    pthread_join(t, NULL);
    log_set_sink(NULL);
    /* Once it was gone, nothing more was delivered. */
    ck_assert_uint_ge(delivered, 100);
    ck_assert_uint_le(port_read(from, DOORBELL_RING), delivered + 1);
    ck_assert_uint_gt(r.rings, delivered);
    fixture_destroy(from);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("doorbell");
    TCase *tc = tcase_create("registers");
    TCase *dom = tcase_create("domains");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reset_state);
    tcase_add_test(tc, test_ring_and_ack);
    tcase_add_test(tc, test_bad_peers);
    tcase_add_test(tc, test_read_only_and_unknown);
    tcase_add_test(tc, test_flood_coalesces);
    tcase_add_test(tc, test_ring_self);
    suite_add_tcase(s, tc);
    tcase_add_test(dom, test_between_domains);
    tcase_add_test(dom, test_ring_during_teardown);
    suite_add_tcase(s, dom);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
