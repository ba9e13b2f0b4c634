# SPDX-License-Identifier: MIT
# pvbench: the benchmark program (built with the tests, not run by them).
noinst_PROGRAMS += bench/pvbench
bench_pvbench_SOURCES = bench/pvbench.c bench/report.c bench/floor.c \
	bench/disk.c bench/qemu.c bench/daemon.c bench/compare.c bench/bench.h
bench_pvbench_CPPFLAGS = $(HOST_CPPFLAGS) \
	-DPVBENCH_GUEST_DIR='"$(abs_top_builddir)/tests/guests"' \
	-DPVBENCH_EXAMPLE_DIR='"$(abs_top_builddir)/examples"' \
	-DPVBENCH_PVHVD='"$(abs_top_builddir)/toolstack/pvhvd"'
bench_pvbench_CFLAGS = $(HOST_CFLAGS)
bench_pvbench_LDFLAGS = $(HOST_LDFLAGS)
bench_pvbench_LDADD = $(PVCTL_LIBS) -lm
