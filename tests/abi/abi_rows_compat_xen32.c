/* SPDX-License-Identifier: MIT */
/*
 * abi_rows_compat_xen32.c: abi_items_compat.h evaluated against Xen's
 * headers (libxen-dev) as a 32-bit guest sees them. Compiled with -m32 -S
 * only, never linked: each row becomes a line "@@ROW <name> <value>" in
 * the assembly (the asm-offsets technique), which abi.mk turns into
 * abi_rows_compat_xen.h for the 64-bit test.
 */
#define __XEN_TOOLS__ 1

#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>

#define ROW(name, value)                                                       \
    __asm__ volatile("\n.ascii \"@@ROW " name " %c0\"" : : "i"(value))
#define COMPAT_SIZE(ours, xens)                                                \
    ROW("compat sizeof(struct " #xens ")", sizeof(struct xens));
#define COMPAT_OFFSET(ours, xens, field)                                       \
    ROW("compat offsetof(struct " #xens ", " #field ")",                       \
        offsetof(struct xens, field));

void abi_rows_compat_xen32(void);
void abi_rows_compat_xen32(void)
{
#include "abi_items_compat.h"
}
