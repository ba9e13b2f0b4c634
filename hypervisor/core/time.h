/* SPDX-License-Identifier: MIT */
/* time.h: domain system time, pvclock, wall clock and one-shot timers. */
#ifndef PVHV_CORE_TIME_H
#define PVHV_CORE_TIME_H

#include <stdint.h>

struct domain;
struct host_loop;
struct vcpu;

/*
 * domain_system_time: ns since (d) was created (Xen "system time"), less
 * the time it spent paused: it stands still while the domain is paused.
 */
uint64_t domain_system_time(const struct domain *d);

/*
 * domain_time_base: the CLOCK_MONOTONIC ns at which (d)'s system time
 * would have been 0 had it run all along: system time is now - base.
 * Each unpause moves it on by the pause. Any thread.
 */
uint64_t domain_time_base(const struct domain *d);

/*
 * domain_time_freeze: system time stops at its value now.
 * domain_time_thaw: it goes on from there, and time_gen moves on so that
 * each vCPU rewrites its pvclock before it next enters the guest.
 * Called by pause and unpause (core/schedule.c), which serialise them.
 */
void domain_time_freeze(struct domain *d);
void domain_time_thaw(struct domain *d);

/*
 * vcpu_cpu_ns: the CPU time (v)'s thread has used, in ns (0 before it
 * started); vcpu_cpu_ns_final: called by that thread as it ends, keeps
 * the figure for after. Any thread.
 */
uint64_t vcpu_cpu_ns(struct vcpu *v);
void vcpu_cpu_ns_final(struct vcpu *v);

/*
 * vcpu_time_update: writes (v)'s vcpu_time_info (pvclock: tsc_timestamp,
 * system_time, tsc_to_system_mul, tsc_shift under the version seqlock)
 * from the platform's TSC. Called when the vCPU starts, when its
 * vcpu_info moves, and before each timer upcall.
 * domain_wallclock_update: writes shared_info wc_* (time of day at
 * system time 0) under wc_version.
 */
void vcpu_time_update(struct vcpu *v);
void domain_wallclock_update(struct domain *d);

/*
 * timer_arm: (v)'s single-shot timer fires VIRQ_TIMER at system time
 * (deadline) (now or past: at once), from its instance's host loop.
 * timer_cancel: disarms it; once it returns, the timer does not fire.
 * Any thread. A vCPU without a loop timer (outside an instance) keeps
 * the deadline in v->timer_deadline only.
 */
void timer_arm(struct vcpu *v, uint64_t deadline);
void timer_cancel(struct vcpu *v);

/*
 * timer_vcpu_init: gives (v) its timer on (loop). Returns 0 or -ENOMEM.
 * timer_vcpu_fini: frees it (disarmed first).
 */
int timer_vcpu_init(struct vcpu *v, struct host_loop *loop);
void timer_vcpu_fini(struct vcpu *v);

long do_set_timer_op(struct vcpu *v, const uint64_t arg[5]);

#endif /* PVHV_CORE_TIME_H */
