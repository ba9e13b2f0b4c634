/* SPDX-License-Identifier: MIT */
/* check_acpi.c: the ACPI tables: checksums, lengths, links, MADT entries,
 * the hardware-reduced FADT, bad configurations. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/acpi.h"
#include "pvabi/acpi.h"

#define GPA 0x9a000ULL
#define BUF 8192

static uint8_t buf[BUF];

static uint8_t sum(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t s = 0;

    while (len--)
        s += *b++;
    return s;
}

/* at: the table the guest finds at guest-physical (gpa). */
static void *at(uint64_t gpa, size_t len)
{
    ck_assert_uint_ge(gpa, GPA);
    ck_assert_uint_le(gpa - GPA + len, BUF);
    return buf + (gpa - GPA);
}

/* table: checks the header of the table at (gpa), returns it. */
static const struct acpi_table_header *table(uint64_t gpa, const char *sig,
                                             uint8_t revision)
{
    const struct acpi_table_header *h = at(gpa, sizeof(*h));

    ck_assert_uint_eq(gpa % 8, 0);
    ck_assert_int_eq(memcmp(h->signature, sig, 4), 0);
    ck_assert_uint_eq(h->revision, revision);
    ck_assert_uint_ge(h->length, sizeof(*h));
    at(gpa, h->length);
    ck_assert_uint_eq(sum(h, h->length), 0);
    ck_assert_int_eq(memcmp(h->oem_id, "PVHV  ", 6), 0);
    return h;
}

static const struct acpi_rsdp *rsdp(void)
{
    const struct acpi_rsdp *r = at(GPA, sizeof(*r));

    ck_assert_int_eq(memcmp(r->signature, "RSD PTR ", 8), 0);
    ck_assert_uint_eq(r->revision, 2);
    ck_assert_uint_eq(r->length, 36);
    ck_assert_uint_eq(sum(r, 20), 0);
    ck_assert_uint_eq(sum(r, 36), 0);
    ck_assert_uint_eq(r->rsdt_address, 0);
    return r;
}

/* xsdt_entry: entry (i) of the XSDT, which has (n). */
static uint64_t xsdt_entry(unsigned int i, unsigned int n)
{
    const struct acpi_table_header *x = table(rsdp()->xsdt_address, "XSDT", 1);
    uint64_t e;

    ck_assert_uint_eq(x->length, sizeof(*x) + n * 8);
    memcpy(&e, (const uint8_t *)x + sizeof(*x) + i * 8, 8);
    return e;
}

static int build(const struct acpi_config *cfg)
{
    struct pvhv_error err = {""};

    memset(buf, 0xa5, sizeof(buf));
    return acpi_tables_build(cfg, buf, sizeof(buf), GPA, &err);
}

/* local_apics: checks the MADT's (n) local APIC entries, returns the
 * address of what follows them. */
static const uint8_t *local_apics(const struct acpi_table_header *h,
                                  unsigned int n)
{
    const struct acpi_madt *m = (const void *)h;
    const uint8_t *p = (const uint8_t *)(m + 1);

    ck_assert_uint_eq(m->lapic_address, 0xfee00000u);
    for (unsigned int i = 0; i < n; i++) {
        const struct acpi_madt_local_apic *a = (const void *)p;

        ck_assert_uint_eq(a->e.type, ACPI_MADT_TYPE_LOCAL_APIC);
        ck_assert_uint_eq(a->e.length, 8);
        ck_assert_uint_eq(a->processor_uid, i);
        ck_assert_uint_eq(a->apic_id, i);
        ck_assert_uint_eq(a->flags, ACPI_MADT_ENABLED);
        p += a->e.length;
    }
    return p;
}

static void check_cpus(unsigned int n)
{
    const struct acpi_config cfg = {.nr_cpus = n};
    const struct acpi_table_header *madt;

    ck_assert_int_eq(build(&cfg), 0);
    ck_assert_uint_eq(acpi_tables_size(&cfg),
                      xsdt_entry(1, 2) - GPA + 44 + 8 * n);
    madt = table(xsdt_entry(1, 2), "APIC", ACPI_MADT_REVISION);
    ck_assert_uint_eq(madt->length, 44 + 8 * n);
    ck_assert_uint_eq(((const struct acpi_madt *)madt)->flags, 0);
    ck_assert_ptr_eq(local_apics(madt, n), (const uint8_t *)madt + 44 + 8 * n);
}

START_TEST(test_one_cpu)
{
    check_cpus(1);
}
END_TEST

START_TEST(test_many_cpus)
{
    check_cpus(2);
    check_cpus(32);
    check_cpus(ACPI_MAX_CPUS);
}
END_TEST

START_TEST(test_fadt_dsdt)
{
    const struct acpi_config cfg = {.nr_cpus = 4};
    const struct acpi_fadt *f;
    const struct acpi_table_header *d;

    ck_assert_int_eq(build(&cfg), 0);
    f = (const void *)table(xsdt_entry(0, 2), "FACP", 6);
    ck_assert_uint_eq(f->h.length, 276);
    ck_assert_uint_eq(f->flags, ACPI_FADT_HW_REDUCED_ACPI);
    ck_assert_uint_eq(f->iapc_boot_arch,
                      ACPI_FADT_BOOT_NO_VGA | ACPI_FADT_BOOT_NO_CMOS_RTC);
    ck_assert_uint_eq(f->sci_int, 0);
    ck_assert_uint_eq(f->pm_tmr_blk, 0);
    ck_assert_uint_eq(f->pm1a_evt_blk, 0);
    ck_assert_uint_eq(f->x_pm1a_cnt_blk.address, 0);
    ck_assert_uint_eq(f->dsdt, f->x_dsdt);
    d = table(f->x_dsdt, "DSDT", ACPI_DSDT_REVISION);
    ck_assert_uint_eq(d->length, 36);
}
END_TEST

START_TEST(test_ioapic_overrides)
{
    const struct acpi_ioapic io = {
        .id = 4, .address = 0xfec00000, .gsi_base = 0};
    const struct acpi_irq_override ovr[2] = {{0, 2, 0}, {9, 9, 0xd}};
    const struct acpi_config cfg = {.nr_cpus = 3,
                                    .ioapic = &io,
                                    .overrides = ovr,
                                    .nr_overrides = 2,
                                    .pcat_compat = true};
    const struct acpi_table_header *madt;
    const struct acpi_madt_io_apic *a;
    const struct acpi_madt_interrupt_override *o;

    ck_assert_int_eq(build(&cfg), 0);
    madt = table(xsdt_entry(1, 2), "APIC", ACPI_MADT_REVISION);
    ck_assert_uint_eq(madt->length, 44 + 3 * 8 + 12 + 2 * 10);
    ck_assert_uint_eq(((const struct acpi_madt *)madt)->flags,
                      ACPI_MADT_PCAT_COMPAT);
    a = (const void *)local_apics(madt, 3);
    ck_assert_uint_eq(a->e.type, ACPI_MADT_TYPE_IO_APIC);
    ck_assert_uint_eq(a->e.length, 12);
    ck_assert_uint_eq(a->id, 4);
    ck_assert_uint_eq(a->address, 0xfec00000);
    ck_assert_uint_eq(a->gsi_base, 0);
    o = (const void *)(a + 1);
    for (unsigned int i = 0; i < 2; i++) {
        ck_assert_uint_eq(o[i].e.type, ACPI_MADT_TYPE_INTERRUPT_OVERRIDE);
        ck_assert_uint_eq(o[i].e.length, 10);
        ck_assert_uint_eq(o[i].bus, 0);
        ck_assert_uint_eq(o[i].source, ovr[i].source);
        ck_assert_uint_eq(o[i].gsi, ovr[i].gsi);
        ck_assert_uint_eq(o[i].flags, ovr[i].flags);
    }
    ck_assert_uint_eq(acpi_tables_size(&cfg),
                      (uint64_t)((const uint8_t *)(o + 2) - buf));
}
END_TEST

START_TEST(test_refused)
{
    struct acpi_config cfg = {.nr_cpus = 0};
    struct pvhv_error err = {""};

    ck_assert_int_eq(build(&cfg), -EINVAL);
    cfg.nr_cpus = ACPI_MAX_CPUS + 1;
    ck_assert_int_eq(build(&cfg), -EINVAL);
    cfg.nr_cpus = 2;
    cfg.nr_overrides = 1; /* and no array */
    ck_assert_int_eq(build(&cfg), -EINVAL);
    cfg.nr_overrides = 0;
    ck_assert_int_eq(acpi_tables_build(&cfg, buf, sizeof(buf), GPA + 8, &err),
                     -EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "aligned"));
    ck_assert_int_eq(
        acpi_tables_build(&cfg, buf, sizeof(buf), 0xffffff00ULL, &err),
        -EINVAL);
    ck_assert_int_eq(
        acpi_tables_build(&cfg, buf, acpi_tables_size(&cfg) - 1, GPA, &err),
        -ENOSPC);
    ck_assert_ptr_nonnull(strstr(err.msg, "bytes"));
    ck_assert_int_eq(
        acpi_tables_build(&cfg, buf, acpi_tables_size(&cfg), GPA, &err), 0);
    ck_assert_uint_eq(acpi_domain_pages(1), 1);
    ck_assert_uint_eq(acpi_domain_pages(ACPI_MAX_CPUS), 1);
}
END_TEST

static Suite *acpi_suite(void)
{
    Suite *s = suite_create("acpi");
    TCase *tc = tcase_create("tables");

    tcase_add_test(tc, test_one_cpu);
    tcase_add_test(tc, test_many_cpus);
    tcase_add_test(tc, test_fadt_dsdt);
    tcase_add_test(tc, test_ioapic_overrides);
    tcase_add_test(tc, test_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(acpi_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
