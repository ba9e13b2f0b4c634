/* SPDX-License-Identifier: MIT */
/* check_console_buffer.c: kept console output, several readers, its eventfd. */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "core/console_buffer.h"

static struct console_buffer b;

static void setup(void)
{
    ck_assert_int_eq(console_buffer_init(&b, 4096, true), 0);
}

static void teardown(void)
{
    console_buffer_fini(&b);
}

static bool readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};

    return poll(&p, 1, 0) == 1;
}

static void drain(int fd)
{
    uint64_t n;

    while (read(fd, &n, sizeof(n)) == (ssize_t)sizeof(n))
        ;
}

START_TEST(test_from_the_first_byte_for_two_readers)
{
    uint64_t a = 0, c = 0, lost = 0;
    char buf[64];

    console_buffer_write(&b, "hello, ", 7);
    console_buffer_write(&b, "world\n", 6);
    /* A reader that comes late sees it all, and so does a second one. */
    ck_assert_uint_eq(console_buffer_read(&b, &a, buf, sizeof(buf), &lost), 13);
    ck_assert(memcmp(buf, "hello, world\n", 13) == 0);
    ck_assert_uint_eq(console_buffer_read(&b, &c, buf, 5, &lost), 5);
    ck_assert(memcmp(buf, "hello", 5) == 0);
    ck_assert_uint_eq(console_buffer_read(&b, &c, buf, sizeof(buf), &lost), 8);
    ck_assert_uint_eq(a, 13);
    ck_assert_uint_eq(c, 13);
    ck_assert_uint_eq(lost, 0);
    ck_assert_uint_eq(console_buffer_end(&b), 13);
}
END_TEST

START_TEST(test_a_slow_reader_skips_what_was_overwritten)
{
    char chunk[1000], buf[8192];
    uint64_t pos = 0, lost = 0;
    size_t n;

    for (int i = 0; i < 10; i++) {
        memset(chunk, 'a' + i, sizeof(chunk));
        console_buffer_write(&b, chunk, sizeof(chunk));
    }
    /* 10000 written, 4096 kept: the oldest kept byte is at 5904. */
    n = console_buffer_read(&b, &pos, buf, sizeof(buf), &lost);
    ck_assert_uint_eq(n, 4096);
    ck_assert_uint_eq(lost, 10000 - 4096);
    ck_assert_int_eq(buf[0], 'a' + 5);
    ck_assert_int_eq(buf[4095], 'a' + 9);
    ck_assert_uint_eq(pos, 10000);
}
END_TEST

START_TEST(test_a_write_larger_than_the_ring_keeps_its_end)
{
    static char big[10000], buf[5000];
    uint64_t pos = 0, lost = 0;

    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)(i % 251);
    console_buffer_write(&b, big, sizeof(big));
    ck_assert_uint_eq(console_buffer_read(&b, &pos, buf, sizeof(buf), &lost),
                      4096);
    ck_assert(memcmp(buf, big + sizeof(big) - 4096, 4096) == 0);
    ck_assert_uint_eq(lost, sizeof(big) - 4096);
}
END_TEST

START_TEST(test_eventfd_armed_by_a_read_that_finds_nothing)
{
    uint64_t pos = 0;
    char buf[16];

    ck_assert_int_ge(b.notify_fd, 0);
    console_buffer_write(&b, "x", 1);
    /* Nobody waits yet: the writer made no system call. */
    ck_assert(!readable(b.notify_fd));
    ck_assert_uint_eq(console_buffer_read(&b, &pos, buf, sizeof(buf), NULL), 1);
    ck_assert_uint_eq(console_buffer_read(&b, &pos, buf, sizeof(buf), NULL), 0);
    console_buffer_write(&b, "y", 1);
    ck_assert(readable(b.notify_fd));
    drain(b.notify_fd);
    /* Once per arming: a second byte alone does not wake again. */
    console_buffer_write(&b, "z", 1);
    ck_assert(!readable(b.notify_fd));
    console_buffer_signal(&b);
    ck_assert(readable(b.notify_fd));
}
END_TEST

START_TEST(test_off_and_limits)
{
    struct console_buffer off;
    uint64_t pos = 0;
    char buf[4];

    ck_assert_int_eq(console_buffer_init(&off, 0, true), 0);
    console_buffer_write(&off, "abc", 3);
    ck_assert_uint_eq(console_buffer_read(&off, &pos, buf, 4, NULL), 0);
    console_buffer_signal(&off);
    console_buffer_fini(&off);
    ck_assert_int_eq(console_buffer_init(&off, CONSOLE_BUFFER_MAX + 1, false),
                     -EINVAL);
    /* A position ahead of the end (a reader's stale value) reads nothing. */
    pos = 1000;
    ck_assert_uint_eq(console_buffer_read(&b, &pos, buf, 4, NULL), 0);
    ck_assert_uint_eq(pos, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("console_buffer");
    TCase *tc = tcase_create("console_buffer");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_from_the_first_byte_for_two_readers);
    tcase_add_test(tc, test_a_slow_reader_skips_what_was_overwritten);
    tcase_add_test(tc, test_a_write_larger_than_the_ring_keeps_its_end);
    tcase_add_test(tc, test_eventfd_armed_by_a_read_that_finds_nothing);
    tcase_add_test(tc, test_off_and_limits);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
