/* SPDX-License-Identifier: MIT */
/* number.c: strict decimal numbers and libvirt memory units. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "number.h"

struct unit {
    const char *name;
    uint64_t scale;
};

/* libvirt formatdomain: KB, MB, ... are powers of 1000; k, KiB, ... of 1024. */
static const struct unit units[] = {
    {"b", 1ULL},
    {"bytes", 1ULL},
    {"KB", 1000ULL},
    {"k", 1ULL << 10},
    {"KiB", 1ULL << 10},
    {"MB", 1000ULL * 1000},
    {"M", 1ULL << 20},
    {"MiB", 1ULL << 20},
    {"GB", 1000ULL * 1000 * 1000},
    {"G", 1ULL << 30},
    {"GiB", 1ULL << 30},
    {"TB", 1000ULL * 1000 * 1000 * 1000},
    {"T", 1ULL << 40},
    {"TiB", 1ULL << 40},
};

static int bad(char *why, size_t len, int ret, const char *fmt, const char *s)
{
    snprintf(why, len, fmt, s);
    return ret;
}

int number_parse_u64(const char *text, uint64_t *val, char *why, size_t len)
{
    const char *p = text;
    uint64_t v = 0;

    if (*p == '\0')
        return bad(why, len, -EINVAL, "is empty%s", "");
    if (*p == '-' && p[1] >= '0' && p[1] <= '9')
        return bad(why, len, -EINVAL, "is negative%s", "");
    if (*p < '0' || *p > '9')
        return bad(why, len, -EINVAL, "is not a number%s", "");
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned int d = (unsigned int)(*p - '0');

        if (v > (UINT64_MAX - d) / 10)
            return bad(why, len, -ERANGE, "is too large%s", "");
        v = v * 10 + d;
    }
    if (*p != '\0')
        return bad(why, len, -EINVAL, "has trailing characters '%s'", p);
    *val = v;
    return 0;
}

int number_scale_memory(uint64_t value, const char *unit, uint64_t *bytes)
{
    size_t i;

    if (!unit)
        unit = "KiB";
    for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strcmp(unit, units[i].name) != 0)
            continue;
        if (value > UINT64_MAX / units[i].scale)
            return -ERANGE;
        *bytes = value * units[i].scale;
        return 0;
    }
    return -EINVAL;
}
