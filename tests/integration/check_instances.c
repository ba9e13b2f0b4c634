/* SPDX-License-Identifier: MIT */
/* check_instances.c: two hypervisor instances in one process are independent.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/instance.h"
#include "core/xenstore/xenstore.h"
#include "pvhv.h"

static const char *guest(const char *name)
{
    static char path[4096];

    snprintf(path, sizeof(path), "%s/%s/%s.elf", getenv("GUESTS"), name, name);
    return path;
}

struct console {
    char buf[4096];
    size_t len;
};

static void console_write(void *opaque, const char *buf, size_t len)
{
    struct console *c = opaque;
    size_t room = sizeof(c->buf) - 1 - c->len;

    if (len > room)
        len = room;
    memcpy(c->buf + c->len, buf, len);
    c->len += len;
    c->buf[c->len] = '\0';
}

/* make: domain (name) of the enosys guest in (hv), not started. */
static struct domain *make(struct pvhv *hv, const char *name,
                           struct console *con)
{
    const char *kernel = guest("enosys");
    int fd = open(kernel, O_RDONLY | O_CLOEXEC);
    struct pvhv_domain_config cfg = {
        .name = name,
        .memory = 4 << 20,
        .vcpus = 1,
        .kernel = pvhv_file_fd(fd, kernel),
        .console = console_write,
        .console_opaque = con,
    };
    struct pvhv_error err = {""};
    struct domain *d = NULL;

    ck_assert_msg(fd >= 0, "%s: %s", kernel, strerror(errno));
    ck_assert_msg(pvhv_domain_create(hv, &cfg, &d, &err) == 0, "%s", err.msg);
    close(fd);
    return d;
}

START_TEST(test_two_instances_are_independent)
{
    struct pvhv *a, *b;
    struct pvhv_error err = {""};
    struct console ca = {.len = 0}, cb = {.len = 0};
    struct pvhv_domain_result res;
    char *value = NULL;

    ck_assert_msg(pvhv_open(&a, &err) == 0, "%s", err.msg);
    ck_assert_msg(pvhv_open(&b, &err) == 0, "%s", err.msg);
    /* Each has its own services. */
    ck_assert_ptr_ne(a->loop, b->loop);
    ck_assert_ptr_ne(a->xs, b->xs);
    ck_assert_ptr_ne(a->platform, b->platform);

    /* Names and ids are per instance: the same in both. */
    struct domain *da = make(a, "twin", &ca);
    struct domain *db = make(b, "twin", &cb);
    ck_assert_uint_eq(pvhv_domain_id(da), 1);
    ck_assert_uint_eq(pvhv_domain_id(db), 1);

    /* One instance's XenStore is not the other's. */
    ck_assert_int_eq(xenstore_write(a->xs, "/tool/only-a", "1"), 0);
    ck_assert_int_eq(xenstore_read(b->xs, "/tool/only-a", &value, NULL),
                     -ENOENT);
    ck_assert_int_eq(xenstore_read(a->xs, "/tool/only-a", &value, NULL), 0);
    ck_assert_str_eq(value, "1");
    free(value);

    /* Closing one leaves the other serving: its domain runs to its end. */
    pvhv_domain_destroy(da);
    pvhv_close(a);
    ck_assert_msg(pvhv_domain_start(db, &err) == 0, "%s", err.msg);
    pvhv_domain_wait(db, &res);
    ck_assert_int_eq(res.end, PVHV_END_POWEROFF);
    ck_assert_msg(strstr(cb.buf, "SUCCESS\n"), "%s", cb.buf);
    ck_assert_uint_eq(ca.len, 0); /* the closed one's never ran */
    pvhv_domain_destroy(db);
    pvhv_close(b);
}
END_TEST

int main(void)
{
    struct pvhv *probe;
    struct pvhv_error err = {""};

    if (access("/dev/kvm", R_OK | W_OK) != 0 || pvhv_open(&probe, &err) < 0) {
        printf("SKIP: KVM is not usable here: %s\n",
               err.msg[0] ? err.msg : "/dev/kvm missing or not accessible");
        return 77;
    }
    pvhv_close(probe);
    Suite *s = suite_create("instances");
    TCase *tc = tcase_create("instances");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_two_instances_are_independent);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
