/* SPDX-License-Identifier: MIT */
/* acpi.c: the ACPI tables (RSDP, XSDT, FADT, DSDT, MADT) of a domain. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "core/acpi.h"
#include "core/domain.h"
#include "core/guest_memory.h"
#include "pvabi/acpi.h"
#include "pvabi/start_info.h"

#define OEM_ID "PVHV  "         /* 6 bytes */
#define OEM_TABLE_ID "PVHVPVH " /* 8 bytes */
#define CREATOR_ID "PVHV"
#define TABLE_ALIGN 16
#define XSDT_ENTRIES 2 /* FADT, MADT */

#define ALIGN16(x) (((x) + TABLE_ALIGN - 1) & ~(size_t)(TABLE_ALIGN - 1))

/* Where each table goes, from the start of the buffer. */
struct layout {
    size_t rsdp, xsdt, fadt, dsdt, madt, madt_len, end;
};

static size_t madt_length(const struct acpi_config *cfg)
{
    return sizeof(struct acpi_madt) +
           cfg->nr_cpus * sizeof(struct acpi_madt_local_apic) +
           (cfg->ioapic ? sizeof(struct acpi_madt_io_apic) : 0) +
           cfg->nr_overrides * sizeof(struct acpi_madt_interrupt_override);
}

static struct layout plan(const struct acpi_config *cfg)
{
    struct layout l;

    l.rsdp = 0;
    l.xsdt = ALIGN16(l.rsdp + sizeof(struct acpi_rsdp));
    l.fadt = ALIGN16(l.xsdt + sizeof(struct acpi_table_header) +
                     XSDT_ENTRIES * sizeof(uint64_t));
    l.dsdt = ALIGN16(l.fadt + sizeof(struct acpi_fadt));
    l.madt = ALIGN16(l.dsdt + sizeof(struct acpi_table_header));
    l.madt_len = madt_length(cfg);
    l.end = l.madt + l.madt_len;
    return l;
}

size_t acpi_tables_size(const struct acpi_config *cfg)
{
    return plan(cfg).end;
}

static uint8_t sum(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t s = 0;

    while (len--)
        s += *b++;
    return s;
}

/* header: a table's header; its checksum is set last (seal). */
static void header(void *at, const char sig[4], size_t len, uint8_t revision)
{
    struct acpi_table_header h = {
        .length = (uint32_t)len,
        .revision = revision,
        .oem_revision = 1,
        .creator_revision = 1,
    };

    memcpy(h.signature, sig, 4);
    memcpy(h.oem_id, OEM_ID, sizeof(h.oem_id));
    memcpy(h.oem_table_id, OEM_TABLE_ID, sizeof(h.oem_table_id));
    memcpy(h.creator_id, CREATOR_ID, sizeof(h.creator_id));
    memcpy(at, &h, sizeof(h));
}

static void seal(void *at, size_t len)
{
    struct acpi_table_header *h = at;

    h->checksum = 0;
    h->checksum = (uint8_t)-sum(at, len);
}

static void write_rsdp(uint8_t *buf, const struct layout *l, uint64_t gpa)
{
    struct acpi_rsdp r = {
        .revision = ACPI_RSDP_REVISION,
        .length = sizeof(struct acpi_rsdp),
        .xsdt_address = gpa + l->xsdt,
    };

    memcpy(r.signature, ACPI_RSDP_SIGNATURE, sizeof(r.signature));
    memcpy(r.oem_id, OEM_ID, sizeof(r.oem_id));
    r.checksum = (uint8_t)-sum(&r, ACPI_RSDP_CHECKSUM_LEN);
    r.extended_checksum = (uint8_t)-sum(&r, sizeof(r));
    memcpy(buf + l->rsdp, &r, sizeof(r));
}

static void write_xsdt(uint8_t *buf, const struct layout *l, uint64_t gpa)
{
    const uint64_t entry[XSDT_ENTRIES] = {gpa + l->fadt, gpa + l->madt};
    size_t len = sizeof(struct acpi_table_header) + sizeof(entry);

    header(buf + l->xsdt, "XSDT", len, 1);
    memcpy(buf + l->xsdt + sizeof(struct acpi_table_header), entry,
           sizeof(entry));
    seal(buf + l->xsdt, len);
}

/*
 * No fixed hardware: no SCI, PM timer, GPE or PM1 blocks, no CMOS RTC,
 * VGA or 8042, so a guest probes none of their ports.
 */
static void write_fadt(uint8_t *buf, const struct layout *l, uint64_t gpa)
{
    struct acpi_fadt f;

    memset(&f, 0, sizeof(f));
    header(&f, "FACP", sizeof(f), ACPI_FADT_REVISION);
    f.dsdt = (uint32_t)(gpa + l->dsdt);
    f.x_dsdt = gpa + l->dsdt;
    f.flags = ACPI_FADT_HW_REDUCED_ACPI;
    f.iapc_boot_arch = ACPI_FADT_BOOT_NO_VGA | ACPI_FADT_BOOT_NO_CMOS_RTC;
    f.minor_revision = ACPI_FADT_MINOR_REVISION;
    seal(&f, sizeof(f));
    memcpy(buf + l->fadt, &f, sizeof(f));
}

static void write_dsdt(uint8_t *buf, const struct layout *l)
{
    header(buf + l->dsdt, "DSDT", sizeof(struct acpi_table_header),
           ACPI_DSDT_REVISION);
    seal(buf + l->dsdt, sizeof(struct acpi_table_header));
}

static void write_madt(uint8_t *buf, const struct layout *l,
                       const struct acpi_config *cfg)
{
    uint8_t *p = buf + l->madt + sizeof(struct acpi_madt);
    struct acpi_madt m;

    header(&m, "APIC", l->madt_len, ACPI_MADT_REVISION);
    m.lapic_address =
        cfg->lapic_address ? cfg->lapic_address : ACPI_LAPIC_DEFAULT_ADDRESS;
    m.flags = cfg->pcat_compat ? ACPI_MADT_PCAT_COMPAT : 0;
    memcpy(buf + l->madt, &m, sizeof(m));
    for (unsigned int i = 0; i < cfg->nr_cpus; i++) {
        struct acpi_madt_local_apic a = {
            .e = {ACPI_MADT_TYPE_LOCAL_APIC, sizeof(a)},
            .processor_uid = (uint8_t)i,
            .apic_id = (uint8_t)i,
            .flags = ACPI_MADT_ENABLED,
        };
        memcpy(p, &a, sizeof(a));
        p += sizeof(a);
    }
    if (cfg->ioapic) {
        struct acpi_madt_io_apic io = {
            .e = {ACPI_MADT_TYPE_IO_APIC, sizeof(io)},
            .id = cfg->ioapic->id,
            .address = cfg->ioapic->address,
            .gsi_base = cfg->ioapic->gsi_base,
        };
        memcpy(p, &io, sizeof(io));
        p += sizeof(io);
    }
    for (unsigned int i = 0; i < cfg->nr_overrides; i++) {
        struct acpi_madt_interrupt_override o = {
            .e = {ACPI_MADT_TYPE_INTERRUPT_OVERRIDE, sizeof(o)},
            .source = cfg->overrides[i].source,
            .gsi = cfg->overrides[i].gsi,
            .flags = cfg->overrides[i].flags,
        };
        memcpy(p, &o, sizeof(o));
        p += sizeof(o);
    }
    seal(buf + l->madt, l->madt_len);
}

static int check(const struct acpi_config *cfg, uint64_t gpa, size_t len,
                 const struct layout *l, struct pvhv_error *err)
{
    if (cfg->nr_cpus < 1 || cfg->nr_cpus > ACPI_MAX_CPUS) {
        pvhv_error_set(err, "ACPI tables for %u CPUs: 1 to %d", cfg->nr_cpus,
                       ACPI_MAX_CPUS);
        return -EINVAL;
    }
    if (cfg->nr_overrides > ACPI_MAX_OVERRIDES ||
        (cfg->nr_overrides && !cfg->overrides)) {
        pvhv_error_set(err,
                       "ACPI tables with %u interrupt overrides: at most %d",
                       cfg->nr_overrides, ACPI_MAX_OVERRIDES);
        return -EINVAL;
    }
    /* The FADT's 32-bit DSDT field must hold the address too. */
    if (gpa % TABLE_ALIGN || gpa + l->end > UINT32_MAX) {
        pvhv_error_set(err,
                       "ACPI tables at guest-physical 0x%llx: must be 16-byte "
                       "aligned and below 4 GiB",
                       (unsigned long long)gpa);
        return -EINVAL;
    }
    if (len < l->end) {
        pvhv_error_set(err, "ACPI tables need %zu bytes, %zu reserved", l->end,
                       len);
        return -ENOSPC;
    }
    return 0;
}

int acpi_tables_build(const struct acpi_config *cfg, void *buf, size_t len,
                      uint64_t gpa, struct pvhv_error *err)
{
    struct layout l = plan(cfg);
    int rc = check(cfg, gpa, len, &l, err);

    if (rc < 0)
        return rc;
    memset(buf, 0, l.end);
    write_rsdp(buf, &l, gpa);
    write_xsdt(buf, &l, gpa);
    write_fadt(buf, &l, gpa);
    write_dsdt(buf, &l);
    write_madt(buf, &l, cfg);
    return 0;
}

unsigned int acpi_domain_pages(unsigned int nr_cpus)
{
    struct acpi_config cfg = {.nr_cpus = nr_cpus};

    return (unsigned int)((acpi_tables_size(&cfg) + GUEST_PAGE_SIZE - 1) /
                          GUEST_PAGE_SIZE);
}

int acpi_domain_tables(struct domain *d, unsigned int nr_cpus, uint64_t gpa,
                       uint64_t len, uint64_t start_info,
                       struct pvhv_error *err)
{
    /* A PV domain has local APICs only: events are its interrupts. */
    struct acpi_config cfg = {.nr_cpus = nr_cpus};
    uint8_t *buf = guest_ram_ptr(&d->ram, gpa, len);
    struct hvm_start_info *si = guest_ram_ptr(&d->ram, start_info, sizeof(*si));
    int rc;

    if (!buf || !si) {
        pvhv_error_set(err, "ACPI tables at 0x%llx: not in guest RAM",
                       (unsigned long long)gpa);
        return -EINVAL;
    }
    rc = acpi_tables_build(&cfg, buf, (size_t)len, gpa, err);
    if (rc == 0)
        si->rsdp_paddr = gpa; /* the RSDP comes first */
    return rc;
}
