/* SPDX-License-Identifier: MIT */
/* guest_area.h: a small guest-virtual area the hypervisor keeps written. */
#ifndef PVHV_CORE_GUEST_AREA_H
#define PVHV_CORE_GUEST_AREA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/guest_memory.h"

/*
 * A guest registers such an area by its virtual address (runstate, the
 * second pvclock copy). It is translated once, at registration, into at
 * most two guest-physical pieces (it may cross one page boundary); each
 * write looks the pieces up in RAM again, so a page released since is
 * skipped, never a host fault.
 */
struct guest_area {
    gpa_t gpa[2];
    uint32_t len0; /* bytes in the first piece */
    uint32_t len;  /* 0: no area registered */
};

/*
 * guest_area_set: translates [va, va + len) through (pg) (writable).
 * va 0 clears (a). Returns 0, -XEN_EFAULT (not mapped to RAM) or
 * -XEN_EINVAL (len over a page). On error (a) is unchanged.
 */
int guest_area_set(struct guest_area *a, const struct guest_ram *ram,
                   const struct guest_paging *pg, gva_t va, uint32_t len);

/*
 * guest_area_write: copies (n) bytes of (src) to offset (off) of (a), in
 * order, piece by piece. Returns false when (a) is not set, the range is
 * outside it, or a piece is no longer RAM.
 */
bool guest_area_write(const struct guest_area *a, const struct guest_ram *ram,
                      uint32_t off, const void *src, uint32_t n);

#endif /* PVHV_CORE_GUEST_AREA_H */
