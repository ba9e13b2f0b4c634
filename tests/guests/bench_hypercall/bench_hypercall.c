/* SPDX-License-Identifier: MIT */
/* bench_hypercall.c: n calls of xen_version(XENVER_version), for pvbench. */

#include "../testguest.h"

#define DEFAULT_COUNT 10000UL

static unsigned long count_from_cmdline(void)
{
    char value[24], *end;
    unsigned long n;

    if (pvguest_cmdline_get("n", value, sizeof(value)) < 0)
        return DEFAULT_COUNT;
    n = strtoul(value, &end, 0);
    if (end == value || *end != '\0')
        test_abort("bad n=%s on the command line", value);
    return n;
}

int main(void)
{
    const long want = (PVHV_XEN_MAJOR << 16) | PVHV_XEN_MINOR;
    unsigned long n = count_from_cmdline(), i;
    long v;

    printf("bench_hypercall: n=%lu\n", n);
    puts("BENCH start");
    for (i = 0; i < n; i++) {
        v = HYPERVISOR_xen_version(XENVER_version, NULL);
        if (v != want)
            test_abort("call %lu: xen_version returned %ld, expected %ld", i,
                       v, want);
    }
    puts("BENCH end");
    puts("SUCCESS");
    return 0;
}
