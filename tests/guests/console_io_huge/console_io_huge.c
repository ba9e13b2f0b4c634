/* SPDX-License-Identifier: MIT */
/*
 * console_io_huge.c: one console_io write of 2 GiB (one page of text seen
 * at 524288 virtual pages). The hypervisor must serve it in bounded
 * pieces: timer events reach this vCPU while the call runs, and the
 * domain can be stopped meanwhile. repeat=N (default 1; 0: for ever)
 * writes it N times.
 */

#include "alias.h"

#define HUGE_COUNT 0x80000000UL
#define TICK_NS (5 * NSEC_PER_MSEC)

static volatile unsigned long ticks;
static volatile int ticking;

/* VIRQ_TIMER: counts, and keeps the timer going while (ticking). */
static void tick(evtchn_port_t port, void *data)
{
    (void)port;
    (void)data;
    ticks++;
    if (ticking)
        timer_set(monotonic_ns() + TICK_NS);
}

/* huge_write: the 2 GiB write; the timer events taken during it. */
static unsigned long huge_write(void)
{
    unsigned long before, during;
    uint64_t t0, t1;
    long rc;

    printf("console_io_huge: writing 2 GiB\n");
    ticking = 1;
    timer_set(monotonic_ns() + TICK_NS);
    before = ticks;
    t0 = monotonic_ns();
    /* count is 32-bit: 2 GiB is 0x80000000, not a negative int. */
    rc = _hypercall5(__HYPERVISOR_console_io, CONSOLEIO_write, HUGE_COUNT,
                     ALIAS_BASE, 0, 0);
    t1 = monotonic_ns();
    during = ticks - before;
    ticking = 0;
    if (rc != 0)
        test_abort("console_io(write, 2 GiB) returned %ld", rc);
    sleep_ns(200 * NSEC_PER_MSEC); /* for the budget: the line must pass */
    printf("console_io_huge: 2 GiB written in %lu ms, %lu timer events "
           "during the call\n",
           (unsigned long)((t1 - t0) / NSEC_PER_MSEC), during);
    return during;
}

int main(void)
{
    unsigned long repeat = test_option("repeat", 1), i, during;
    char *text = page_alloc();

    if (!text)
        test_abort("no page for the text");
    for (i = 0; i < PAGE; i++)
        text[i] = (i % 64 == 63) ? '\n' : (char)('A' + i % 26);
    alias_map(text, HUGE_COUNT / PAGE);
    pvg_evtchn_unbind(timer_port());
    if (pvg_evtchn_bind(timer_port(), tick, NULL) < 0)
        test_abort("cannot bind VIRQ_TIMER");
    for (i = 0; repeat == 0 || i < repeat; i++) {
        during = huge_write();
        /* Unpreempted, the first event would wait for the call's end:
         * served in pieces, it ticks every TICK_NS (over 80 times here). */
        if (during < 10)
            test_abort("%lu timer events during a 2 GiB write", during);
    }
    puts("SUCCESS");
    return 0;
}
