/* SPDX-License-Identifier: MIT */
/* bench.h: pvbench's benchmarks and the floors they are measured against. */
#ifndef PVHV_TESTS_BENCH_BENCH_H
#define PVHV_TESTS_BENCH_BENCH_H

/*
 * floor_exit_ns: mean time of one raw KVM_RUN round trip (guest `out`,
 * exit, re-entry) over (iters), in (ns). Returns 0 or -errno.
 */
int floor_exit_ns(unsigned long iters, double *ns);

#endif /* PVHV_TESTS_BENCH_BENCH_H */
