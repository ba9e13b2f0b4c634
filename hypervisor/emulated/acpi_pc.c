/* SPDX-License-Identifier: MIT */
/*
 * acpi_pc.c: an hvm domain's ACPI tables, at 0xe0000 in the BIOS area:
 * the MADT names its CPUs (a LAPIC each), the I/O APIC and the 8259s
 * (PCAT_COMPAT), as the MP tables at 0xf0000 do. A guest finds the RSDP
 * by the spec's scan of 0xe0000-0xfffff, or, booted the PVH way, through
 * hvm_start_info.rsdp_paddr.
 */
#include <errno.h>

#include "core/acpi.h"
#include "core/domain.h"
#include "core/multiboot.h"
#include "emulated/emulated.h"
#include "emulated/mptable.h"
#include "pvabi/start_info.h"

#define ACPI_PC_GPA 0xe0000

int acpi_pc_write(struct domain *d)
{
    /* ISA lines reach the I/O APIC's pins of the same number (KVM's
     * default routing, as the MP tables say): no override. */
    const struct acpi_ioapic io = {
        .id = (uint8_t)d->nr_vcpus,
        .address = MPTABLE_IOAPIC,
        .gsi_base = 0,
    };
    const struct acpi_config cfg = {
        .nr_cpus = d->nr_vcpus,
        .ioapic = &io,
        .pcat_compat = true,
    };
    size_t size = acpi_tables_size(&cfg);
    uint8_t *p = guest_ram_data(&d->ram, ACPI_PC_GPA, size);
    struct hvm_start_info *si;
    struct pvhv_error err;

    for (size_t i = 0; p && i < size; i++)
        if (p[i])
            p = NULL;
    if (!p || size > MPTABLE_GPA - ACPI_PC_GPA) {
        domain_note(d, "no ACPI tables: guest-physical 0x%x is not free RAM",
                    ACPI_PC_GPA);
        return -ENOSPC;
    }
    if (acpi_tables_build(&cfg, p, size, ACPI_PC_GPA, &err) < 0) {
        domain_note(d, "no ACPI tables: %s", err.msg);
        return -EINVAL;
    }
    si = d->boot_eax == MULTIBOOT_BOOTLOADER_MAGIC
             ? NULL
             : guest_ram_ptr(&d->ram, d->start_info, sizeof(*si));
    if (si && si->magic == XEN_HVM_START_MAGIC_VALUE)
        si->rsdp_paddr = ACPI_PC_GPA; /* the RSDP comes first */
    return 0;
}
