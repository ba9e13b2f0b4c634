/* SPDX-License-Identifier: MIT */
/* check_xenstore_wire.c: unit tests of the XenStore protocol, byte by byte:
 * every message, malformed input. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

#include "core/log.h"
#include "xenstore_test.h"

_Static_assert(sizeof(struct xsd_sockmsg) == 16, "xsd_sockmsg is 16 bytes");
_Static_assert(sizeof(struct xenstore_domain_interface) == 2080,
               "the store ring page uses 2080 bytes");
_Static_assert(offsetof(struct xenstore_domain_interface, req_cons) == 2048,
               "req_cons follows the two rings");
_Static_assert(offsetof(struct xenstore_domain_interface, evtchn_port) == 2076,
               "evtchn_port is last");

static struct xenstore *xs;
static struct tconn *t;

static void setup(void)
{
    ck_assert_int_eq(xenstore_create(&xs), 0);
    t = tconn_new(xs, 0, true);
}

static void teardown(void)
{
    tconn_free(t);
    xenstore_destroy(xs);
}

/* The next message must be exactly this header and payload. */
#define expect(c, type, req_id, tx_id, ...)                                    \
    expect_bytes((c), (type), (req_id), (tx_id), __VA_ARGS__, __LINE__)

static void expect_bytes(struct tconn *c, uint32_t type, uint32_t req_id,
                         uint32_t tx_id, const void *payload, size_t plen,
                         int line)
{
    struct xsd_sockmsg h = {type, req_id, tx_id, (uint32_t)plen};
    char want[sizeof(h) + XENSTORE_PAYLOAD_MAX];

    memcpy(want, &h, sizeof(h));
    memcpy(want + sizeof(h), payload, plen);
    ck_assert_msg(c->len - c->rd >= sizeof(h) + plen,
                  "line %d: %zu bytes of output, want %zu", line,
                  c->len - c->rd, sizeof(h) + plen);
    ck_assert_msg(memcmp(c->out + c->rd, want, sizeof(h) + plen) == 0,
                  "line %d: output differs", line);
    c->rd += sizeof(h) + plen;
}

static void expect_none(struct tconn *c)
{
    ck_assert_uint_eq(c->len - c->rd, 0);
}

/* Sends (type, payload) with req_id (id) and tx 0; input must accept it. */
static void send_msg(struct tconn *c, uint32_t type, uint32_t id, const char *p,
                     size_t len)
{
    ck_assert_int_eq(tc_send(c, type, id, 0, p, len), 0);
}

#define S(lit) lit, sizeof(lit) - 1 /* a literal with its embedded NULs */

START_TEST(test_read_write)
{
    send_msg(t, XS_READ, 0x11223344, S("/local/domain/0/name\0"));
    expect(t, XS_READ, 0x11223344, 0, S("Domain-0")); /* no NUL */
    send_msg(t, XS_WRITE, 2, S("/x\0value"));
    expect(t, XS_WRITE, 2, 0, S("OK\0"));
    send_msg(t, XS_WRITE, 3, S("/empty\0"));
    expect(t, XS_WRITE, 3, 0, S("OK\0"));
    send_msg(t, XS_READ, 4, S("/empty\0"));
    expect(t, XS_READ, 4, 0, "", 0);
    send_msg(t, XS_READ, 5, S("/missing\0"));
    expect(t, XS_ERROR, 5, 0, S("ENOENT\0"));
    send_msg(t, XS_MKDIR, 6, S("/dir/sub\0"));
    expect(t, XS_MKDIR, 6, 0, S("OK\0"));
    send_msg(t, XS_DIRECTORY, 7, S("/dir\0"));
    expect(t, XS_DIRECTORY, 7, 0, S("sub\0"));
    send_msg(t, XS_DIRECTORY, 8, S("/dir/sub\0"));
    expect(t, XS_DIRECTORY, 8, 0, "", 0);
    send_msg(t, XS_RM, 9, S("/dir\0"));
    expect(t, XS_RM, 9, 0, S("OK\0"));
    send_msg(t, XS_SET_PERMS, 10, S("/x\0n3\0r4\0b5\0w6\0"));
    expect(t, XS_SET_PERMS, 10, 0, S("OK\0"));
    send_msg(t, XS_GET_PERMS, 11, S("/x\0"));
    expect(t, XS_GET_PERMS, 11, 0, S("n3\0r4\0b5\0w6\0"));
    expect_none(t);
}
END_TEST

START_TEST(test_watch_messages)
{
    send_msg(t, XS_WATCH, 1, S("/w\0tk\0"));
    expect(t, XS_WATCH, 1, 0, S("OK\0"));
    expect(t, XS_WATCH_EVENT, 0, 0, S("/w\0tk\0"));
    send_msg(t, XS_WRITE, 2, S("/w/a\0v"));
    expect(t, XS_WATCH_EVENT, 0, 0, S("/w/a\0tk\0"));
    expect(t, XS_WRITE, 2, 0, S("OK\0"));
    send_msg(t, XS_UNWATCH, 3, S("/w\0tk\0"));
    expect(t, XS_UNWATCH, 3, 0, S("OK\0"));
    send_msg(t, XS_UNWATCH, 4, S("/w\0tk\0"));
    expect(t, XS_ERROR, 4, 0, S("ENOENT\0"));
    send_msg(t, XS_WATCH, 5, S("/w\0")); /* no token */
    expect(t, XS_ERROR, 5, 0, S("EINVAL\0"));
    send_msg(t, XS_WATCH, 6,
             S("/w\0tk\0"
               "3\0")); /* depth: ignored */
    expect(t, XS_WATCH, 6, 0, S("OK\0"));
    expect(t, XS_WATCH_EVENT, 0, 0, S("/w\0tk\0"));
    send_msg(t, XS_RESET_WATCHES, 7, S("\0"));
    expect(t, XS_RESET_WATCHES, 7, 0, S("OK\0"));
    send_msg(t, XS_WRITE, 8, S("/w/a\0v"));
    expect(t, XS_WRITE, 8, 0, S("OK\0"));
    expect_none(t);
}
END_TEST

START_TEST(test_transaction_messages)
{
    send_msg(t, XS_TRANSACTION_START, 1, S("\0"));
    expect(t, XS_TRANSACTION_START, 1, 0, S("1\0"));
    ck_assert_int_eq(tc_send(t, XS_WRITE, 2, 1, S("/tx\0v")), 0);
    expect(t, XS_WRITE, 2, 1, S("OK\0")); /* tx_id echoed */
    ck_assert_int_eq(tc_send(t, XS_READ, 3, 1, S("/tx\0")), 0);
    expect(t, XS_READ, 3, 1, S("v"));
    send_msg(t, XS_READ, 4, S("/tx\0"));
    expect(t, XS_ERROR, 4, 0, S("ENOENT\0"));
    ck_assert_int_eq(tc_send(t, XS_READ, 5, 9, S("/tx\0")), 0);
    expect(t, XS_ERROR, 5, 9, S("ENOENT\0")); /* no transaction 9 */
    ck_assert_int_eq(tc_send(t, XS_TRANSACTION_START, 6, 1, S("\0")), 0);
    expect(t, XS_ERROR, 6, 1, S("EBUSY\0"));
    ck_assert_int_eq(tc_send(t, XS_TRANSACTION_END, 7, 1, S("Y\0")), 0);
    expect(t, XS_ERROR, 7, 1, S("EINVAL\0"));
    ck_assert_int_eq(tc_send(t, XS_TRANSACTION_END, 8, 1, S("T\0")), 0);
    expect(t, XS_TRANSACTION_END, 8, 1, S("OK\0"));
    send_msg(t, XS_TRANSACTION_END, 9, S("T\0"));
    expect(t, XS_ERROR, 9, 0, S("ENOENT\0"));
    /* A watch ignores tx_id, as in Xen. */
    ck_assert_int_eq(tc_send(t, XS_WATCH, 10, 42, S("/tx\0k\0")), 0);
    expect(t, XS_WATCH, 10, 42, S("OK\0"));
    expect(t, XS_WATCH_EVENT, 0, 0, S("/tx\0k\0"));
    expect_none(t);
}
END_TEST

START_TEST(test_domain_messages)
{
    struct tconn *d1 = tconn_new(xs, 1, false);

    send_msg(t, XS_GET_DOMAIN_PATH, 1, S("5\0"));
    expect(t, XS_GET_DOMAIN_PATH, 1, 0, S("/local/domain/5\0"));
    send_msg(t, XS_GET_DOMAIN_PATH, 2, S("5x\0"));
    expect(t, XS_ERROR, 2, 0, S("EINVAL\0"));
    send_msg(t, XS_IS_DOMAIN_INTRODUCED, 3, S("5\0"));
    expect(t, XS_IS_DOMAIN_INTRODUCED, 3, 0, S("F\0"));
    send_msg(t, XS_INTRODUCE, 4,
             S("5\0"
               "4096\0"
               "3\0"));
    expect(t, XS_INTRODUCE, 4, 0, S("OK\0"));
    send_msg(t, XS_IS_DOMAIN_INTRODUCED, 5, S("5\0"));
    expect(t, XS_IS_DOMAIN_INTRODUCED, 5, 0, S("T\0"));
    send_msg(t, XS_RESUME, 6, S("5\0"));
    expect(t, XS_RESUME, 6, 0, S("OK\0"));
    send_msg(t, XS_RELEASE, 7, S("5\0"));
    expect(t, XS_RELEASE, 7, 0, S("OK\0"));
    send_msg(t, XS_RELEASE, 8, S("5\0"));
    expect(t, XS_ERROR, 8, 0, S("ENOENT\0"));
    send_msg(t, XS_RESUME, 9, S("5\0"));
    expect(t, XS_ERROR, 9, 0, S("ENOENT\0"));
    send_msg(t, XS_RELEASE, 10, S("0\0"));
    expect(t, XS_ERROR, 10, 0, S("EINVAL\0"));
    send_msg(t, XS_INTRODUCE, 11, S("5\0"));
    expect(t, XS_ERROR, 11, 0, S("EINVAL\0"));
    send_msg(t, XS_SET_TARGET, 12,
             S("5\0"
               "0\0"));
    expect(t, XS_ERROR, 12, 0, S("ENOSYS\0"));
    send_msg(t, XS_CONTROL, 13, S("print\0hello from the test\0"));
    expect(t, XS_CONTROL, 13, 0, S("OK\0"));
    send_msg(t, XS_CONTROL, 14, S("frobnicate\0"));
    expect(t, XS_ERROR, 14, 0, S("EINVAL\0"));
    /* The toolstack's messages are for privileged connections only. */
    send_msg(d1, XS_INTRODUCE, 15,
             S("6\0"
               "1\0"
               "1\0"));
    expect(d1, XS_ERROR, 15, 0, S("EACCES\0"));
    send_msg(d1, XS_RELEASE, 16, S("0\0"));
    expect(d1, XS_ERROR, 16, 0, S("EACCES\0"));
    send_msg(d1, XS_IS_DOMAIN_INTRODUCED, 17, S("0\0"));
    expect(d1, XS_ERROR, 17, 0, S("EACCES\0"));
    send_msg(d1, XS_CONTROL, 18, S("print\0x\0"));
    expect(d1, XS_ERROR, 18, 0, S("EACCES\0"));
    send_msg(d1, XS_GET_DOMAIN_PATH, 19, S("1\0"));
    expect(d1, XS_GET_DOMAIN_PATH, 19, 0, S("/local/domain/1\0"));
    expect_none(d1);
    expect_none(t);
    tconn_free(d1);
}
END_TEST

START_TEST(test_directory_part)
{
    char out[XENSTORE_PAYLOAD_MAX + 1], path[64], off[16], all[65536];
    size_t len, total = 0, glen, want = 0;
    unsigned int i;
    char *gen0 = NULL;

    /* Small: generation, the names, and the end marker. */
    ck_assert_int_eq(xenstore_write(xs, "/p/a", ""), 0);
    ck_assert_int_eq(xenstore_write(xs, "/p/bb", ""), 0);
    ck_assert_int_eq(tc_req(t, XS_DIRECTORY_PART, 0, out, &len, "/p", "0"), 0);
    glen = strlen(out) + 1;
    ck_assert_uint_eq(len, glen + 6);
    ck_assert_mem_eq(out + glen, "a\0bb\0\0", 6);
    ck_assert_int_eq(tc_req(t, XS_DIRECTORY_PART, 0, out, &len, "/p", "x"),
                     -EINVAL);
    /* Large: DIRECTORY says E2BIG; the parts rebuild the list. */
    for (i = 0; i < 600; i++) {
        snprintf(path, sizeof(path), "/big/child-number-%u", i);
        ck_assert_int_eq(xenstore_write(xs, path, ""), 0);
        want += strlen(path) - strlen("/big/") + 1;
    }
    ck_assert_int_eq(tc_req(t, XS_DIRECTORY, 0, NULL, NULL, "/big"), -E2BIG);
    for (;;) {
        snprintf(off, sizeof(off), "%zu", total);
        ck_assert_int_eq(
            tc_req(t, XS_DIRECTORY_PART, 0, out, &len, "/big", off), 0);
        ck_assert_uint_le(len, XENSTORE_PAYLOAD_MAX);
        glen = strlen(out) + 1;
        if (!gen0)
            gen0 = strdup(out);
        ck_assert_str_eq(out, gen0);
        memcpy(all + total, out + glen, len - glen);
        total += len - glen;
        if (len - glen <= 1 || all[total - 2] == '\0')
            break;
    }
    ck_assert_uint_eq(total, want + 1);
    ck_assert_str_eq(all, "child-number-0");
    ck_assert_str_eq(all + want - strlen("child-number-599") - 1,
                     "child-number-599");
    free(gen0);
}
END_TEST

START_TEST(test_incremental)
{
    static const char req[] = "/local/domain/0/domid";
    struct xsd_sockmsg h = {XS_READ, 77, 0, sizeof(req)};
    char buf[sizeof(h) + sizeof(req)];
    size_t i;

    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), req, sizeof(req));
    /* One byte at a time: nothing until the last byte arrives. */
    for (i = 0; i < sizeof(buf) - 1; i++) {
        ck_assert_int_eq(xenstore_conn_input(t->conn, buf + i, 1), 1);
        expect_none(t);
    }
    ck_assert_int_eq(xenstore_conn_input(t->conn, buf + i, 1), 1);
    expect(t, XS_READ, 77, 0, S("0"));
    /* A short header, then the rest with a second request behind it. */
    {
        char two[2 * sizeof(buf)];

        memcpy(two, buf, sizeof(buf));
        memcpy(two + sizeof(buf), buf, sizeof(buf));
        ck_assert_int_eq(xenstore_conn_input(t->conn, two, 5), 5);
        expect_none(t);
        ck_assert_int_eq(xenstore_conn_input(t->conn, two + 5, sizeof(two) - 5),
                         sizeof(two) - 5);
        expect(t, XS_READ, 77, 0, S("0"));
        expect(t, XS_READ, 77, 0, S("0"));
    }
    /* A request without payload is complete with its header. */
    send_msg(t, XS_DIRECTORY, 78, "", 0);
    expect(t, XS_ERROR, 78, 0, S("EINVAL\0"));
    expect_none(t);
}
END_TEST

START_TEST(test_oversized_kills)
{
    struct xsd_sockmsg h = {XS_WRITE, 1, 0, XENSTORE_PAYLOAD_MAX + 1};
    char big[XENSTORE_PAYLOAD_MAX];

    /* Exactly the limit is fine. */
    memset(big, 'v', sizeof(big));
    memcpy(big, "/big\0", 5);
    send_msg(t, XS_WRITE, 2, big, sizeof(big));
    expect(t, XS_WRITE, 2, 0, S("OK\0"));
    /* One byte more: the connection is dead, whatever comes next. */
    ck_assert_int_eq(xenstore_conn_input(t->conn, &h, sizeof(h)), -E2BIG);
    ck_assert_int_lt(tc_send(t, XS_READ, 3, 0, S("/big\0")), 0);
    expect_none(t);
}
END_TEST

START_TEST(test_malformed)
{
    send_msg(t, XS_READ, 1, S("/a b\0"));
    expect(t, XS_ERROR, 1, 0, S("EINVAL\0"));
    send_msg(t, XS_WRITE, 2, S("/a/../b\0v"));
    expect(t, XS_ERROR, 2, 0, S("EINVAL\0"));
    send_msg(t, XS_READ, 3, S("/local")); /* no NUL */
    expect(t, XS_ERROR, 3, 0, S("EINVAL\0"));
    send_msg(t, XS_WRITE, 4, S("/nonul")); /* no NUL after the path */
    expect(t, XS_ERROR, 4, 0, S("EINVAL\0"));
    send_msg(t, XS_READ, 5, S("/local\0extra\0"));
    expect(t, XS_ERROR, 5, 0, S("EINVAL\0"));
    send_msg(t, XS_RM, 6, S("\0"));
    expect(t, XS_ERROR, 6, 0, S("EINVAL\0"));
    send_msg(t, XS_SET_PERMS, 7, S("/local\0r1"));
    expect(t, XS_ERROR, 7, 0, S("EINVAL\0"));
    send_msg(t, XS_WATCH, 8, S("/local\0tok"));
    expect(t, XS_ERROR, 8, 0, S("EINVAL\0"));
    send_msg(t, XS_WATCH, 9, S("@other\0tok\0")); /* any "@" name: fine */
    expect(t, XS_WATCH, 9, 0, S("OK\0"));
    expect(t, XS_WATCH_EVENT, 0, 0, S("@other\0tok\0"));
    send_msg(t, XS_READ, 10, S("@introduceDomain\0"));
    expect(t, XS_ERROR, 10, 0, S("EINVAL\0"));
    expect_none(t);
}
END_TEST

START_TEST(test_unknown_types)
{
    static const uint32_t types[] = {XS_WATCH_EVENT, XS_ERROR, 20,
                                     XS_TYPE_COUNT,  1000,     XS_INVALID,
                                     0xffffffffu};
    unsigned int i;

    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        ck_assert_int_eq(tc_send(t, types[i], 100 + i, 3, S("x\0")), 0);
        expect(t, XS_ERROR, 100 + i, 3, S("ENOSYS\0"));
    }
    /* The connection is still served. */
    send_msg(t, XS_READ, 1, S("/local/domain/0/domid\0"));
    expect(t, XS_READ, 1, 0, S("0"));
    expect_none(t);
}
END_TEST

/* captured_lines: how many lines of (f) hold (what). */
static unsigned int captured_lines(FILE *f, const char *what)
{
    char line[1024];
    unsigned int n = 0;

    fflush(stderr);
    rewind(f);
    while (fgets(line, sizeof(line), f))
        n += strstr(line, what) != NULL;
    return n;
}

/* A peer's log lines are limited per connection, never shared. */
START_TEST(test_log_lines_limited_per_connection)
{
    FILE *f = tmpfile();
    int saved = dup(STDERR_FILENO);
    struct tconn *other = tconn_new(xs, 7, false);

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(dup2(fileno(f), STDERR_FILENO), STDERR_FILENO);
    for (unsigned int i = 0; i < 200; i++) {
        ck_assert_int_eq(tc_send(t, 1000, i, 0, S("x\0")), 0);
        expect(t, XS_ERROR, i, 0, S("ENOSYS\0"));
    }
    ck_assert_int_eq(tc_send(other, 1000, 1, 0, S("x\0")), 0);
    expect(other, XS_ERROR, 1, 0, S("ENOSYS\0"));
    dup2(saved, STDERR_FILENO);
    close(saved);
    ck_assert_uint_le(captured_lines(f, "d0: xenstore: unknown message type"),
                      GUEST_LOG_BURST + 1);
    ck_assert_uint_eq(captured_lines(f, "d7: xenstore: unknown message type"),
                      1);
    fclose(f);
    tconn_free(other);
}
END_TEST

START_TEST(test_partial_writes)
{
    t->accept = 3; /* the peer takes 3 bytes per write */
    send_msg(t, XS_READ, 1, S("/local/domain/0/name\0"));
    while (xenstore_conn_flush(t->conn) > 0)
        ;
    expect(t, XS_READ, 1, 0, S("Domain-0"));
    t->block = true;
    send_msg(t, XS_READ, 2, S("/local/domain/0/name\0"));
    ck_assert_uint_eq(xenstore_conn_pending(t->conn), 16 + 8);
    expect_none(t);
    t->block = false;
    ck_assert_int_eq(xenstore_conn_flush(t->conn), 24 - 3);
    while (xenstore_conn_flush(t->conn) > 0)
        ;
    expect(t, XS_READ, 2, 0, S("Domain-0"));
}
END_TEST

static ssize_t gone_write(void *opaque, const void *buf, size_t len)
{
    (void)opaque;
    (void)buf;
    (void)len;
    return -EPIPE;
}

START_TEST(test_peer_gone)
{
    static const struct xenstore_conn_ops ops = {.write = gone_write};
    struct xenstore_conn *c = xenstore_conn_new(xs, 0, true, &ops, NULL);
    struct xsd_sockmsg h = {XS_READ, 1, 0, 6};
    char buf[sizeof(h) + 6];

    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), "/local", 6);
    ck_assert_int_eq(xenstore_conn_input(c, buf, sizeof(buf)), sizeof(buf));
    ck_assert_int_lt(xenstore_conn_flush(c), 0);
    ck_assert_uint_eq(xenstore_conn_pending(c), 0);
    xenstore_conn_free(c);
}
END_TEST

static Suite *wire_suite(void)
{
    Suite *s = suite_create("xenstore_wire");
    TCase *tc = tcase_create("wire");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_read_write);
    tcase_add_test(tc, test_watch_messages);
    tcase_add_test(tc, test_transaction_messages);
    tcase_add_test(tc, test_domain_messages);
    tcase_add_test(tc, test_directory_part);
    tcase_add_test(tc, test_incremental);
    tcase_add_test(tc, test_oversized_kills);
    tcase_add_test(tc, test_malformed);
    tcase_add_test(tc, test_unknown_types);
    tcase_add_test(tc, test_log_lines_limited_per_connection);
    tcase_add_test(tc, test_partial_writes);
    tcase_add_test(tc, test_peer_gone);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(wire_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
