/* SPDX-License-Identifier: MIT */
/* check_ring.c: io/ring.h indexes and notifications; the console ring. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pvabi/io/blkif.h"
#include "pvabi/io/console.h"
#include "pvabi/io/ring.h"
#include "backends/backend.h"

/* A small ring type of our own: 8-byte slots, 4 KiB page: 504 -> 256. */
struct t_req {
    uint32_t a, b;
};
struct t_rsp {
    uint64_t v;
};
DEFINE_RING_TYPES(t, struct t_req, struct t_rsp);

static union {
    struct t_sring s;
    unsigned char page[4096];
} pg;
static struct t_front_ring fr;
static struct t_back_ring br;

/* Both sides attached with every index at (start). */
static void attach(RING_IDX start)
{
    memset(&pg, 0xa5, sizeof(pg));
    SHARED_RING_INIT(&pg.s);
    pg.s.req_prod = pg.s.rsp_prod = start;
    pg.s.req_event = pg.s.rsp_event = start + 1;
    FRONT_RING_ATTACH(&fr, &pg.s, start, sizeof(pg));
    BACK_RING_ATTACH(&br, &pg.s, start, sizeof(pg));
}

START_TEST(test_sizes)
{
    static union {
        struct blkif_sring s;
        unsigned char p[4096];
    } bp;
    struct blkif_front_ring bfr;

    SHARED_RING_INIT(&bp.s);
    ck_assert_uint_eq(bp.s.req_prod, 0);
    ck_assert_uint_eq(bp.s.req_event, 1);
    ck_assert_uint_eq(bp.s.rsp_event, 1);
    for (size_t i = 0; i < sizeof(bp.s.__pad); i++)
        ck_assert_uint_eq(bp.s.__pad[i], 0);
    FRONT_RING_INIT(&bfr, &bp.s, 4096);
    ck_assert_uint_eq(RING_SIZE(&bfr), 32);
    ck_assert_uint_eq(__CONST_RING_SIZE(blkif, 4096), 32);
    ck_assert_uint_eq(__CONST_RING_SIZE(t, 4096), 256);
    ck_assert_uint_eq(__CONST_RING_SIZE(t, 64 + 8 * 255), 128);
    attach(0);
    ck_assert_uint_eq(RING_SIZE(&fr), 256);
    ck_assert_ptr_eq(RING_GET_REQUEST(&fr, 256), RING_GET_REQUEST(&fr, 0));
}
END_TEST

/* Filling and draining across 2^32: indexes wrap, counts do not. */
START_TEST(test_wrap)
{
    RING_IDX start = 0xffffffffu - 100;

    attach(start);
    ck_assert_uint_eq(RING_FREE_REQUESTS(&fr), 256);
    for (unsigned int i = 0; i < 256; i++) {
        ck_assert(!RING_FULL(&fr));
        RING_GET_REQUEST(&fr, fr.req_prod_pvt)->a = i;
        fr.req_prod_pvt++;
    }
    ck_assert(RING_FULL(&fr));
    ck_assert_uint_eq(RING_FREE_REQUESTS(&fr), 0);
    ck_assert_uint_lt(fr.req_prod_pvt, start); /* wrapped */
    RING_PUSH_REQUESTS(&fr);
    ck_assert_uint_eq(RING_HAS_UNCONSUMED_REQUESTS(&br), 256);
    for (unsigned int i = 0; i < 256; i++) {
        struct t_req r;
        RING_COPY_REQUEST(&br, br.req_cons, &r);
        ck_assert_uint_eq(r.a, i);
        br.req_cons++;
        ck_assert_uint_eq(RING_HAS_UNCONSUMED_REQUESTS(&br), 255 - i);
        RING_GET_RESPONSE(&br, br.rsp_prod_pvt)->v = i;
        br.rsp_prod_pvt++;
        ck_assert_uint_eq(RING_HAS_UNCONSUMED_REQUESTS(&br), 255 - i);
    }
    RING_PUSH_RESPONSES(&br);
    ck_assert_uint_eq(RING_HAS_UNCONSUMED_RESPONSES(&fr), 256);
    fr.rsp_cons += 256;
    ck_assert_uint_eq(RING_FREE_REQUESTS(&fr), 256);
}
END_TEST

/* Notify exactly when the consumer's event index is in (old, new]. */
START_TEST(test_push_notify)
{
    static const RING_IDX starts[] = {0, 0x7fffffffu, 0xfffffff0u, 0xffffffffu};
    int notify;

    for (size_t k = 0; k < sizeof(starts) / sizeof(starts[0]); k++) {
        RING_IDX s = starts[k];

        attach(s);
        /* Consumer idle, waiting for request s + 1: notify. */
        fr.req_prod_pvt = s + 5;
        RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&fr, notify);
        ck_assert_int_eq(notify, 1);
        ck_assert_uint_eq(pg.s.req_prod, s + 5);
        /* Consumer still busy (its event index already passed): none. */
        fr.req_prod_pvt = s + 9;
        RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&fr, notify);
        ck_assert_int_eq(notify, 0);
        /* Consumer asked for request s + 10 exactly: notify. */
        pg.s.req_event = s + 10;
        fr.req_prod_pvt = s + 10;
        RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&fr, notify);
        ck_assert_int_eq(notify, 1);
        /* Event index beyond the new producer: not yet. */
        pg.s.req_event = s + 20;
        fr.req_prod_pvt = s + 19;
        RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&fr, notify);
        ck_assert_int_eq(notify, 0);
        /* Nothing new pushed: never. */
        pg.s.req_event = s + 19;
        RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&fr, notify);
        ck_assert_int_eq(notify, 0);

        /* Responses follow the same rule with rsp_event. */
        br.rsp_prod_pvt = s + 3;
        RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&br, notify);
        ck_assert_int_eq(notify, 1);
        br.rsp_prod_pvt = s + 4;
        RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&br, notify);
        ck_assert_int_eq(notify, 0);
    }
}
END_TEST

START_TEST(test_final_check)
{
    int work;

    attach(0xfffffffeu);
    /* Nothing to do: re-arms req_event = req_cons + 1 and says so. */
    pg.s.req_event = 0x1234;
    RING_FINAL_CHECK_FOR_REQUESTS(&br, work);
    ck_assert_int_eq(work, 0);
    ck_assert_uint_eq(pg.s.req_event, 0xffffffffu);
    /* Work pending: req_event untouched. */
    fr.req_prod_pvt += 3;
    RING_PUSH_REQUESTS(&fr);
    pg.s.req_event = 0x1234;
    RING_FINAL_CHECK_FOR_REQUESTS(&br, work);
    ck_assert_int_eq(work, 3);
    ck_assert_uint_eq(pg.s.req_event, 0x1234);
    /* After consuming across the wrap, re-armed at 1. */
    br.req_cons += 3;
    br.rsp_prod_pvt += 3;
    RING_FINAL_CHECK_FOR_REQUESTS(&br, work);
    ck_assert_int_eq(work, 0);
    ck_assert_uint_eq(pg.s.req_event, 2);
    /* The frontend's side. */
    RING_FINAL_CHECK_FOR_RESPONSES(&fr, work);
    ck_assert_int_eq(work, 0);
    ck_assert_uint_eq(pg.s.rsp_event, fr.rsp_cons + 1);
    RING_PUSH_RESPONSES(&br);
    RING_FINAL_CHECK_FOR_RESPONSES(&fr, work);
    ck_assert_int_eq(work, 3);
}
END_TEST

START_TEST(test_overflow)
{
    static const RING_IDX starts[] = {0, 0xffffff00u, 0xfffffffu};

    for (size_t k = 0; k < sizeof(starts) / sizeof(starts[0]); k++) {
        RING_IDX s = starts[k];

        attach(s);
        ck_assert(!RING_REQUEST_PROD_OVERFLOW(&br, s));
        ck_assert(!RING_REQUEST_PROD_OVERFLOW(&br, s + 256));
        ck_assert(RING_REQUEST_PROD_OVERFLOW(&br, s + 257));
        /* "Behind" the consumer is a huge distance: overflow too. */
        ck_assert(RING_REQUEST_PROD_OVERFLOW(&br, s - 1));
        ck_assert(!RING_REQUEST_CONS_OVERFLOW(&br, s + 255));
        ck_assert(RING_REQUEST_CONS_OVERFLOW(&br, s + 256));
        ck_assert(!RING_RESPONSE_PROD_OVERFLOW(&fr, s + 256));
        ck_assert(RING_RESPONSE_PROD_OVERFLOW(&fr, s + 257));
        /* A lying req_prod still yields at most a ring of work. */
        pg.s.req_prod = s + 100000;
        ck_assert_uint_eq(RING_HAS_UNCONSUMED_REQUESTS(&br), 256);
    }
}
END_TEST

/* Console: out[] (guest -> host) and in[] (host -> guest), wrapping. */
static struct xencons_interface con;

static void guest_out(const char *s)
{
    for (; *s; s++) {
        con.out[MASK_XENCONS_IDX(con.out_prod, con.out)] = *s;
        con.out_prod++;
    }
}

START_TEST(test_console_out)
{
    char buf[4096];

    memset(&con, 0, sizeof(con));
    con.out_cons = con.out_prod = 0xffffffffu - 2040;
    for (int round = 0; round < 3; round++) {
        char msg[2049];
        memset(msg, 'a' + round, 2048);
        msg[2048] = '\0';
        guest_out(msg); /* exactly full, wrapping */
        ck_assert_int_eq(console_ring_take(&con, buf, sizeof(buf)), 2048);
        ck_assert(memcmp(buf, msg, 2048) == 0);
        ck_assert_uint_eq(con.out_cons, con.out_prod);
    }
    guest_out("hello");
    ck_assert_int_eq(console_ring_take(&con, buf, 3), 3);
    ck_assert_int_eq(console_ring_take(&con, buf + 3, 10), 2);
    ck_assert(memcmp(buf, "hello", 5) == 0);
    ck_assert_int_eq(console_ring_take(&con, buf, 10), 0);
    /* A guest claiming more than the ring holds is broken. */
    con.out_prod = con.out_cons + 2049;
    ck_assert_int_eq(console_ring_take(&con, buf, sizeof(buf)), -EIO);
    con.out_prod = con.out_cons - 1;
    ck_assert_int_eq(console_ring_take(&con, buf, sizeof(buf)), -EIO);
}
END_TEST

START_TEST(test_console_in)
{
    char big[1500];

    memset(&con, 0, sizeof(con));
    con.in_cons = con.in_prod = 0xfffffff0u;
    memset(big, 'x', sizeof(big));
    ck_assert_int_eq(console_ring_put(&con, "abc", 3), 3);
    ck_assert_int_eq(con.in[MASK_XENCONS_IDX(0xfffffff0u, con.in)], 'a');
    ck_assert_int_eq(console_ring_put(&con, big, sizeof(big)), 1021);
    ck_assert_int_eq(console_ring_put(&con, big, sizeof(big)), 0);
    ck_assert_uint_eq((uint32_t)(con.in_prod - con.in_cons), 1024);
    con.in_cons += 24; /* guest read some, wrapping */
    ck_assert_int_eq(console_ring_put(&con, "0123456789", 10), 10);
    ck_assert_int_eq(con.in[MASK_XENCONS_IDX(con.in_prod - 1, con.in)], '9');
    con.in_cons = con.in_prod + 1; /* guest lies */
    ck_assert_int_eq(console_ring_put(&con, "z", 1), -EIO);
}
END_TEST

static Suite *ring_suite(void)
{
    Suite *s = suite_create("ring");
    TCase *ring = tcase_create("ring"), *cons = tcase_create("console");

    tcase_add_test(ring, test_sizes);
    tcase_add_test(ring, test_wrap);
    tcase_add_test(ring, test_push_notify);
    tcase_add_test(ring, test_final_check);
    tcase_add_test(ring, test_overflow);
    suite_add_tcase(s, ring);
    tcase_add_test(cons, test_console_out);
    tcase_add_test(cons, test_console_in);
    suite_add_tcase(s, cons);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(ring_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
