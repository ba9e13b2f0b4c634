/* SPDX-License-Identifier: MIT */
/* exits.h: what the platform asks core before entry, and calls on each exit. */
#ifndef PVHV_CORE_EXITS_H
#define PVHV_CORE_EXITS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/hypercall.h"
#include "core/io.h"
#include "core/vcpu.h"

/*
 * The platform's vCPU loop (hypervisor/platform/kvm/vcpu.c) enters the
 * guest, decodes why it came back, and makes one call of this header per
 * exit; core does the rest (devices, hypercalls, blocking, crashing) and
 * counts the exit in the domain's statistics. This is all the platform
 * sees of core besides struct vcpu (core/vcpu.h): no domain fields, no
 * <linux/kvm.h>. Every function here runs on (v)'s own vCPU thread.
 *
 *     while (exit_may_enter(v)) {
 *         vector = exit_upcall_vector(v);    inject it when the guest can
 *         enter the guest
 *         decode the exit: one exit_* call
 *     }
 */

/* ---- Before each entry ----------------------------------------------- */

/*
 * exit_may_enter: whether (v) is to enter its guest now. A vCPU that is
 * down (before VCPUOP_up, after VCPUOP_down) or whose domain is paused
 * waits in here until it may run or its domain stops. Returns false once the
 * domain has stopped: the loop then returns.
 */
bool exit_may_enter(struct vcpu *v);

/*
 * exit_upcall_vector: the vector to inject into (v) before entry: the
 * domain's callback vector (HVM_PARAM_CALLBACK_IRQ) while an event upcall
 * is pending for (v) (evtchn_upcall_pending in its vcpu_info); 0 when
 * there is nothing to deliver. The platform injects it as soon as the
 * guest accepts interrupts; delivery clears IF, so it is not repeated
 * while the guest's handler runs.
 */
uint8_t exit_upcall_vector(struct vcpu *v);

/*
 * exit_lapic_upcall: where (v) has a per-vCPU upcall vector
 * (HVMOP_set_evtchn_upcall_vector) and an upcall became pending since the
 * last call, that vector, for the platform to raise once in (v)'s local
 * APIC (the guest EOIs it); else 0. exit_upcall_vector then gives 0.
 */
uint8_t exit_lapic_upcall(struct vcpu *v);

/*
 * exit_halted: (v) spent (ns) halted inside the platform (a local APIC
 * lets KVM serve HLT itself), counted as blocked in its runstate.
 */
void exit_halted(struct vcpu *v, uint64_t ns);

/*
 * exit_domain_stopped: whether (v)'s domain has stopped (shut down,
 * crashed, destroyed); a continued hypercall served without re-entry
 * ends there.
 */
bool exit_domain_stopped(const struct vcpu *v);

/* ---- One call per exit ----------------------------------------------- */

/*
 * exit_pio: the guest did port I/O: (count) accesses of (size) bytes (1,
 * 2 or 4; count > 1 for a string instruction) at port (port), writes of
 * (data) when (is_write), else reads that fill (data) (size * count
 * bytes). Served by the domain's I/O table (core/io.h): a registered
 * device, else the unclaimed policy (reads all ones, writes dropped, a
 * rate-limited warning).
 *
 * Hypercalls arrive here: the hypercall port is a device of every
 * domain, the platform's own platform_hypercall_port (platform.h), whose
 * handler reads the number and the arguments from the guest's registers,
 * refreshes v->ctx, calls hypercall_dispatch (core/hypercall.h) and puts
 * the result back.
 */
void exit_pio(struct vcpu *v, uint16_t port, uint8_t *data, unsigned int size,
              unsigned int count, bool is_write);

/*
 * exit_mmio: the guest accessed (len) bytes (1 to 8) at guest-physical
 * (gpa) where the platform has no memory: a device of the I/O table, else
 * the unclaimed policy, as for exit_pio. The platform serves its memory
 * regions (RAM, the grant window) first: an access there that it cannot
 * complete (a write to a read-only page) is exit_fatal, never this.
 */
void exit_mmio(struct vcpu *v, uint64_t gpa, uint8_t *data, unsigned int len,
               bool is_write);

/*
 * exit_msr_write: the guest wrote (value) to MSR (index), one the platform
 * does not serve itself (only PVHV_HYPERCALL_MSR reaches core: the page
 * address for the hypercall stubs). Returns true if done; false, after a
 * rate-limited warning, for the platform to raise #GP.
 */
bool exit_msr_write(struct vcpu *v, uint32_t index, uint64_t value);

/*
 * exit_halt: the guest executed hlt, with interrupts enabled when
 * (interrupts_on). With interrupts on, (v) sleeps until an event is
 * pending for it (a timer raises VIRQ_TIMER), as guests idle with
 * `sti; hlt`, or its domain stops. With interrupts off nothing can ever
 * wake it: its domain crashes.
 */
void exit_halt(struct vcpu *v, bool interrupts_on);

/*
 * exit_hypercall: the guest made hypercall (nr) with (arg) by VMCALL or
 * VMMCALL, which KVM passed on (KVM_EXIT_XEN); the platform has refreshed
 * v->ctx (paging, CPL, mode). Served through the same table as the
 * stubs' (hypercall_dispatch); a continuation is served here to its end,
 * unless the domain stops (there is no stub to run again). Returns the
 * result for %rax.
 */
long exit_hypercall(struct vcpu *v, uint64_t nr, uint64_t arg[5]);

/*
 * exit_interrupt_window: the guest accepts interrupts again, as the
 * platform asked (a vector was pending while IF was clear); the next
 * entry injects it. Nothing else to do.
 */
void exit_interrupt_window(struct vcpu *v);

/*
 * exit_fatal: an exit the guest cannot go on from (a triple fault, a
 * failed VM entry, an internal error of the platform, an access to memory
 * the host cannot serve, an exit kind pvhv does not know). Crashes (v)'s
 * domain alone, with the reason (printf-style, naming the vCPU and what
 * it did) and (v)'s registers.
 */
void exit_fatal(struct vcpu *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * exit_run_failed: as exit_fatal, when the platform could not run (v) at
 * all (on KVM: KVM_RUN returned an error other than an interruption), so
 * that no exit is counted.
 */
void exit_run_failed(struct vcpu *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* PVHV_CORE_EXITS_H */
