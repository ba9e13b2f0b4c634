/* SPDX-License-Identifier: MIT */
/* check_xenstore_tree.c: unit tests of the store's tree, paths, permissions and
 * quotas. */
#include <errno.h>

#include "xenstore_test.h"

static struct xenstore *xs;

static void setup(void)
{
    ck_assert_int_eq(xenstore_create(&xs), 0);
}

static void teardown(void)
{
    xenstore_destroy(xs);
}

static char *rd(const char *path, int *rc)
{
    static char buf[XENSTORE_PAYLOAD_MAX + 1];
    char *v = NULL;

    *rc = xenstore_read(xs, path, &v, NULL);
    if (*rc)
        return NULL;
    snprintf(buf, sizeof(buf), "%s", v);
    free(v);
    return buf;
}

START_TEST(test_initial_tree)
{
    struct tconn *t = tconn_new(xs, 0, true);
    char out[XENSTORE_PAYLOAD_MAX + 1];
    size_t len;
    int rc;

    ck_assert_str_eq(rd("/local/domain/0/name", &rc), "Domain-0");
    ck_assert_str_eq(rd("/local/domain/0/domid", &rc), "0");
    ck_assert_int_eq(tc_req(t, XS_DIRECTORY, 0, out, &len, "/"), 0);
    ck_assert_uint_eq(len, 9);
    ck_assert_mem_eq(out, "local\0vm\0", 9);
    ck_assert_int_eq(tc_req(t, XS_GET_PERMS, 0, out, &len, "/"), 0);
    ck_assert_uint_eq(len, 3);
    ck_assert_mem_eq(out, "n0\0", 3);
    ck_assert(xenstore_domain_introduced(xs, 0));
    ck_assert(!xenstore_domain_introduced(xs, 1));
    tconn_free(t);
}
END_TEST

START_TEST(test_write_read_rm)
{
    char *v = NULL;
    size_t len = 99;
    int rc;

    ck_assert_int_eq(xenstore_write(xs, "/a/b/c", "hello"), 0);
    ck_assert_str_eq(rd("/a/b/c", &rc), "hello");
    ck_assert_str_eq(rd("/a/b", &rc), ""); /* created parents are empty */
    ck_assert_int_eq(xenstore_write(xs, "/a/b/c", ""), 0);
    ck_assert_int_eq(xenstore_read(xs, "/a/b/c", &v, &len), 0);
    ck_assert_uint_eq(len, 0);
    free(v);
    ck_assert_int_eq(xenstore_mkdir(xs, "/a/b/c"), 0); /* exists: fine */
    ck_assert_int_eq(xenstore_mkdir(xs, "/a/d"), 0);
    ck_assert_int_eq(xenstore_rm(xs, "/a/b"), 0); /* with its subtree */
    ck_assert_ptr_null(rd("/a/b/c", &rc));
    ck_assert_int_eq(rc, -ENOENT);
    ck_assert_ptr_null(rd("/a/b", &rc));
    ck_assert_str_eq(rd("/a/d", &rc), "");
    /* Missing node: fine if its parent exists, ENOENT otherwise. */
    ck_assert_int_eq(xenstore_rm(xs, "/a/b"), 0);
    ck_assert_int_eq(xenstore_rm(xs, "/a/b/c"), -ENOENT);
    ck_assert_int_eq(xenstore_rm(xs, "/"), -EINVAL);
}
END_TEST

START_TEST(test_values_are_bytes)
{
    struct tconn *t = tconn_new(xs, 0, true);
    char out[XENSTORE_PAYLOAD_MAX + 1];
    size_t len;

    ck_assert_int_eq(tc_call(t, XS_WRITE, 0, "/bin\0a\0b\xff", 9, NULL, NULL),
                     0);
    ck_assert_int_eq(tc_req(t, XS_READ, 0, out, &len, "/bin"), 0);
    ck_assert_uint_eq(len, 4);
    ck_assert_mem_eq(out, "a\0b\xff", 4);
    tconn_free(t);
}
END_TEST

START_TEST(test_directory_order)
{
    struct tconn *t = tconn_new(xs, 0, true);
    char out[XENSTORE_PAYLOAD_MAX + 1];
    size_t len;

    ck_assert_int_eq(xenstore_write(xs, "/d/zeta", "1"), 0);
    ck_assert_int_eq(xenstore_write(xs, "/d/alpha", "2"), 0);
    ck_assert_int_eq(xenstore_write(xs, "/d/mid", "3"), 0);
    ck_assert_int_eq(xenstore_rm(xs, "/d/alpha"), 0);
    ck_assert_int_eq(tc_req(t, XS_DIRECTORY, 0, out, &len, "/d"), 0);
    ck_assert_uint_eq(len, 9);
    ck_assert_mem_eq(out, "zeta\0mid\0", 9);
    ck_assert_int_eq(tc_req(t, XS_DIRECTORY, 0, out, &len, "/d/mid"), 0);
    ck_assert_uint_eq(len, 0);
    tconn_free(t);
}
END_TEST

START_TEST(test_path_validation)
{
    char path[XENSTORE_ABS_PATH_MAX + 2];

    ck_assert_int_eq(xenstore_write(xs, "/a//b", "x"), -EINVAL);
    ck_assert_int_eq(xenstore_write(xs, "/a/", "x"), -EINVAL);
    ck_assert_int_eq(xenstore_write(xs, "/a b", "x"), -EINVAL);
    ck_assert_int_eq(xenstore_write(xs, "/a.b", "x"), -EINVAL);
    ck_assert_int_eq(xenstore_write(xs, "", "x"), -EINVAL);
    ck_assert_int_eq(xenstore_write(xs, "@introduceDomain", "x"), -EINVAL);
    ck_assert_int_eq(xenstore_write(xs, "/Az09-_@/x", "ok"), 0);
    memset(path, 'p', sizeof(path));
    path[0] = '/';
    path[XENSTORE_ABS_PATH_MAX] = '\0';
    ck_assert_int_eq(xenstore_write(xs, path, "x"), 0);
    path[XENSTORE_ABS_PATH_MAX] = 'p';
    path[XENSTORE_ABS_PATH_MAX + 1] = '\0';
    ck_assert_int_eq(xenstore_write(xs, path, "x"), -EINVAL);
}
END_TEST

START_TEST(test_relative_paths)
{
    struct tconn *t = tconn_new(xs, 1, false);
    char rel[XENSTORE_REL_PATH_MAX + 2];
    int rc;

    ck_assert_int_eq(xenstore_domain_introduce(xs, 1, "guest", test_uuid), 0);
    ck_assert_int_eq(tc_write(t, 0, "data/x", "rel"), 0);
    ck_assert_str_eq(rd("/local/domain/1/data/x", &rc), "rel");
    ck_assert_str_eq(tc_read(t, 0, "name", NULL), "guest");
    memset(rel, 'r', sizeof(rel));
    memcpy(rel, "data/", 5);
    rel[XENSTORE_REL_PATH_MAX + 1] = '\0';
    ck_assert_int_eq(tc_write(t, 0, rel, "x"), -EINVAL);
    tconn_free(t);
}
END_TEST

START_TEST(test_introduce_release)
{
    struct tconn *t = tconn_new(xs, 0, true);
    char out[XENSTORE_PAYLOAD_MAX + 1];
    size_t len;
    int rc;

    ck_assert_int_eq(xenstore_domain_introduce(xs, 3, "web", test_uuid), 0);
    ck_assert_int_eq(xenstore_domain_introduce(xs, 3, "web", test_uuid),
                     -EEXIST);
    ck_assert(xenstore_domain_introduced(xs, 3));
    ck_assert_str_eq(rd("/local/domain/3/name", &rc), "web");
    ck_assert_str_eq(rd("/local/domain/3/domid", &rc), "3");
    ck_assert_str_eq(rd("/local/domain/3/vm", &rc), "/vm/" TEST_UUID);
    ck_assert_str_eq(rd("/vm/" TEST_UUID "/name", &rc), "web");
    ck_assert_str_eq(rd("/vm/" TEST_UUID "/uuid", &rc), TEST_UUID);
    ck_assert_int_eq(tc_req(t, XS_GET_PERMS, 0, out, &len, "/local/domain/3"),
                     0);
    /* Public, so that domains find each other by name. */
    ck_assert_uint_eq(len, 3);
    ck_assert_mem_eq(out, "r0\0", 3);
    ck_assert_int_eq(
        tc_req(t, XS_GET_PERMS, 0, out, &len, "/local/domain/3/vm"), 0);
    ck_assert_uint_eq(len, 6);
    ck_assert_mem_eq(out, "n0\0r3\0", 6);
    ck_assert_int_eq(tc_req(t, XS_GET_PERMS, 0, out, &len,
                            "/local/domain/3/control/shutdown"),
                     0);
    ck_assert_uint_eq(len, 3);
    ck_assert_mem_eq(out, "n3\0", 3);
    ck_assert_int_eq(xenstore_domain_release(xs, 3), 0);
    ck_assert(!xenstore_domain_introduced(xs, 3));
    ck_assert_ptr_null(rd("/local/domain/3", &rc));
    ck_assert_ptr_null(rd("/vm/" TEST_UUID, &rc));
    ck_assert_int_eq(xenstore_domain_release(xs, 3), -ENOENT);
    tconn_free(t);
}
END_TEST

START_TEST(test_perms_unprivileged)
{
    struct tconn *d1, *d2;
    char out[XENSTORE_PAYLOAD_MAX + 1];
    size_t len;
    int err;

    ck_assert_int_eq(xenstore_domain_introduce(xs, 1, "one", test_uuid), 0);
    ck_assert_int_eq(xenstore_domain_introduce(xs, 2, "two", test_uuid), 0);
    d1 = tconn_new(xs, 1, false);
    d2 = tconn_new(xs, 2, false);
    /* Its own home: readable, not writable; others': the name only. */
    ck_assert_str_eq(tc_read(d1, 0, "/local/domain/1/name", NULL), "one");
    ck_assert_int_eq(tc_write(d1, 0, "/local/domain/1/name", "x"), -EACCES);
    ck_assert_str_eq(tc_read(d1, 0, "/local/domain/2/name", NULL), "two");
    ck_assert_int_eq(tc_write(d1, 0, "/local/domain/2/name", "x"), -EACCES);
    ck_assert_ptr_null(tc_read(d1, 0, "/local/domain/2/vm", &err));
    ck_assert_int_eq(err, -EACCES);
    ck_assert_int_eq(tc_write(d1, 0, "/local/domain/2/data/x", "x"), -EACCES);
    ck_assert_int_eq(tc_req(d1, XS_DIRECTORY, 0, NULL, NULL, "/local/domain/2"),
                     0);
    ck_assert_int_eq(
        tc_req(d1, XS_DIRECTORY, 0, NULL, NULL, "/local/domain/2/data"),
        -EACCES);
    ck_assert_int_eq(tc_req(d1, XS_RM, 0, NULL, NULL, "/local/domain/2/data"),
                     -EACCES);
    ck_assert_int_eq(tc_write(d1, 0, "/newtop", "x"), -EACCES);
    /* Missing below an unreadable node: EACCES, not ENOENT. */
    ck_assert_ptr_null(tc_read(d1, 0, "/local/domain/2/data/nope", &err));
    ck_assert_int_eq(err, -EACCES);
    ck_assert_ptr_null(tc_read(d1, 0, "/local/domain/1/nope", &err));
    ck_assert_int_eq(err, -ENOENT);
    /* What it creates, it owns. */
    ck_assert_int_eq(tc_write(d1, 0, "data/x", "mine"), 0);
    ck_assert_int_eq(tc_req(d1, XS_GET_PERMS, 0, out, &len, "data/x"), 0);
    ck_assert_mem_eq(out, "n1\0", 3);
    ck_assert_int_eq(tc_write(d1, 0, "control/shutdown", ""), 0);
    /* Granting read to 2, and not giving the node away. */
    ck_assert_int_eq(
        tc_req(d1, XS_SET_PERMS, 0, NULL, NULL, "data/x", "n1", "r2"), 0);
    ck_assert_str_eq(tc_read(d2, 0, "/local/domain/1/data/x", NULL), "mine");
    ck_assert_int_eq(tc_write(d2, 0, "/local/domain/1/data/x", "y"), -EACCES);
    ck_assert_int_eq(tc_req(d1, XS_SET_PERMS, 0, NULL, NULL, "data/x", "n2"),
                     -EPERM);
    ck_assert_int_eq(tc_req(d1, XS_SET_PERMS, 0, NULL, NULL, "data/x", "q1"),
                     -EINVAL);
    ck_assert_int_eq(tc_req(d1, XS_SET_PERMS, 0, NULL, NULL, "data/x", "r"),
                     -EINVAL);
    ck_assert_int_eq(tc_req(d1, XS_SET_PERMS, 0, NULL, NULL, "data/x"),
                     -EINVAL);
    /* Default access for others: "b1" lets 2 write. */
    ck_assert_int_eq(tc_req(d1, XS_SET_PERMS, 0, NULL, NULL, "data/x", "b1"),
                     0);
    ck_assert_int_eq(tc_write(d2, 0, "/local/domain/1/data/x", "y"), 0);
    tconn_free(d1);
    tconn_free(d2);
}
END_TEST

START_TEST(test_quota_nodes)
{
    struct tconn *d1 = tconn_new(xs, 1, false);
    char path[64];
    unsigned int i;
    int rc = 0;

    ck_assert_int_eq(xenstore_domain_introduce(xs, 1, "one", test_uuid), 0);
    /* 6 nodes are its own already: control/{shutdown,sysrq,feature-*}, data. */
    for (i = 0; i < 2000 && rc == 0; i++) {
        snprintf(path, sizeof(path), "data/n%u", i);
        rc = tc_write(d1, 0, path, "v");
    }
    ck_assert_int_eq(rc, -ENOSPC);
    ck_assert_uint_eq(i - 1, 1000 - 6);
    /* Removing frees quota; dom0 is not limited. */
    ck_assert_int_eq(tc_req(d1, XS_RM, 0, NULL, NULL, "data/n0"), 0);
    ck_assert_int_eq(tc_write(d1, 0, "data/again", "v"), 0);
    ck_assert_int_eq(tc_write(d1, 0, "data/more", "v"), -ENOSPC);
    for (i = 0; i < 1200; i++) {
        snprintf(path, sizeof(path), "/dom0/n%u", i);
        ck_assert_int_eq(xenstore_write(xs, path, "v"), 0);
    }
    tconn_free(d1);
}
END_TEST

START_TEST(test_quota_value)
{
    struct tconn *d1 = tconn_new(xs, 1, false);
    char val[3000];

    ck_assert_int_eq(xenstore_domain_introduce(xs, 1, "one", test_uuid), 0);
    memset(val, 'v', sizeof(val));
    val[2048] = '\0';
    ck_assert_int_eq(tc_write(d1, 0, "data/big", val), 0);
    val[2048] = 'v';
    val[2049] = '\0';
    ck_assert_int_eq(tc_write(d1, 0, "data/big", val), -ENOSPC);
    val[2999] = '\0';
    ck_assert_int_eq(xenstore_write(xs, "/local/domain/1/data/big", val), 0);
    tconn_free(d1);
}
END_TEST

START_TEST(test_in_process_perms)
{
    const char *const perms[] = {"n5", "r6"};
    const char *const bad[] = {"x5"};
    struct tconn *d6 = tconn_new(xs, 6, false);

    ck_assert_int_eq(xenstore_write(xs, "/shared/k", "v"), 0);
    ck_assert_int_eq(xenstore_set_perms(xs, "/shared/k", perms, 2), 0);
    ck_assert_int_eq(xenstore_set_perms(xs, "/shared/k", bad, 1), -EINVAL);
    ck_assert_int_eq(xenstore_set_perms(xs, "/shared/none", perms, 2), -ENOENT);
    ck_assert_str_eq(tc_read(d6, 0, "/shared/k", NULL), "v");
    tconn_free(d6);
}
END_TEST

static Suite *tree_suite(void)
{
    Suite *s = suite_create("xenstore_tree");
    TCase *tc = tcase_create("tree");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_initial_tree);
    tcase_add_test(tc, test_write_read_rm);
    tcase_add_test(tc, test_values_are_bytes);
    tcase_add_test(tc, test_directory_order);
    tcase_add_test(tc, test_path_validation);
    tcase_add_test(tc, test_relative_paths);
    tcase_add_test(tc, test_introduce_release);
    tcase_add_test(tc, test_perms_unprivileged);
    tcase_add_test(tc, test_quota_nodes);
    tcase_add_test(tc, test_quota_value);
    tcase_add_test(tc, test_in_process_perms);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(tree_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
