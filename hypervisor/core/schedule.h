/* SPDX-License-Identifier: MIT */
/* schedule.h: blocking and waking vCPUs. */
#ifndef PVHV_CORE_SCHEDULE_H
#define PVHV_CORE_SCHEDULE_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/*
 * vcpu_notify: something (an event, a timer, a stop) needs (v)'s
 * attention: wakes it if blocked, else makes it leave guest mode so that
 * its run loop injects the callback vector. Any thread; cheap when (v)
 * is already awake and out of guest mode.
 */
void vcpu_notify(struct vcpu *v);

/*
 * vcpu_block: blocks the calling vCPU thread (v) until (done)(v, opaque)
 * is true, the domain stops, or system time reaches (deadline) (0: none).
 * Returns true if (done) became true, false on deadline or stop.
 */
bool vcpu_block(struct vcpu *v, uint64_t deadline,
                bool (*done)(struct vcpu *v, void *opaque), void *opaque);

/* vcpu_set_current: the calling thread runs (v) (its vCPU thread). */
void vcpu_set_current(struct vcpu *v);

/* vcpu_schedule_init / fini: the wake primitives of (v). */
void vcpu_schedule_init(struct vcpu *v);
void vcpu_schedule_fini(struct vcpu *v);

#endif /* PVHV_CORE_SCHEDULE_H */
