/* SPDX-License-Identifier: MIT */
/* check_domains.c: real guest kernels in real KVM domains, through libpvhv. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvhv.h"

static struct pvhv *hv;
static enum pvhv_exec_mode exec_mode; /* every test runs in both modes */

struct console {
    char buf[16384];
    size_t len;
};

static void capture(void *opaque, const char *buf, size_t len)
{
    struct console *c = opaque;
    size_t room = sizeof(c->buf) - 1 - c->len;
    if (len > room)
        len = room;
    memcpy(c->buf + c->len, buf, len);
    c->len += len;
    c->buf[c->len] = '\0';
}

static const char *guest(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof(path), "%s/%s/%s.elf", getenv("GUESTS"), name, name);
    return path;
}

/* Boots (kernel) with (memory) bytes; returns create's rc. */
static int boot(const char *kernel, uint64_t memory, const char *cmdline,
                struct console *con, struct pvhv_domain_result *res,
                struct pvhv_error *err)
{
    struct pvhv_domain_config cfg = {
        .name = "test", .memory = memory, .vcpus = 1, .kernel = kernel,
        .cmdline = cmdline, .console = capture, .console_opaque = con,
        .exec_mode = exec_mode,
    };
    struct domain *d;
    memset(con, 0, sizeof(*con));
    int rc = pvhv_domain_create(hv, &cfg, &d, err);
    if (rc < 0)
        return rc;
    ck_assert_int_eq(pvhv_domain_start(d, err), 0);
    pvhv_domain_wait(d, res);
    pvhv_domain_destroy(d);
    return 0;
}

static void expect_success(const char *name)
{
    struct console con;
    struct pvhv_domain_result res;
    struct pvhv_error err = { "" };
    ck_assert_msg(boot(guest(name), 4 << 20, "", &con, &res, &err) == 0,
                  "%s: %s", name, err.msg);
    ck_assert_msg(res.end == PVHV_END_POWEROFF, "%s ended with %s (%s):\n%s",
                  name, pvhv_end_name(res.end), res.reason, con.buf);
    ck_assert_msg(strstr(con.buf, "SUCCESS\n"), "%s said:\n%s", name, con.buf);
    ck_assert_ptr_null(strstr(con.buf, "ABORT"));
}

START_TEST(test_enosys)
{
    expect_success("enosys");
}
END_TEST

START_TEST(test_efault)
{
    expect_success("efault");
}
END_TEST

START_TEST(test_pagefault_is_a_crash_with_its_address)
{
    struct console con;
    struct pvhv_domain_result res;
    struct pvhv_error err = { "" };
    ck_assert_int_eq(boot(guest("pagefault"), 4 << 20, "", &con, &res, &err), 0);
    ck_assert_int_eq(res.end, PVHV_END_CRASH);
    ck_assert(res.have_regs);
    ck_assert_uint_eq(res.regs.cr2, 0x400000000ULL);
    if (res.stats.native) {
        /* The host's native mode does not deliver guest exceptions through
         * the guest's IDT: the fault ends as a triple fault, cr2 intact. */
        ck_assert_str_eq(res.reason, "triple fault on vCPU 0");
        return;
    }
    ck_assert_msg(strstr(con.buf, "page fault at 0x400000000"), "%s", con.buf);
    ck_assert_str_eq(res.reason, "the guest reported a crash (SCHEDOP_shutdown, "
                                 "SHUTDOWN_crash) on vCPU 0");
}
END_TEST

START_TEST(test_triple_fault_is_a_crash)
{
    struct console con;
    struct pvhv_domain_result res;
    struct pvhv_error err = { "" };
    ck_assert_int_eq(boot(guest("triplefault"), 4 << 20, "", &con, &res, &err), 0);
    ck_assert_int_eq(res.end, PVHV_END_CRASH);
    ck_assert(res.have_regs);
    ck_assert_ptr_null(strstr(con.buf, "SUCCESS"));
    ck_assert_msg(strstr(res.reason, "vCPU 0"), "%s", res.reason);
}
END_TEST

START_TEST(test_too_little_memory_is_refused_before_running)
{
    struct console con;
    struct pvhv_domain_result res;
    struct pvhv_error err = { "" };
    const char *k = guest("bigbss");
    ck_assert_int_lt(boot(k, 8 << 20, "", &con, &res, &err), 0);
    ck_assert_msg(strstr(err.msg, "does not fit in guest RAM (8 MiB)"), "%s",
                  err.msg);
    ck_assert_uint_eq(con.len, 0);
    /* With room for its 16 MiB array it runs. */
    ck_assert_int_eq(boot(k, 32 << 20, "", &con, &res, &err), 0);
    ck_assert_int_eq(res.end, PVHV_END_POWEROFF);
    ck_assert_msg(strstr(con.buf, "SUCCESS"), "%s", con.buf);
}
END_TEST

START_TEST(test_hypervisor_survives_crashes)
{
    struct console con;
    struct pvhv_domain_result res;
    struct pvhv_error err = { "" };
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(boot(guest("pagefault"), 4 << 20, "", &con, &res, &err), 0);
        ck_assert_int_eq(res.end, PVHV_END_CRASH);
        ck_assert_int_eq(boot(guest("triplefault"), 4 << 20, "", &con, &res, &err), 0);
        ck_assert_int_eq(res.end, PVHV_END_CRASH);
    }
    expect_success("enosys");
}
END_TEST

START_TEST(test_hello_elf32_container)
{
    struct console con;
    struct pvhv_domain_result res;
    struct pvhv_error err = { "" };
    char path[4096];
    snprintf(path, sizeof(path), "%s/hello32.elf", getenv("GUESTS"));
    ck_assert_msg(boot(path, 4 << 20, "greeting=elf32", &con, &res, &err) == 0,
                  "%s", err.msg);
    ck_assert_int_eq(res.end, PVHV_END_POWEROFF);
    ck_assert_msg(strstr(con.buf, "cmdline: greeting=elf32"), "%s", con.buf);
}
END_TEST

/* Native execution must give the same results, where the host has it. */
static int run_suite(enum pvhv_exec_mode mode)
{
    exec_mode = mode;
    Suite *s = suite_create(mode == PVHV_EXEC_NATIVE ? "domains-native"
                                                     : "domains");
    TCase *tc = tcase_create("guests");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_enosys);
    tcase_add_test(tc, test_efault);
    tcase_add_test(tc, test_pagefault_is_a_crash_with_its_address);
    tcase_add_test(tc, test_triple_fault_is_a_crash);
    tcase_add_test(tc, test_too_little_memory_is_refused_before_running);
    tcase_add_test(tc, test_hypervisor_survives_crashes);
    tcase_add_test(tc, test_hello_elf32_container);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    /* One process: the hypervisor instance outlives every domain. */
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed;
}

int main(void)
{
    struct pvhv_error err = { "" };
    if (access("/dev/kvm", R_OK | W_OK) != 0 || pvhv_open(&hv, &err) < 0) {
        printf("SKIP: KVM is not usable here: %s\n",
               err.msg[0] ? err.msg : "/dev/kvm missing or not accessible");
        return 77;
    }
    int failed = run_suite(PVHV_EXEC_DEFAULT) + run_suite(PVHV_EXEC_NATIVE);
    pvhv_close(hv);
    return failed ? 1 : 0;
}
