/* SPDX-License-Identifier: MIT */
/* hypercall.c: the hypercall table, a row per Xen number, and its dispatcher.
 */
#include <stdatomic.h>
#include <string.h>

#include "pvabi/errno.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/grant_table.h"
#include "core/hypercall.h"
#include "core/hypercall_compat.h"
#include "core/time.h"

/*
 * Every hypercall Xen defines, indexed by its number, with the argument
 * count of its Xen signature. A row without a handler answers -XEN_ENOSYS:
 * the (PV) ones because PVH guests own their page tables and traps, the
 * others until pvhv serves them. Number 11 is unassigned in Xen.
 */
static const struct hypercall hypercall_table[XEN_HYPERCALL_MAX] = {
    [__HYPERVISOR_set_trap_table] = {"set_trap_table", NULL, 1},
    [__HYPERVISOR_mmu_update] = {"mmu_update", NULL, 4},
    [__HYPERVISOR_set_gdt] = {"set_gdt", NULL, 2},
    [__HYPERVISOR_stack_switch] = {"stack_switch", NULL, 2},
    [__HYPERVISOR_set_callbacks] = {"set_callbacks", NULL, 3},
    [__HYPERVISOR_fpu_taskswitch] = {"fpu_taskswitch", NULL, 1},
    [__HYPERVISOR_sched_op_compat] = {"sched_op_compat", NULL, 2},
    [__HYPERVISOR_platform_op] = {"platform_op", NULL, 1},
    [__HYPERVISOR_set_debugreg] = {"set_debugreg", NULL, 2},
    [__HYPERVISOR_get_debugreg] = {"get_debugreg", NULL, 1},
    [__HYPERVISOR_update_descriptor] = {"update_descriptor", NULL, 2},
    [__HYPERVISOR_memory_op] = {"memory_op", do_memory_op, 2},
    [__HYPERVISOR_multicall] = {"multicall", NULL, 2},
    [__HYPERVISOR_update_va_mapping] = {"update_va_mapping", NULL, 3},
    [__HYPERVISOR_set_timer_op] = {"set_timer_op", do_set_timer_op, 1},
    [__HYPERVISOR_event_channel_op_compat] = {"event_channel_op_compat", NULL,
                                              1},
    [__HYPERVISOR_xen_version] = {"xen_version", do_xen_version, 2},
    [__HYPERVISOR_console_io] = {"console_io", do_console_io, 3},
    [__HYPERVISOR_physdev_op_compat] = {"physdev_op_compat", NULL, 1},
    [__HYPERVISOR_grant_table_op] = {"grant_table_op", do_grant_table_op, 3},
    [__HYPERVISOR_vm_assist] = {"vm_assist", do_vm_assist, 2},
    [__HYPERVISOR_update_va_mapping_otherdomain] =
        {"update_va_mapping_otherdomain", NULL, 4},
    [__HYPERVISOR_iret] = {"iret", NULL, 0},
    [__HYPERVISOR_vcpu_op] = {"vcpu_op", do_vcpu_op, 3},
    [__HYPERVISOR_set_segment_base] = {"set_segment_base", NULL, 2},
    [__HYPERVISOR_mmuext_op] = {"mmuext_op", NULL, 4},
    [__HYPERVISOR_xsm_op] = {"xsm_op", NULL, 1},
    [__HYPERVISOR_nmi_op] = {"nmi_op", NULL, 2},
    [__HYPERVISOR_sched_op] = {"sched_op", do_sched_op, 2},
    [__HYPERVISOR_callback_op] = {"callback_op", NULL, 2},
    [__HYPERVISOR_xenoprof_op] = {"xenoprof_op", NULL, 2},
    [__HYPERVISOR_event_channel_op] = {"event_channel_op", do_event_channel_op,
                                       2},
    [__HYPERVISOR_physdev_op] = {"physdev_op", NULL, 2},
    [__HYPERVISOR_hvm_op] = {"hvm_op", do_hvm_op, 2},
    [__HYPERVISOR_sysctl] = {"sysctl", NULL, 1},
    [__HYPERVISOR_domctl] = {"domctl", NULL, 1},
    [__HYPERVISOR_kexec_op] = {"kexec_op", NULL, 2},
    [__HYPERVISOR_tmem_op] = {"tmem_op", NULL, 1},
    [__HYPERVISOR_argo_op] = {"argo_op", NULL, 5},
    [__HYPERVISOR_xenpmu_op] = {"xenpmu_op", NULL, 2},
    [__HYPERVISOR_dm_op] = {"dm_op", NULL, 3},
    [__HYPERVISOR_hypfs_op] = {"hypfs_op", NULL, 5},
    /* Architecture-specific numbers; their signatures vary. */
    [__HYPERVISOR_arch_0 + 0] = {"arch_0", NULL, 5},
    [__HYPERVISOR_arch_0 + 1] = {"arch_1", NULL, 5},
    [__HYPERVISOR_arch_0 + 2] = {"arch_2", NULL, 5},
    [__HYPERVISOR_arch_0 + 3] = {"arch_3", NULL, 5},
    [__HYPERVISOR_arch_0 + 4] = {"arch_4", NULL, 5},
    [__HYPERVISOR_arch_0 + 5] = {"arch_5", NULL, 5},
    [__HYPERVISOR_arch_0 + 6] = {"arch_6", NULL, 5},
    [__HYPERVISOR_arch_7] = {"arch_7", NULL, 5},
};

const struct hypercall *hypercall_lookup(uint64_t nr)
{
    if (nr >= XEN_HYPERCALL_MAX || !hypercall_table[nr].fn)
        return NULL;
    return &hypercall_table[nr];
}

/*
 * The hot path: one bounds check, two relaxed counter increments (the
 * counters are statistics, ordered with nothing), one predictable branch
 * for 32-bit callers (their translation is out of line), one indirect
 * call, one compare for a continuation. No lock, no allocation.
 */
long hypercall_dispatch(struct vcpu *v, uint64_t nr, uint64_t arg[5])
{
    struct domain *d = v->domain;
    hypercall_fn fn;
    long rc;

    atomic_fetch_add_explicit(&d->hypercalls, 1, memory_order_relaxed);
    if (nr >= XEN_HYPERCALL_MAX)
        return -XEN_ENOSYS;
    atomic_fetch_add_explicit(&d->hypercall_count[nr], 1, memory_order_relaxed);
    /* Only the guest kernel may call; Xen refuses user mode the same way. */
    if (v->ctx.cpl != 0)
        return -XEN_EPERM;
    fn = hypercall_table[nr].fn;
    if (!fn)
        return -XEN_ENOSYS;
    if (__builtin_expect(v->ctx.compat, 0))
        rc = hypercall_compat(v, nr, arg, fn);
    else
        rc = fn(v, arg);
    if (__builtin_expect(rc == HYPERCALL_CONTINUE, 0))
        memcpy(arg, v->hypercall_next, sizeof(v->hypercall_next));
    return rc;
}
