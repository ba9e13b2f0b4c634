/* SPDX-License-Identifier: MIT */
/* acpi.h: building the ACPI tables that describe a domain's interrupt
 * controllers (layouts: pvabi/acpi.h). */
#ifndef PVHV_CORE_ACPI_H
#define PVHV_CORE_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct domain;
struct guest_ram;

#define ACPI_MAX_CPUS 255 /* APIC IDs 0 to 254; 0xff is broadcast */
#define ACPI_MAX_OVERRIDES 16

/* An I/O APIC of the MADT, and an ISA IRQ it routes elsewhere. */
struct acpi_ioapic {
    uint8_t id;
    uint32_t address;
    uint32_t gsi_base;
};

struct acpi_irq_override {
    uint8_t source; /* ISA IRQ */
    uint32_t gsi;
    uint16_t flags; /* MPS INTI flags: polarity 1:0, trigger 3:2 */
};

/*
 * What the tables describe: (nr_cpus) processors, each with an enabled
 * local APIC whose ID and ACPI processor UID are its index, at
 * (lapic_address) (0: ACPI_LAPIC_DEFAULT_ADDRESS); optionally one I/O
 * APIC and interrupt source overrides; (pcat_compat) when 8259 PICs are
 * there too. The FADT is always hardware-reduced.
 */
struct acpi_config {
    unsigned int nr_cpus;
    uint32_t lapic_address;
    const struct acpi_ioapic *ioapic; /* NULL: none */
    const struct acpi_irq_override *overrides;
    unsigned int nr_overrides;
    bool pcat_compat;
};

/*
 * acpi_tables_size: the bytes acpi_tables_build writes for (cfg).
 * acpi_tables_build: the RSDP, XSDT, FADT, DSDT and MADT for (cfg), one
 * after the other from the start of (buf) (len bytes), which the guest
 * sees at guest-physical (gpa), 16-byte aligned; the RSDP comes first, at
 * (gpa). Returns 0, -EINVAL (a bad (cfg) or (gpa), err saying which) or
 * -ENOSPC (len too small).
 */
size_t acpi_tables_size(const struct acpi_config *cfg);
int acpi_tables_build(const struct acpi_config *cfg, void *buf, size_t len,
                      uint64_t gpa, struct pvhv_error *err);

/*
 * acpi_domain_tables: the tables of a PV domain with (nr_cpus) vCPUs,
 * each with a local APIC, written into (d)'s RAM at (gpa), (len) bytes
 * reserved there, and named in the hvm_start_info at (start_info)
 * (rsdp_paddr). acpi_domain_pages: the pages they take. Returns 0 or
 * -errno as acpi_tables_build.
 */
unsigned int acpi_domain_pages(unsigned int nr_cpus);
int acpi_domain_tables(struct domain *d, unsigned int nr_cpus, uint64_t gpa,
                       uint64_t len, uint64_t start_info,
                       struct pvhv_error *err);

#endif /* PVHV_CORE_ACPI_H */
