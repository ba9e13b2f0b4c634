/* SPDX-License-Identifier: MIT */
/*
 * bench_timer.c: timer latency for pvbench --compare, as a PV guest: n=N
 * one-shot timers (VCPUOP_set_singleshot_timer through timer_set), each
 * delta=D ns after the system time read when it is armed, each waited
 * for in block() until its VIRQ_TIMER upcall ran, between two boot-marker
 * writes. Prints "BENCH tsc <cycles>": the sum over all N of the TSC from
 * arming (before the pvclock read) to the VIRQ_TIMER handler. hvm_irq's
 * bench=N (a LAPIC one-shot timer) is its hvm twin.
 */

#include <pvabi/pvhv.h>

#include "../testguest.h"

static volatile unsigned long fired;
static volatile uint64_t fired_tsc;

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static void marker(uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(PVHV_BOOT_MARKER_PORT));
}

/* Replaces libpvguest's handler of the port: the TSC and a count. */
static void on_timer(evtchn_port_t port, void *data)
{
    (void)port;
    (void)data;
    fired_tsc = rdtsc();
    fired++;
}

int main(void)
{
    unsigned long n = test_option("n", 100), i;
    uint64_t delta = test_option("delta", 10000), total = 0;
    int rc;

    pvg_evtchn_unbind(timer_port());
    rc = pvg_evtchn_bind(timer_port(), on_timer, NULL);
    if (rc < 0)
        test_abort("binding the timer port %u failed: %d", timer_port(), rc);
    local_irq_disable();
    marker(2);
    for (i = 0; i < n; i++) {
        unsigned long before = fired;
        uint64_t t0 = rdtsc();

        rc = timer_set(monotonic_ns() + delta);
        if (rc < 0)
            test_abort("timer_set failed: %d", rc);
        while (fired == before)
            block();
        total += fired_tsc - t0;
    }
    marker(3);
    local_irq_enable();
    printf("BENCH tsc %lu\n", (unsigned long)total);
    puts("SUCCESS");
    return 0;
}
