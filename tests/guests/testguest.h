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

#endif /* PVHV_TESTS_GUESTS_TESTGUEST_H */
