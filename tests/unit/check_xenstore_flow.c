/* SPDX-License-Identifier: MIT */
/* check_xenstore_flow.c: unit tests of XenStore flow control, output cap. */
#include <errno.h>

#include "xenstore_test.h"

#define READ_REQ (16 + 5)      /* XS_READ of "/big" */
#define READ_REPLY (16 + 2048) /* its value */

static struct xenstore *xs;
static struct tconn *t;

static void setup(void)
{
    static char value[2049];

    ck_assert_int_eq(xenstore_create(&xs), 0);
    memset(value, 'v', 2048);
    ck_assert_int_eq(xenstore_write(xs, "/big", value), 0);
    t = tconn_new(xs, 0, true);
}

static void teardown(void)
{
    tconn_free(t);
    xenstore_destroy(xs);
}

/* (n) reads of /big with req_ids 0 ... n-1, into (buf); their length. */
static size_t reads(char *buf, unsigned int n)
{
    struct xsd_sockmsg h = {XS_READ, 0, 0, 5};

    for (unsigned int i = 0; i < n; i++) {
        h.req_id = i;
        memcpy(buf + i * READ_REQ, &h, sizeof(h));
        memcpy(buf + i * READ_REQ + sizeof(h), "/big", 5);
    }
    return (size_t)n * READ_REQ;
}

/* Flushes until the peer (not blocked) has everything. */
static void drain(struct tconn *c)
{
    ssize_t n;

    while ((n = xenstore_conn_flush(c->conn)) > 0)
        ;
    ck_assert_int_eq(n, 0);
}

/* A watch of (path) with (token); its reply and first event are read. */
static void watch(struct tconn *c, const char *path, const char *token)
{
    ck_assert_int_eq(tc_req(c, XS_WATCH, 0, NULL, NULL, path, token), 0);
    tc_events(c);
}

/*
 * A peer that reads nothing: requests are taken until the output passes
 * XENSTORE_OUTPUT_PAUSE, at a message boundary; once it reads, the rest
 * is taken and every request answered, in order.
 */
START_TEST(test_pause_and_resume)
{
    static char buf[1000 * READ_REQ];
    size_t len = reads(buf, 1000), off;
    struct xsd_sockmsg h;
    char data[XENSTORE_PAYLOAD_MAX + 1];
    unsigned int n = 0;
    ssize_t got;

    t->block = true;
    got = xenstore_conn_input(t->conn, buf, len);
    ck_assert_int_gt(got, 0);
    ck_assert_int_lt(got, len);
    ck_assert_int_eq(got % READ_REQ, 0);
    ck_assert_uint_gt(xenstore_conn_pending(t->conn), XENSTORE_OUTPUT_PAUSE);
    ck_assert_uint_le(xenstore_conn_pending(t->conn),
                      XENSTORE_OUTPUT_PAUSE + READ_REPLY);
    off = (size_t)got;
    /* Offered again without reading: nothing more is taken. */
    ck_assert_int_eq(xenstore_conn_input(t->conn, buf + off, len - off), 0);
    ck_assert_int_eq(xenstore_conn_input(t->conn, buf + off, 0), 0);
    t->block = false;
    while (off < len) {
        drain(t);
        got = xenstore_conn_input(t->conn, buf + off, len - off);
        ck_assert_int_gt(got, 0);
        off += (size_t)got;
    }
    drain(t);
    while (tc_pop(t, &h, data)) {
        ck_assert_uint_eq(h.type, XS_READ);
        ck_assert_uint_eq(h.req_id, n++);
        ck_assert_uint_eq(h.len, 2048);
    }
    ck_assert_uint_eq(n, 1000);
    ck_assert_uint_eq(t->overflows, 0);
}
END_TEST

/* A request begun before the pause is taken whole and answered. */
START_TEST(test_pause_finishes_request)
{
    static char token[3001], path[64];
    char buf[2 * READ_REQ];
    size_t before;

    memset(token, 't', 3000);
    watch(t, "/e", token);
    reads(buf, 2);
    ck_assert_int_eq(xenstore_conn_input(t->conn, buf, 5), 5);
    t->block = true;
    /* Events from another writer take the output past the pause mark. */
    for (unsigned int i = 0; i < 30; i++) {
        snprintf(path, sizeof(path), "/e/%u", i);
        ck_assert_int_eq(xenstore_write(xs, path, "x"), 0);
    }
    before = xenstore_conn_pending(t->conn);
    ck_assert_uint_gt(before, XENSTORE_OUTPUT_PAUSE);
    ck_assert_int_eq(xenstore_conn_input(t->conn, buf + 5, sizeof(buf) - 5),
                     READ_REQ - 5);
    ck_assert_uint_eq(xenstore_conn_pending(t->conn), before + READ_REPLY);
    ck_assert_uint_eq(t->overflows, 0);
}
END_TEST

/*
 * Replies and watch events count in one cap: a connection paused by its
 * replies overflows after fewer events than the cap holds; then it is
 * closed (told once), its output dropped, its input refused. The writer
 * is served throughout.
 */
START_TEST(test_overflow_closes)
{
    static char buf[1000 * READ_REQ], path[3100];
    struct tconn *w = tconn_new(xs, 0, true);
    unsigned int i, events;

    memset(path, 'p', 3000);
    path[0] = '/';
    watch(t, "/", "all");
    t->block = true;
    ck_assert_int_gt(xenstore_conn_input(t->conn, buf, reads(buf, 1000)), 0);
    for (i = 0; i < 200 && !t->overflows; i++) {
        ck_assert_uint_le(xenstore_conn_pending(t->conn), XENSTORE_OUTPUT_MAX);
        snprintf(path + 3000, 100, "/%u", i);
        ck_assert_int_eq(tc_write(w, 0, path, "x"), 0);
    }
    events = i;
    /* ~3 KiB each: the replies left room for fewer than the cap holds. */
    ck_assert_uint_lt(events,
                      (XENSTORE_OUTPUT_MAX - XENSTORE_OUTPUT_PAUSE) / 3000 + 2);
    ck_assert_uint_gt(
        events,
        (XENSTORE_OUTPUT_MAX - XENSTORE_OUTPUT_PAUSE - READ_REPLY) / 3040);
    ck_assert_uint_eq(t->overflows, 1);
    ck_assert_uint_eq(xenstore_conn_pending(t->conn), 0);
    ck_assert_int_lt(xenstore_conn_flush(t->conn), 0);
    ck_assert_int_eq(xenstore_conn_input(t->conn, buf, READ_REQ), -ENOBUFS);
    /* More changes: told once only; the writer goes on. */
    ck_assert_int_eq(tc_write(w, 0, "/after", "x"), 0);
    ck_assert_int_eq(tc_write(w, 0, "/after", "y"), 0);
    ck_assert_uint_eq(t->overflows, 1);
    ck_assert_uint_eq(w->overflows, 0);
    tconn_free(w);
}
END_TEST

/* The cap applies to unprivileged connections the same way. */
START_TEST(test_overflow_unprivileged)
{
    struct tconn *d1 = tconn_new(xs, 1, false);
    static char path[3100];
    size_t len;
    unsigned int i;

    ck_assert_int_eq(xenstore_domain_introduce(xs, 1, "one", test_uuid), 0);
    watch(d1, "/local/domain/1/data", "d");
    len = (size_t)snprintf(path, sizeof(path), "/local/domain/1/data/");
    memset(path + len, 'n', 2900);
    d1->block = true;
    for (i = 0; i < 200 && !d1->overflows; i++) {
        snprintf(path + len + 2900, 100, "%u", i);
        ck_assert_int_eq(xenstore_write(xs, path, "x"), 0);
    }
    ck_assert_uint_eq(d1->overflows, 1);
    ck_assert_uint_gt(i, XENSTORE_OUTPUT_MAX / 3100);
    ck_assert_uint_lt(i, XENSTORE_OUTPUT_MAX / 2900 + 2);
    ck_assert_int_eq(tc_send(d1, XS_READ, 1, 0, "data\0", 5), -ENOBUFS);
    tconn_free(d1);
}
END_TEST

/* A peer that keeps reading is never cut off, whatever it is sent. */
START_TEST(test_reader_keeps_up)
{
    static char path[3100];
    struct xsd_sockmsg h;
    char data[XENSTORE_PAYLOAD_MAX + 1];
    unsigned int i, n = 0;

    memset(path, 'p', 3000);
    path[0] = '/';
    watch(t, "/", "all");
    t->accept = 1000; /* a few bytes at a time */
    for (i = 0; i < 1000; i++) {
        snprintf(path + 3000, 100, "/%u", i);
        ck_assert_int_eq(xenstore_write(xs, path, "x"), 0);
        drain(t);
    }
    while (tc_pop(t, &h, data))
        n += h.type == XS_WATCH_EVENT;
    ck_assert_uint_eq(n, 1000);
    ck_assert_uint_eq(t->overflows, 0);
}
END_TEST

static Suite *flow_suite(void)
{
    Suite *s = suite_create("xenstore_flow");
    TCase *tc = tcase_create("flow");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_pause_and_resume);
    tcase_add_test(tc, test_pause_finishes_request);
    tcase_add_test(tc, test_overflow_closes);
    tcase_add_test(tc, test_overflow_unprivileged);
    tcase_add_test(tc, test_reader_keeps_up);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(flow_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
