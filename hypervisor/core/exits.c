/* SPDX-License-Identifier: MIT */
/* exits.c: each kind of vCPU exit, counted and turned into core's work. */
#include <stdarg.h>
#include <stdio.h>

#include "core/domain.h"
#include "core/event_channel.h"
#include "core/exits.h"
#include "core/io.h"
#include "core/log.h"
#include "core/runstate.h"
#include "core/schedule.h"
#include "core/platform.h"
#include "pvabi/errno.h"
#include "pvabi/pvhv.h"

/* counted: (v)'s domain, one exit more; a statistic, ordered with nothing. */
static inline struct domain *counted(struct vcpu *v)
{
    struct domain *d = v->domain;

    atomic_fetch_add_explicit(&d->exits, 1, memory_order_relaxed);
    return d;
}

bool exit_may_enter(struct vcpu *v)
{
    while (!domain_is_stopped(v->domain)) {
        if (!vcpu_held(v))
            return true;
        /* Down (until VCPUOP_up) or paused: wait here (core/schedule.c). */
        vcpu_hold(v);
    }
    return false;
}

uint8_t exit_upcall_vector(struct vcpu *v)
{
    uint8_t vector =
        __atomic_load_n(&v->domain->callback_vector, __ATOMIC_RELAXED);

    if (__atomic_load_n(&v->upcall_vector, __ATOMIC_RELAXED))
        return 0; /* it takes precedence, as in Xen */
    return vector && evtchn_vcpu_events_pending(v) ? vector : 0;
}

uint8_t exit_lapic_upcall(struct vcpu *v)
{
    if (!__atomic_load_n(&v->upcall_raise, __ATOMIC_RELAXED) ||
        !__atomic_exchange_n(&v->upcall_raise, false, __ATOMIC_ACQ_REL))
        return 0;
    return __atomic_load_n(&v->upcall_vector, __ATOMIC_ACQUIRE);
}

void exit_halted(struct vcpu *v, uint64_t ns)
{
    runstate_blocked_for(v, ns);
}

bool exit_domain_stopped(const struct vcpu *v)
{
    return domain_is_stopped(v->domain);
}

void exit_pio(struct vcpu *v, uint16_t port, uint8_t *data, unsigned int size,
              unsigned int count, bool is_write)
{
    struct domain *d = counted(v);

    atomic_fetch_add_explicit(&d->exits_io, 1, memory_order_relaxed);
    io_access(v, IO_SPACE_PORT, port, data, size, count, is_write);
}

void exit_mmio(struct vcpu *v, uint64_t gpa, uint8_t *data, unsigned int len,
               bool is_write)
{
    counted(v);
    io_access(v, IO_SPACE_MMIO, gpa, data, len, 1, is_write);
}

/* The hypercall page: its address | the page's index (there is one). */
bool exit_msr_write(struct vcpu *v, uint32_t index, uint64_t value)
{
    struct domain *d = counted(v);
    uint64_t gpa = value & ~(XEN_PAGE_SIZE - 1);

    if (index != PVHV_HYPERCALL_MSR)
        return false;
    /* An hvm domain has no hypercall page: the write does nothing, as on
     * a PC whose MSR ignores it (no #GP: guests probe it). */
    if (d->hvm) {
        gdprintk(d, "hvm domain: hypercall page MSR write of 0x%llx ignored",
                 (unsigned long long)value);
        return true;
    }
    if ((value & (XEN_PAGE_SIZE - 1)) != 0) {
        gdprintk(d, "hypercall page index %llu does not exist (one page)",
                 (unsigned long long)(value & (XEN_PAGE_SIZE - 1)));
        return false;
    }
    if (platform_hypercall_page_fill(d, gpa) < 0) {
        gdprintk(d, "hypercall page at 0x%llx is not in guest RAM",
                 (unsigned long long)gpa);
        return false;
    }
    /* Xen latches the shared_info layout from the mode of this write,
     * which the platform gave in v->ctx.compat. */
    evtchn_latch_layout(v);
    return true;
}

static bool events_pending(struct vcpu *v, void *opaque)
{
    (void)opaque;
    return evtchn_vcpu_events_pending(v);
}

void exit_halt(struct vcpu *v, bool interrupts_on)
{
    struct domain *d = counted(v);

    if (!interrupts_on) {
        domain_crash(d, v, "vCPU %u halted with interrupts disabled", v->id);
        return;
    }
    vcpu_block(v, 0, events_pending, NULL);
}

long exit_hypercall(struct vcpu *v, uint64_t nr, uint64_t arg[5])
{
    long rc;

    counted(v);
    rc = hypercall_dispatch(v, nr, arg);
    while (rc == HYPERCALL_CONTINUE && !domain_is_stopped(v->domain))
        rc = hypercall_dispatch(v, nr, arg);
    return rc == HYPERCALL_CONTINUE ? -XEN_EAGAIN : rc;
}

void exit_interrupt_window(struct vcpu *v)
{
    counted(v);
}

static void __attribute__((format(printf, 2, 0)))
crash(struct vcpu *v, const char *fmt, va_list ap)
{
    char why[sizeof(((struct pvhv_domain_result *)0)->reason)];

    vsnprintf(why, sizeof(why), fmt, ap);
    domain_crash(v->domain, v, "%s", why);
}

void exit_fatal(struct vcpu *v, const char *fmt, ...)
{
    va_list ap;

    counted(v);
    va_start(ap, fmt);
    crash(v, fmt, ap);
    va_end(ap);
}

void exit_run_failed(struct vcpu *v, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    crash(v, fmt, ap);
    va_end(ap);
}
