/* SPDX-License-Identifier: MIT */
/* guest_area.c: a small guest-virtual area the hypervisor keeps written. */
#include <string.h>

#include "pvabi/errno.h"
#include "pvabi/xen.h"
#include "core/guest_area.h"

int guest_area_set(struct guest_area *a, const struct guest_ram *ram,
                   const struct guest_paging *pg, gva_t va, uint32_t len)
{
    struct guest_area n = {.len = len};
    gva_t last;

    if (va == 0) {
        memset(a, 0, sizeof(*a));
        return 0;
    }
    if (len == 0 || len > XEN_PAGE_SIZE)
        return -XEN_EINVAL;
    last = va + len - 1;
    if (last < va)
        return -XEN_EFAULT;
    n.len0 = (last >> XEN_PAGE_SHIFT) == (va >> XEN_PAGE_SHIFT)
                 ? len
                 : (uint32_t)(XEN_PAGE_SIZE - (va & (XEN_PAGE_SIZE - 1)));
    if (guest_translate(ram, pg, va, true, &n.gpa[0]) ||
        !guest_ram_ptr(ram, n.gpa[0], n.len0))
        return -XEN_EFAULT;
    if (n.len0 < len &&
        (guest_translate(ram, pg, va + n.len0, true, &n.gpa[1]) ||
         !guest_ram_ptr(ram, n.gpa[1], len - n.len0)))
        return -XEN_EFAULT;
    *a = n;
    return 0;
}

static bool write_piece(const struct guest_ram *ram, gpa_t gpa,
                        const uint8_t *src, uint32_t n)
{
    volatile uint8_t *dst = guest_ram_data(ram, gpa, n);

    if (!dst)
        return false;
    /* Byte order of the writes matters to a reader polling a flag byte:
     * a plain loop keeps them in program order (the caller fences). */
    for (uint32_t i = 0; i < n; i++)
        dst[i] = src[i];
    return true;
}

bool guest_area_write(const struct guest_area *a, const struct guest_ram *ram,
                      uint32_t off, const void *src, uint32_t n)
{
    const uint8_t *s = src;
    uint32_t first;

    if (a->len == 0 || off > a->len || n > a->len - off)
        return false;
    if (off < a->len0) {
        first = n < a->len0 - off ? n : a->len0 - off;
        if (!write_piece(ram, a->gpa[0] + off, s, first))
            return false;
        s += first;
        n -= first;
        off += first;
    }
    return n == 0 || write_piece(ram, a->gpa[1] + (off - a->len0), s, n);
}
