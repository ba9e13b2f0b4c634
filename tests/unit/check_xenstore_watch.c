/* SPDX-License-Identifier: MIT */
/* check_xenstore_watch.c: unit tests of XenStore watches: first event, order,
 * relative paths, commits, domains. */
#include <errno.h>

#include "xenstore_test.h"

static struct xenstore *xs;
static struct tconn *a, *b;

static void setup(void)
{
    ck_assert_int_eq(xenstore_create(&xs), 0);
    a = tconn_new(xs, 0, true);
    b = tconn_new(xs, 0, true);
}

static void teardown(void)
{
    tconn_free(a);
    tconn_free(b);
    xenstore_destroy(xs);
}

static int watch(struct tconn *t, const char *path, const char *token)
{
    return tc_req(t, XS_WATCH, 0, NULL, NULL, path, token);
}

static int unwatch(struct tconn *t, const char *path, const char *token)
{
    return tc_req(t, XS_UNWATCH, 0, NULL, NULL, path, token);
}

START_TEST(test_fires_once_at_once)
{
    char data[XENSTORE_PAYLOAD_MAX + 1];
    struct xsd_sockmsg h;

    ck_assert_int_eq(tc_send(b, XS_WATCH, 9, 0, "/w\0tok\0", 7), 0);
    /* The acknowledgement, then the event with the watch's own path. */
    ck_assert(tc_pop(b, &h, data));
    ck_assert_uint_eq(h.type, XS_WATCH);
    ck_assert_uint_eq(h.req_id, 9);
    ck_assert_mem_eq(data, "OK\0", 3);
    ck_assert(tc_pop(b, &h, data));
    ck_assert_uint_eq(h.type, XS_WATCH_EVENT);
    ck_assert_uint_eq(h.req_id, 0);
    ck_assert_uint_eq(h.tx_id, 0);
    ck_assert_uint_eq(h.len, 7);
    ck_assert_mem_eq(data, "/w\0tok\0", 7);
    ck_assert(!tc_pop(b, &h, data));
    /* The node need not exist; a write to it or below fires. */
    ck_assert_int_eq(tc_write(a, 0, "/w", "1"), 0);
    ck_assert_int_eq(tc_write(a, 0, "/w/deep/er", "2"), 0);
    ck_assert_int_eq(tc_write(a, 0, "/wx", "3"), 0);
    ck_assert_int_eq(tc_write(a, 0, "/elsewhere", "4"), 0);
    ck_assert_str_eq(tc_events(b), "/w tok\n/w/deep/er tok\n");
    ck_assert_int_eq(watch(b, "/w", "tok"), -EEXIST);
    ck_assert_int_eq(watch(b, "/w", "tok2"), 0);
    ck_assert_str_eq(tc_events(b), "/w tok2\n");
}
END_TEST

START_TEST(test_order)
{
    ck_assert_int_eq(watch(b, "/", "all"), 0);
    ck_assert_int_eq(watch(b, "/o/two", "two"), 0);
    ck_assert_str_eq(tc_events(b), "/ all\n/o/two two\n");
    ck_assert_int_eq(tc_write(a, 0, "/o/one", "1"), 0);
    ck_assert_int_eq(tc_write(a, 0, "/o/two", "2"), 0);
    ck_assert_int_eq(tc_req(a, XS_MKDIR, 0, NULL, NULL, "/o/three"), 0);
    ck_assert_int_eq(tc_req(a, XS_SET_PERMS, 0, NULL, NULL, "/o/one", "r0"), 0);
    ck_assert_int_eq(tc_req(a, XS_RM, 0, NULL, NULL, "/o"), 0);
    /* A removal fires the watches below it too, with their own path. */
    ck_assert_str_eq(tc_events(b), "/o/one all\n/o/two all\n/o/two two\n"
                                   "/o/three all\n/o/one all\n/o all\n"
                                   "/o/two two\n");
    /* Nothing changes: nothing fires. */
    ck_assert_int_eq(tc_req(a, XS_RM, 0, NULL, NULL, "/o"), 0);
    ck_assert_int_eq(tc_req(a, XS_RM, 0, NULL, NULL, "/o/x/y"), -ENOENT);
    ck_assert_int_eq(tc_req(a, XS_MKDIR, 0, NULL, NULL, "/"), 0);
    ck_assert_str_eq(tc_events(b), "");
}
END_TEST

START_TEST(test_own_change_fires_before_reply)
{
    char data[XENSTORE_PAYLOAD_MAX + 1];
    struct xsd_sockmsg h;

    ck_assert_int_eq(watch(a, "/self", "t"), 0);
    ck_assert_str_eq(tc_events(a), "/self t\n");
    ck_assert_int_eq(tc_send(a, XS_WRITE, 5, 0, "/self\0v", 7), 0);
    ck_assert(tc_pop(a, &h, data));
    ck_assert_uint_eq(h.type, XS_WATCH_EVENT);
    ck_assert(tc_pop(a, &h, data));
    ck_assert_uint_eq(h.type, XS_WRITE);
    ck_assert_uint_eq(h.req_id, 5);
}
END_TEST

START_TEST(test_relative)
{
    struct tconn *d1 = tconn_new(xs, 1, false);

    ck_assert_int_eq(xenstore_domain_introduce(xs, 1, "one", test_uuid), 0);
    ck_assert_int_eq(watch(d1, "data", "rel"), 0);
    ck_assert_int_eq(watch(d1, "/local/domain/1/data", "abs"), 0);
    ck_assert_str_eq(tc_events(d1), "data rel\n/local/domain/1/data abs\n");
    ck_assert_int_eq(xenstore_write(xs, "/local/domain/1/data/x", "v"), 0);
    ck_assert_str_eq(tc_events(d1), "data/x rel\n/local/domain/1/data/x abs\n");
    /* Unwatch by the same path, relative or not. */
    ck_assert_int_eq(unwatch(d1, "/local/domain/1/data", "rel"), 0);
    ck_assert_int_eq(unwatch(d1, "data", "abs"), 0);
    ck_assert_int_eq(unwatch(d1, "data", "abs"), -ENOENT);
    ck_assert_int_eq(xenstore_write(xs, "/local/domain/1/data/x", "w"), 0);
    ck_assert_str_eq(tc_events(d1), "");
    tconn_free(d1);
}
END_TEST

START_TEST(test_unwatch_and_reset)
{
    ck_assert_int_eq(watch(b, "/u", "1"), 0);
    ck_assert_int_eq(watch(b, "/u", "2"), 0);
    ck_assert_int_eq(watch(b, "/v", "3"), 0);
    ck_assert_str_eq(tc_events(b), "/u 1\n/u 2\n/v 3\n");
    ck_assert_int_eq(unwatch(b, "/u", "1"), 0);
    ck_assert_int_eq(unwatch(b, "/u", "1"), -ENOENT);
    ck_assert_int_eq(unwatch(b, "/u", "nope"), -ENOENT);
    ck_assert_int_eq(tc_write(a, 0, "/u", "x"), 0);
    ck_assert_str_eq(tc_events(b), "/u 2\n");
    ck_assert_int_eq(tc_call(b, XS_RESET_WATCHES, 0, "", 1, NULL, NULL), 0);
    ck_assert_int_eq(tc_write(a, 0, "/u", "y"), 0);
    ck_assert_int_eq(tc_write(a, 0, "/v", "y"), 0);
    ck_assert_str_eq(tc_events(b), "");
}
END_TEST

START_TEST(test_after_commit)
{
    uint32_t tx;

    ck_assert_int_eq(watch(b, "/t", "t"), 0);
    ck_assert_str_eq(tc_events(b), "/t t\n");
    tx = tc_tx_start(a);
    ck_assert_int_eq(tc_write(a, tx, "/t/a", "1"), 0);
    ck_assert_int_eq(tc_write(a, tx, "/t/b", "2"), 0);
    ck_assert_int_eq(tc_req(a, XS_RM, tx, NULL, NULL, "/t/a"), 0);
    ck_assert_str_eq(tc_events(b), "");
    ck_assert_int_eq(tc_tx_end(a, tx, true), 0);
    ck_assert_str_eq(tc_events(b), "/t/a t\n/t/b t\n/t/a t\n");
    /* Aborted or failed: nothing fires. */
    tx = tc_tx_start(a);
    ck_assert_int_eq(tc_write(a, tx, "/t/c", "1"), 0);
    ck_assert_int_eq(tc_tx_end(a, tx, false), 0);
    tx = tc_tx_start(a);
    ck_assert_int_eq(tc_write(a, tx, "/t/b", "3"), 0);
    ck_assert_int_eq(tc_write(b, 0, "/t/b", "4"), 0);
    ck_assert_str_eq(tc_events(b), "/t/b t\n");
    ck_assert_int_eq(tc_tx_end(a, tx, true), -EAGAIN);
    ck_assert_str_eq(tc_events(b), "");
}
END_TEST

START_TEST(test_domain_events)
{
    ck_assert_int_eq(watch(b, "@introduceDomain", "in"), 0);
    ck_assert_int_eq(watch(b, "@releaseDomain", "out"), 0);
    ck_assert_str_eq(tc_events(b), "@introduceDomain in\n@releaseDomain out\n");
    ck_assert_int_eq(xenstore_domain_introduce(xs, 5, "five", test_uuid), 0);
    ck_assert_str_eq(tc_events(b), "@introduceDomain in\n");
    ck_assert_int_eq(xenstore_domain_release(xs, 5), 0);
    ck_assert_str_eq(tc_events(b), "@releaseDomain out\n");
    /* The wire messages of the toolstack fire them as well. */
    ck_assert_int_eq(tc_req(a, XS_INTRODUCE, 0, NULL, NULL, "7", "123", "4"),
                     0);
    ck_assert_int_eq(tc_req(a, XS_RELEASE, 0, NULL, NULL, "7"), 0);
    ck_assert_str_eq(tc_events(b), "@introduceDomain in\n@releaseDomain out\n");
    /* A root watch is not a watch on "@" names. */
    ck_assert_int_eq(watch(a, "/", "root"), 0);
    ck_assert_str_eq(tc_events(a), "/ root\n");
    ck_assert_int_eq(tc_req(a, XS_INTRODUCE, 0, NULL, NULL, "8", "1", "1"), 0);
    ck_assert_str_eq(tc_events(a), "");
}
END_TEST

START_TEST(test_permission_filter)
{
    struct tconn *d1 = tconn_new(xs, 1, false);

    ck_assert_int_eq(xenstore_domain_introduce(xs, 1, "one", test_uuid), 0);
    ck_assert_int_eq(xenstore_domain_introduce(xs, 2, "two", test_uuid), 0);
    ck_assert_int_eq(watch(d1, "/local/domain", "dom"), 0);
    ck_assert_str_eq(tc_events(d1), "/local/domain dom\n");
    ck_assert_int_eq(xenstore_write(xs, "/local/domain/2/data/x", "v"), 0);
    ck_assert_int_eq(xenstore_write(xs, "/local/domain/1/data/x", "v"), 0);
    ck_assert_str_eq(tc_events(d1), "/local/domain/1/data/x dom\n");
    tconn_free(d1);
}
END_TEST

START_TEST(test_quota)
{
    struct tconn *d1 = tconn_new(xs, 1, false);
    char tok[16];
    unsigned int i;

    for (i = 0; i < 128; i++) {
        snprintf(tok, sizeof(tok), "t%u", i);
        ck_assert_int_eq(watch(d1, "/q", tok), 0);
    }
    ck_assert_int_eq(watch(d1, "/q", "one-more"), -E2BIG);
    ck_assert_int_eq(unwatch(d1, "/q", "t0"), 0);
    ck_assert_int_eq(watch(d1, "/q", "one-more"), 0);
    tc_events(d1);
    tconn_free(d1);
    /* Freed with the connection. */
    d1 = tconn_new(xs, 1, false);
    ck_assert_int_eq(watch(d1, "/q", "again"), 0);
    tconn_free(d1);
}
END_TEST

START_TEST(test_slow_reader)
{
    struct tconn *d1 = tconn_new(xs, 1, false);
    char path[64];
    char data[XENSTORE_PAYLOAD_MAX + 1];
    unsigned int i, n = 0;
    struct xsd_sockmsg h;

    ck_assert_int_eq(xenstore_write(xs, "/s", ""), 0);
    ck_assert_int_eq(xenstore_set_perms(xs, "/s", (const char *[]){"r0"}, 1),
                     0);
    ck_assert_int_eq(watch(d1, "/s", "s"), 0);
    tc_events(d1);
    /* Output waits while the peer takes nothing, up to the cap. */
    d1->block = true;
    for (i = 0; i < 2000; i++) {
        snprintf(path, sizeof(path), "/s/%u", i);
        ck_assert_int_eq(xenstore_write(xs, path, "v"), 0);
    }
    ck_assert_uint_gt(xenstore_conn_pending(d1->conn), 2000 * 16);
    d1->block = false;
    d1->accept = 7; /* and takes it a few bytes at a time */
    while (xenstore_conn_flush(d1->conn) > 0)
        ;
    while (tc_pop(d1, &h, data)) {
        ck_assert_uint_eq(h.type, XS_WATCH_EVENT);
        n++;
    }
    ck_assert_uint_eq(n, 2000);
    /* Past the cap the connection is closed, not thinned out. */
    d1->block = true;
    for (i = 0; i < 20000 && !d1->overflows; i++) {
        snprintf(path, sizeof(path), "/s/%u", i);
        ck_assert_int_eq(xenstore_write(xs, path, "w"), 0);
    }
    ck_assert_uint_eq(d1->overflows, 1);
    ck_assert_uint_eq(xenstore_conn_pending(d1->conn), 0);
    d1->block = false;
    ck_assert_int_lt(xenstore_conn_flush(d1->conn), 0);
    ck_assert(!tc_pop(d1, &h, data));
    tconn_free(d1);
}
END_TEST

static int cb_count;
static char cb_log[1024];

static void cb(void *opaque, const char *path)
{
    char *v = NULL;

    /* The store is not locked here: reading from the callback is fine. */
    if (xenstore_read(opaque, path, &v, NULL) == 0)
        free(v);
    cb_count++;
    strncat(cb_log, path, sizeof(cb_log) - strlen(cb_log) - 2);
    strcat(cb_log, " ");
}

START_TEST(test_in_process)
{
    struct xenstore_watch *w, *w2;

    cb_count = 0;
    cb_log[0] = '\0';
    ck_assert_int_eq(xenstore_watch_cb(xs, "/cb", cb, xs, &w), 0);
    ck_assert_int_eq(xenstore_watch_cb(xs, "@releaseDomain", cb, xs, &w2), 0);
    ck_assert_int_eq(xenstore_write(xs, "/cb/x", "1"), 0);
    ck_assert_int_eq(tc_write(a, 0, "/cb", "2"), 0);
    ck_assert_int_eq(xenstore_domain_introduce(xs, 3, "x", test_uuid), 0);
    ck_assert_int_eq(xenstore_domain_release(xs, 3), 0);
    ck_assert_str_eq(cb_log, "/cb @releaseDomain /cb/x /cb @releaseDomain ");
    xenstore_unwatch_cb(xs, w);
    xenstore_unwatch_cb(xs, w2);
    ck_assert_int_eq(xenstore_write(xs, "/cb/y", "1"), 0);
    ck_assert_int_eq(cb_count, 5);
    ck_assert_int_eq(xenstore_watch_cb(xs, "bad path", cb, xs, &w), -EINVAL);
}
END_TEST

static Suite *watch_suite(void)
{
    Suite *s = suite_create("xenstore_watch");
    TCase *tc = tcase_create("watch");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_fires_once_at_once);
    tcase_add_test(tc, test_order);
    tcase_add_test(tc, test_own_change_fires_before_reply);
    tcase_add_test(tc, test_relative);
    tcase_add_test(tc, test_unwatch_and_reset);
    tcase_add_test(tc, test_after_commit);
    tcase_add_test(tc, test_domain_events);
    tcase_add_test(tc, test_permission_filter);
    tcase_add_test(tc, test_quota);
    tcase_add_test(tc, test_slow_reader);
    tcase_add_test(tc, test_in_process);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(watch_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
