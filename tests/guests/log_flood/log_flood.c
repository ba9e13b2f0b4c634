/* SPDX-License-Identifier: MIT */
/*
 * log_flood.c: event_channel_op with a bad argument pointer in a loop for
 * seconds=N (default 3): each call is refused (-EFAULT) with a hypervisor
 * log line, which the hypervisor must keep within its per-domain rate.
 */

#include "../testguest.h"

#define UNMAPPED (1UL << 40)

int main(void)
{
    uint64_t seconds = test_option("seconds", 3);
    uint64_t end = monotonic_ns() + seconds * NSEC_PER_SEC;
    unsigned long calls = 0;
    long rc;

    while (monotonic_ns() < end) {
        rc = HYPERVISOR_event_channel_op(EVTCHNOP_send, (void *)UNMAPPED);
        if (rc != -XEN_EFAULT)
            test_abort("event_channel_op(send, 1<<40) returned %ld", rc);
        calls++;
    }
    printf("log_flood: %lu bad calls in %lu s\n", calls,
           (unsigned long)seconds);
    puts("SUCCESS");
    return 0;
}
