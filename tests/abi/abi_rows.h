/* SPDX-License-Identifier: MIT */
/* abi_rows.h: the {name, value} rows abi_items.h expands to, on either side. */
#ifndef PVHV_TESTS_ABI_ROWS_H
#define PVHV_TESTS_ABI_ROWS_H

#include <stddef.h>
#include <stdint.h>

struct abi_row {
    const char *name;
    uint64_t value;
};

/* The macros abi_items.h expects, each making one row. */
#define ABI_CONST(name) {#name, (uint64_t)(name)},
#define ABI_CONST_OPT(name) {#name, (uint64_t)(name)},
#define ABI_SIZE(type) {"sizeof(" #type ")", sizeof(type)},
#define ABI_OFFSET(type, field)                                                \
    {"offsetof(" #type ", " #field ")", offsetof(type, field)},

/* abi_rows_ours.c: the rows from abi/include/pvabi. */
extern const struct abi_row abi_rows_ours[];
extern const size_t abi_rows_ours_count;

/* abi_rows_xen.c: the same rows from Xen's installed public headers. */
extern const struct abi_row abi_rows_xen[];
extern const size_t abi_rows_xen_count;

/*
 * abi_rows_compat_ours.c / abi_rows_compat_xen.c: the 32-bit layouts
 * (abi_items_compat.h), from pvabi/compat.h and from Xen's headers
 * compiled for i386. Without a 32-bit compiler the second has no rows.
 */
extern const struct abi_row abi_rows_compat_ours[];
extern const size_t abi_rows_compat_ours_count;
extern const struct abi_row abi_rows_compat_xen[];
extern const size_t abi_rows_compat_xen_count;

#endif /* PVHV_TESTS_ABI_ROWS_H */
