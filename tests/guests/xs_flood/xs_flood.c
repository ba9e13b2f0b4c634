/* SPDX-License-Identifier: MIT */
/*
 * xs_flood.c: writes XenStore nodes until the store refuses with its
 * quota error (ENOSPC); another domain (xs_worker) must not notice.
 */

#include "../testguest.h"

#define FLOOD_LIMIT 100000 /* give up well past any sane quota */

int main(void)
{
    char path[40], buf[8];
    unsigned int n;
    int rc = 0;

    for (n = 0; n < FLOOD_LIMIT; n++) {
        snprintf(path, sizeof(path), "data/flood/%u", n);
        rc = xenbus_write(XBT_NIL, path, "x");
        if (rc < 0)
            break;
    }
    printf("xs_flood: %u nodes written, then error %d\n", n, rc);
    check_result("write past the quota", rc, -XEN_ENOSPC);
    /* Reads still work; removing nodes makes room again. */
    check_result("read data/flood/0",
                 xenbus_read(XBT_NIL, "data/flood/0", buf, sizeof(buf)), 1);
    check_result("rm data/flood", xenbus_rm(XBT_NIL, "data/flood"), 0);
    check_result("write after rm", xenbus_write(XBT_NIL, "data/flood/0", "x"),
                 0);
    puts("SUCCESS");
    return 0;
}
