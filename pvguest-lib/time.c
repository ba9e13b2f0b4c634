/* SPDX-License-Identifier: MIT */
/* time.c: pvclock system time, the wall clock, VIRQ_TIMER, block and sleep. */

#include "internal.h"

static int time_ready;
static evtchn_port_t timer_virq_port;
/* The largest value monotonic_ns() returned, on any vCPU. */
static uint64_t last_ns;

static inline uint64_t rdtsc_ordered(void)
{
    uint32_t lo, hi;

    /* lfence: the TSC must not be read before the fields above it. */
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
    return (uint64_t)hi << 32 | lo;
}

/*
 * pvclock: system_time + ((tsc - tsc_timestamp) scaled by 2^tsc_shift)
 * * tsc_to_system_mul / 2^32. tsc_shift is signed (a negative one
 * divides); the product needs 96 bits, hence the 128-bit multiply, which
 * is one MUL instruction (no SSE: the guest is -mgeneral-regs-only).
 * The fields are under a seqlock: an odd version means an update is in
 * progress, a changed one that the copy is torn.
 */
static uint64_t pvclock_read(const volatile struct vcpu_time_info *t)
{
    uint32_t version, mul;
    uint64_t stamp, system, delta, tsc;
    int8_t shift;

    do {
        version = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        stamp = t->tsc_timestamp;
        system = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        tsc = rdtsc_ordered();
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((version & 1) || t->version != version);

    delta = tsc - stamp;
    if (shift >= 0)
        delta <<= shift;
    else
        delta >>= -shift;
    return system + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t monotonic_ns(void)
{
    uint64_t now, last;

    if (!time_ready)
        return 0;
    now = pvclock_read(&this_vcpu_info()->time);
    /*
     * Each vCPU's clock is updated on its own; keep the result from going
     * back when two updates disagree by a few nanoseconds.
     */
    last = __atomic_load_n(&last_ns, __ATOMIC_RELAXED);
    do {
        if (now <= last)
            return last;
    } while (!__atomic_compare_exchange_n(&last_ns, &last, now, 1,
                                          __ATOMIC_RELAXED, __ATOMIC_RELAXED));
    return now;
}

void wallclock(uint64_t *sec, uint32_t *nsec)
{
    const volatile struct shared_info *s = HYPERVISOR_shared_info;
    uint32_t version, wc_nsec;
    uint64_t wc_sec, ns;

    if (!time_ready) {
        *sec = 0;
        *nsec = 0;
        return;
    }
    do {
        version = s->wc_version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        wc_sec = (uint64_t)s->wc_sec_hi << 32 | s->wc_sec;
        wc_nsec = s->wc_nsec;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((version & 1) || s->wc_version != version);

    ns = wc_nsec + monotonic_ns();
    *sec = wc_sec + ns / NSEC_PER_SEC;
    *nsec = (uint32_t)(ns % NSEC_PER_SEC);
}

int timer_set(uint64_t deadline_ns)
{
    return (int)HYPERVISOR_set_timer_op(deadline_ns);
}

/* Sleeps until an event, interrupts off before and after. */
static inline void block_irqs_off(void)
{
    /*
     * sti; hlt rather than SCHEDOP_block: the platform wakes a halted
     * vCPU when an event is pending, and STI's one-instruction shadow
     * makes "enable interrupts and sleep" atomic: an upcall that became
     * pending after the caller's check cannot run before the HLT, it ends
     * it. SCHEDOP_block would do as well, at the cost of re-enabling
     * interrupts after it returns; this needs no argument block.
     */
    __asm__ volatile("sti; hlt; cli" : : : "memory");
    /*
     * Woken with events pending but no upcall run: the platform could not
     * inject the vector (the native execution mode of the development
     * machines' KVM wakes the HLT but delivers nothing through the IDT).
     * Run the scan here, interrupts off, as the vector would have.
     */
    if (__atomic_load_n(&this_vcpu_info()->evtchn_upcall_pending,
                        __ATOMIC_SEQ_CST))
        evtchn_do_upcall();
}

void block(void)
{
    unsigned long flags = local_irq_save();

    block_irqs_off();
    local_irq_restore(flags);
}

/*
 * The idle loop of every wait, hence short: each turn is a few dozen
 * guest instructions where each one is emulated. xenbus_poll() runs only
 * when the store port fired or watch reports wait (xenbus_attention),
 * with the caller's interrupt flag, since watch callbacks make XenStore
 * calls; done() and the decision to sleep run with interrupts off.
 */
int wait_until(int (*done)(void *arg), void *arg, uint64_t deadline_ns)
{
    unsigned long flags;
    int rc;

    if (!time_ready)
        return -XEN_ENOSYS;
    flags = local_irq_save();
    for (;;) {
        if (xenbus_attention) {
            local_irq_restore(flags);
            xenbus_poll();
            local_irq_disable();
        }
        if (done && done(arg)) {
            rc = 0;
            break;
        }
        if (deadline_ns && monotonic_ns() >= deadline_ns) {
            rc = -XEN_ETIMEDOUT;
            break;
        }
        /* Queued watch callbacks: run them (above) before sleeping. */
        if (xenbus_attention && xenbus_work_pending())
            continue;
        if (deadline_ns)
            timer_set(deadline_ns);
        block_irqs_off();
    }
    local_irq_restore(flags);
    return rc;
}

void sleep_ns(uint64_t ns)
{
    if (!time_ready)
        crash("sleep_ns: no timer: this hypervisor offered no events");
    wait_until(NULL, NULL, monotonic_ns() + ns);
}

evtchn_port_t timer_port(void)
{
    return timer_virq_port;
}

/* The wake-up is the upcall itself: nothing to do but be counted. */
static void timer_handler(evtchn_port_t port, void *data)
{
    (void)port;
    (void)data;
}

/*
 * Boot step, after events: checks that the hypervisor keeps a pvclock
 * for vCPU 0, then binds VIRQ_TIMER there.
 */
int time_init(void)
{
    int rc;

    if (this_vcpu_info()->time.tsc_to_system_mul == 0) {
        printf("pvguest: time: vcpu_info of vCPU %u holds no pvclock "
               "(tsc_to_system_mul 0)\n",
               smp_id());
        return -XEN_ENODEV;
    }
    rc = pvg_evtchn_bind_virq(VIRQ_TIMER, smp_id(), &timer_virq_port);
    if (rc < 0) {
        printf("pvguest: time: event_channel_op(EVTCHNOP_bind_virq, "
               "VIRQ_TIMER, vCPU %u) failed: %d\n",
               smp_id(), rc);
        return rc;
    }
    rc = pvg_evtchn_bind(timer_virq_port, timer_handler, NULL);
    if (rc < 0)
        return rc;
    time_ready = 1;
    return 0;
}
