/* SPDX-License-Identifier: MIT */
/*
 * bench_gnttab.c: GNTTABOP_copy of 4 KiB pages, for pvbench. Command
 * line: n=N batch=B: N copies from a page granted to ourselves into a
 * local frame, B per hypercall (1 to 64), between "BENCH start" and
 * "BENCH end". The data is checked once at the end.
 */

#include "../testguest.h"

#define MAX_BATCH 64

static uint8_t src[4096] __attribute__((aligned(4096)));
static uint8_t dst[4096] __attribute__((aligned(4096)));
static struct gnttab_copy ops[MAX_BATCH];

int main(void)
{
    unsigned long n = test_option("n", 2000), batch = test_option("batch", 16);
    if (batch < 1 || batch > MAX_BATCH)
        test_abort("batch must be 1 to %d", MAX_BATCH);
    for (unsigned int i = 0; i < sizeof(src); i++)
        src[i] = (uint8_t)(i * 7 + 1);
    int ref = gnttab_grant_access(pvguest_domid(), (uintptr_t)src >> 12, 1);
    if (ref < 0)
        test_abort("gnttab_grant_access returned %d", ref);
    for (unsigned long i = 0; i < batch; i++) {
        ops[i].source.u.ref = (grant_ref_t)ref;
        ops[i].source.domid = pvguest_domid();
        ops[i].dest.u.gmfn = (uintptr_t)dst >> 12;
        ops[i].dest.domid = DOMID_SELF;
        ops[i].len = 4096;
        ops[i].flags = GNTCOPY_source_gref;
    }
    printf("bench_gnttab: n=%lu batch=%lu\n", n, batch);
    bench_start();
    for (unsigned long done = 0; done < n; done += batch) {
        long rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, ops, batch);
        if (rc != 0 || ops[0].status != GNTST_okay ||
            ops[batch - 1].status != GNTST_okay)
            test_abort("copy at %lu: rc %ld, status %d", done, rc,
                       ops[0].status);
    }
    bench_end();
    if (memcmp(src, dst, sizeof(src)) != 0)
        test_abort("the copied page differs");
    puts("SUCCESS");
    return 0;
}
