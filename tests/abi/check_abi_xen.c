/* SPDX-License-Identifier: MIT */
/* check_abi_xen.c: our ABI headers agree with Xen's, row by row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_rows.h"

static const struct abi_row *find(const struct abi_row *rows, size_t n,
                                  const char *name)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(rows[i].name, name) == 0)
            return &rows[i];
    return NULL;
}

struct tally {
    unsigned int compared, mismatches, absent;
};

/* compare: each of our (n) rows against Xen's (xn) rows of that name. */
static void compare(const struct abi_row *ours, size_t n,
                    const struct abi_row *xen, size_t xn, struct tally *t)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const struct abi_row *x = find(xen, xn, ours[i].name);

        if (!x) {
            printf("not in Xen's headers: %s = %#llx\n", ours[i].name,
                   (unsigned long long)ours[i].value);
            t->absent++;
            continue;
        }
        t->compared++;
        if (x->value != ours[i].value) {
            printf("MISMATCH %s: pvabi %#llx, Xen %#llx\n", ours[i].name,
                   (unsigned long long)ours[i].value,
                   (unsigned long long)x->value);
            t->mismatches++;
        }
    }
}

int main(void)
{
    struct tally t = {0, 0, 0}, c = {0, 0, 0};

    compare(abi_rows_ours, abi_rows_ours_count, abi_rows_xen,
            abi_rows_xen_count, &t);
    printf(
        "%u rows compared with Xen's headers, %u mismatches, %u only in pvabi\n",
        t.compared, t.mismatches, t.absent);
    if (abi_rows_compat_xen_count > 0)
        compare(abi_rows_compat_ours, abi_rows_compat_ours_count,
                abi_rows_compat_xen, abi_rows_compat_xen_count, &c);
    else
        printf(
            "no 32-bit compiler: the compat layouts are pinned by check_abi_layout only\n");
    printf(
        "%u compat rows compared with Xen's headers for i386, %u mismatches\n",
        c.compared, c.mismatches);
    return t.mismatches || c.mismatches || c.absent ? EXIT_FAILURE
                                                    : EXIT_SUCCESS;
}
