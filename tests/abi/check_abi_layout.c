/* SPDX-License-Identifier: MIT */
/* check_abi_layout.c: pins ABI struct sizes, field offsets and numbers. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "pvabi/cpuid.h"
#include "pvabi/elfnote.h"
#include "pvabi/errno.h"
#include "pvabi/event_channel.h"
#include "pvabi/hvm.h"
#include "pvabi/memory.h"
#include "pvabi/pvhv.h"
#include "pvabi/sched.h"
#include "pvabi/start_info.h"
#include "pvabi/vcpu.h"
#include "pvabi/version.h"
#include "pvabi/xen.h"

/*
 * Expected values come from Xen's published x86-64 ABI, not from our
 * headers: a change here is an ABI break for every guest.
 */
struct pin {
    const char *what;
    uint64_t actual, expected;
};

#define PIN(expr, value) { #expr, (uint64_t)(expr), (value) }
#define SIZE(type, value) PIN(sizeof(type), value)
#define OFF(type, field, value) PIN(offsetof(type, field), value)

static const struct pin layout[] = {
    SIZE(domid_t, 2), SIZE(evtchn_port_t, 4), SIZE(xen_ulong_t, 8),
    SIZE(xen_pfn_t, 8),
    SIZE(struct vcpu_time_info, 32),
    OFF(struct vcpu_time_info, version, 0),
    OFF(struct vcpu_time_info, tsc_timestamp, 8),
    OFF(struct vcpu_time_info, system_time, 16),
    OFF(struct vcpu_time_info, tsc_to_system_mul, 24),
    OFF(struct vcpu_time_info, tsc_shift, 28),
    OFF(struct vcpu_time_info, flags, 29),
    SIZE(struct arch_vcpu_info, 16),
    SIZE(struct vcpu_info, 64),
    OFF(struct vcpu_info, evtchn_upcall_pending, 0),
    OFF(struct vcpu_info, evtchn_upcall_mask, 1),
    OFF(struct vcpu_info, evtchn_pending_sel, 8),
    OFF(struct vcpu_info, arch, 16),
    OFF(struct vcpu_info, time, 32),
    SIZE(struct arch_shared_info, 48),
    SIZE(struct shared_info, 3136),
    OFF(struct shared_info, vcpu_info, 0),
    OFF(struct shared_info, evtchn_pending, 2048),
    OFF(struct shared_info, evtchn_mask, 2560),
    OFF(struct shared_info, wc_version, 3072),
    OFF(struct shared_info, wc_sec, 3076),
    OFF(struct shared_info, wc_nsec, 3080),
    OFF(struct shared_info, wc_sec_hi, 3084),
    OFF(struct shared_info, arch, 3088),
    SIZE(struct multicall_entry, 64),
    OFF(struct multicall_entry, op, 0),
    OFF(struct multicall_entry, result, 8),
    OFF(struct multicall_entry, args, 16),
    SIZE(struct hvm_start_info, 56),
    OFF(struct hvm_start_info, magic, 0),
    OFF(struct hvm_start_info, version, 4),
    OFF(struct hvm_start_info, flags, 8),
    OFF(struct hvm_start_info, nr_modules, 12),
    OFF(struct hvm_start_info, modlist_paddr, 16),
    OFF(struct hvm_start_info, cmdline_paddr, 24),
    OFF(struct hvm_start_info, rsdp_paddr, 32),
    OFF(struct hvm_start_info, memmap_paddr, 40),
    OFF(struct hvm_start_info, memmap_entries, 48),
    OFF(struct hvm_start_info, reserved, 52),
    SIZE(struct hvm_modlist_entry, 32),
    OFF(struct hvm_modlist_entry, paddr, 0),
    OFF(struct hvm_modlist_entry, size, 8),
    OFF(struct hvm_modlist_entry, cmdline_paddr, 16),
    OFF(struct hvm_modlist_entry, reserved, 24),
    SIZE(struct hvm_memmap_table_entry, 24),
    OFF(struct hvm_memmap_table_entry, addr, 0),
    OFF(struct hvm_memmap_table_entry, size, 8),
    OFF(struct hvm_memmap_table_entry, type, 16),
    OFF(struct hvm_memmap_table_entry, reserved, 20),
    SIZE(struct sched_shutdown, 4),
    SIZE(struct sched_poll, 24),
    OFF(struct sched_poll, ports, 0),
    OFF(struct sched_poll, nr_ports, 8),
    OFF(struct sched_poll, timeout, 16),
    SIZE(struct sched_remote_shutdown, 8),
    OFF(struct sched_remote_shutdown, reason, 4),
    SIZE(struct xen_feature_info, 8),
    OFF(struct xen_feature_info, submap, 4),
    SIZE(struct xen_platform_parameters, 8),
    SIZE(struct xen_compile_info, 144),
    OFF(struct xen_compile_info, compile_by, 64),
    OFF(struct xen_compile_info, compile_domain, 80),
    OFF(struct xen_compile_info, compile_date, 112),
    SIZE(xen_extraversion_t, 16),
    SIZE(xen_capabilities_info_t, 1024),
    SIZE(xen_changeset_info_t, 64),
    SIZE(struct evtchn_alloc_unbound, 8),
    OFF(struct evtchn_alloc_unbound, remote_dom, 2),
    OFF(struct evtchn_alloc_unbound, port, 4),
    SIZE(struct evtchn_bind_interdomain, 12),
    OFF(struct evtchn_bind_interdomain, remote_port, 4),
    OFF(struct evtchn_bind_interdomain, local_port, 8),
    SIZE(struct evtchn_bind_virq, 12),
    OFF(struct evtchn_bind_virq, vcpu, 4),
    OFF(struct evtchn_bind_virq, port, 8),
    SIZE(struct evtchn_bind_pirq, 12),
    SIZE(struct evtchn_bind_ipi, 8),
    OFF(struct evtchn_bind_ipi, port, 4),
    SIZE(struct evtchn_close, 4),
    SIZE(struct evtchn_send, 4),
    SIZE(struct evtchn_status, 24),
    OFF(struct evtchn_status, port, 4),
    OFF(struct evtchn_status, status, 8),
    OFF(struct evtchn_status, vcpu, 12),
    OFF(struct evtchn_status, u, 16),
    OFF(struct evtchn_status, u.interdomain.port, 20),
    SIZE(struct evtchn_bind_vcpu, 8),
    OFF(struct evtchn_bind_vcpu, vcpu, 4),
    SIZE(struct evtchn_unmask, 4),
    SIZE(struct xen_add_to_physmap, 24),
    OFF(struct xen_add_to_physmap, size, 2),
    OFF(struct xen_add_to_physmap, space, 4),
    OFF(struct xen_add_to_physmap, idx, 8),
    OFF(struct xen_add_to_physmap, gpfn, 16),
    SIZE(struct xen_memory_map, 16),
    OFF(struct xen_memory_map, buffer, 8),
    SIZE(struct e820entry, 20),
    OFF(struct e820entry, size, 8),
    OFF(struct e820entry, type, 16),
    SIZE(struct xen_hvm_param, 16),
    OFF(struct xen_hvm_param, index, 4),
    OFF(struct xen_hvm_param, value, 8),
    SIZE(struct vcpu_set_periodic_timer, 8),
    SIZE(struct vcpu_set_singleshot_timer, 16),
    OFF(struct vcpu_set_singleshot_timer, flags, 8),
    SIZE(struct vcpu_register_vcpu_info, 16),
    OFF(struct vcpu_register_vcpu_info, offset, 8),
    OFF(struct vcpu_register_vcpu_info, rsvd, 12),
    SIZE(struct vcpu_hvm_x86_32, 120),
    OFF(struct vcpu_hvm_x86_32, efer, 56),
    OFF(struct vcpu_hvm_x86_32, cs_base, 64),
    OFF(struct vcpu_hvm_x86_32, cs_limit, 84),
    OFF(struct vcpu_hvm_x86_32, cs_ar, 104),
    SIZE(struct vcpu_hvm_x86_64, 112),
    OFF(struct vcpu_hvm_x86_64, rip, 64),
    OFF(struct vcpu_hvm_x86_64, efer, 104),
    SIZE(struct vcpu_hvm_context, 128),
    OFF(struct vcpu_hvm_context, cpu_regs, 8),
};

static const struct pin numbers[] = {
    PIN(PVABI_VERSION, 1),
    PIN(XEN_HYPERCALL_STUB_SIZE, 32), PIN(XEN_HYPERCALL_MAX, 128),
    PIN(EVTCHN_2L_NR_CHANNELS, 4096), PIN(XEN_LEGACY_MAX_VCPUS, 32),
    PIN(XEN_HVM_START_MAGIC_VALUE, 0x336ec578),
    PIN(XEN_HVM_MEMMAP_TYPE_RAM, 1), PIN(XEN_HVM_MEMMAP_TYPE_RESERVED, 2),
    PIN(XEN_ELFNOTE_PHYS32_ENTRY, 18),
    PIN(XEN_CPUID_FIRST_LEAF, 0x40000000),
    PIN(XEN_CPUID_SIGNATURE_EBX, 0x566e6558),
    PIN(XEN_CPUID_SIGNATURE_ECX, 0x65584d4d),
    PIN(XEN_CPUID_SIGNATURE_EDX, 0x4d4d566e),
    PIN(XEN_HVM_CPUID_VCPU_ID_PRESENT, 8), PIN(XEN_HVM_CPUID_DOMID_PRESENT, 16),
    PIN(PVHV_HYPERCALL_MSR, 0x40000000), PIN(PVHV_DEBUGCON_PORT, 0xe9),
    PIN(__HYPERVISOR_memory_op, 12), PIN(__HYPERVISOR_multicall, 13),
    PIN(__HYPERVISOR_set_timer_op, 15), PIN(__HYPERVISOR_xen_version, 17),
    PIN(__HYPERVISOR_console_io, 18), PIN(__HYPERVISOR_grant_table_op, 20),
    PIN(__HYPERVISOR_iret, 23), PIN(__HYPERVISOR_vcpu_op, 24),
    PIN(__HYPERVISOR_sched_op, 29), PIN(__HYPERVISOR_event_channel_op, 32),
    PIN(__HYPERVISOR_hvm_op, 34), PIN(__HYPERVISOR_hypfs_op, 42),
    PIN(__HYPERVISOR_arch_0, 48), PIN(__HYPERVISOR_arch_7, 55),
    PIN(CONSOLEIO_write, 0), PIN(CONSOLEIO_read, 1),
    PIN(XENVER_version, 0), PIN(XENVER_extraversion, 1),
    PIN(XENVER_compile_info, 2), PIN(XENVER_capabilities, 3),
    PIN(XENVER_changeset, 4), PIN(XENVER_platform_parameters, 5),
    PIN(XENVER_get_features, 6), PIN(XENVER_pagesize, 7),
    PIN(XENFEAT_writable_page_tables, 0),
    PIN(XENFEAT_auto_translated_physmap, 2),
    PIN(XENFEAT_hvm_callback_vector, 8),
    PIN(SCHEDOP_yield, 0), PIN(SCHEDOP_block, 1), PIN(SCHEDOP_shutdown, 2),
    PIN(SCHEDOP_poll, 3), PIN(SCHEDOP_remote_shutdown, 4),
    PIN(SCHEDOP_shutdown_code, 5), PIN(SCHEDOP_watchdog, 6),
    PIN(SCHEDOP_pin_override, 7),
    PIN(SHUTDOWN_poweroff, 0), PIN(SHUTDOWN_reboot, 1),
    PIN(SHUTDOWN_suspend, 2), PIN(SHUTDOWN_crash, 3),
    PIN(SHUTDOWN_watchdog, 4), PIN(SHUTDOWN_soft_reset, 5),
    PIN(SHUTDOWN_MAX, 5),
    PIN(XEN_EPERM, 1), PIN(XEN_ENOENT, 2), PIN(XEN_ESRCH, 3),
    PIN(XEN_EAGAIN, 11), PIN(XEN_ENOMEM, 12), PIN(XEN_EACCES, 13),
    PIN(XEN_EFAULT, 14), PIN(XEN_EBUSY, 16), PIN(XEN_EEXIST, 17),
    PIN(XEN_ENODEV, 19), PIN(XEN_EINVAL, 22), PIN(XEN_ENOSPC, 28),
    PIN(XEN_ENOSYS, 38), PIN(XEN_EOPNOTSUPP, 95),
    PIN(DOMID_FIRST_RESERVED, 0x7ff0), PIN(DOMID_SELF, 0x7ff0),
    PIN(DOMID_IO, 0x7ff1), PIN(DOMID_XEN, 0x7ff2), PIN(DOMID_COW, 0x7ff3),
    PIN(DOMID_INVALID, 0x7ff4), PIN(DOMID_ANY, 0x7ff5),
    PIN(DOMID_IDLE, 0x7fff),
    PIN(VIRQ_TIMER, 0), PIN(VIRQ_DEBUG, 1), PIN(VIRQ_CONSOLE, 2),
    PIN(VIRQ_DOM_EXC, 3), PIN(VIRQ_TBUF, 4), PIN(VIRQ_DEBUGGER, 6),
    PIN(VIRQ_XENOPROF, 7), PIN(VIRQ_CON_RING, 8), PIN(VIRQ_PCPU_STATE, 9),
    PIN(VIRQ_MEM_EVENT, 10), PIN(VIRQ_ARGO, 11), PIN(VIRQ_ENOMEM, 12),
    PIN(VIRQ_XENPMU, 13), PIN(NR_VIRQS, 24),
    PIN(EVTCHNOP_bind_interdomain, 0), PIN(EVTCHNOP_bind_virq, 1),
    PIN(EVTCHNOP_bind_pirq, 2), PIN(EVTCHNOP_close, 3),
    PIN(EVTCHNOP_send, 4), PIN(EVTCHNOP_status, 5),
    PIN(EVTCHNOP_alloc_unbound, 6), PIN(EVTCHNOP_bind_ipi, 7),
    PIN(EVTCHNOP_bind_vcpu, 8), PIN(EVTCHNOP_unmask, 9),
    PIN(EVTCHNOP_reset, 10), PIN(EVTCHNOP_init_control, 11),
    PIN(EVTCHNOP_expand_array, 12), PIN(EVTCHNOP_set_priority, 13),
    PIN(EVTCHNSTAT_closed, 0), PIN(EVTCHNSTAT_unbound, 1),
    PIN(EVTCHNSTAT_interdomain, 2), PIN(EVTCHNSTAT_pirq, 3),
    PIN(EVTCHNSTAT_virq, 4), PIN(EVTCHNSTAT_ipi, 5),
    PIN(EVTCHN_DEFAULT_MAX, 1023), PIN(EVTCHN_2L_MAX, 4095),
    PIN(XENMEM_increase_reservation, 0), PIN(XENMEM_decrease_reservation, 1),
    PIN(XENMEM_current_reservation, 3), PIN(XENMEM_maximum_reservation, 4),
    PIN(XENMEM_populate_physmap, 6), PIN(XENMEM_add_to_physmap, 7),
    PIN(XENMEM_memory_map, 9),
    PIN(XENMAPSPACE_shared_info, 0), PIN(XENMAPSPACE_grant_table, 1),
    PIN(XENMAPSPACE_gmfn, 2), PIN(XENMAPSPACE_gmfn_range, 3),
    PIN(XENMAPSPACE_gmfn_foreign, 4), PIN(XENMAPSPACE_dev_mmio, 5),
    PIN(HVMOP_set_param, 0), PIN(HVMOP_get_param, 1),
    PIN(HVMOP_set_evtchn_upcall_vector, 23),
    PIN(HVM_PARAM_CALLBACK_IRQ, 0), PIN(HVM_PARAM_CALLBACK_TYPE_VECTOR, 2),
    PIN(HVM_PARAM_STORE_PFN, 1), PIN(HVM_PARAM_STORE_EVTCHN, 2),
    PIN(HVM_PARAM_CONSOLE_PFN, 17), PIN(HVM_PARAM_CONSOLE_EVTCHN, 18),
    PIN(HVM_NR_PARAMS, 39),
    PIN(VCPUOP_initialise, 0), PIN(VCPUOP_up, 1), PIN(VCPUOP_down, 2),
    PIN(VCPUOP_is_up, 3), PIN(VCPUOP_get_runstate_info, 4),
    PIN(VCPUOP_set_periodic_timer, 6), PIN(VCPUOP_stop_periodic_timer, 7),
    PIN(VCPUOP_set_singleshot_timer, 8), PIN(VCPUOP_stop_singleshot_timer, 9),
    PIN(VCPUOP_register_vcpu_info, 10), PIN(VCPU_SSHOTTMR_future, 1),
    PIN(VCPU_HVM_MODE_32B, 0), PIN(VCPU_HVM_MODE_64B, 1),
};

static unsigned int check(const char *table, const struct pin *p, size_t n)
{
    unsigned int bad = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (p[i].actual == p[i].expected)
            continue;
        printf("MISMATCH %s: %s is %llu, the ABI says %llu\n", table,
               p[i].what, (unsigned long long)p[i].actual,
               (unsigned long long)p[i].expected);
        bad++;
    }
    return bad;
}

int main(void)
{
    size_t nl = sizeof(layout) / sizeof(layout[0]);
    size_t nn = sizeof(numbers) / sizeof(numbers[0]);
    unsigned int bad = check("layout", layout, nl) +
                       check("numbers", numbers, nn);

    printf("%zu layout and %zu number pins checked, %u mismatches\n", nl, nn,
           bad);
    return bad ? EXIT_FAILURE : EXIT_SUCCESS;
}
