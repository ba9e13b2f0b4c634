/* SPDX-License-Identifier: MIT */
/* shutdown.c: ending the domain, and acting on the toolstack's requests. */

#include "internal.h"

void shutdown_domain(unsigned int reason)
{
    struct sched_shutdown shutdown = {.reason = reason};
    long rc;

    if (hypercall_ready()) {
        /* The last lines (a verdict, a crash report) must reach the log. */
        console_ring_flush();
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

#define SHUTDOWN_NODE "control/shutdown"
#define SHUTDOWN_TOKEN "pvguest-shutdown"

/*
 * The toolstack writes "poweroff" or "reboot" to control/shutdown; we
 * acknowledge by writing "" back (so it knows the request was seen),
 * then shut down with the matching reason. The watch also reports the
 * node once when set up, and after our own acknowledgement: "" and a
 * missing node mean no request. Runs from xenbus_poll(), so whenever
 * the guest blocks or polls.
 */
static void shutdown_requested(const char *path, const char *token, void *data)
{
    char req[32];
    unsigned int reason;
    int rc;

    (void)path;
    (void)token;
    (void)data;
    rc = xenbus_read(XBT_NIL, SHUTDOWN_NODE, req, sizeof(req));
    if (rc <= 0)
        return;
    if (strcmp(req, "poweroff") == 0 || strcmp(req, "halt") == 0) {
        reason = SHUTDOWN_poweroff;
    } else if (strcmp(req, "reboot") == 0) {
        reason = SHUTDOWN_reboot;
    } else {
        printf("pvguest: shutdown request \"%s\" not supported\n", req);
        return;
    }
    rc = xenbus_write(XBT_NIL, SHUTDOWN_NODE, "");
    if (rc < 0)
        printf("pvguest: could not acknowledge shutdown request: %d\n", rc);
    printf("pvguest: %s requested by the toolstack\n", req);
    shutdown_domain(reason);
}

int shutdown_ignore(void)
{
    return xenbus_unwatch(SHUTDOWN_NODE, SHUTDOWN_TOKEN);
}

int shutdown_watch_init(void)
{
    int rc =
        xenbus_watch(SHUTDOWN_NODE, SHUTDOWN_TOKEN, shutdown_requested, NULL);

    if (rc < 0)
        printf("pvguest: watch on %s failed: %d\n", SHUTDOWN_NODE, rc);
    return rc;
}
