/* SPDX-License-Identifier: MIT */
/* domain.c: how a domain stops (shutdown, crash, destroy) and its console. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/domain.h"
#include "core/log.h"
#include "core/schedule.h"
#include "core/platform.h"
#include "pvabi/sched.h"

/*
 * The first stop wins: the result is final once state is STOPPED. With
 * (note), the domain's log says "<note><reason>" before any waiter
 * (pvhv_domain_wait) wakes, so that a waiter reads the line.
 */
static bool domain_stop(struct domain *d, enum pvhv_end end, struct vcpu *v,
                        const char *reason, const char *note)
{
    pthread_mutex_lock(&d->lock);
    if (domain_is_stopped(d)) {
        pthread_mutex_unlock(&d->lock);
        return false;
    }
    d->result.end = end;
    snprintf(d->result.reason, sizeof(d->result.reason), "%s", reason);
    if (v && end == PVHV_END_CRASH &&
        platform_vcpu_regs(v, &d->result.regs) == 0) {
        d->result.have_regs = true;
        d->result.vcpu = v->id;
    }
    if (note)
        domain_note(d, "%s%s", note, reason);
    atomic_store_explicit(&d->state, DOMAIN_STOPPED, memory_order_release);
    pthread_cond_broadcast(&d->stopped);
    pthread_mutex_unlock(&d->lock);
    /* Readers of the kept output learn that it has ended. */
    console_buffer_signal(&d->console_buf);

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
                 "SHUTDOWN_crash) on vCPU %u",
                 v->id);
    else
        snprintf(why, sizeof(why), "SCHEDOP_shutdown(%s) on vCPU %u",
                 domain_end_name(end), v->id);
    domain_stop(d, end, v, why, ": ");
}

void domain_crash(struct domain *d, struct vcpu *v, const char *fmt, ...)
{
    char why[sizeof(d->result.reason)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    domain_stop(d, PVHV_END_CRASH, v, why, " crashed: ");
}

void domain_destroy_running(struct domain *d)
{
    domain_stop(d, PVHV_END_DESTROYED, NULL, "destroyed by the toolstack",
                NULL);
}

/*
 * console_sink: hands (len) bytes to (d)'s sinks: the kept output, if
 * any, and the toolstack's callback, or stdout where there is neither.
 */
static void console_sink(struct domain *d, const char *buf, size_t len)
{
    console_buffer_write(&d->console_buf, buf, len);
    if (d->console) {
        d->console(d->console_opaque, buf, len);
        return;
    }
    if (d->console_buf.data)
        return;
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, buf, len);
        if (n <= 0)
            return; /* stdout gone: the guest's output has nowhere to go */
        buf += n;
        len -= (size_t)n;
    }
}

static const struct ratelimit_params console_rate =
    RATELIMIT(CONSOLE_RATE, CONSOLE_BURST);

#define CONSOLE_REPORT_NS 1000000000ULL /* one "dropped" line a second */

/*
 * Over its budget, a write passes in part only if at least this much of
 * it can: a flood then shows as whole pieces of text, not as a byte of
 * each write.
 */
#define CONSOLE_MIN_PIECE 1024

/*
 * report_dropped: before output that passes at (now), says on (d)'s
 * console how much was dropped, if anything, and if no report was made in
 * the last second. The line is not charged to the budget: it comes once a
 * second at most.
 */
static void report_dropped(struct domain *d, uint64_t now)
{
    struct console_budget *b = &d->console_budget;
    uint64_t next =
        atomic_load_explicit(&b->next_report_ns, memory_order_relaxed);
    uint64_t n;
    char line[96];
    int len;

    if (!atomic_load_explicit(&b->dropped, memory_order_relaxed) || now < next)
        return;
    if (!atomic_compare_exchange_strong(&b->next_report_ns, &next,
                                        now + CONSOLE_REPORT_NS))
        return; /* another vCPU reports */
    n = atomic_exchange(&b->dropped, 0);
    len = snprintf(
        line, sizeof(line), "%s[pvhv: %llu bytes of console output dropped]\n",
        atomic_load(&b->mid_line) ? "\n" : "", (unsigned long long)n);
    console_sink(d, line, (size_t)len);
}

/*
 * budget_take: what of (len) bytes passes (d)'s budget at (now); the rest
 * is counted as dropped. Output that passes after a drop is preceded by
 * the report.
 */
static size_t budget_take(struct domain *d, size_t len, uint64_t now)
{
    struct console_budget *b = &d->console_budget;
    uint64_t min = len < CONSOLE_MIN_PIECE ? len : CONSOLE_MIN_PIECE;
    size_t n = (size_t)ratelimit_take(&b->bucket, &console_rate, min, len, now);

    if (n > 0)
        report_dropped(d, now);
    if (n < len) {
        atomic_fetch_add_explicit(&b->dropped, len - n, memory_order_relaxed);
        atomic_fetch_add_explicit(&b->dropped_total, len - n,
                                  memory_order_relaxed);
    }
    return n;
}

void domain_console_write(struct domain *d, const char *buf, size_t len)
{
    size_t n = budget_take(d, len, ratelimit_now());

    if (n > 0) {
        console_sink(d, buf, n);
        atomic_store_explicit(&d->console_budget.mid_line, buf[n - 1] != '\n',
                              memory_order_relaxed);
    }
}

size_t domain_console_budget(struct domain *d, size_t len)
{
    return budget_take(d, len, ratelimit_now());
}

void domain_note(struct domain *d, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    int n, m;

    n = snprintf(line, sizeof(line), "domain %u (%s)", d->domid, d->name);
    va_start(ap, fmt);
    m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    pr_info("%s", line);
    /* The kept copy ends in a newline, cut to fit if need be. */
    n = n + m < (int)sizeof(line) - 2 ? n + m : (int)sizeof(line) - 2;
    line[n++] = '\n';
    console_buffer_write(&d->log_buf, line, (size_t)n);
}

uint64_t domain_console_dropped(const struct domain *d)
{
    return atomic_load_explicit(&d->console_budget.dropped_total,
                                memory_order_relaxed);
}

const char *domain_end_name(enum pvhv_end end)
{
    static const char *const names[] = {
        [PVHV_END_POWEROFF] = "poweroff",
        [PVHV_END_REBOOT] = "reboot",
        [PVHV_END_SUSPEND] = "suspend",
        [PVHV_END_CRASH] = "crash",
        [PVHV_END_WATCHDOG] = "watchdog",
        [PVHV_END_SOFT_RESET] = "soft_reset",
        [PVHV_END_DESTROYED] = "destroyed",
    };
    if ((unsigned int)end < sizeof(names) / sizeof(names[0]) && names[end])
        return names[end];
    return "unknown";
}
