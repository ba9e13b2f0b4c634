/* SPDX-License-Identifier: MIT */
/*
 * check_control.c: pvhvd's control messages (libpvctl/control_wire.c):
 * framing over a real socket pair, descriptors, and every malformed case
 * the daemon must refuse; domain names, ids and UUIDs (resolve.c).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libpvctl/control_wire.h"
#include "libpvctl/resolve.h"

static struct control_msg m;
static struct pvctl_error err;

/* request: (m) as a request of (type) with (len) bytes, no descriptor. */
static void request(unsigned int type, size_t len)
{
    memset(&m, 0, sizeof(m));
    memset(&err, 0, sizeof(err));
    m.hdr = control_header(type, 0, len);
}

static struct pvhv_control_create *create_ok(void)
{
    struct pvhv_control_create *c = (void *)m.payload;

    request(PVHV_CONTROL_CREATE, sizeof(*c));
    strcpy(c->name, "hello");
    c->memory = 4 << 20;
    c->vcpus = 1;
    m.nfds = 1;
    m.fds[0] = -1; /* never used: a check only */
    return c;
}

START_TEST(test_round_trip_with_descriptors)
{
    struct pvhv_control_select sel = {"hello"};
    int sv[2], fds[2], got;
    struct stat a, b;

    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    fds[0] = open("/dev/null", O_RDONLY);
    fds[1] = open("/", O_RDONLY);
    ck_assert_int_eq(
        control_send(sv[0], PVHV_CONTROL_DESTROY, 0, &sel, sizeof(sel), fds, 2),
        0);
    ck_assert_int_eq(control_recv(sv[1], &m, &err), 0);
    ck_assert_uint_eq(m.hdr.magic, PVHV_CONTROL_MAGIC);
    ck_assert_uint_eq(m.hdr.version, PVHV_CONTROL_VERSION);
    ck_assert_uint_eq(m.hdr.type, PVHV_CONTROL_DESTROY);
    ck_assert_uint_eq(m.hdr.length, sizeof(sel));
    ck_assert_str_eq(((struct pvhv_control_select *)m.payload)->domain,
                     "hello");
    /* The descriptors came, as the same files. */
    ck_assert_uint_eq(m.nfds, 2);
    ck_assert_int_eq(fstat(m.fds[1], &a), 0);
    ck_assert_int_eq(fstat(fds[1], &b), 0);
    ck_assert_uint_eq(a.st_ino, b.st_ino);
    got = fcntl(m.fds[0], F_GETFD);
    ck_assert_int_ne(got & FD_CLOEXEC, 0);
    control_msg_close_fds(&m);
    /* A clean end of the stream, then a message cut short. */
    ck_assert_int_eq(
        control_send(sv[0], PVHV_CONTROL_INFO, 0, NULL, 0, NULL, 0), 0);
    ck_assert_int_eq(control_recv(sv[1], &m, &err), 0);
    ck_assert_uint_eq(m.hdr.length, 0);
    struct pvhv_control_hdr h = control_header(PVHV_CONTROL_LIST, 0, 8);
    ck_assert_int_eq(write(sv[0], &h, sizeof(h)), sizeof(h));
    ck_assert_int_eq(write(sv[0], "abc", 3), 3);
    close(sv[0]);
    ck_assert_int_eq(control_recv(sv[1], &m, &err), -EPROTO);
    ck_assert_int_eq(control_recv(sv[1], &m, &err), -ECONNRESET);
    close(sv[1]);
    close(fds[0]);
    close(fds[1]);
}
END_TEST

START_TEST(test_header_magic_and_length)
{
    struct pvhv_control_hdr h = control_header(PVHV_CONTROL_LIST, 0, 8);

    ck_assert_int_eq(control_header_check(&h, &err), 0);
    h.magic = 0x12345678;
    ck_assert_int_eq(control_header_check(&h, &err), -PVHV_CONTROL_EPROTO);
    ck_assert_ptr_nonnull(strstr(err.msg, "bad magic 0x12345678"));
    h = control_header(PVHV_CONTROL_CREATE, 0, PVHV_CONTROL_MSG_MAX);
    ck_assert_int_eq(control_header_check(&h, &err), -PVHV_CONTROL_ETOOBIG);
    h.length = UINT32_MAX;
    ck_assert_int_eq(control_header_check(&h, &err), -PVHV_CONTROL_ETOOBIG);
}
END_TEST

START_TEST(test_requests_refused)
{
    struct pvhv_control_select *s = (void *)m.payload;

    request(PVHV_CONTROL_LIST, sizeof(struct pvhv_control_list));
    ck_assert_int_eq(control_request_check(&m, false, &err), 0);
    m.hdr.version = PVHV_CONTROL_VERSION + 1;
    ck_assert_int_eq(control_request_check(&m, false, &err),
                     -PVHV_CONTROL_EVERSION);
    request(PVHV_CONTROL_LIST, 3); /* not its size */
    ck_assert_int_eq(control_request_check(&m, false, &err),
                     -PVHV_CONTROL_EPROTO);
    request(77, 0);
    ck_assert_int_eq(control_request_check(&m, false, &err),
                     -PVHV_CONTROL_ETYPE);
    request(PVHV_CONTROL_LIST | PVHV_CONTROL_REPLY, 8);
    ck_assert_int_eq(control_request_check(&m, false, &err),
                     -PVHV_CONTROL_EORDER);
    request(PVHV_CONTROL_HELLO, 0); /* the daemon's to send */
    ck_assert_int_eq(control_request_check(&m, false, &err),
                     -PVHV_CONTROL_EORDER);
    request(PVHV_CONTROL_CONSOLE_DATA, 5); /* not on a console */
    ck_assert_int_eq(control_request_check(&m, false, &err),
                     -PVHV_CONTROL_EORDER);
    ck_assert_int_eq(control_request_check(&m, true, &err), 0);
    request(PVHV_CONTROL_LIST, 8); /* on a console, only input */
    ck_assert_int_eq(control_request_check(&m, true, &err),
                     -PVHV_CONTROL_EORDER);
    request(PVHV_CONTROL_CONSOLE_DATA, PVHV_CONTROL_DATA_MAX + 1);
    ck_assert_int_eq(control_request_check(&m, true, &err),
                     -PVHV_CONTROL_EPROTO);
    request(PVHV_CONTROL_LIST, 8);
    m.hdr.status = -1; /* a request has none */
    ck_assert_int_eq(control_request_check(&m, false, &err),
                     -PVHV_CONTROL_EORDER);
    /* A selector: a string, not empty, no descriptor. */
    request(PVHV_CONTROL_DESTROY, sizeof(*s));
    memset(s->domain, 'x', sizeof(s->domain));
    ck_assert_int_eq(control_request_check(&m, false, &err),
                     -PVHV_CONTROL_EPROTO);
    request(PVHV_CONTROL_PAUSE, sizeof(*s));
    ck_assert_int_eq(control_request_check(&m, false, &err),
                     -PVHV_CONTROL_EPROTO);
    strcpy(s->domain, "3");
    m.nfds = 1;
    ck_assert_int_eq(control_request_check(&m, false, &err),
                     -PVHV_CONTROL_EPROTO);
    m.nfds = 0;
    ck_assert_int_eq(control_request_check(&m, false, &err), 0);
    request(PVHV_CONTROL_SHUTDOWN, sizeof(struct pvhv_control_shutdown));
    strcpy(s->domain, "3");
    ((struct pvhv_control_shutdown *)m.payload)->reason = 7;
    ck_assert_int_eq(control_request_check(&m, false, &err),
                     -PVHV_CONTROL_EPROTO);
    ck_assert_ptr_nonnull(strstr(err.msg, "reason 7"));
}
END_TEST

START_TEST(test_create_values)
{
    struct pvhv_control_create *c = create_ok();

    ck_assert_int_eq(control_request_check(&m, false, &err), 0);
    m.nfds = 0; /* the kernel must come */
    ck_assert_int_eq(control_request_check(&m, false, &err),
                     -PVHV_CONTROL_EPROTO);
    ck_assert_ptr_nonnull(strstr(err.msg, "0 descriptors; allowed: 1"));
    c = create_ok();
    c->nr_disks = 1; /* and a descriptor per disk */
    strcpy(c->disks[0].vdev, "xvda");
    ck_assert_int_eq(control_request_check(&m, false, &err),
                     -PVHV_CONTROL_EPROTO);
    m.nfds = 2;
    ck_assert_int_eq(control_request_check(&m, false, &err), 0);
    c->disks[0].readonly = 2;
    ck_assert_int_eq(control_request_check(&m, false, &err),
                     -PVHV_CONTROL_EPROTO);
    c->disks[0].readonly = 0;
    memset(c->disks[0].vdev, 'x', sizeof(c->disks[0].vdev));
    ck_assert_int_eq(control_request_check(&m, false, &err),
                     -PVHV_CONTROL_EPROTO);
    c = create_ok();
    c->nr_disks = 17;
    ck_assert_int_eq(control_create_check(c, &err), -PVHV_CONTROL_EPROTO);
    c = create_ok();
    memset(c->name, 'n', sizeof(c->name));
    ck_assert_int_eq(control_create_check(c, &err), -PVHV_CONTROL_EPROTO);
    c = create_ok();
    c->name[0] = '\0';
    ck_assert_int_eq(control_create_check(c, &err), -PVHV_CONTROL_EPROTO);
    c = create_ok();
    memset(c->cmdline, 'c', sizeof(c->cmdline));
    ck_assert_int_eq(control_create_check(c, &err), -PVHV_CONTROL_EPROTO);
    ck_assert_ptr_nonnull(strstr(err.msg, "cmdline"));
    c = create_ok();
    c->vcpus = 0;
    ck_assert_int_eq(control_create_check(c, &err), -PVHV_CONTROL_EPROTO);
    c->vcpus = 33;
    ck_assert_int_eq(control_create_check(c, &err), -PVHV_CONTROL_EPROTO);
    c = create_ok();
    c->memory = 4097;
    ck_assert_int_eq(control_create_check(c, &err), -PVHV_CONTROL_EPROTO);
    c->memory = 0;
    ck_assert_int_eq(control_create_check(c, &err), -PVHV_CONTROL_EPROTO);
    c = create_ok();
    c->on_crash = 3;
    ck_assert_int_eq(control_create_check(c, &err), -PVHV_CONTROL_EPROTO);
    c = create_ok();
    c->flags = PVHV_CONTROL_CREATE_HVM;
    ck_assert_int_eq(control_create_check(c, &err), 0);
    c->flags = 8;
    ck_assert_int_eq(control_create_check(c, &err), -PVHV_CONTROL_EPROTO);
    c = create_ok();
    c->max_grant_frames = 64;
    ck_assert_int_eq(control_create_check(c, &err), -PVHV_CONTROL_EPROTO);
    c = create_ok();
    c->exec_mode = 2;
    ck_assert_int_eq(control_create_check(c, &err), -PVHV_CONTROL_EPROTO);
}
END_TEST

START_TEST(test_replies)
{
    struct pvhv_control_list_reply *l = (void *)m.payload;

    request(PVHV_CONTROL_LIST | PVHV_CONTROL_REPLY, sizeof(*l));
    ck_assert_int_eq(control_reply_check(&m, PVHV_CONTROL_LIST, false, &err),
                     0);
    /* A count its length does not hold; more than a page. */
    l->count = 2;
    ck_assert_int_eq(control_reply_check(&m, PVHV_CONTROL_LIST, false, &err),
                     -PVHV_CONTROL_EPROTO);
    l->count = PVHV_CONTROL_LIST_MAX + 1;
    m.hdr.length = sizeof(*l) + l->count * sizeof(l->domains[0]);
    ck_assert_int_eq(control_reply_check(&m, PVHV_CONTROL_LIST, false, &err),
                     -PVHV_CONTROL_EPROTO);
    /* Another type's reply; an error with its text. */
    request(PVHV_CONTROL_PAUSE | PVHV_CONTROL_REPLY,
            sizeof(struct pvhv_control_domain));
    ck_assert_int_eq(control_reply_check(&m, PVHV_CONTROL_DESTROY, false, &err),
                     -PVHV_CONTROL_EPROTO);
    request(PVHV_CONTROL_DESTROY | PVHV_CONTROL_REPLY, 10);
    m.hdr.status = -PVHV_CONTROL_ENOENT;
    ck_assert_int_eq(control_reply_check(&m, PVHV_CONTROL_DESTROY, false, &err),
                     0);
    ck_assert_str_eq(control_error_name(m.hdr.status), "no such domain");
    ck_assert_str_eq(control_error_name(99), "unknown");
    /* Console output only on a console. */
    request(PVHV_CONTROL_CONSOLE_DATA, 5);
    ck_assert_int_eq(control_reply_check(&m, PVHV_CONTROL_CONSOLE, false, &err),
                     -PVHV_CONTROL_EPROTO);
    ck_assert_int_eq(control_reply_check(&m, PVHV_CONTROL_CONSOLE, true, &err),
                     0);
}
END_TEST

/*
 * A status that is not 0 nor -PVHV_CONTROL_E*, and an error message over
 * PVHV_CONTROL_TEXT_MAX, are refused with a message (found by the
 * control_wire fuzz target: a positive status passed as an error, and
 * pvctl_session_call then took it for success with a payload of no
 * checked size).
 */
START_TEST(test_reply_status_and_message)
{
    static const int32_t bad[] = {1, PVHV_CONTROL_EPROTO, INT32_MAX,
                                  -PVHV_CONTROL_ERRORS, INT32_MIN};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        request(PVHV_CONTROL_LIST | PVHV_CONTROL_REPLY, 0);
        m.hdr.status = bad[i];
        ck_assert_int_eq(
            control_reply_check(&m, PVHV_CONTROL_LIST, false, &err),
            -PVHV_CONTROL_EPROTO);
        ck_assert_ptr_nonnull(strstr(err.msg, "status"));
        /* Console output on a console: the same rule. */
        request(PVHV_CONTROL_CONSOLE_DATA, 3);
        m.hdr.status = bad[i];
        ck_assert_int_eq(
            control_reply_check(&m, PVHV_CONTROL_CONSOLE, true, &err),
            -PVHV_CONTROL_EPROTO);
        ck_assert_str_ne(err.msg, "");
    }
    request(PVHV_CONTROL_DESTROY | PVHV_CONTROL_REPLY,
            PVHV_CONTROL_TEXT_MAX + 1);
    m.hdr.status = -PVHV_CONTROL_ENOENT;
    ck_assert_int_eq(control_reply_check(&m, PVHV_CONTROL_DESTROY, false, &err),
                     -PVHV_CONTROL_EPROTO);
    ck_assert_ptr_nonnull(strstr(err.msg, "error reply of 1025 bytes"));
    /* The last code and a message of the largest size pass. */
    request(PVHV_CONTROL_DESTROY | PVHV_CONTROL_REPLY, PVHV_CONTROL_TEXT_MAX);
    m.hdr.status = -(PVHV_CONTROL_ERRORS - 1);
    ck_assert_int_eq(control_reply_check(&m, PVHV_CONTROL_DESTROY, false, &err),
                     0);
}
END_TEST

/* Three domains for resolve_find. */
static const uint8_t uuids[3][16] = {
    {0xc7, 0xa5, 0xfd, 0xb2, 0xcd, 0xaf, 0x94, 0x55, 0x92, 0x6a, 0xd6, 0x5c,
     0x16, 0xdb, 0x18, 0x09},
    {1},
    {2},
};
static const char *const names[3] = {"web", "12", "db"};
static const uint32_t ids[3] = {3, 7, 12};

static void get(void *ctx, size_t i, struct resolve_entry *e)
{
    (void)ctx;
    e->name = names[i];
    e->id = ids[i];
    e->uuid = uuids[i];
}

START_TEST(test_resolve_name_id_uuid)
{
    ck_assert_int_eq(resolve_find("web", 3, get, NULL), 0);
    ck_assert_int_eq(resolve_find("3", 3, get, NULL), 0);
    ck_assert_int_eq(resolve_find("7", 3, get, NULL), 1);
    /* A number is an id first (xl): "12" is domain 12, not the one named so. */
    ck_assert_int_eq(resolve_find("12", 3, get, NULL), 2);
    ck_assert_int_eq(
        resolve_find("c7a5fdb2-cdaf-9455-926a-d65c16db1809", 3, get, NULL), 0);
    ck_assert_int_eq(
        resolve_find("C7A5FDB2-CDAF-9455-926A-D65C16DB1809", 3, get, NULL), 0);
    ck_assert_int_eq(
        resolve_find("c7a5fdb2-cdaf-9455-926a-d65c16db1800", 3, get, NULL), -1);
    ck_assert_int_eq(resolve_find("db", 3, get, NULL), 2);
    ck_assert_int_eq(resolve_find("nosuch", 3, get, NULL), -1);
    ck_assert_int_eq(resolve_find("99", 3, get, NULL), -1);
    ck_assert_int_eq(resolve_find("123456", 3, get, NULL), -1);
    ck_assert_int_eq(resolve_find("", 3, get, NULL), -1);
    ck_assert_int_eq(resolve_find("web", 0, get, NULL), -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("control");
    TCase *tc = tcase_create("control");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_round_trip_with_descriptors);
    tcase_add_test(tc, test_header_magic_and_length);
    tcase_add_test(tc, test_requests_refused);
    tcase_add_test(tc, test_create_values);
    tcase_add_test(tc, test_replies);
    tcase_add_test(tc, test_reply_status_and_message);
    tcase_add_test(tc, test_resolve_name_id_uuid);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
