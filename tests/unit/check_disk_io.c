/* SPDX-License-Identifier: MIT */
/* check_disk_io.c: the disk I/O engines and worker on real files. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/disk_io.h"
#include "host/worker.h"

#define DEPTH 32
#define BLK 4096

static char path[64];
static int fd = -1;
static struct disk_io ios[DEPTH];
static struct iovec iovs[DEPTH];
static char bufs[DEPTH][BLK];

/* A temporary image of DEPTH blocks, block i filled with byte 'A' + i. */
static void make_image(void)
{
    char blk[BLK];

    snprintf(path, sizeof(path), "/tmp/check_disk_io.XXXXXX");
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    unlink(path);
    for (int i = 0; i < DEPTH; i++) {
        memset(blk, 'A' + i, sizeof(blk));
        ck_assert_int_eq(pwrite(fd, blk, BLK, (off_t)i * BLK), BLK);
    }
}

static void setup(void)
{
    make_image();
    memset(ios, 0, sizeof(ios));
    memset(bufs, 0, sizeof(bufs));
}

static void teardown(void)
{
    close(fd);
}

static void prep(struct disk_io *io, char *buf, bool read, off_t off,
                 size_t len)
{
    io->iov = &iovs[io - ios];
    io->iov[0].iov_base = buf;
    io->iov[0].iov_len = len;
    io->nr_iov = 1;
    io->read = read;
    io->off = off;
    io->len = len;
    io->res = -12345;
}

/* Opens (want); SKIPs the io_uring case where the host refuses it. */
static bool open_engine(struct disk_io_engine *e, bool sync)
{
    char why[96];

    ck_assert_int_eq(disk_io_open(e, fd, DEPTH, sync, why, sizeof(why)), 0);
    ck_assert_ptr_nonnull(
        strstr(why, e->ops == &disk_io_sync ? "synchronous" : "io_uring"));
    if (!sync && e->ops != &disk_io_uring) {
        printf("SKIP io_uring case: %s\n", why);
        e->ops->close(e);
        return false;
    }
    ck_assert_ptr_eq(e->ops, sync ? &disk_io_sync : &disk_io_uring);
    return true;
}

/*
 * DEPTH reads submitted before any is reaped: all are in flight at once;
 * each comes back once, in whatever order, with its own data.
 */
static void many_in_flight(bool sync)
{
    struct disk_io_engine e;
    bool seen[DEPTH] = {false};
    struct disk_io *io;
    unsigned int got = 0;

    if (!open_engine(&e, sync))
        return;
    for (int i = 0; i < DEPTH; i++) {
        /* Backwards through the file, to differ from completion order. */
        int blk = DEPTH - 1 - i;
        prep(&ios[i], bufs[i], true, (off_t)blk * BLK, BLK);
        e.ops->submit(&e, &ios[i]);
    }
    ck_assert_uint_eq(e.in_flight, DEPTH);
    while ((io = e.ops->reap(&e, true))) {
        long i = io - ios;

        ck_assert(i >= 0 && i < DEPTH);
        ck_assert(!seen[i]);
        seen[i] = true;
        ck_assert_int_eq(io->res, BLK);
        ck_assert_int_eq(bufs[i][0], 'A' + (DEPTH - 1 - i));
        ck_assert_int_eq(bufs[i][BLK - 1], 'A' + (DEPTH - 1 - i));
        got++;
    }
    ck_assert_uint_eq(got, DEPTH);
    ck_assert_uint_eq(e.in_flight, 0);
    ck_assert_ptr_null(e.ops->reap(&e, true)); /* nothing: no hang */
    e.ops->close(&e);
}

/*
 * DEPTH writes (which the io_uring engine always queues in its ring):
 * all queued before the first completion, reaped in any order, each
 * block then holding what was written.
 */
static void many_writes_in_flight(bool sync)
{
    struct disk_io_engine e;
    struct disk_io *io;
    unsigned int got = 0;
    char back[BLK];

    if (!open_engine(&e, sync))
        return;
    for (int i = 0; i < DEPTH; i++) {
        memset(bufs[i], 'a' + i % 26, BLK);
        prep(&ios[i], bufs[i], false, (off_t)(DEPTH - 1 - i) * BLK, BLK);
        e.ops->submit(&e, &ios[i]);
    }
    ck_assert_uint_eq(e.in_flight, DEPTH);
    if (!sync)
        ck_assert_uint_eq(e.unsubmitted, DEPTH);
    while ((io = e.ops->reap(&e, true))) {
        ck_assert_int_eq(io->res, BLK);
        got++;
    }
    ck_assert_uint_eq(got, DEPTH);
    for (int i = 0; i < DEPTH; i++) {
        ck_assert_int_eq(pread(fd, back, BLK, (off_t)(DEPTH - 1 - i) * BLK),
                         BLK);
        ck_assert_int_eq(memcmp(back, bufs[i], BLK), 0);
    }
    e.ops->close(&e);
}

START_TEST(test_uring_many_writes_in_flight)
{
    many_writes_in_flight(false);
}
END_TEST

START_TEST(test_sync_many_writes_in_flight)
{
    many_writes_in_flight(true);
}
END_TEST

START_TEST(test_uring_many_in_flight)
{
    many_in_flight(false);
}
END_TEST

START_TEST(test_sync_many_in_flight)
{
    many_in_flight(true);
}
END_TEST

/* A write, then a read of the same block, see the written data. */
static void write_then_read(bool sync)
{
    struct disk_io_engine e;
    struct disk_io *io;

    if (!open_engine(&e, sync))
        return;
    memset(bufs[0], 'Z', BLK);
    prep(&ios[0], bufs[0], false, 5 * BLK, BLK);
    e.ops->submit(&e, &ios[0]);
    io = e.ops->reap(&e, true);
    ck_assert_ptr_eq(io, &ios[0]);
    ck_assert_int_eq(io->res, BLK);
    prep(&ios[1], bufs[1], true, 5 * BLK, BLK);
    e.ops->submit(&e, &ios[1]);
    io = e.ops->reap(&e, true);
    ck_assert_ptr_eq(io, &ios[1]);
    ck_assert_int_eq(memcmp(bufs[1], bufs[0], BLK), 0);
    e.ops->close(&e);
}

START_TEST(test_uring_write_then_read)
{
    write_then_read(false);
}
END_TEST

START_TEST(test_sync_write_then_read)
{
    write_then_read(true);
}
END_TEST

/* A read past the end is short: res says so (the backend answers error). */
static void short_read(bool sync)
{
    struct disk_io_engine e;
    struct disk_io *io;

    if (!open_engine(&e, sync))
        return;
    prep(&ios[0], bufs[0], true, (off_t)DEPTH * BLK - 512, BLK);
    e.ops->submit(&e, &ios[0]);
    io = e.ops->reap(&e, true);
    ck_assert_ptr_eq(io, &ios[0]);
    ck_assert_int_eq(io->res, 512);
    ck_assert_int_ne(io->res, (int)io->len);
    e.ops->close(&e);
}

START_TEST(test_uring_short_read)
{
    short_read(false);
}
END_TEST

START_TEST(test_sync_short_read)
{
    short_read(true);
}
END_TEST

/* A bad descriptor: the engine reports -EBADF, it does not crash. */
START_TEST(test_bad_descriptor_is_an_error)
{
    for (int sync = 0; sync < 2; sync++) {
        struct disk_io_engine e;
        struct disk_io *io;

        if (!open_engine(&e, sync))
            continue;
        e.fd = -1;
        prep(&ios[0], bufs[0], true, 0, BLK);
        e.ops->submit(&e, &ios[0]);
        io = e.ops->reap(&e, true);
        ck_assert_ptr_eq(io, &ios[0]);
        ck_assert_int_eq(io->res, -EBADF);
        e.ops->close(&e);
    }
}
END_TEST

struct counter {
    atomic_uint runs;
    atomic_uint kicks_seen;
    atomic_uint pending; /* work the "host side" queued */
};

/* The worker's function: takes all pending work (like a ring drain). */
static void drain_fn(void *opaque)
{
    struct counter *c = opaque;

    atomic_fetch_add(&c->runs, 1);
    atomic_fetch_add(&c->kicks_seen, atomic_exchange(&c->pending, 0));
}

/* Every kick's work is done: none lost, even racing the worker. */
START_TEST(test_worker_loses_no_kick_and_stops)
{
    struct worker w;
    struct counter c = {0};

    ck_assert_int_eq(worker_start(&w, NULL, "check-worker", drain_fn, &c), 0);
    for (int i = 0; i < 10000; i++) {
        atomic_fetch_add(&c.pending, 1);
        worker_kick(&w);
    }
    worker_stop(&w);
    ck_assert_uint_eq(atomic_load(&c.kicks_seen), 10000);
    ck_assert_uint_ge(atomic_load(&c.runs), 1);
    ck_assert_uint_le(atomic_load(&c.runs), 10001);
    ck_assert(!w.started);
    worker_stop(&w); /* twice: harmless */
}
END_TEST

/* A kick wakes the sleeping worker; stop runs it once more and joins. */
START_TEST(test_worker_wakes_on_kick)
{
    struct worker w;
    struct counter c = {0};

    ck_assert_int_eq(worker_start(&w, NULL, "check-worker", drain_fn, &c), 0);
    atomic_fetch_add(&c.pending, 1);
    worker_kick(&w);
    for (int i = 0; i < 2000 && atomic_load(&c.kicks_seen) == 0; i++)
        usleep(1000);
    ck_assert_uint_eq(atomic_load(&c.kicks_seen), 1);
    unsigned int runs = atomic_load(&c.runs);
    worker_stop(&w);
    ck_assert_uint_eq(atomic_load(&c.runs), runs + 1);
}
END_TEST

START_TEST(test_worker_never_started_stops)
{
    struct worker w = {0};

    worker_stop(&w);
    ck_assert(!w.started);
}
END_TEST

static Suite *engine_suite(void)
{
    Suite *s = suite_create("disk_io");
    TCase *tc = tcase_create("engines");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_uring_many_in_flight);
    tcase_add_test(tc, test_sync_many_in_flight);
    tcase_add_test(tc, test_uring_many_writes_in_flight);
    tcase_add_test(tc, test_sync_many_writes_in_flight);
    tcase_add_test(tc, test_uring_write_then_read);
    tcase_add_test(tc, test_sync_write_then_read);
    tcase_add_test(tc, test_uring_short_read);
    tcase_add_test(tc, test_sync_short_read);
    tcase_add_test(tc, test_bad_descriptor_is_an_error);
    suite_add_tcase(s, tc);
    tc = tcase_create("worker");
    tcase_add_test(tc, test_worker_loses_no_kick_and_stops);
    tcase_add_test(tc, test_worker_wakes_on_kick);
    tcase_add_test(tc, test_worker_never_started_stops);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(engine_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
