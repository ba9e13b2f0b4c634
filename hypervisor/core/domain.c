/* SPDX-License-Identifier: MIT */
/* domain.c: how a domain stops (shutdown, crash, destroy) and its console. */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "core/domain.h"
#include "core/log.h"
#include "core/schedule.h"
#include "platform/platform.h"
#include "pvabi/sched.h"

/* The first stop wins: the result is final once state is STOPPED. */
static bool domain_stop(struct domain *d, enum pvhv_end end, struct vcpu *v,
                        const char *reason)
{
    pthread_mutex_lock(&d->lock);
    if (domain_is_stopped(d)) {
        pthread_mutex_unlock(&d->lock);
        return false;
    }
    d->result.end = end;
    snprintf(d->result.reason, sizeof(d->result.reason), "%s", reason);
    if (v && end == PVHV_END_CRASH && platform_vcpu_regs(v, &d->result.regs) == 0) {
        d->result.have_regs = true;
        d->result.vcpu = v->id;
    }
    atomic_store_explicit(&d->state, DOMAIN_STOPPED, memory_order_release);
    pthread_cond_broadcast(&d->stopped);
    pthread_mutex_unlock(&d->lock);

    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (&d->vcpus[i] != v)
            vcpu_notify(&d->vcpus[i]);
    return true;
}

static enum pvhv_end end_of_reason(unsigned int reason)
{
    switch (reason) {
    case SHUTDOWN_poweroff:
        return PVHV_END_POWEROFF;
    case SHUTDOWN_reboot:
        return PVHV_END_REBOOT;
    case SHUTDOWN_suspend:
        return PVHV_END_SUSPEND;
    case SHUTDOWN_watchdog:
        return PVHV_END_WATCHDOG;
    case SHUTDOWN_soft_reset:
        return PVHV_END_SOFT_RESET;
    default:
        return PVHV_END_CRASH;
    }
}

void domain_shutdown(struct vcpu *v, unsigned int reason)
{
    struct domain *d = v->domain;
    enum pvhv_end end = end_of_reason(reason);
    char why[96];
    if (end == PVHV_END_CRASH)
        snprintf(why, sizeof(why),
                 "the guest reported a crash (SCHEDOP_shutdown, "
                 "SHUTDOWN_crash) on vCPU %u", v->id);
    else
        snprintf(why, sizeof(why), "SCHEDOP_shutdown(%s) on vCPU %u",
                 pvhv_end_name(end), v->id);
    if (domain_stop(d, end, v, why))
        pr_info("domain %u (%s): %s", d->domid, d->name, why);
}

void domain_crash(struct domain *d, struct vcpu *v, const char *fmt, ...)
{
    char why[sizeof(d->result.reason)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    if (domain_stop(d, PVHV_END_CRASH, v, why))
        pr_info("domain %u (%s) crashed: %s", d->domid, d->name, why);
}

void domain_destroy_running(struct domain *d)
{
    domain_stop(d, PVHV_END_DESTROYED, NULL, "destroyed by the toolstack");
}

void domain_console_write(struct domain *d, const char *buf, size_t len)
{
    if (d->console) {
        d->console(d->console_opaque, buf, len);
        return;
    }
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, buf, len);
        if (n <= 0)
            return; /* stdout gone: the guest's output has nowhere to go */
        buf += n;
        len -= (size_t)n;
    }
}
