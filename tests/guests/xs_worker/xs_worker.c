/* SPDX-License-Identifier: MIT */
/*
 * xs_worker.c: 200 XenStore writes and read-backs, all of which must
 * work while another domain (xs_flood) exhausts its own quota.
 */

#include "../testguest.h"

#define ROUNDS 200

int main(void)
{
    char path[40], want[16], got[16];
    unsigned int i;
    int rc;

    for (i = 0; i < ROUNDS; i++) {
        snprintf(path, sizeof(path), "data/worker/k%u", i % 20);
        snprintf(want, sizeof(want), "%u", i);
        rc = xenbus_write(XBT_NIL, path, want);
        if (rc < 0)
            test_abort("write %u (%s) failed: %d", i, path, rc);
        rc = xenbus_read(XBT_NIL, path, got, sizeof(got));
        if (rc < 0 || strcmp(got, want) != 0)
            test_abort("read %u (%s): %d \"%s\", expected \"%s\"", i, path, rc,
                       rc < 0 ? "" : got, want);
    }
    printf("xs_worker: %u writes and reads done\n", ROUNDS);
    puts("SUCCESS");
    return 0;
}
