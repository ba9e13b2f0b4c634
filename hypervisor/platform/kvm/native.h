/* SPDX-License-Identifier: MIT */
/* native.h: the native-mode self-test: what it sees, how it is judged. */
#ifndef PVHV_PLATFORM_KVM_NATIVE_H
#define PVHV_PLATFORM_KVM_NATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kvm_platform;

/*
 * What the probe guest does, in 64-bit long mode with the PV area
 * registered and U/S set in every page-table entry:
 *   1. cpuid(0x40000000), then an exit with the registers it got;
 *   2. NATIVE_PROBE_LOOP iterations of `dec; jnz`, then an exit;
 *   3. a byte write to NATIVE_PROBE_FAULT_ADDR, which no entry maps: the
 *      #PF handler exits with the vector, the error code and cr2.
 */
#define NATIVE_PROBE_LOOP 256
#define NATIVE_PROBE_FAULT_ADDR 0x400000000ULL
/* The error code of a CPL-0 write to a not-present page. */
#define NATIVE_PROBE_FAULT_ERROR 0x2ULL

/* What the probe saw. A phase not reached keeps its _done false. */
struct native_probe {
    bool started;    /* the host took the PV area: native mode is on */
    char setup[128]; /* why the probe could not start, if it did not */
    bool cpuid_done;
    uint32_t cpuid_ebx, cpuid_ecx, cpuid_edx;
    bool loop_done;
    bool loop_counted;      /* the host has the insn_emulation statistic */
    uint64_t loop_emulated; /* instructions emulated during the loop */
    bool fault_done;
    uint32_t fault_vector;
    uint64_t fault_error, fault_cr2;
    char end[96]; /* how the guest stopped, if not at its end */
    uint64_t ns;  /* what the probe cost, VM creation included */
};

/*
 * native_probe_run: runs the probe guest in a throw-away VM of (p) and
 * fills (o). Never fails: what went wrong is in (o).
 */
void native_probe_run(struct kvm_platform *p, struct native_probe *o);

/*
 * native_verdict: whether (o) proves native mode usable: CPUID trapped
 * to the table pvhv set, the loop did not run emulated, and the page
 * fault arrived as the architecture says. Returns true, or false with
 * (why) saying plainly what failed.
 */
bool native_verdict(const struct native_probe *o, char *why, size_t len);

/*
 * native_inject: makes (o) the probe result of (p), as if the probe had
 * seen it, before first use; for tests that force either outcome.
 */
void native_inject(struct kvm_platform *p, const struct native_probe *o);

#endif /* PVHV_PLATFORM_KVM_NATIVE_H */
