/* SPDX-License-Identifier: MIT */
/* host.c: what pvctl needs to know of its host: file limits, memory. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "host.h"

long host_raise_nofile(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return -errno;
    if (rl.rlim_cur < rl.rlim_max) {
        struct rlimit want = {rl.rlim_max, rl.rlim_max};

        /* An infinite hard limit is refused (fs.nr_open caps it). */
        if (setrlimit(RLIMIT_NOFILE, &want) != 0)
            return -errno;
        rl = want;
    }
    return rl.rlim_cur > (rlim_t)INT32_MAX ? INT32_MAX : (long)rl.rlim_cur;
}

/* read_sysctl: one number from a /proc/sys file, or 0. */
static unsigned long long read_sysctl(const char *path)
{
    unsigned long long v = 0;
    FILE *f = fopen(path, "re");

    if (f) {
        if (fscanf(f, "%llu", &v) != 1)
            v = 0;
        fclose(f);
    }
    return v;
}

const char *host_strerror(int errnum, char *buf, size_t len)
{
    struct rlimit rl;

    if (errnum == ENFILE) {
        snprintf(buf, len,
                 "too many open files in the system (its limit, fs.file-max, "
                 "is %llu)",
                 read_sysctl("/proc/sys/fs/file-max"));
        return buf;
    }
    if (errnum != EMFILE || getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return strerror(errnum);
    if (rl.rlim_cur < rl.rlim_max)
        snprintf(buf, len,
                 "too many open files (pvctl's limit, RLIMIT_NOFILE, is %llu; "
                 "the hard limit %llu)",
                 (unsigned long long)rl.rlim_cur,
                 (unsigned long long)rl.rlim_max);
    else
        snprintf(buf, len,
                 "too many open files (pvctl's limit, RLIMIT_NOFILE, is %llu, "
                 "the hard limit; raise it with ulimit -Hn or LimitNOFILE=)",
                 (unsigned long long)rl.rlim_cur);
    return buf;
}

void host_note_fd_limit(int rc, char *msg, size_t len)
{
    char why[256];
    size_t used = strnlen(msg, len);
    int e = -rc;

    if (e != EMFILE && e != ENFILE) {
        if (strstr(msg, strerror(EMFILE)))
            e = EMFILE;
        else if (strstr(msg, strerror(ENFILE)))
            e = ENFILE;
        else
            return;
    }
    if (used + 1 < len)
        snprintf(msg + used, len - used, "; %s",
                 host_strerror(e, why, sizeof(why)));
}

int host_memory_read(struct host_memory *m)
{
    static const struct {
        const char *key;
        size_t off;
    } keys[] = {
        {"MemTotal:", offsetof(struct host_memory, total)},
        {"MemAvailable:", offsetof(struct host_memory, available)},
        {"SwapTotal:", offsetof(struct host_memory, swap)},
    };
    const size_t nkeys = sizeof(keys) / sizeof(keys[0]);
    unsigned int found = 0;
    char line[256], key[64];
    unsigned long long kib;
    FILE *f = fopen("/proc/meminfo", "re");
    size_t i;

    if (!f)
        return -errno;
    while (fgets(line, sizeof(line), f))
        for (i = 0; i < nkeys; i++)
            if (sscanf(line, "%63s %llu", key, &kib) == 2 &&
                strcmp(key, keys[i].key) == 0) {
                *(uint64_t *)((char *)m + keys[i].off) = kib * 1024;
                found |= 1U << i;
            }
    fclose(f);
    return found == (1U << nkeys) - 1 ? 0 : -ENODATA;
}

const char *host_size_text(uint64_t bytes, char *buf, size_t len)
{
    static const char *const units[] = {"bytes", "KiB", "MiB",
                                        "GiB",   "TiB", "PiB"};
    unsigned int u = 0;
    uint64_t v = bytes;

    while (u + 1 < sizeof(units) / sizeof(units[0]) && v >= 1024 &&
           v % 1024 == 0) {
        v /= 1024;
        u++;
    }
    if (u >= 3 || bytes < (1ULL << 30))
        snprintf(buf, len, "%" PRIu64 " %s", v, units[u]);
    else
        snprintf(buf, len, "%.1f GiB", (double)bytes / (1ULL << 30));
    return buf;
}
