/* SPDX-License-Identifier: MIT */
/* check_blkback_serve.c: blkback serving a ring over each engine, real file. */
#define _GNU_SOURCE
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/backend.h"
#include "backends/blkback.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/grant_table.h"
#include "core/grant_table_internal.h"
#include "core/registry.h"
#include "domain_fixture.h"
#include "pvabi/grant_table.h"
#include "pvabi/io/blkif.h"

#define RAM_SIZE (1ULL << 20)
#define DISK_SECTORS 64
#define RING_GPA 0x1000ULL
#define HANDLE 51712 /* xvda */

/*
 * Guest 1 (domain_fixture.h), its grant refs 0 ... GRANTS - 1 granted
 * to domain 0, frame FIRST_DATA_GFN + ref each, the odd ones read-only,
 * as a frontend grants its buffers.
 */
#define FIRST_DATA_GFN 0x10ULL
#define GRANTS 16

static struct domain *guest;
static struct xenbus_dev dev;
static struct blkback b;
static struct blkif_sring *sring;
static bool use_sync;

static void ignore(void *opaque)
{
    (void)opaque;
}

/* The guest's page behind grant (ref): frame FIRST_DATA_GFN + ref. */
static uint8_t *page_of(grant_ref_t ref)
{
    return guest->ram.host + (FIRST_DATA_GFN + ref) * 4096;
}

/* grant_pages: what the frontend does to give domain 0 its buffers. */
static void grant_pages(struct domain *d)
{
    for (grant_ref_t ref = 0; ref < GRANTS; ref++) {
        struct grant_entry_v1 *e = gnttab_entry(d->gnttab, ref);

        e->domid = HOST_DOMID;
        e->frame = (uint32_t)(FIRST_DATA_GFN + ref);
        __atomic_store_n(&e->flags,
                         GTF_permit_access | (ref & 1 ? GTF_readonly : 0),
                         __ATOMIC_RELEASE);
    }
}

/* no_grant_in_use: the backend left none of (d)'s grants mapped. */
static void no_grant_in_use(struct domain *d)
{
    for (grant_ref_t ref = 0; ref < GRANTS; ref++)
        ck_assert_uint_eq(__atomic_load_n(&gnttab_entry(d->gnttab, ref)->flags,
                                          __ATOMIC_ACQUIRE) &
                              (GTF_reading | GTF_writing),
                          0);
}

/* A disk of DISK_SECTORS sectors, sector s filled with byte s. */
static int make_disk(void)
{
    char path[] = "/tmp/check_blkback_serve.XXXXXX";
    int fd = mkstemp(path);
    uint8_t sect[512];

    ck_assert_int_ge(fd, 0);
    unlink(path);
    for (int s = 0; s < DISK_SECTORS; s++) {
        memset(sect, s, sizeof(sect));
        ck_assert_int_eq(pwrite(fd, sect, 512, s * 512), 512);
    }
    return fd;
}

static void setup_engine(bool sync)
{
    struct pvhv_domain_config cfg;
    evtchn_port_t guest_port;
    char why[96];

    fixture_config(&cfg, RAM_SIZE);
    guest = fixture_domain(&cfg, 1);
    grant_pages(guest);
    memset(&dev, 0, sizeof(dev));
    memset(&b, 0, sizeof(b));
    snprintf(dev.be_path, sizeof(dev.be_path),
             "/local/domain/0/backend/vbd/1/%u", HANDLE);
    b.d = guest;
    b.dev = &dev;
    b.fd = make_disk();
    b.name = "check.img";
    b.geom.sectors = DISK_SECTORS;
    b.geom.handle = HANDLE;
    pthread_mutex_init(&b.ring_lock, NULL);
    ck_assert_int_eq(
        evtchn_host_bind(guest, ignore, NULL, &guest_port, &b.host_port), 0);
    ck_assert_int_eq(
        disk_io_open(&b.engine, b.fd, BLKBACK_DEPTH, sync, why, sizeof(why)),
        0);
    use_sync = b.engine.ops == &disk_io_sync;
    if (!sync && use_sync)
        printf("io_uring unavailable (%s): these cases run synchronously\n",
               why);
    blkback_io_init(&b);
    sring = (struct blkif_sring *)(guest->ram.host + RING_GPA);
    SHARED_RING_INIT(sring);
    BACK_RING_INIT(&b.ring, sring, 4096);
    b.connected = true;
}

static void setup_uring(void)
{
    setup_engine(false);
}

static void setup_sync(void)
{
    setup_engine(true);
}

static void teardown(void)
{
    no_grant_in_use(guest);
    b.engine.ops->close(&b.engine);
    close(b.fd);
    evtchn_host_close(guest, b.host_port);
    pthread_mutex_destroy(&b.ring_lock);
    fixture_destroy(guest);
}

/* Request slot (i): one segment of sectors [first, last] of page (ref). */
static void rq(unsigned int i, uint8_t op, uint64_t id, uint64_t sector,
               grant_ref_t ref, uint8_t first, uint8_t last)
{
    struct blkif_request *r = &sring->ring[i].req;

    memset(r, 0, sizeof(*r));
    r->operation = op;
    r->nr_segments = op == BLKIF_OP_FLUSH_DISKCACHE ? 0 : 1;
    r->handle = HANDLE;
    r->id = id;
    r->sector_number = sector;
    r->seg[0].gref = ref;
    r->seg[0].first_sect = first;
    r->seg[0].last_sect = last;
}

/* Publishes (n) requests and serves them; every one must be answered. */
static void serve(unsigned int n)
{
    __atomic_store_n(&sring->req_prod, n, __ATOMIC_RELEASE);
    blkback_serve(&b);
    ck_assert_uint_eq(sring->rsp_prod, n);
    ck_assert_uint_eq(b.engine.in_flight, 0);
}

/* The response slot that answers (id), or -1. */
static int answer_of(uint64_t id, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        if (sring->ring[i].rsp.id == id)
            return (int)i;
    return -1;
}

static int16_t status_of(uint64_t id, unsigned int n)
{
    int i = answer_of(id, n);

    ck_assert_int_ge(i, 0);
    return sring->ring[i].rsp.status;
}

/*
 * A write (queued in the io_uring) and a read of a sector the page cache
 * holds (done at submission): with io_uring the read, second in the
 * ring, is answered first; both are answered, with their own ids.
 */
START_TEST(test_answers_out_of_order_by_id)
{
    memset(page_of(0), 0xAB, 4096);
    rq(0, BLKIF_OP_WRITE, 100, 8, 0, 0, 0);
    rq(1, BLKIF_OP_READ, 101, 3, 2, 0, 0);
    serve(2);
    ck_assert_int_eq(status_of(100, 2), BLKIF_RSP_OKAY);
    ck_assert_int_eq(status_of(101, 2), BLKIF_RSP_OKAY);
    ck_assert_int_eq(answer_of(101, 2), use_sync ? 1 : 0);
    ck_assert_int_eq(sring->ring[answer_of(101, 2)].rsp.operation,
                     BLKIF_OP_READ);
    ck_assert_int_eq(page_of(2)[0], 3);
    ck_assert_int_eq(page_of(2)[511], 3);
    uint8_t got[512];
    ck_assert_int_eq(pread(b.fd, got, 512, 8 * 512), 512);
    ck_assert_int_eq(got[0], 0xAB);
}
END_TEST

/*
 * Writes, a flush, a read: the flush is answered after every earlier
 * write and before the later read, which sees what was written.
 */
START_TEST(test_flush_waits_for_earlier_writes)
{
    for (int i = 0; i < 4; i++)
        memset(page_of((grant_ref_t)(2 * i)), 0x50 + i, 4096);
    for (unsigned int i = 0; i < 4; i++)
        rq(i, BLKIF_OP_WRITE, 10 + i, 16 + 8 * i, (grant_ref_t)(2 * i), 0, 7);
    rq(4, BLKIF_OP_FLUSH_DISKCACHE, 20, 0, 0, 0, 0);
    rq(5, BLKIF_OP_READ, 30, 24, 8, 0, 7);
    serve(6);
    int flush = answer_of(20, 6);
    ck_assert_int_eq(status_of(20, 6), BLKIF_RSP_OKAY);
    for (unsigned int i = 0; i < 4; i++) {
        ck_assert_int_eq(status_of(10 + i, 6), BLKIF_RSP_OKAY);
        ck_assert_int_lt(answer_of(10 + i, 6), flush);
    }
    ck_assert_int_gt(answer_of(30, 6), flush);
    ck_assert_int_eq(status_of(30, 6), BLKIF_RSP_OKAY);
    ck_assert_int_eq(page_of(8)[0], 0x51);
    ck_assert_int_eq(page_of(8)[4095], 0x51);
}
END_TEST

/*
 * Bad requests are answered with an error (or EOPNOTSUPP), map nothing
 * that stays mapped, and the good one among them is still served.
 */
START_TEST(test_bad_requests_answered_good_one_served)
{
    rq(0, 99, 1, 0, 0, 0, 0);                       /* unknown op */
    rq(1, BLKIF_OP_READ, 2, DISK_SECTORS, 0, 0, 0); /* past the end */
    rq(2, BLKIF_OP_READ, 3, 0, 40, 0, 0);           /* grant not given */
    rq(3, BLKIF_OP_READ, 4, 0, 1, 0, 0);            /* read-only grant */
    rq(4, BLKIF_OP_READ, 5, 0, 0, 3, 2);            /* first > last */
    rq(5, BLKIF_OP_INDIRECT, 6, 0, 0, 0, 0);        /* not served */
    rq(6, BLKIF_OP_READ, 7, 5, 4, 0, 0);            /* good */
    sring->ring[7].req = sring->ring[6].req;        /* wrong handle */
    sring->ring[7].req.handle = HANDLE + 1;
    sring->ring[7].req.id = 8;
    serve(8);
    for (uint64_t id = 1; id <= 8; id++)
        ck_assert_int_eq(status_of(id, 8), id == 6   ? BLKIF_RSP_EOPNOTSUPP
                                           : id == 7 ? BLKIF_RSP_OKAY
                                                     : BLKIF_RSP_ERROR);
    ck_assert_int_eq(page_of(4)[0], 5);
}
END_TEST

/* A full ring (32 reads) is served in one pass, every request answered. */
START_TEST(test_full_ring)
{
    for (unsigned int i = 0; i < BLKBACK_DEPTH; i++)
        rq(i, BLKIF_OP_READ, 1000 + i, i, (grant_ref_t)(2 * (i % 8)), 0, 0);
    serve(BLKBACK_DEPTH);
    for (unsigned int i = 0; i < BLKBACK_DEPTH; i++)
        ck_assert_int_eq(status_of(1000 + i, BLKBACK_DEPTH), BLKIF_RSP_OKAY);
    ck_assert_uint_eq(b.nr_free_io, BLKBACK_DEPTH);
}
END_TEST

static TCase *cases(const char *name, void (*setup)(void))
{
    TCase *tc = tcase_create(name);

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_answers_out_of_order_by_id);
    tcase_add_test(tc, test_flush_waits_for_earlier_writes);
    tcase_add_test(tc, test_bad_requests_answered_good_one_served);
    tcase_add_test(tc, test_full_ring);
    return tc;
}

int main(void)
{
    Suite *s = suite_create("blkback_serve");
    SRunner *sr;
    int failed;

    suite_add_tcase(s, cases("io_uring", setup_uring));
    suite_add_tcase(s, cases("sync", setup_sync));
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
