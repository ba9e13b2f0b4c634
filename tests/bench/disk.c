/* SPDX-License-Identifier: MIT */
/* disk.c: the block benchmarks' image, and their floor: host pread of it. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int disk_make(char *path, size_t len)
{
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(path, len, "%s/pvbench-disk-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    static uint8_t chunk[1 << 16];
    for (size_t i = 0; i < sizeof(chunk); i++)
        chunk[i] = (uint8_t)(i * 131 + 7);
    for (unsigned int off = 0; off < BENCH_DISK_BYTES; off += sizeof(chunk))
        if (pwrite(fd, chunk, sizeof(chunk), off) != (ssize_t)sizeof(chunk)) {
            close(fd);
            unlink(path);
            return -1;
        }
    close(fd);
    return 0;
}

double floor_pread_ns(const char *path, bool rnd, unsigned int bytes,
                      unsigned long n)
{
    static uint8_t buf[64 << 10];
    int fd = open(path, O_RDONLY);
    uint64_t x = 88172645463325252ULL, slots = BENCH_DISK_BYTES / bytes;
    if (fd < 0)
        return -1;
    double t0 = now_ns();
    for (unsigned long i = 0; i < n; i++) {
        uint64_t slot = i % slots;
        if (rnd) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            slot = x % slots;
        }
        if (pread(fd, buf, bytes, (off_t)(slot * bytes)) != (ssize_t)bytes) {
            close(fd);
            return -1;
        }
    }
    double t = (now_ns() - t0) / (double)n;
    close(fd);
    return t;
}
