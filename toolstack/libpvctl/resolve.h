/* SPDX-License-Identifier: MIT */
/* resolve.h: a domain named by its name, its id or its UUID. */
#ifndef PVHV_TOOLSTACK_RESOLVE_H
#define PVHV_TOOLSTACK_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

/* What a selector is matched against: one domain. */
struct resolve_entry {
    const char *name;
    uint32_t id;
    const uint8_t *uuid; /* 16 bytes */
};

/*
 * resolve_find: which of the (n) domains that (get) describes (it fills
 * entry (i) for (ctx)) the selector (sel) names, as xl does: a UUID
 * (8-4-4-4-12 hex digits, any case) is matched with UUIDs; a decimal
 * number with ids, then, if no id matches, with names; anything else with
 * names. Returns the index, or -1 when none matches.
 */
long resolve_find(const char *sel, size_t n,
                  void (*get)(void *ctx, size_t i, struct resolve_entry *e),
                  void *ctx);

#endif /* PVHV_TOOLSTACK_RESOLVE_H */
