/* SPDX-License-Identifier: MIT */
/* bench.h: pvbench's benchmarks and the floors they are measured against. */
#ifndef PVHV_TESTS_BENCH_BENCH_H
#define PVHV_TESTS_BENCH_BENCH_H

#include <stdbool.h>

/*
 * floor_exit_ns: mean time of one raw KVM_RUN round trip (guest `out`,
 * exit, re-entry) over (iters), in (ns), in native execution mode if
 * (native). Returns 0, or -ENODEV when KVM or native mode is missing.
 */
int floor_exit_ns(unsigned long iters, bool native, double *ns);

#endif /* PVHV_TESTS_BENCH_BENCH_H */
