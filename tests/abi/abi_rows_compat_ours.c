/* SPDX-License-Identifier: MIT */
/* abi_rows_compat_ours.c: abi_items_compat.h evaluated against pvabi/compat.h.
 */
#include "pvabi/compat.h"

#include "abi_rows.h"

#define COMPAT_SIZE(ours, xens)                                                \
    {"compat sizeof(struct " #xens ")", sizeof(struct ours)},
#define COMPAT_OFFSET(ours, xens, field)                                       \
    {"compat offsetof(struct " #xens ", " #field ")",                          \
     offsetof(struct ours, field)},

const struct abi_row abi_rows_compat_ours[] = {
#include "abi_items_compat.h"
};
const size_t abi_rows_compat_ours_count =
    sizeof(abi_rows_compat_ours) / sizeof(abi_rows_compat_ours[0]);
