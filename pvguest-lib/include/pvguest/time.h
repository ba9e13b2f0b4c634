/* SPDX-License-Identifier: MIT */
/* time.h: system time (pvclock), wall-clock time, the one-shot timer, sleeping.
 */
#ifndef PVGUEST_TIME_H
#define PVGUEST_TIME_H

#include <stdint.h>

#include <pvabi/xen.h>

#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_SEC 1000000000ULL

/*
 * monotonic_ns(): nanoseconds of system time (since the domain's clock
 * started), from the pvclock in this vCPU's vcpu_info. Never goes
 * backwards, across vCPUs too. 0 when the hypervisor offers no time.
 */
uint64_t monotonic_ns(void);

/*
 * wallclock(sec, nsec): the time of day now, in seconds and nanoseconds
 * since 1970-01-01 UTC: shared_info's wall clock at system time 0 plus
 * monotonic_ns().
 */
void wallclock(uint64_t *sec, uint32_t *nsec);

/*
 * timer_set(deadline_ns): VIRQ_TIMER fires on the calling vCPU at system
 * time (deadline_ns), at once if that has passed; 0 cancels. One timer
 * per vCPU: a new deadline replaces the old. Returns 0 or -XEN_Exxx.
 */
int timer_set(uint64_t deadline_ns);

/*
 * block(): sleeps until an event upcall has run on this vCPU. It enables
 * interrupts for the sleep only (`sti; hlt`) and returns with the
 * interrupt flag as it found it. Call it with interrupts off, after
 * checking the condition to wait for: the STI takes effect only after the
 * HLT has started, so an event that arrives after the check still ends
 * the sleep (its upcall runs, then block() returns). Called with
 * interrupts on, such an event would be handled before the HLT, and the
 * sleep would last until the next one. wait_until() does all this.
 */
void block(void);

/*
 * wait_until(done, arg, deadline_ns): sleeps until (done)(arg) returns
 * non-zero, or until system time (deadline_ns) (0: no deadline). (done)
 * runs with interrupts off and must not block. Queued XenStore watch
 * callbacks run meanwhile (see xenbus_poll()). Returns 0 when done,
 * -XEN_ETIMEDOUT at the deadline, -XEN_ENOSYS when the hypervisor offered
 * no events at boot.
 */
int wait_until(int (*done)(void *arg), void *arg, uint64_t deadline_ns);

/*
 * sleep_ns(ns): sleeps at least (ns) nanoseconds of monotonic_ns() time,
 * running watch callbacks meanwhile. Never returns early: an earlier
 * wake-up (another event, a timer that fired early) sleeps again.
 */
void sleep_ns(uint64_t ns);

/*
 * timer_port(): the port VIRQ_TIMER of vCPU 0 is bound to (0 before
 * boot set it up); pvg_evtchn_count(timer_port()) counts its firings.
 */
evtchn_port_t timer_port(void);

#endif /* PVGUEST_TIME_H */
