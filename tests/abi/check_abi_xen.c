/* SPDX-License-Identifier: MIT */
/* check_abi_xen.c: our ABI headers agree with Xen's, row by row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_rows.h"

static const struct abi_row *find_xen(const char *name)
{
    size_t i;

    for (i = 0; i < abi_rows_xen_count; i++)
        if (strcmp(abi_rows_xen[i].name, name) == 0)
            return &abi_rows_xen[i];
    return NULL;
}

int main(void)
{
    unsigned int compared = 0, mismatches = 0, absent = 0;
    size_t i;

    for (i = 0; i < abi_rows_ours_count; i++) {
        const struct abi_row *ours = &abi_rows_ours[i];
        const struct abi_row *xen = find_xen(ours->name);

        if (!xen) {
            printf("not in Xen's headers: %s = %#llx\n", ours->name,
                   (unsigned long long)ours->value);
            absent++;
            continue;
        }
        compared++;
        if (xen->value != ours->value) {
            printf("MISMATCH %s: pvabi %#llx, Xen %#llx\n", ours->name,
                   (unsigned long long)ours->value,
                   (unsigned long long)xen->value);
            mismatches++;
        }
    }
    printf("%u rows compared with Xen's headers, %u mismatches, %u only in pvabi\n",
           compared, mismatches, absent);
    return mismatches ? EXIT_FAILURE : EXIT_SUCCESS;
}
