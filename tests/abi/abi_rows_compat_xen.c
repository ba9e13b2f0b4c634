/* SPDX-License-Identifier: MIT */
/* abi_rows_compat_xen.c: the rows abi_rows_compat_xen32.c gave, for the 64-bit
 * test. */
#include "abi_rows.h"

const struct abi_row abi_rows_compat_xen[] = {
#include "abi_rows_compat_xen.h"
};
const size_t abi_rows_compat_xen_count =
    sizeof(abi_rows_compat_xen) / sizeof(abi_rows_compat_xen[0]);
