/* SPDX-License-Identifier: MIT */
/* check_error.c: the error constructor: formats, truncates, ignores NULL. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

START_TEST(formats_the_message)
{
    struct pvhv_error err = {{0}};

    pvhv_error_set(&err, "disk %s: size %llu is not a multiple of %d", "a.img",
                   1000ULL, 512);
    ck_assert_str_eq(err.msg, "disk a.img: size 1000 is not a multiple of 512");
    pvhv_error_set(&err, "out of memory");
    ck_assert_str_eq(err.msg, "out of memory");
}
END_TEST

START_TEST(truncates_to_the_buffer)
{
    struct pvhv_error err;
    char long_value[2 * PVHV_ERR_MAX];

    memset(&err, 'x', sizeof(err));
    memset(long_value, 'v', sizeof(long_value) - 1);
    long_value[sizeof(long_value) - 1] = '\0';
    pvhv_error_set(&err, "name %s: too long", long_value);
    ck_assert_uint_eq(strlen(err.msg), PVHV_ERR_MAX - 1);
    ck_assert_int_eq(strncmp(err.msg, "name vvv", 8), 0);
    ck_assert_int_eq(err.msg[PVHV_ERR_MAX - 2], 'v');
}
END_TEST

START_TEST(null_error_is_ignored)
{
    pvhv_error_set(NULL, "nobody reads %d", 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("error");
    TCase *tc = tcase_create("error");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, formats_the_message);
    tcase_add_test(tc, truncates_to_the_buffer);
    tcase_add_test(tc, null_error_is_ignored);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
