/* SPDX-License-Identifier: MIT */
/* resolve.c: a domain named by its name, its id or its UUID. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <uuid/uuid.h>

#include "resolve.h"

/* as_id: (sel) as a domain id: decimal digits only, below 65536. */
static bool as_id(const char *sel, uint32_t *id)
{
    unsigned long v = 0;
    size_t i;

    for (i = 0; sel[i]; i++) {
        if (sel[i] < '0' || sel[i] > '9' || i >= 5)
            return false;
        v = v * 10 + (unsigned long)(sel[i] - '0');
    }
    *id = (uint32_t)v;
    return i > 0 && v < 65536;
}

long resolve_find(const char *sel, size_t n,
                  void (*get)(void *ctx, size_t i, struct resolve_entry *e),
                  void *ctx)
{
    struct resolve_entry e;
    uuid_t uuid;
    uint32_t id;
    size_t i;

    if (strlen(sel) == 36 && uuid_parse(sel, uuid) == 0) {
        for (i = 0; i < n; i++) {
            get(ctx, i, &e);
            if (memcmp(e.uuid, uuid, 16) == 0)
                return (long)i;
        }
        return -1;
    }
    if (as_id(sel, &id))
        for (i = 0; i < n; i++) {
            get(ctx, i, &e);
            if (e.id == id)
                return (long)i;
        }
    for (i = 0; i < n; i++) {
        get(ctx, i, &e);
        if (strcmp(e.name, sel) == 0)
            return (long)i;
    }
    return -1;
}
