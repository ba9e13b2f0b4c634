/* SPDX-License-Identifier: MIT */
/* enosys.c: unknown hypercalls and sub-ops, and PV-only calls: -ENOSYS. */

#include "../testguest.h"

static void check_enosys(const char *what, long rc)
{
    check_result(what, rc, -XEN_ENOSYS);
}

static void unknown_numbers(void)
{
    check_enosys("hypercall 11 (unassigned)", _hypercall5(11, 0, 0, 0, 0, 0));
    check_enosys("hypercall 60 (unassigned)", _hypercall5(60, 0, 0, 0, 0, 0));
    check_enosys("hypercall 127 (last stub)", _hypercall5(127, 1, 2, 3, 4, 5));
}

static void unknown_subops(void)
{
    char buf[16];

    check_enosys("xen_version(99)", HYPERVISOR_xen_version(99, NULL));
    check_enosys("sched_op(99)", HYPERVISOR_sched_op(99, NULL));
    check_enosys("console_io(99)", HYPERVISOR_console_io(99, 0, NULL));
    check_enosys("console_io(CONSOLEIO_read)",
                 HYPERVISOR_console_io(CONSOLEIO_read, sizeof(buf), buf));
}

/* Classic PV MMU and trap calls: a PVH guest owns its page tables. */
static void pv_only_calls(void)
{
    uint64_t req[2] = {0, 0};
    unsigned int done = 0;

    check_enosys("mmu_update",
                 _hypercall5(__HYPERVISOR_mmu_update, (unsigned long)req, 1,
                             (unsigned long)&done, DOMID_SELF, 0));
    check_enosys("set_trap_table",
                 _hypercall5(__HYPERVISOR_set_trap_table, 0, 0, 0, 0, 0));
    check_enosys(
        "update_va_mapping",
        _hypercall5(__HYPERVISOR_update_va_mapping, 0x200000, 0, 0, 0, 0));
}

int main(void)
{
    unknown_numbers();
    unknown_subops();
    pv_only_calls();
    puts("SUCCESS");
    return 0;
}
