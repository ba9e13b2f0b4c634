/* SPDX-License-Identifier: MIT */
/* bench_hypercall.c: n calls of xen_version(XENVER_version), for pvbench. */

#include "../testguest.h"

#define DEFAULT_COUNT 10000UL

int main(void)
{
    const long want = (PVHV_XEN_MAJOR << 16) | PVHV_XEN_MINOR;
    unsigned long n = test_option("n", DEFAULT_COUNT), i;
    long v;

    printf("bench_hypercall: n=%lu\n", n);
    bench_start();
    for (i = 0; i < n; i++) {
        v = HYPERVISOR_xen_version(XENVER_version, NULL);
        if (v != want)
            test_abort("call %lu: xen_version returned %ld, expected %ld", i, v,
                       want);
    }
    bench_end();
    puts("SUCCESS");
    return 0;
}
