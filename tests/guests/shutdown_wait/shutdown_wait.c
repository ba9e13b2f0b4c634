/* SPDX-License-Identifier: MIT */
/*
 * shutdown_wait.c: sets up, says READY, then sleeps for ever: only the
 * toolstack's request in control/shutdown ("poweroff") can end it, and it
 * must end it with a poweroff.
 */

#include "../testguest.h"

int main(void)
{
    if (!xenbus_ready())
        test_abort("no XenStore: the shutdown watch cannot work");
    puts("READY");
    for (;;)
        sleep_ns(NSEC_PER_SEC);
}
