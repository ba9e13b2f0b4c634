/* SPDX-License-Identifier: MIT */
/*
 * console_io_loop.c: console_io writes of 4 KiB in a loop for seconds=N
 * (default 3). Each must succeed (0): what is over the console budget is
 * dropped by the hypervisor, not refused.
 */

#include "../testguest.h"

static char buf[4096];

int main(void)
{
    uint64_t seconds = test_option("seconds", 3);
    uint64_t end;
    unsigned long calls = 0;
    size_t i;
    long rc;

    for (i = 0; i < sizeof(buf); i++)
        buf[i] = (i % 64 == 63) ? '\n' : (char)('a' + i % 26);
    end = monotonic_ns() + seconds * NSEC_PER_SEC;
    while (monotonic_ns() < end) {
        rc = HYPERVISOR_console_io(CONSOLEIO_write, sizeof(buf), buf);
        if (rc != 0)
            test_abort("console_io(write, 4096) returned %ld", rc);
        calls++;
    }
    sleep_ns(200 * NSEC_PER_MSEC);
    printf("console_io_loop: %lu writes of %zu bytes in %lu s\n", calls,
           sizeof(buf), (unsigned long)seconds);
    puts("SUCCESS");
    return 0;
}
