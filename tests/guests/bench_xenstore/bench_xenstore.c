/* SPDX-License-Identifier: MIT */
/* bench_xenstore.c: n XenStore reads or writes of one node, for pvbench. */

#include "../testguest.h"

#define NODE "data/bench"

int main(void)
{
    char op[8], buf[64];
    unsigned long n = test_option("n", 1000), i;
    int write = pvguest_cmdline_get("op", op, sizeof(op)) >= 0 &&
                strcmp(op, "write") == 0;

    check_result("xenbus_write " NODE, xenbus_write(XBT_NIL, NODE, "value"), 0);
    printf("bench_xenstore: %s n=%lu\n", write ? "write" : "read", n);
    bench_start();
    for (i = 0; i < n; i++) {
        int rc = write ? xenbus_write(XBT_NIL, NODE, "value")
                       : xenbus_read(XBT_NIL, NODE, buf, sizeof(buf));
        if (rc != (write ? 0 : 5))
            test_abort("operation %lu returned %d", i, rc);
    }
    bench_end();
    puts("SUCCESS");
    return 0;
}
