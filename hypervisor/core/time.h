/* SPDX-License-Identifier: MIT */
/* time.h: domain system time, pvclock, wall clock and one-shot timers. */
#ifndef PVHV_CORE_TIME_H
#define PVHV_CORE_TIME_H

#include <stdint.h>

struct domain;
struct vcpu;
struct pvhv;

/* domain_system_time: ns since (d) was created (Xen "system time"). */
uint64_t domain_system_time(const struct domain *d);

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
 * (deadline) (now or past: at once). timer_cancel: disarms it.
 * Any thread. One timer thread serves the process: every instance
 * (timers_start/stop count them) and every vCPU.
 */
void timer_arm(struct vcpu *v, uint64_t deadline);
void timer_cancel(struct vcpu *v);

/* timers_start / timers_stop: the hypervisor's timer thread. */
int timers_start(struct pvhv *hv);
void timers_stop(struct pvhv *hv);

long do_set_timer_op(struct vcpu *v, const uint64_t arg[5]);

#endif /* PVHV_CORE_TIME_H */
