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
/*
 * bench_start, bench_end: the timed part of a benchmark guest. Each says
 * its "BENCH" line and writes the boot-marker port (PVHV_BOOT_MARKER_PORT)
 * inside it, where pvhv records the domain's exits, instructions and
 * time on the vCPU itself: exact, however late the console line is read.
 */
static inline void bench_marker(void)
{
    __asm__ volatile("outb %0, %1" : : "a"((uint8_t)1), "Nd"(0xea));
}

static inline void bench_start(void)
{
    puts("BENCH start");
    bench_marker();
}

static inline void bench_end(void)
{
    bench_marker();
    puts("BENCH end");
}

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
