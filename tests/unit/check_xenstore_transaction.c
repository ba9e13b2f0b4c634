/* SPDX-License-Identifier: MIT */
/* check_xenstore_transaction.c: unit tests of XenStore transactions: isolation,
 * commit, abort, conflicts, limits. */
#include <errno.h>

#include "xenstore_test.h"

static struct xenstore *xs;
static struct tconn *a, *b;

static void setup(void)
{
    ck_assert_int_eq(xenstore_create(&xs), 0);
    a = tconn_new(xs, 0, true);
    b = tconn_new(xs, 0, true);
    ck_assert_int_eq(xenstore_write(xs, "/t/k", "old"), 0);
}

static void teardown(void)
{
    tconn_free(a);
    tconn_free(b);
    xenstore_destroy(xs);
}

START_TEST(test_start_ids)
{
    char out[XENSTORE_PAYLOAD_MAX + 1];
    size_t len;
    uint32_t t1, t2;

    ck_assert_int_eq(tc_call(a, XS_TRANSACTION_START, 0, "", 1, out, &len), 0);
    ck_assert_uint_eq(len, 2);
    ck_assert_mem_eq(out, "1\0", 2);
    t1 = 1;
    t2 = tc_tx_start(a);
    ck_assert_uint_eq(t2, 2);
    /* Transactions do not nest. */
    ck_assert_int_eq(tc_call(a, XS_TRANSACTION_START, t1, "", 1, NULL, NULL),
                     -EBUSY);
    ck_assert_int_eq(tc_tx_end(a, t1, false), 0);
    ck_assert_int_eq(tc_tx_end(a, t1, false), -ENOENT);
    ck_assert_int_eq(tc_tx_end(a, t2, true), 0);
    /* Another connection's id is not ours. */
    t1 = tc_tx_start(b);
    ck_assert_int_eq(tc_tx_end(a, t1 + 100, true), -ENOENT);
    ck_assert_int_eq(tc_req(b, XS_TRANSACTION_END, t1, NULL, NULL, "X"),
                     -EINVAL);
    ck_assert_int_eq(tc_tx_end(b, t1, true), 0);
}
END_TEST

START_TEST(test_isolation_and_commit)
{
    uint32_t tx = tc_tx_start(a);

    ck_assert_int_eq(tc_write(a, tx, "/t/k", "new"), 0);
    ck_assert_int_eq(tc_write(a, tx, "/t/fresh/deep", "x"), 0);
    /* Inside: the new state; outside: the old one, until commit. */
    ck_assert_str_eq(tc_read(a, tx, "/t/k", NULL), "new");
    ck_assert_str_eq(tc_read(a, 0, "/t/k", NULL), "old");
    ck_assert_str_eq(tc_read(b, 0, "/t/k", NULL), "old");
    ck_assert_ptr_null(tc_read(b, 0, "/t/fresh/deep", NULL));
    ck_assert_int_eq(tc_tx_end(a, tx, true), 0);
    ck_assert_str_eq(tc_read(b, 0, "/t/k", NULL), "new");
    ck_assert_str_eq(tc_read(b, 0, "/t/fresh/deep", NULL), "x");
}
END_TEST

START_TEST(test_snapshot)
{
    uint32_t tx = tc_tx_start(a);
    int err;

    /* Changes made outside after the start are not seen inside... */
    ck_assert_int_eq(xenstore_write(xs, "/other", "o"), 0);
    ck_assert_int_eq(xenstore_write(xs, "/t/k", "changed"), 0);
    ck_assert_ptr_null(tc_read(a, tx, "/other", &err));
    ck_assert_int_eq(err, -ENOENT);
    ck_assert_str_eq(tc_read(a, tx, "/t/k", NULL), "old");
    /* ...and having seen the old state, it cannot commit. */
    ck_assert_int_eq(tc_tx_end(a, tx, true), -EAGAIN);
}
END_TEST

START_TEST(test_abort)
{
    uint32_t tx = tc_tx_start(a);

    ck_assert_int_eq(tc_write(a, tx, "/t/k", "new"), 0);
    ck_assert_int_eq(tc_req(a, XS_RM, tx, NULL, NULL, "/t"), 0);
    ck_assert_ptr_null(tc_read(a, tx, "/t/k", NULL));
    ck_assert_int_eq(tc_tx_end(a, tx, false), 0);
    ck_assert_str_eq(tc_read(a, 0, "/t/k", NULL), "old");
}
END_TEST

START_TEST(test_conflict_read)
{
    uint32_t tx = tc_tx_start(a);

    ck_assert_str_eq(tc_read(a, tx, "/t/k", NULL), "old");
    ck_assert_int_eq(tc_write(a, tx, "/t/out", "derived"), 0);
    ck_assert_int_eq(tc_write(b, 0, "/t/k", "changed"), 0);
    ck_assert_int_eq(tc_tx_end(a, tx, true), -EAGAIN);
    ck_assert_ptr_null(tc_read(a, 0, "/t/out", NULL));
    /* The transaction is gone either way. */
    ck_assert_int_eq(tc_tx_end(a, tx, true), -ENOENT);
}
END_TEST

START_TEST(test_conflict_write_and_create)
{
    uint32_t tx = tc_tx_start(a);

    /* Both create the same node: the second commit loses. */
    ck_assert_int_eq(tc_write(a, tx, "/t/new", "a"), 0);
    ck_assert_int_eq(tc_write(b, 0, "/t/new", "b"), 0);
    ck_assert_int_eq(tc_tx_end(a, tx, true), -EAGAIN);
    ck_assert_str_eq(tc_read(a, 0, "/t/new", NULL), "b");
    /* A node created below one the transaction removes conflicts too. */
    tx = tc_tx_start(a);
    ck_assert_int_eq(tc_req(a, XS_RM, tx, NULL, NULL, "/t"), 0);
    ck_assert_int_eq(xenstore_write(xs, "/t/new/child", "c"), 0);
    ck_assert_int_eq(tc_tx_end(a, tx, true), -EAGAIN);
    ck_assert_str_eq(tc_read(a, 0, "/t/new/child", NULL), "c");
}
END_TEST

START_TEST(test_no_conflict_elsewhere)
{
    uint32_t tx = tc_tx_start(a);

    ck_assert_str_eq(tc_read(a, tx, "/t/k", NULL), "old");
    ck_assert_int_eq(tc_write(a, tx, "/t/k", "mine"), 0);
    /* Unrelated changes, even next door, do not conflict. */
    ck_assert_int_eq(xenstore_write(xs, "/elsewhere", "x"), 0);
    ck_assert_int_eq(xenstore_write(xs, "/t/sibling", "x"), 0);
    ck_assert_int_eq(tc_tx_end(a, tx, true), 0);
    ck_assert_str_eq(tc_read(b, 0, "/t/k", NULL), "mine");
    ck_assert_str_eq(tc_read(b, 0, "/t/sibling", NULL), "x");
}
END_TEST

START_TEST(test_retry_after_own_changes)
{
    uint32_t tx = tc_tx_start(a);

    /* Writing below a node then removing it must still commit. */
    ck_assert_int_eq(tc_write(a, tx, "/t/k/sub", "s"), 0);
    ck_assert_int_eq(tc_req(a, XS_RM, tx, NULL, NULL, "/t"), 0);
    ck_assert_int_eq(tc_write(a, tx, "/t/again", "1"), 0);
    ck_assert_int_eq(tc_tx_end(a, tx, true), 0);
    ck_assert_ptr_null(tc_read(b, 0, "/t/k", NULL));
    ck_assert_str_eq(tc_read(b, 0, "/t/again", NULL), "1");
}
END_TEST

START_TEST(test_directory_and_perms_in_tx)
{
    char out[XENSTORE_PAYLOAD_MAX + 1];
    size_t len;
    uint32_t tx = tc_tx_start(a);

    ck_assert_int_eq(tc_req(a, XS_MKDIR, tx, NULL, NULL, "/t/dir"), 0);
    ck_assert_int_eq(
        tc_req(a, XS_SET_PERMS, tx, NULL, NULL, "/t/dir", "n4", "r5"), 0);
    ck_assert_int_eq(tc_req(a, XS_DIRECTORY, tx, out, &len, "/t"), 0);
    ck_assert_uint_eq(len, 6);
    ck_assert_mem_eq(out, "k\0dir\0", 6);
    ck_assert_int_eq(tc_req(b, XS_DIRECTORY, 0, out, &len, "/t"), 0);
    ck_assert_uint_eq(len, 2);
    ck_assert_int_eq(tc_tx_end(a, tx, true), 0);
    ck_assert_int_eq(tc_req(b, XS_GET_PERMS, 0, out, &len, "/t/dir"), 0);
    ck_assert_uint_eq(len, 6);
    ck_assert_mem_eq(out, "n4\0r5\0", 6);
}
END_TEST

START_TEST(test_unknown_tx_id)
{
    ck_assert_ptr_null(tc_read(a, 77, "/t/k", NULL));
    ck_assert_int_eq(tc_write(a, 77, "/t/k", "x"), -ENOENT);
    ck_assert_str_eq(tc_read(a, 0, "/t/k", NULL), "old");
}
END_TEST

START_TEST(test_limit_transactions)
{
    struct tconn *d1 = tconn_new(xs, 1, false);
    char out[XENSTORE_PAYLOAD_MAX + 1];
    unsigned int i;

    for (i = 0; i < 10; i++)
        tc_tx_start(d1);
    ck_assert_int_eq(tc_call(d1, XS_TRANSACTION_START, 0, "", 1, out, NULL),
                     -ENOSPC);
    ck_assert_int_eq(tc_tx_end(d1, 3, false), 0);
    tc_tx_start(d1);
    /* Privileged connections are not limited. */
    for (i = 0; i < 20; i++)
        tc_tx_start(a);
    tconn_free(d1); /* open transactions go with it */
}
END_TEST

START_TEST(test_limit_nodes_in_tx)
{
    struct tconn *d1 = tconn_new(xs, 1, false);
    char path[64];
    unsigned int i;
    uint32_t tx;
    int err = 0;

    ck_assert_int_eq(xenstore_domain_introduce(xs, 1, "one", test_uuid), 0);
    tx = tc_tx_start(d1);
    ck_assert_int_eq(tc_write(d1, tx, "data/w", "v"), 0);
    /* Every node looked at counts, even a missing one: 1024 at most. */
    for (i = 0; i < 2000; i++) {
        snprintf(path, sizeof(path), "data/none%u", i);
        ck_assert_ptr_null(tc_read(d1, tx, path, &err));
        if (err != -ENOENT)
            break;
    }
    ck_assert_int_eq(err, -ENOSPC);
    ck_assert_uint_eq(i, 1024 - 2); /* data/w and data came first */
    ck_assert_int_eq(tc_tx_end(d1, tx, true), -ENOSPC);
    ck_assert_ptr_null(tc_read(d1, 0, "data/w", NULL));
    tconn_free(d1);
}
END_TEST

START_TEST(test_quota_checked_at_commit)
{
    struct tconn *d1 = tconn_new(xs, 1, false);
    char path[64];
    unsigned int i;
    uint32_t tx;

    ck_assert_int_eq(xenstore_domain_introduce(xs, 1, "one", test_uuid), 0);
    /* 994 + 6 = 1000 nodes of domain 1: one left. */
    for (i = 0; i < 993; i++) {
        snprintf(path, sizeof(path), "data/n%u", i);
        ck_assert_int_eq(tc_write(d1, 0, path, "v"), 0);
    }
    tx = tc_tx_start(d1);
    ck_assert_int_eq(tc_write(d1, tx, "data/intx", "v"), 0);
    ck_assert_int_eq(tc_write(d1, tx, "data/intx2", "v"), -ENOSPC);
    ck_assert_int_eq(tc_write(d1, 0, "control/shutdown/x", "v"), 0);
    /* The transaction's node no longer fits. */
    ck_assert_int_eq(tc_tx_end(d1, tx, true), -ENOSPC);
    tconn_free(d1);
}
END_TEST

static Suite *transaction_suite(void)
{
    Suite *s = suite_create("xenstore_transaction");
    TCase *tc = tcase_create("transaction");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_start_ids);
    tcase_add_test(tc, test_isolation_and_commit);
    tcase_add_test(tc, test_snapshot);
    tcase_add_test(tc, test_abort);
    tcase_add_test(tc, test_conflict_read);
    tcase_add_test(tc, test_conflict_write_and_create);
    tcase_add_test(tc, test_no_conflict_elsewhere);
    tcase_add_test(tc, test_retry_after_own_changes);
    tcase_add_test(tc, test_directory_and_perms_in_tx);
    tcase_add_test(tc, test_unknown_tx_id);
    tcase_add_test(tc, test_limit_transactions);
    tcase_add_test(tc, test_limit_nodes_in_tx);
    tcase_add_test(tc, test_quota_checked_at_commit);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(transaction_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
