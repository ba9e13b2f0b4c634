/* SPDX-License-Identifier: MIT */
/* hypercall.h: calling the hypervisor through the hypercall page. */
#ifndef PVGUEST_HYPERCALL_H
#define PVGUEST_HYPERCALL_H

#include <stdint.h>

#include <pvabi/errno.h>
#include <pvabi/xen.h>

/*
 * The hypercall page: one page of the image, page-aligned, that the
 * hypervisor fills with XEN_HYPERCALL_MAX stubs of XEN_HYPERCALL_STUB_SIZE
 * bytes when the guest writes its address to the MSR that CPUID leaf +2
 * names (hypercall_init(), at boot, before main()).
 */
extern uint8_t hypercall_page[XEN_PAGE_SIZE];

/*
 * _hypercall5(nr, a1, a2, a3, a4, a5): calls hypercall (nr) with up to
 * five arguments (pass 0 for unused ones). Returns the hypervisor's
 * result: >= 0 on success, -XEN_Exxx on failure; -XEN_ENOSYS without a
 * call for a number that has no stub in the page.
 *
 * x86-64 convention: arguments in %rdi, %rsi, %rdx, %r10, %r8, result in
 * %rax; the stub may clobber the argument registers, so they are in-out
 * operands here. "memory": the hypervisor reads and writes guest buffers.
 */
static inline long _hypercall5(unsigned int nr, unsigned long a1,
                               unsigned long a2, unsigned long a3,
                               unsigned long a4, unsigned long a5)
{
    register unsigned long r10 __asm__("r10") = a4;
    register unsigned long r8 __asm__("r8") = a5;
    unsigned long ret;

    if (nr >= XEN_HYPERCALL_MAX)
        return -XEN_ENOSYS;
    ret = (unsigned long)hypercall_page + nr * XEN_HYPERCALL_STUB_SIZE;
    __asm__ volatile("call *%%rax"
                     : "+a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10),
                       "+r"(r8)
                     :
                     : "rcx", "r11", "memory", "cc");
    return (long)ret;
}

/* console_io(cmd, count, buf): CONSOLEIO_write (count) bytes at (buf). */
static inline long HYPERVISOR_console_io(int cmd, int count, const char *buf)
{
    return _hypercall5(__HYPERVISOR_console_io, (unsigned long)cmd,
                       (unsigned long)count, (unsigned long)buf, 0, 0);
}

/* xen_version(cmd, arg): XENVER_* queries; see <pvabi/version.h>. */
static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
    return _hypercall5(__HYPERVISOR_xen_version, (unsigned long)cmd,
                       (unsigned long)arg, 0, 0, 0);
}

/* sched_op(cmd, arg): SCHEDOP_*; see <pvabi/sched.h>. */
static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
    return _hypercall5(__HYPERVISOR_sched_op, (unsigned long)cmd,
                       (unsigned long)arg, 0, 0, 0);
}

/* memory_op(cmd, arg): XENMEM_*; see <pvabi/memory.h>. */
static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
    return _hypercall5(__HYPERVISOR_memory_op, cmd, (unsigned long)arg, 0, 0,
                       0);
}

/* event_channel_op(cmd, arg): EVTCHNOP_*; see <pvabi/event_channel.h>. */
static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
    return _hypercall5(__HYPERVISOR_event_channel_op, (unsigned long)cmd,
                       (unsigned long)arg, 0, 0, 0);
}

/* hvm_op(cmd, arg): HVMOP_set_param / get_param; see <pvabi/hvm.h>. */
static inline long HYPERVISOR_hvm_op(int cmd, void *arg)
{
    return _hypercall5(__HYPERVISOR_hvm_op, (unsigned long)cmd,
                       (unsigned long)arg, 0, 0, 0);
}

/* vcpu_op(cmd, vcpuid, arg): VCPUOP_*; see <pvabi/vcpu.h>. */
static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpuid, void *arg)
{
    return _hypercall5(__HYPERVISOR_vcpu_op, (unsigned long)cmd, vcpuid,
                       (unsigned long)arg, 0, 0);
}

/*
 * grant_table_op(cmd, ops, count): GNTTABOP_* on an array of (count)
 * structs; see <pvabi/grant_table.h>.
 */
static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *ops,
                                             unsigned int count)
{
    return _hypercall5(__HYPERVISOR_grant_table_op, cmd, (unsigned long)ops,
                       count, 0, 0);
}

/*
 * set_timer_op(deadline_ns): VIRQ_TIMER fires on the calling vCPU at
 * system time (deadline_ns); 0 cancels the timer.
 */
static inline long HYPERVISOR_set_timer_op(uint64_t deadline_ns)
{
    return _hypercall5(__HYPERVISOR_set_timer_op, deadline_ns, 0, 0, 0, 0);
}

/*
 * hypercall_ready(): 1 once the hypercall page has been filled, 0 before
 * (early boot, or no Xen-compatible hypervisor found).
 */
int hypercall_ready(void);

/*
 * xen_cpuid(leaf, regs): runs CPUID on the hypervisor's leaf base + (leaf)
 * and stores EAX, EBX, ECX, EDX in (regs). Returns 0, or -XEN_ENOENT when
 * no Xen signature was found or (leaf) is above the highest leaf.
 */
int xen_cpuid(unsigned int leaf, uint32_t regs[4]);

#endif /* PVGUEST_HYPERCALL_H */
