/* SPDX-License-Identifier: MIT */
/* kvm.h: KVM state behind the platform's opaque types. */
#ifndef PVHV_PLATFORM_KVM_KVM_H
#define PVHV_PLATFORM_KVM_KVM_H

#include <linux/kvm.h>
#include <stdint.h>

#include "platform/platform.h"

struct platform {
    int kvm_fd;
    int vcpu_mmap_size;
    struct kvm_cpuid2 *cpuid;   /* host-supported leaves, Xen leaves added */
    int kick_signal;            /* makes a vCPU thread leave KVM_RUN */
};

struct platform_vm {
    int vm_fd;
    int mem_fd;                 /* guest RAM: one memfd */
    int special_fd;             /* PLATFORM_SPECIAL_PAGES hypervisor pages */
    uint8_t *special;           /* their host mapping */
    uint8_t *grant_window;      /* memslot 2: PVHV_GRANT_WINDOW_SIZE */
    struct platform *p;
};

struct platform_vcpu {
    int fd;
    struct kvm_run *run;
    struct platform *p;
};

/* kvm_cpuid_set: gives vCPU (v) its CPUID table (Xen leaves filled). */
int kvm_cpuid_set(struct vcpu *v, struct pvhv_error *err);

/* kvm_hypercall_page_fill: writes the 32-byte stubs at guest page (gpa). */
int kvm_hypercall_page_fill(struct domain *d, uint64_t gpa);

/*
 * kvm_msr: reads (KVM_GET_MSRS) or writes (KVM_SET_MSRS) one MSR (index)
 * of the vCPU (fd) through (val). Returns 0 or -1.
 */
int kvm_msr(int fd, unsigned long req, uint32_t index, uint64_t *val);

/* kvm_native_setup: turns native mode on for (v) if asked and offered. */
void kvm_native_setup(struct vcpu *v);

/* kvm_set_boot_state: PVH entry state (32-bit protected mode, %ebx). */
int kvm_set_boot_state(struct vcpu *v, struct pvhv_error *err);

#endif /* PVHV_PLATFORM_KVM_KVM_H */
