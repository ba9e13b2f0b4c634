/* SPDX-License-Identifier: MIT */
/* shutdown.c: ending the domain: exit, poweroff, crash. */

#include "internal.h"

void shutdown_domain(unsigned int reason)
{
    struct sched_shutdown shutdown = { .reason = reason };
    long rc;

    if (hypercall_ready()) {
        rc = HYPERVISOR_sched_op(SCHEDOP_shutdown, &shutdown);
        /* SCHEDOP_shutdown returns only on error. */
        printf("pvguest: SCHEDOP_shutdown(%u) returned %ld\n", reason, rc);
    } else {
        console_early_puts("pvguest: no hypercall page to shut down with\n");
    }
    /* The hypervisor reports a triple fault as a crash: the last resort. */
    arch_triple_fault();
}

void exit(int code)
{
    if (code == 0)
        shutdown_domain(SHUTDOWN_poweroff);
    printf("pvguest: exit(%d)\n", code);
    shutdown_domain(SHUTDOWN_crash);
}

void poweroff(void)
{
    shutdown_domain(SHUTDOWN_poweroff);
}

void crash(const char *why)
{
    printf("pvguest: crash: %s\n", why);
    shutdown_domain(SHUTDOWN_crash);
}
