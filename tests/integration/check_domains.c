/* SPDX-License-Identifier: MIT */
/*
 * check_domains.c: real guest kernels in real KVM domains, through libpvhv.
 * Built twice: check_domains (the default mode) and, with DOMAINS_NATIVE,
 * check_domains_native, which runs the same guests in native execution
 * mode where its self-test passes and reports itself skipped elsewhere.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/instance.h"
#include "platform/kvm/kvm.h"
#include "platform/kvm/native.h"
#include "pvhv.h"

static struct pvhv *hv;
#ifdef DOMAINS_NATIVE
static const enum pvhv_exec_mode exec_mode = PVHV_EXEC_NATIVE;
#define PROGRAM "check_domains_native"
#else
static const enum pvhv_exec_mode exec_mode = PVHV_EXEC_DEFAULT;
#define PROGRAM "check_domains"
#endif

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

/* The domain's log (pvhv_domain_dmesg) of the last boot, before its end. */
static char last_dmesg[4096];

/* Boots (kernel) with (memory) bytes in (in) and (mode); create's rc. */
static int boot_in(struct pvhv *in, enum pvhv_exec_mode mode,
                   const char *kernel, uint64_t memory, const char *cmdline,
                   struct console *con, struct pvhv_domain_result *res,
                   struct pvhv_error *err)
{
    int fd = open(kernel, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct pvhv_domain_config cfg = {
        .name = "test",
        .memory = memory,
        .vcpus = 1,
        .kernel = pvhv_file_fd(fd, kernel),
        .cmdline = cmdline,
        .console = capture,
        .console_opaque = con,
        .exec_mode = mode,
    };
    struct domain *d;
    memset(con, 0, sizeof(*con));
    ck_assert_msg(fd >= 0, "%s: %s", kernel, strerror(errno));
    /* pvhv reads the kernel at once and keeps no descriptor of it. */
    int rc = pvhv_domain_create(in, &cfg, &d, err);
    close(fd);
    if (rc < 0)
        return rc;
    ck_assert_int_eq(pvhv_domain_start(d, err), 0);
    pvhv_domain_wait(d, res);
    pvhv_domain_dmesg(d, last_dmesg, sizeof(last_dmesg));
    pvhv_domain_destroy(d);
    return 0;
}

static int boot(const char *kernel, uint64_t memory, const char *cmdline,
                struct console *con, struct pvhv_domain_result *res,
                struct pvhv_error *err)
{
    return boot_in(hv, exec_mode, kernel, memory, cmdline, con, res, err);
}

static void expect_success(const char *name)
{
    struct console con;
    struct pvhv_domain_result res;
    struct pvhv_error err = {""};
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

/* console_io is the domain's log, as on Xen: not its console. */
START_TEST(test_console_io_is_the_log)
{
    struct console con;
    struct pvhv_domain_result res;
    struct pvhv_error err = {""};

    ck_assert_int_eq(boot(guest("efault"), 4 << 20, "", &con, &res, &err), 0);
    ck_assert_msg(strstr(con.buf, "SUCCESS\n"), "efault said:\n%s", con.buf);
    /* The guest's line first, then the hypervisor's about its bad calls. */
    ck_assert_msg(strncmp(last_dmesg, "efault: a good buffer works\n", 28) == 0,
                  "dmesg:\n%s", last_dmesg);
    ck_assert_msg(strstr(last_dmesg,
                         "console_io write: bad buffer 0x10000000000 "
                         "(16 bytes left)\n"),
                  "dmesg:\n%s", last_dmesg);
    ck_assert_ptr_null(strstr(con.buf, "a good buffer works"));
}
END_TEST

START_TEST(test_pagefault_is_a_crash_with_its_address)
{
    struct console con;
    struct pvhv_domain_result res;
    struct pvhv_error err = {""};
    ck_assert_int_eq(boot(guest("pagefault"), 4 << 20, "", &con, &res, &err),
                     0);
    ck_assert_int_eq(res.end, PVHV_END_CRASH);
    ck_assert(res.have_regs);
    ck_assert_uint_eq(res.regs.cr2, 0x400000000ULL);
    /* In native mode too: its self-test proved the #PF reaches the IDT. */
    ck_assert(res.stats.native == (exec_mode == PVHV_EXEC_NATIVE));
    ck_assert_msg(strstr(con.buf, "page fault at 0x400000000"), "%s", con.buf);
    ck_assert_str_eq(res.reason,
                     "the guest reported a crash (SCHEDOP_shutdown, "
                     "SHUTDOWN_crash) on vCPU 0");
}
END_TEST

START_TEST(test_triple_fault_is_a_crash)
{
    struct console con;
    struct pvhv_domain_result res;
    struct pvhv_error err = {""};
    ck_assert_int_eq(boot(guest("triplefault"), 4 << 20, "", &con, &res, &err),
                     0);
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
    struct pvhv_error err = {""};
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
    struct pvhv_error err = {""};
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(
            boot(guest("pagefault"), 4 << 20, "", &con, &res, &err), 0);
        ck_assert_int_eq(res.end, PVHV_END_CRASH);
        ck_assert_int_eq(
            boot(guest("triplefault"), 4 << 20, "", &con, &res, &err), 0);
        ck_assert_int_eq(res.end, PVHV_END_CRASH);
    }
    expect_success("enosys");
}
END_TEST

START_TEST(test_hello_elf32_container)
{
    struct console con;
    struct pvhv_domain_result res;
    struct pvhv_error err = {""};
    char path[4096];
    snprintf(path, sizeof(path), "%s/hello32.elf", getenv("GUESTS"));
    ck_assert_msg(boot(path, 4 << 20, "greeting=elf32", &con, &res, &err) == 0,
                  "%s", err.msg);
    ck_assert_int_eq(res.end, PVHV_END_POWEROFF);
    ck_assert_msg(strstr(con.buf, "cmdline: greeting=elf32"), "%s", con.buf);
}
END_TEST

/*
 * Asking for native execution where its self-test failed runs the domain
 * in the default mode. The failure is forced: a crafted probe result (the
 * CPUID of the host, not pvhv's table) in an instance of its own.
 */
START_TEST(test_native_unusable_runs_emulated)
{
    struct pvhv *other;
    struct pvhv_error err = {""};
    struct pvhv_native_status st;
    struct native_probe seen = {
        .started = true, .cpuid_done = true, .cpuid_ebx = 0x4b4d564b};
    struct console con;
    struct pvhv_domain_result res;

    ck_assert_int_eq(pvhv_open(&other, &err), 0);
    native_inject(kvm_of(other->platform), &seen);
    pvhv_native_status(other, &st);
    ck_assert(!st.usable);
    ck_assert_str_eq(st.why, "guest CPUID does not trap");
    ck_assert_int_eq(boot_in(other, PVHV_EXEC_NATIVE, guest("enosys"), 4 << 20,
                             "", &con, &res, &err),
                     0);
    ck_assert_int_eq(res.end, PVHV_END_POWEROFF);
    ck_assert(!res.stats.native);
    ck_assert_msg(strstr(con.buf, "SUCCESS\n"), "%s", con.buf);
    pvhv_close(other);
}
END_TEST

/* The self-test runs once per instance: its verdict and cost are kept. */
START_TEST(test_native_selftest_runs_once)
{
    struct pvhv_native_status a, b;
    pvhv_native_status(hv, &a);
    pvhv_native_status(hv, &b);
    ck_assert(a.usable == b.usable);
    ck_assert_uint_eq(a.selftest_ns, b.selftest_ns);
    ck_assert_uint_gt(a.selftest_ns, 0);
    ck_assert_str_eq(a.why, b.why);
    ck_assert(a.usable || a.why[0]);
}
END_TEST

/* Every guest above ran with its vCPU threads confined (sandbox.c), and
 * none of what they did needed a call the sandbox refuses. */
START_TEST(test_sandbox_refused_nothing)
{
    ck_assert_uint_eq(kvm_sandbox_refusals(), 0);
}
END_TEST

/* The guest instructions of bench_hypercall with (n) calls, or -1. */
static int64_t hypercall_insns(unsigned long n)
{
    char cmdline[32];
    struct console con;
    struct pvhv_domain_result res;
    struct pvhv_error err = {""};
    snprintf(cmdline, sizeof(cmdline), "n=%lu", n);
    ck_assert_int_eq(
        boot(guest("bench_hypercall"), 4 << 20, cmdline, &con, &res, &err), 0);
    ck_assert_msg(res.end == PVHV_END_POWEROFF, "%s", con.buf);
    ck_assert(res.stats.guest_insns_counted || res.stats.guest_insns == 0);
    return res.stats.guest_insns_counted ? (int64_t)res.stats.guest_insns : -1;
}

/*
 * pvhv_stats counts guest instructions where the host emulates them all
 * (it has KVM's insn_emulation statistic and the domain ran emulated),
 * exactly: 1000 more hypercalls in bench_hypercall's loop cost 1000
 * times the loop's path (the call, the stub's few instructions, the
 * check), and never in native mode, whose instructions the host does
 * not count.
 */
START_TEST(test_guest_insns_counted_where_emulated)
{
    struct pvhv_native_status st;
    pvhv_native_status(hv, &st); /* the probe learns if the host counts */
    int64_t few = hypercall_insns(100), more = hypercall_insns(1100);
    if (exec_mode == PVHV_EXEC_NATIVE ||
        !kvm_of(hv->platform)->native_seen.loop_counted) {
        ck_assert_int_eq(few, -1);
        ck_assert_int_eq(more, -1);
        return;
    }
    ck_assert_int_gt(few, 1000);
    /* About 15 a call, and a few more to parse one more digit. */
    ck_assert_msg(more - few >= 8000 && more - few <= 40000,
                  "1000 more calls cost %lld instructions",
                  (long long)(more - few));
}
END_TEST

/* Native execution must give the same results, where it is usable. */
static int run_suite(void)
{
    Suite *s = suite_create(exec_mode == PVHV_EXEC_NATIVE ? "domains-native"
                                                          : "domains");
    TCase *tc = tcase_create("guests");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_enosys);
    tcase_add_test(tc, test_efault);
    tcase_add_test(tc, test_console_io_is_the_log);
    tcase_add_test(tc, test_pagefault_is_a_crash_with_its_address);
    tcase_add_test(tc, test_triple_fault_is_a_crash);
    tcase_add_test(tc, test_too_little_memory_is_refused_before_running);
    tcase_add_test(tc, test_hypervisor_survives_crashes);
    tcase_add_test(tc, test_hello_elf32_container);
    tcase_add_test(tc, test_guest_insns_counted_where_emulated);
    if (exec_mode == PVHV_EXEC_DEFAULT) {
        tcase_add_test(tc, test_native_unusable_runs_emulated);
        tcase_add_test(tc, test_native_selftest_runs_once);
    }
    tcase_add_test(tc, test_sandbox_refused_nothing); /* last */
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
    struct pvhv_error err = {""};
    if (access("/dev/kvm", R_OK | W_OK) != 0 || pvhv_open(&hv, &err) < 0) {
        printf("SKIP: KVM is not usable here: %s\n",
               err.msg[0] ? err.msg : "/dev/kvm missing or not accessible");
        dprintf(9, "  " PROGRAM ": SKIP: KVM is not usable here\n");
        return 77;
    }
    if (exec_mode == PVHV_EXEC_NATIVE) {
        struct pvhv_native_status st;
        pvhv_native_status(hv, &st);
        if (!st.usable) {
            char why[400];
            snprintf(why, sizeof(why),
                     "SKIP: native execution unavailable on this host: %s "
                     "(self-test: %.2f ms)",
                     st.why, (double)st.selftest_ns / 1e6);
            puts(why);
            /* fd 9 reaches make check's output (AM_TESTS_FD_REDIRECT). */
            dprintf(9, "  " PROGRAM ": %s\n", why);
            pvhv_close(hv);
            return 77;
        }
    }
    int failed = run_suite();
    pvhv_close(hv);
    return failed ? 1 : 0;
}
