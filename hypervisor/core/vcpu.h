/* SPDX-License-Identifier: MIT */
/* vcpu.h: a vCPU, as core and the platform share it. */
#ifndef PVHV_CORE_VCPU_H
#define PVHV_CORE_VCPU_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/guest_area.h"
#include "core/guest_memory.h"
#include "pvabi/event_channel.h"
#include "pvabi/vcpu.h"
#include "pvabi/xen.h"

/*
 * The platform sees a vCPU, never its domain: struct domain is opaque
 * here, so platform code that includes only this header (through
 * core/exits.h) cannot read a domain's fields.
 */
struct domain;
struct platform_vcpu; /* opaque: hypervisor/platform/<name>/ */
struct host_timer;    /* opaque: hypervisor/host/loop.h */

/*
 * CPU state a hypercall handler may need, refreshed by the platform before
 * each dispatch: the paging registers (to translate guest pointers), the
 * privilege level, and whether the caller is outside 64-bit mode (its
 * structures have the 32-bit layouts of pvabi/compat.h).
 */
struct vcpu_context {
    struct guest_paging paging;
    unsigned int cpl;
    bool compat;
};

struct vcpu {
    struct domain *domain;
    unsigned int id;
    struct vcpu_context ctx;
    struct platform_vcpu *pv;
    pthread_t thread;
    bool thread_started;

    /* Events: where this vCPU's struct vcpu_info lives (host address: in
     * shared_info, or in guest RAM after VCPUOP_register_vcpu_info). */
    struct vcpu_info *vcpu_info;
    bool vcpu_info_registered;
    evtchn_port_t virq_port[NR_VIRQS]; /* 0: VIRQ not bound here */
    /* HVMOP_set_evtchn_upcall_vector (0: none; atomic): upcalls go to
     * the local APIC; upcall_raise: one is due (exit_lapic_upcall). */
    uint8_t upcall_vector;
    bool upcall_raise;

    /* Scheduling (core/schedule.c): a blocked vCPU sleeps on `wake`. */
    pthread_mutex_t wake_lock;
    pthread_cond_t wake;
    bool blocked;     /* in vcpu_block(), waiting for `wake` */
    bool kicked;      /* a wake-up arrived: re-check the condition */
    _Atomic bool up;  /* running (vCPU 0 from start; others after
                       * VCPUOP_up); false after VCPUOP_down */
    bool initialised; /* VCPUOP_initialise gave a start state */

    /* The single-shot timer (core/timer.c), in domain system time. */
    uint64_t timer_deadline;  /* 0: not armed; atomic */
    struct host_timer *timer; /* on the instance's loop */

    /* Set by hypercall_continue(), read by the dispatcher at once. */
    uint64_t hypercall_next[5];

    /* Runstate (core/runstate.c): the times, changed on this vCPU's
     * thread only; the guest's copy and the second pvclock copy
     * (core/time.c) where the guest registered them. The lock orders a
     * registration from another vCPU with the writes. */
    struct vcpu_runstate_info runstate;
    struct guest_area runstate_area;
    bool runstate_compat;
    struct guest_area time_area;
    pthread_mutex_t runstate_lock;

    /* Pause (core/schedule.c): the domain's time_gen this vCPU's pvclock
     * was last written for; and, under wake_lock, its thread's CPU time
     * once the thread has ended (core/time.c vcpu_cpu_ns). */
    uint32_t time_gen;
    bool cpu_ns_final;
    uint64_t cpu_ns;
};

#endif /* PVHV_CORE_VCPU_H */
