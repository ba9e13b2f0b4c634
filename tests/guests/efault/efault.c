/* SPDX-License-Identifier: MIT */
/* efault.c: hypercalls given bad guest buffers answer -EFAULT, and live on. */

#include "../testguest.h"

#define UNMAPPED (1UL << 40)              /* far above this domain's RAM */
#define ABOVE_4G 0x400000000UL            /* not mapped, not RAM */
#define NONCANONICAL 0x8000000000000000UL /* not an address at all */

static void check_efault(const char *what, long rc)
{
    check_result(what, rc, -XEN_EFAULT);
}

/*
 * The first guest-physical address past the domain's memory: the end of
 * the highest RAM entry, extended over any map entry that starts right
 * there (pages the hypervisor placed above RAM and marked reserved).
 */
static uint64_t memory_end(void)
{
    const struct hvm_memmap_table_entry *map;
    unsigned int n, i;
    uint64_t end = 0;
    int grown = 1;

    map = pvguest_memmap(&n);
    for (i = 0; i < n; i++)
        if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM &&
            map[i].addr + map[i].size > end)
            end = map[i].addr + map[i].size;
    while (grown) {
        grown = 0;
        for (i = 0; i < n; i++)
            if (map[i].addr == end && map[i].size > 0) {
                end += map[i].size;
                grown = 1;
            }
    }
    return end;
}

static void console_io_buffers(void)
{
    static const char msg[] = "efault: a good buffer works\n";
    uint64_t end = memory_end();

    if (end == 0)
        test_abort("no RAM in the memory map");
    printf("efault: memory ends at 0x%lx\n", (unsigned long)end);
    check_result("console_io(write, good buffer)",
                 HYPERVISOR_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg),
                 0);
    check_efault("console_io(write, 1<<40)",
                 HYPERVISOR_console_io(CONSOLEIO_write, 16, (char *)UNMAPPED));
    check_efault("console_io(write, 0x400000000)",
                 HYPERVISOR_console_io(CONSOLEIO_write, 16, (char *)ABOVE_4G));
    check_efault(
        "console_io(write, non-canonical)",
        HYPERVISOR_console_io(CONSOLEIO_write, 16, (char *)NONCANONICAL));
    check_efault("console_io(write, straddling the end of memory)",
                 HYPERVISOR_console_io(CONSOLEIO_write, 16,
                                       (char *)(uintptr_t)(end - 8)));
}

static void version_and_shutdown(void)
{
    xen_extraversion_t extra;

    check_result("xen_version(extraversion, good buffer)",
                 HYPERVISOR_xen_version(XENVER_extraversion, extra), 0);
    check_efault("xen_version(extraversion, 1<<40)",
                 HYPERVISOR_xen_version(XENVER_extraversion, (void *)UNMAPPED));
    check_efault(
        "xen_version(extraversion, non-canonical)",
        HYPERVISOR_xen_version(XENVER_extraversion, (void *)NONCANONICAL));
    /* A bad argument must not shut the domain down: we print SUCCESS after. */
    check_efault("sched_op(shutdown, 1<<40)",
                 HYPERVISOR_sched_op(SCHEDOP_shutdown, (void *)UNMAPPED));
}

int main(void)
{
    console_io_buffers();
    version_and_shutdown();
    puts("SUCCESS");
    return 0;
}
