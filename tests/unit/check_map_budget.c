/* SPDX-License-Identifier: MIT */
/* check_map_budget.c: core/map_budget.c: minimums, the pool, shares. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/map_budget.h"

#define LINUX_DEFAULT 65530

static struct map_budget b;

static void teardown(void)
{
    map_budget_fini(&b);
}

/* A small domain: 1 vCPU, 32 grant frames, no disk. */
static uint64_t small_fixed(void)
{
    return map_budget_domain_fixed(1, 32, 0);
}

START_TEST(test_numbers_at_linux_default)
{
    map_budget_init(&b, LINUX_DEFAULT);
    ck_assert_uint_eq(b.max_map_count, LINUX_DEFAULT);
    ck_assert_uint_eq(b.limit, LINUX_DEFAULT - LINUX_DEFAULT / 8);
    ck_assert_uint_eq(b.pool_max, b.limit / 2);
    ck_assert_uint_eq(b.share_max, b.pool_max / 4);
    ck_assert_uint_eq(b.reserved, 0);
    ck_assert_uint_eq(b.pool_used, 0);
    /* 12 + 4 + 2 * (shared_info, the boot range, 32 moved frames). */
    ck_assert_uint_eq(small_fixed(), 84);
    ck_assert_uint_eq(map_budget_domain_fixed(4, 63, 2), 12 + 16 + 8 + 130);
    ck_assert_uint_eq(MAP_BUDGET_OWN, 128);
}
END_TEST

START_TEST(test_small_hosts_keep_the_headroom)
{
    map_budget_init(&b, 3000);
    ck_assert_uint_eq(b.limit, 3000 - MAP_BUDGET_MIN_HEADROOM);
    map_budget_fini(&b);
    /* Less than the headroom: nothing for domains, nothing reserved. */
    map_budget_init(&b, 1000);
    ck_assert_uint_eq(b.limit, 0);
    struct map_share s;
    ck_assert_int_eq(map_budget_reserve(&b, &s, 1, 0), -ENOSPC);
    ck_assert_ptr_null(s.budget);
    ck_assert_uint_eq(b.reserved, 0);
}
END_TEST

START_TEST(test_own_then_pool_then_share)
{
    struct map_share s;

    map_budget_init(&b, LINUX_DEFAULT);
    ck_assert_int_eq(map_budget_reserve(&b, &s, 80, 128), 0);
    ck_assert_ptr_eq(s.budget, &b);
    ck_assert_uint_eq(b.reserved, 208);
    /* Its own 64 mappings: the pool is not touched. */
    for (int i = 0; i < 64; i++)
        ck_assert_int_eq(map_budget_charge(&s, 2), 0);
    ck_assert_uint_eq(s.used, 128);
    ck_assert_uint_eq(s.pool, 0);
    ck_assert_uint_eq(b.pool_used, 0);
    /* Beyond: the pool, up to a quarter of it. */
    ck_assert_int_eq(map_budget_charge(&s, 2), 0);
    ck_assert_uint_eq(s.pool, 2);
    ck_assert_uint_eq(b.pool_used, 2);
    while (map_budget_charge(&s, 2) == 0)
        ;
    ck_assert_int_eq(map_budget_charge(&s, 2), -EDQUOT);
    ck_assert_uint_eq(s.pool, b.share_max - b.share_max % 2);
    ck_assert_uint_eq(b.pool_used, s.pool);
    ck_assert_uint_eq(s.used, 128 + s.pool);
    /* Refunds give the pool back first, then its own. */
    map_budget_refund(&s, 2);
    ck_assert_uint_eq(b.pool_used, s.pool);
    map_budget_refund(&s, s.pool);
    ck_assert_uint_eq(s.pool, 0);
    ck_assert_uint_eq(b.pool_used, 0);
    ck_assert_uint_eq(s.used, 128);
    map_budget_refund(&s, 1000);
    ck_assert_uint_eq(s.used, 0);
    map_budget_release(&s);
    ck_assert_ptr_null(s.budget);
    ck_assert_uint_eq(b.reserved, 0);
}
END_TEST

START_TEST(test_release_returns_the_pool)
{
    struct map_share s;

    map_budget_init(&b, LINUX_DEFAULT);
    ck_assert_int_eq(map_budget_reserve(&b, &s, 10, 4), 0);
    ck_assert_int_eq(map_budget_charge(&s, 100), 0);
    ck_assert_uint_eq(b.pool_used, 96);
    map_budget_release(&s);
    ck_assert_uint_eq(b.pool_used, 0);
    ck_assert_uint_eq(b.reserved, 0);
}
END_TEST

START_TEST(test_full_pool_refuses_beyond_own_only)
{
    struct map_share hog[5], late;

    map_budget_init(&b, LINUX_DEFAULT);
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(
            map_budget_reserve(&b, &hog[i], small_fixed(), MAP_BUDGET_OWN), 0);
    for (int i = 0; i < 4; i++)
        while (map_budget_charge(&hog[i], 2) == 0)
            ;
    ck_assert_uint_le(b.pool_used, b.pool_max);
    ck_assert_uint_gt(b.pool_used + 2 * 4, b.pool_max);
    /* The fifth: its own 64, then the pool is used up (not its share). */
    for (int i = 0; i < 64; i++)
        ck_assert_int_eq(map_budget_charge(&hog[4], 2), 0);
    while (map_budget_charge(&hog[4], 2) == 0)
        ;
    ck_assert_int_eq(map_budget_charge(&hog[4], 2), -ENOSPC);
    ck_assert_uint_le(b.pool_used, b.pool_max);
    /* A domain made now still gets its minimum, and its 64. */
    ck_assert_int_eq(
        map_budget_reserve(&b, &late, small_fixed(), MAP_BUDGET_OWN), 0);
    for (int i = 0; i < 64; i++)
        ck_assert_int_eq(map_budget_charge(&late, 2), 0);
    ck_assert_int_eq(map_budget_charge(&late, 2), -ENOSPC);
    /* One hog gone: the pool serves the others again. */
    map_budget_release(&hog[0]);
    ck_assert_int_eq(map_budget_charge(&late, 2), 0);
    map_budget_release(&late);
    for (int i = 1; i < 5; i++)
        map_budget_release(&hog[i]);
    ck_assert_uint_eq(b.pool_used, 0);
    ck_assert_uint_eq(b.reserved, 0);
}
END_TEST

/* 100 small domains fit under Linux's default, even with the pool full. */
START_TEST(test_hundred_small_domains)
{
    static struct map_share s[104];
    unsigned int n = 0;

    map_budget_init(&b, LINUX_DEFAULT);
    for (; n < 4; n++) {
        ck_assert_int_eq(
            map_budget_reserve(&b, &s[n], small_fixed(), MAP_BUDGET_OWN), 0);
        while (map_budget_charge(&s[n], 2) == 0)
            ;
    }
    for (; n < 104; n++)
        ck_assert_msg(
            map_budget_reserve(&b, &s[n], small_fixed(), MAP_BUDGET_OWN) == 0,
            "domain %u refused", n);
    for (unsigned int i = 0; i < n; i++)
        map_budget_release(&s[i]);
    ck_assert_uint_eq(b.reserved, 0);
    ck_assert_uint_eq(b.pool_used, 0);
}
END_TEST

START_TEST(test_reservations_refused_with_the_numbers)
{
    struct map_share s[8];
    char why[512];
    unsigned int n = 0;

    map_budget_init(&b, 2048); /* limit 1024 */
    while (n < 8 && map_budget_reserve(&b, &s[n], 80, 128) == 0)
        n++;
    ck_assert_uint_eq(n, 4);
    ck_assert_uint_eq(b.reserved, 832);
    ck_assert_ptr_null(s[4].budget);
    /* The pool's use counts against new minimums too. */
    ck_assert_int_eq(map_budget_reserve(&b, &s[4], 60, 0), 0);
    ck_assert_int_eq(map_budget_charge(&s[4], 100), 0);
    ck_assert_int_eq(map_budget_reserve(&b, &s[5], 80, 128), -ENOSPC);
    map_budget_explain(&b, 208, why, sizeof(why));
    ck_assert_str_eq(why, "cannot reserve 208 memory mappings for the domain: "
                          "the host's vm.max_map_count is 2048, of which 1024 "
                          "serve domains; 892 are reserved by other domains "
                          "and 100 in use from their shared pool");
    for (unsigned int i = 0; i < 5; i++)
        map_budget_release(&s[i]);
    ck_assert_uint_eq(b.reserved, 0);
}
END_TEST

START_TEST(test_no_budget_counts_nothing)
{
    struct map_share s = {.budget = NULL};

    ck_assert_int_eq(map_budget_charge(&s, 1000000), 0);
    ck_assert_uint_eq(s.used, 0);
    map_budget_refund(&s, 5);
    map_budget_release(&s);
    map_budget_init(&b, LINUX_DEFAULT);
}
END_TEST

START_TEST(test_overflow_is_refused)
{
    struct map_share s, t;

    map_budget_init(&b, LINUX_DEFAULT);
    ck_assert_int_eq(map_budget_reserve(&b, &s, 1, 2), 0);
    ck_assert_int_eq(map_budget_charge(&s, UINT64_MAX), -EDQUOT);
    ck_assert_int_eq(map_budget_charge(&s, 2), 0);
    ck_assert_int_eq(map_budget_charge(&s, UINT64_MAX - 1), -EDQUOT);
    ck_assert_uint_eq(s.used, 2);
    ck_assert_uint_eq(b.pool_used, 0);
    ck_assert_int_eq(map_budget_reserve(&b, &t, UINT64_MAX, 2), -ENOSPC);
    map_budget_release(&s);
    ck_assert_uint_eq(b.reserved, 0);
}
END_TEST

START_TEST(test_host_max_reads_proc)
{
    uint64_t n = map_budget_host_max();

    ck_assert_uint_gt(n, 0);
    map_budget_init(&b, n);
}
END_TEST

static Suite *map_budget_suite(void)
{
    Suite *s = suite_create("map_budget");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_numbers_at_linux_default);
    tcase_add_test(tc, test_small_hosts_keep_the_headroom);
    tcase_add_test(tc, test_own_then_pool_then_share);
    tcase_add_test(tc, test_release_returns_the_pool);
    tcase_add_test(tc, test_full_pool_refuses_beyond_own_only);
    tcase_add_test(tc, test_hundred_small_domains);
    tcase_add_test(tc, test_reservations_refused_with_the_numbers);
    tcase_add_test(tc, test_no_budget_counts_nothing);
    tcase_add_test(tc, test_overflow_is_refused);
    tcase_add_test(tc, test_host_max_reads_proc);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(map_budget_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
