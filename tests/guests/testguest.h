/* SPDX-License-Identifier: MIT */
/* testguest.h: verdict helpers shared by the test guests. */
#ifndef PVHV_TESTS_GUESTS_TESTGUEST_H
#define PVHV_TESTS_GUESTS_TESTGUEST_H

#include <pvguest/pvguest.h>

/*
 * Every test guest ends with one verdict line: "SUCCESS", or
 * "ABORT: <why>" followed by exit(1), which crashes the domain.
 */
static inline void __attribute__((noreturn, format(printf, 1, 2)))
test_abort(const char *fmt, ...)
{
    va_list ap;

    printf("ABORT: ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    exit(1);
}

/* check_result(what, got, want): aborts the test unless got == want. */
static inline void check_result(const char *what, long got, long want)
{
    if (got != want)
        test_abort("%s returned %ld, expected %ld", what, got, want);
    printf("ok: %s -> %ld\n", what, got);
}

/* test_option(key, dflt): the number in "key=N" on the command line. */
static inline unsigned long test_option(const char *key, unsigned long dflt)
{
    char value[24], *end;
    unsigned long n;

    if (pvguest_cmdline_get(key, value, sizeof(value)) < 0)
        return dflt;
    n = strtoul(value, &end, 0);
    if (end == value || *end != '\0')
        test_abort("bad %s=%s on the command line", key, value);
    return n;
}

#endif /* PVHV_TESTS_GUESTS_TESTGUEST_H */
