/* SPDX-License-Identifier: MIT */
/* check_domain.c: a domain's console and its byte budget; its counts
 * (pvhv_domain_stats). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/domain.h"
#include "domain_fixture.h"
#include "fake_platform.h"

/* What reached the console sink, in order. */
static char *got;
static size_t got_len;
static struct domain *d;

static void sink(void *opaque, const char *buf, size_t len)
{
    ck_assert_ptr_eq(opaque, &got);
    got = realloc(got, got_len + len + 1);
    ck_assert_ptr_nonnull(got);
    memcpy(got + got_len, buf, len);
    got_len += len;
    got[got_len] = '\0';
}

/* A domain built (domain_build) with the recording sink as its console. */
static void setup(void)
{
    struct pvhv_domain_config cfg;

    fixture_config(&cfg, 1ULL << 20);
    cfg.console = sink;
    cfg.console_opaque = &got;
    d = fixture_domain(&cfg, 4);
    got = NULL;
    got_len = 0;
}

static void teardown(void)
{
    fixture_destroy(d);
    free(got);
}

/* write_lines: (n) writes of a 1 KiB line each. */
static void write_lines(unsigned int n, char c)
{
    char line[1024];

    memset(line, c, sizeof(line) - 1);
    line[sizeof(line) - 1] = '\n';
    for (unsigned int i = 0; i < n; i++)
        domain_console_write(d, line, sizeof(line));
}

START_TEST(test_burst_then_drop)
{
    /* 200 KiB at once: the burst passes, the rest is counted, not shown. */
    write_lines(200, 'a');
    ck_assert_uint_ge(got_len, CONSOLE_BURST);
    ck_assert_uint_le(got_len, CONSOLE_BURST + 2048);
    ck_assert_uint_eq(domain_console_dropped(d), 200 * 1024 - got_len);
    ck_assert_ptr_null(strstr(got, "[pvhv:"));
}
END_TEST

START_TEST(test_report_when_resumed)
{
    struct timespec pause = {0, 200 * 1000 * 1000}; /* 6.4 KiB of budget */
    uint64_t dropped;
    char want[96];
    size_t before;

    write_lines(200, 'a');
    dropped = domain_console_dropped(d);
    before = got_len;
    nanosleep(&pause, NULL);
    write_lines(1, 'b');
    /* One report line, then the line that passed. */
    snprintf(want, sizeof(want),
             "[pvhv: %llu bytes of console output dropped]\nbbb",
             (unsigned long long)dropped);
    ck_assert_int_eq(strncmp(got + before, want, strlen(want)), 0);
    /* No second report within the second, however much is dropped. */
    write_lines(200, 'c');
    nanosleep(&pause, NULL);
    write_lines(1, 'd');
    ck_assert_ptr_eq(strstr(got, "[pvhv:"), strrchr(got, '['));
}
END_TEST

START_TEST(test_report_mid_line)
{
    struct timespec pause = {0, 100 * 1000 * 1000};
    char chunk[1024];
    const char *report;

    /* Text without newlines: the report starts a line of its own. */
    memset(chunk, 'a', sizeof(chunk));
    for (unsigned int i = 0; i < 200; i++)
        domain_console_write(d, chunk, sizeof(chunk));
    nanosleep(&pause, NULL);
    domain_console_write(d, "b\n", 2);
    report = strstr(got, "[pvhv:");
    ck_assert_ptr_nonnull(report);
    ck_assert_int_eq(report[-1], '\n');
    ck_assert_int_eq(report[-2], 'a');
    ck_assert_str_eq(strchr(report, ']'), "]\nb\n");
}
END_TEST

START_TEST(test_small_writes_pass_whole)
{
    /* Short writes (a line of printf) within the budget arrive intact. */
    for (unsigned int i = 0; i < 1000; i++)
        domain_console_write(d, "ok: a line of test output\n", 27);
    ck_assert_uint_eq(got_len, 27000);
    ck_assert_uint_eq(domain_console_dropped(d), 0);
}
END_TEST

/* A domain of two vCPUs, built, for its counts. */
static struct domain *two_vcpus(void)
{
    struct pvhv_domain_config cfg;

    fixture_config(&cfg, 1ULL << 20);
    cfg.vcpus = 2;
    return fixture_domain(&cfg, 5);
}

/* kvm_exits: the vCPUs' KVM exits summed, beside pvhv's own exits. */
START_TEST(test_stats_kvm_exits_summed)
{
    struct domain *two = two_vcpus();
    struct pvhv_stats st;

    atomic_store(&two->exits, 3);
    fake_platform_kvm_exits(&two->vcpus[0], true, 1000);
    fake_platform_kvm_exits(&two->vcpus[1], true, 234);
    pvhv_domain_stats(two, &st);
    ck_assert(st.kvm_exits_counted);
    ck_assert_uint_eq(st.kvm_exits, 1234);
    ck_assert_uint_eq(st.exits, 3);
    fake_platform_kvm_exits(&two->vcpus[1], true, 1234);
    pvhv_domain_stats(two, &st);
    ck_assert_uint_eq(st.kvm_exits, 2234);
    fixture_destroy(two);
}
END_TEST

/* One vCPU without the statistic: the sum is not counted, and 0. */
START_TEST(test_stats_kvm_exits_missing)
{
    struct domain *two = two_vcpus();
    struct pvhv_stats st;

    fake_platform_kvm_exits(&two->vcpus[0], true, 1000);
    pvhv_domain_stats(two, &st);
    ck_assert(!st.kvm_exits_counted);
    ck_assert_uint_eq(st.kvm_exits, 0);
    fake_platform_kvm_exits(&two->vcpus[0], false, 0);
    fake_platform_kvm_exits(&two->vcpus[1], true, 5);
    pvhv_domain_stats(two, &st);
    ck_assert(!st.kvm_exits_counted);
    ck_assert_uint_eq(st.kvm_exits, 0);
    fixture_destroy(two);
}
END_TEST

static Suite *domain_suite(void)
{
    Suite *s = suite_create("domain");
    TCase *tc = tcase_create("console budget");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_burst_then_drop);
    tcase_add_test(tc, test_report_when_resumed);
    tcase_add_test(tc, test_report_mid_line);
    tcase_add_test(tc, test_small_writes_pass_whole);
    suite_add_tcase(s, tc);
    tc = tcase_create("stats");
    tcase_add_test(tc, test_stats_kvm_exits_summed);
    tcase_add_test(tc, test_stats_kvm_exits_missing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(domain_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
