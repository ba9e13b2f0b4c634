/* SPDX-License-Identifier: MIT */
/* check_log.c: guest-caused log lines: a rate limit per domain. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/domain.h"
#include "core/log.h"
#include "domain_fixture.h"

/* stderr goes to a file while a test logs; lines() reads it back. */
static FILE *capture;
static int saved_stderr;

static void setup(void)
{
    capture = tmpfile();
    ck_assert_ptr_nonnull(capture);
    saved_stderr = dup(STDERR_FILENO);
    ck_assert_int_ge(saved_stderr, 0);
    ck_assert_int_eq(dup2(fileno(capture), STDERR_FILENO), STDERR_FILENO);
}

static void teardown(void)
{
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    fclose(capture);
}

/* lines: how many captured lines begin with (prefix). */
static unsigned int lines(const char *prefix)
{
    char line[2048];
    unsigned int n = 0;

    fflush(stderr);
    rewind(capture);
    while (fgets(line, sizeof(line), capture))
        if (strncmp(line, prefix, strlen(prefix)) == 0)
            n++;
    return n;
}

/* domain_with_id: a domain built (domain_build) with id (domid). */
static struct domain *domain_with_id(uint16_t domid)
{
    struct pvhv_domain_config cfg;

    fixture_config(&cfg, 1ULL << 20);
    return fixture_domain(&cfg, domid);
}

START_TEST(test_per_domain)
{
    /* Ids equal modulo 64 once shared one limiter, and reset it. */
    struct domain *a = domain_with_id(1), *b = domain_with_id(65);

    for (unsigned int i = 0; i < 200; i++) {
        gdprintk(a, "bad argument %u", i);
        gdprintk(b, "bad argument %u", i);
    }
    /* Each its burst, and the little its rate gave back meanwhile. */
    ck_assert_uint_ge(lines("pvhv: warning: d1: bad argument"),
                      GUEST_LOG_BURST);
    ck_assert_uint_le(lines("pvhv: warning: d1: bad argument"),
                      GUEST_LOG_BURST + 2);
    ck_assert_uint_ge(lines("pvhv: warning: d65: bad argument"),
                      GUEST_LOG_BURST);
    ck_assert_uint_le(lines("pvhv: warning: d65: bad argument"),
                      GUEST_LOG_BURST + 2);
    ck_assert_uint_eq(lines("pvhv: warning: d1: suppressed"), 0);
    fixture_destroy(a);
    fixture_destroy(b);
}
END_TEST

START_TEST(test_summary)
{
    struct domain *a = domain_with_id(3);
    struct timespec pause = {0, 250 * 1000 * 1000};

    for (unsigned int i = 0; i < GUEST_LOG_BURST + 30; i++)
        gdprintk(a, "line %u", i);
    nanosleep(&pause, NULL); /* two lines' worth at GUEST_LOG_RATE */
    gdprintk(a, "after the pause");
    ck_assert_uint_eq(lines("pvhv: warning: d3: suppressed 30 messages"), 1);
    ck_assert_uint_eq(lines("pvhv: warning: d3: after the pause"), 1);
    fixture_destroy(a);
}
END_TEST

START_TEST(test_without_domain)
{
    /* Lines that name no domain, or a limiter of their own, get out. */
    struct log_limit own = {0};
    pr_warn("a warning of the host, %d", 42);
    guest_log_limited(&own, 9, "a line about domain %u", 9);
    ck_assert_uint_eq(lines("pvhv: warning: a warning of the host, 42"), 1);
    ck_assert_uint_eq(lines("pvhv: warning: d9: a line about domain 9"), 1);
}
END_TEST

START_TEST(test_long_line)
{
    char msg[3000];

    /* A message longer than the line buffer is cut, still one line. */
    memset(msg, 'x', sizeof(msg) - 1);
    msg[sizeof(msg) - 1] = '\0';
    pr_warn("%s", msg);
    pr_warn("next");
    ck_assert_uint_eq(lines("pvhv: warning: xxx"), 1);
    ck_assert_uint_eq(lines("pvhv: warning: next"), 1);
}
END_TEST

static Suite *log_suite(void)
{
    Suite *s = suite_create("log");
    TCase *tc = tcase_create("guest lines");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_per_domain);
    tcase_add_test(tc, test_summary);
    tcase_add_test(tc, test_without_domain);
    tcase_add_test(tc, test_long_line);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(log_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
