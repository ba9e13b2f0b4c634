/* SPDX-License-Identifier: MIT */
/* vcpu.h: vcpu_op(cmd, vcpuid, arg): vCPU bring-up, timers, vcpu_info. */
#ifndef PVABI_VCPU_H
#define PVABI_VCPU_H

#include <stdint.h>

/*
 * VCPUOP_initialise: IN struct vcpu_hvm_context; the state <vcpuid> starts
 * in when brought up. -EEXIST: it already runs; -EINVAL: bad mode.
 * Every sub-op: -ENOENT when <vcpuid> is not a vCPU of the domain.
 */
#define VCPUOP_initialise 0

/* VCPUOP_up: starts an initialised vCPU. -EINVAL: never initialised. */
#define VCPUOP_up 1

/* VCPUOP_down: stops <vcpuid> (the caller itself) until VCPUOP_up. */
#define VCPUOP_down 2

/* VCPUOP_is_up: returns 1 if <vcpuid> runs, 0 if not. */
#define VCPUOP_is_up 3

#define VCPUOP_get_runstate_info 4

/*
 * struct vcpu_runstate_info: how long <vcpuid> spent in each RUNSTATE_*
 * (ns of system time), the state it is in and since when. time[] sums to
 * state_entry_time: every ns since system time 0 is in one state.
 * XEN_RUNSTATE_UPDATE: set in state_entry_time while the hypervisor
 * rewrites the area (after vm_assist(VMASST_TYPE_runstate_update_flag)).
 */
#define RUNSTATE_running 0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked 2
#define RUNSTATE_offline 3
#define XEN_RUNSTATE_UPDATE (1ULL << 63)
struct vcpu_runstate_info {
    int state;
    uint64_t state_entry_time;
    uint64_t time[4];
};

/*
 * VCPUOP_register_runstate_memory_area: IN struct
 * vcpu_register_runstate_memory_area, the guest-virtual address of a
 * struct vcpu_runstate_info kept up to date for <vcpuid> at each
 * transition (run, block, wake, down). 0 stops the updates. -EFAULT: the
 * address is not mapped to RAM (translated once, at registration).
 */
#define VCPUOP_register_runstate_memory_area 5
struct vcpu_register_runstate_memory_area {
    uint64_t addr;
};

/*
 * VCPUOP_stop_periodic_timer: 0 (pvhv runs no periodic timer; Linux calls
 * it before using the single-shot timer). VCPUOP_set_periodic_timer: not
 * served (-ENOSYS).
 */
#define VCPUOP_set_periodic_timer 6
#define VCPUOP_stop_periodic_timer 7
struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};

/*
 * VCPUOP_set_singleshot_timer: IN struct vcpu_set_singleshot_timer; at
 * system time <timeout_abs_ns> VIRQ_TIMER fires on <vcpuid> (the caller).
 * With VCPU_SSHOTTMR_future, a time already past returns -ETIME.
 * VCPUOP_stop_singleshot_timer: cancels it.
 */
#define VCPUOP_set_singleshot_timer 8
#define VCPUOP_stop_singleshot_timer 9
struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;
    uint32_t flags;
};
#define VCPU_SSHOTTMR_future (1U << 0)

/*
 * VCPUOP_register_vcpu_info: IN struct vcpu_register_vcpu_info; moves
 * <vcpuid>'s struct vcpu_info to guest frame <mfn> at <offset>, which
 * must not cross a page. Once per vCPU (-EINVAL after).
 */
#define VCPUOP_register_vcpu_info 10
struct vcpu_register_vcpu_info {
    uint64_t mfn;
    uint32_t offset;
    uint32_t rsvd;
};

/*
 * VCPUOP_register_vcpu_time_memory_area: IN struct
 * vcpu_register_time_memory_area, the guest-virtual address of a second
 * struct vcpu_time_info for <vcpuid>, written whenever the one in its
 * vcpu_info is (same values, same version protocol). 0 stops it.
 * -EFAULT: not mapped to RAM (translated once, at registration).
 */
#define VCPUOP_register_vcpu_time_memory_area 13
struct vcpu_register_time_memory_area {
    uint64_t addr;
};

/* The state VCPUOP_initialise sets (Xen's hvm/hvm_vcpu.h layout). */
struct vcpu_hvm_x86_32 {
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi, eip, eflags;
    uint32_t cr0, cr3, cr4;
    uint32_t pad1;
    uint64_t efer;
    uint32_t cs_base, ds_base, ss_base, es_base, tr_base;
    uint32_t cs_limit, ds_limit, ss_limit, es_limit, tr_limit;
    uint16_t cs_ar, ds_ar, ss_ar, es_ar, tr_ar;
    uint16_t pad2[3];
};

/* 64-bit mode: flat segments, long mode as cr0/cr4/efer say. */
struct vcpu_hvm_x86_64 {
    uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, rip, rflags;
    uint64_t cr0, cr3, cr4, efer;
};

struct vcpu_hvm_context {
#define VCPU_HVM_MODE_32B 0
#define VCPU_HVM_MODE_64B 1
    uint32_t mode;
    uint32_t pad;
    union {
        struct vcpu_hvm_x86_32 x86_32;
        struct vcpu_hvm_x86_64 x86_64;
    } cpu_regs;
};

#endif /* PVABI_VCPU_H */
