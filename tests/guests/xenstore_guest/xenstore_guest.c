/* SPDX-License-Identifier: MIT */
/*
 * xenstore_guest.c: XenStore from a guest: nodes in its own subtree,
 * permissions, a transaction conflict, a watch, values larger than the
 * ring.
 */

#include "../testguest.h"

static void expect_value(const char *path, const char *want)
{
    char buf[64];
    int rc = xenbus_read(XBT_NIL, path, buf, sizeof(buf));

    if (rc < 0)
        test_abort("read %s: %d", path, rc);
    if (strcmp(buf, want) != 0 || (size_t)rc != strlen(want))
        test_abort("read %s: \"%s\" (%d), expected \"%s\"", path, buf, rc,
                   want);
    printf("ok: %s = \"%s\"\n", path, buf);
}

static void nodes(void)
{
    char buf[128];

    check_result("write data/test/a",
                 xenbus_write(XBT_NIL, "data/test/a", "hello"), 0);
    expect_value("data/test/a", "hello");
    check_result("write data/test/b", xenbus_write(XBT_NIL, "data/test/b", ""),
                 0);
    check_result("directory data/test",
                 xenbus_directory(XBT_NIL, "data/test", buf, sizeof(buf)), 2);
    if (strcmp(buf, "a") != 0 || strcmp(buf + 2, "b") != 0)
        test_abort("directory data/test: \"%s\", \"%s\"", buf, buf + 2);
    check_result("rm data/test/a", xenbus_rm(XBT_NIL, "data/test/a"), 0);
    check_result("read data/test/a after rm",
                 xenbus_read(XBT_NIL, "data/test/a", buf, sizeof(buf)),
                 -XEN_ENOENT);
    check_result("directory data/test after rm",
                 xenbus_directory(XBT_NIL, "data/test", buf, sizeof(buf)), 1);
    check_result("mkdir data/test/d", xenbus_mkdir(XBT_NIL, "data/test/d"), 0);
    expect_value("data/test/d", "");
    check_result("read own name",
                 xenbus_read(XBT_NIL, "name", buf, sizeof(buf)) > 0, 1);
    check_result(
        "read dom0's private node",
        xenbus_read(XBT_NIL, "/local/domain/0/domid", buf, sizeof(buf)),
        -XEN_EACCES);
    check_result("write outside own subtree",
                 xenbus_write(XBT_NIL, "/local/domain/0/x", "1"), -XEN_EACCES);
}

/* Reads b in (t), changes b outside it: the commit must fail. */
static void conflict(void)
{
    xenbus_transaction_t t;
    char buf[16];

    check_result("transaction_start", xenbus_transaction_start(&t), 0);
    check_result("read b in t", xenbus_read(t, "data/test/b", buf, sizeof(buf)),
                 0);
    check_result("write b outside t",
                 xenbus_write(XBT_NIL, "data/test/b", "outside"), 0);
    check_result("write c in t", xenbus_write(t, "data/test/c", "1"), 0);
    check_result("commit after a conflict", xenbus_transaction_end(t, 0),
                 -XEN_EAGAIN);
    check_result("c not written",
                 xenbus_read(XBT_NIL, "data/test/c", buf, sizeof(buf)),
                 -XEN_ENOENT);
}

static unsigned int tries;

/* Conflicts with itself on the first try only. */
static int body(xenbus_transaction_t t, void *arg)
{
    char buf[16];
    int rc;

    (void)arg;
    if ((rc = xenbus_read(t, "data/test/b", buf, sizeof(buf))) < 0)
        return rc;
    if (tries++ == 0 &&
        (rc = xenbus_write(XBT_NIL, "data/test/b", "again")) < 0)
        return rc;
    return xenbus_write(t, "data/test/c", "committed");
}

static void retry(void)
{
    check_result("transaction_run", xenbus_transaction_run(body, NULL), 0);
    check_result("transaction tries", tries, 2);
    expect_value("data/test/c", "committed");
}

static unsigned long fires;
static char fired_path[64];

static void on_watch(const char *path, const char *token, void *data)
{
    (void)token;
    (void)data;
    fires++;
    snprintf(fired_path, sizeof(fired_path), "%s", path);
}

static int fired(void *arg)
{
    return fires >= *(unsigned long *)arg;
}

static void expect_fires(unsigned long n, const char *what)
{
    wait_until(fired, &n, monotonic_ns() + NSEC_PER_SEC);
    sleep_ns(20 * NSEC_PER_MSEC);
    if (fires != n)
        test_abort("%s: watch fired %lu times, expected %lu", what, fires, n);
    printf("ok: %s: %lu fires, last for %s\n", what, fires, fired_path);
}

static void watch(void)
{
    check_result("watch data/w", xenbus_watch("data/w", "tok", on_watch, NULL),
                 0);
    check_result("watch with the same token",
                 xenbus_watch("data/x", "tok", on_watch, NULL), -XEN_EEXIST);
    expect_fires(1, "watch set");
    check_result("path of the first fire", strcmp(fired_path, "data/w"), 0);
    check_result("write data/w", xenbus_write(XBT_NIL, "data/w", "x"), 0);
    expect_fires(2, "watched node written");
    check_result("write data/w/child", xenbus_write(XBT_NIL, "data/w/k", "y"),
                 0);
    expect_fires(3, "child of the watched node written");
    check_result("path of the child fire", strcmp(fired_path, "data/w/k"), 0);
    check_result("unwatch", xenbus_unwatch("data/w", "tok"), 0);
    check_result("write data/w", xenbus_write(XBT_NIL, "data/w", "z"), 0);
    expect_fires(3, "no fire after unwatch");
}

/*
 * A value of 2000 bytes, twice the ring: the request goes in pieces as
 * the store makes room, the reply too, the store waiting for the guest
 * to free room in a full ring (the guest notifies only then). Twice, so
 * that the second request starts where the first left the indexes.
 */
static void large(void)
{
    static char value[2001], back[2048];
    int i, round;

    for (i = 0; i < 2000; i++)
        value[i] = (char)('a' + i % 26);
    value[2000] = '\0';
    for (round = 0; round < 2; round++) {
        check_result("write a 2000-byte value",
                     xenbus_write(XBT_NIL, "data/large", value), 0);
        memset(back, 0, sizeof(back));
        check_result("read it back",
                     xenbus_read(XBT_NIL, "data/large", back, sizeof(back)),
                     2000);
        if (memcmp(back, value, 2001) != 0)
            test_abort("the 2000-byte value came back different");
        check_result("a small write after it",
                     xenbus_write(XBT_NIL, "data/small", "after"), 0);
        expect_value("data/small", "after");
    }
}

int main(void)
{
    nodes();
    conflict();
    retry();
    watch();
    large();
    puts("SUCCESS");
    return 0;
}
