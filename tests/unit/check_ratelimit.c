/* SPDX-License-Identifier: MIT */
/* check_ratelimit.c: the token bucket: burst, refill, minimum, threads. */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>

#include "core/ratelimit.h"

#define MS 1000000ULL

/* 1000 units a second (one every ms), 50 at once. */
static const struct ratelimit_params p = RATELIMIT(1000, 50);

START_TEST(test_params)
{
    const struct ratelimit_params q = RATELIMIT(32768, 131072);

    ck_assert_uint_eq(p.unit_ns, MS);
    ck_assert_uint_eq(p.burst, 50);
    ck_assert_uint_eq(q.unit_ns, 30517);
    ck_assert_uint_eq(q.burst, 131072);
}
END_TEST

START_TEST(test_burst)
{
    struct ratelimit rl = {0};
    uint64_t now = 1000 * MS;

    /* Zero-initialised: full. A large want gets the burst, then nothing. */
    ck_assert_uint_eq(ratelimit_take(&rl, &p, 1, 80, now), 50);
    ck_assert_uint_eq(ratelimit_take(&rl, &p, 1, 1, now), 0);
    ck_assert_uint_eq(ratelimit_take(&rl, &p, 1, 1, now + MS - 1), 0);
    ck_assert_uint_eq(ratelimit_take(&rl, &p, 1, 1, now + MS), 1);
    /* At time 0 too (a clock that starts there). */
    rl = (struct ratelimit){0};
    ck_assert_uint_eq(ratelimit_take(&rl, &p, 1, 50, 0), 50);
    ck_assert_uint_eq(ratelimit_take(&rl, &p, 1, 50, 0), 0);
}
END_TEST

START_TEST(test_refill)
{
    struct ratelimit rl = {0};
    uint64_t now = 5000 * MS;

    ck_assert_uint_eq(ratelimit_take(&rl, &p, 1, 50, now), 50);
    /* 7.5 ms later: 7 units, the half unit is kept. */
    ck_assert_uint_eq(ratelimit_take(&rl, &p, 1, 100, now + 7 * MS + MS / 2),
                      7);
    ck_assert_uint_eq(ratelimit_take(&rl, &p, 1, 100, now + 8 * MS), 1);
    /* A long pause fills it to the burst, never beyond. */
    ck_assert_uint_eq(ratelimit_take(&rl, &p, 1, 1000, now + 3600000 * MS), 50);
}
END_TEST

START_TEST(test_minimum)
{
    struct ratelimit rl = {0};
    uint64_t now = 1000 * MS;

    ck_assert_uint_eq(ratelimit_take(&rl, &p, 1, 45, now), 45);
    /* 5 left: a take that needs 10 gets none and leaves the 5. */
    ck_assert_uint_eq(ratelimit_take(&rl, &p, 10, 20, now), 0);
    ck_assert_uint_eq(ratelimit_take(&rl, &p, 5, 20, now), 5);
    ck_assert_uint_eq(ratelimit_take(&rl, &p, 1, 1, now), 0);
    /* want below min is served whole or not at all. */
    ck_assert_uint_eq(ratelimit_take(&rl, &p, 3, 3, now + 3 * MS), 3);
}
END_TEST

START_TEST(test_long_run)
{
    struct ratelimit rl = {0};
    uint64_t t, total = 0;

    /* A greedy taker over 10 s, every 0.1 ms: the burst plus the rate. */
    for (t = 0; t <= 10000 * MS; t += MS / 10)
        total += ratelimit_take(&rl, &p, 1, 1000000, t);
    ck_assert_uint_eq(total, 50 + 10000);
}
END_TEST

static struct ratelimit shared;
static const struct ratelimit_params big = RATELIMIT(1, 100000);

static void *taker(void *arg)
{
    uint64_t *got = arg;

    for (unsigned int i = 0; i < 50000; i++)
        *got += ratelimit_take(&shared, &big, 1, 1, 42 * MS);
    return NULL;
}

START_TEST(test_threads)
{
    pthread_t th[4];
    uint64_t got[4] = {0}, total = 0;

    /* 4 x 50000 takes at one instant: exactly the burst passes. */
    for (unsigned int i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, taker, &got[i]), 0);
    for (unsigned int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        total += got[i];
    }
    ck_assert_uint_eq(total, 100000);
}
END_TEST

static Suite *ratelimit_suite(void)
{
    Suite *s = suite_create("ratelimit");
    TCase *tc = tcase_create("bucket");

    tcase_add_test(tc, test_params);
    tcase_add_test(tc, test_burst);
    tcase_add_test(tc, test_refill);
    tcase_add_test(tc, test_minimum);
    tcase_add_test(tc, test_long_run);
    tcase_add_test(tc, test_threads);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(ratelimit_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
