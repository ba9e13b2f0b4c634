/* SPDX-License-Identifier: MIT */
/* check_domain_build.c: core/domain_build.c, every step, over the fake
 * platform. */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/console_buffer.h"
#include "core/domain.h"
#include "core/instance.h"
#include "core/log.h"
#include "pvabi/acpi.h"
#include "pvabi/start_info.h"
#include "core/xenstore/xenstore.h"
#include "domain_fixture.h"
#include "fake_platform.h"

#define RAM_SIZE (2ULL << 20)
#define DOMID 9

/* The hypervisor's log while a test runs (pvhv_log_sink). */
static char logged[8192];

static void log_sink(int level, const char *msg)
{
    (void)level;
    size_t n = strlen(logged);
    snprintf(logged + n, sizeof(logged) - n, "%s\n", msg);
}

static unsigned int open_fds(void)
{
    DIR *dir = opendir("/proc/self/fd");
    unsigned int n = 0;

    ck_assert_ptr_nonnull(dir);
    while (readdir(dir))
        n++;
    closedir(dir);
    return n;
}

static struct pvhv_domain_config cfg;
static unsigned int fds_before;
static struct domain taken; /* what test_fail_registry fills ids with */

static void setup(void)
{
    logged[0] = '\0';
    log_threshold = LOG_INFO; /* where domain_build says which step failed */
    pvhv_log_sink(log_sink);
    fixture_config(&cfg, RAM_SIZE);
    fixture_instance();
    fds_before = open_fds();
}

static void teardown(void)
{
    fixture_destroy(NULL);
    pvhv_log_sink(NULL);
}

/*
 * expect_failure: the build fails with (rc), its error says (msg), the
 * log names (step), and nothing it made is left: no VM or vCPU, no id,
 * no XenStore node, no mapping budget, no descriptor.
 */
static void expect_failure(int want_rc, const char *step, const char *msg)
{
    struct pvhv_error err = {{0}};
    struct domain *d = (struct domain *)1;
    struct pvhv *hv = fixture_instance();
    char want[1024], *value = NULL;
    int rc = fixture_build(&cfg, DOMID, &d, &err);

    ck_assert_int_eq(rc, want_rc);
    ck_assert_msg(strstr(err.msg, msg), "error '%s' lacks '%s'", err.msg, msg);
    snprintf(want, sizeof(want), "set-up step '%s' failed: %s", step, err.msg);
    ck_assert_msg(strstr(logged, want), "log lacks \"%s\": %s", want, logged);
    d = registry_find(&hv->registry, DOMID);
    ck_assert(d == NULL || d == &taken);
    ck_assert_uint_eq(fake_platform_live(), 0);
    ck_assert_uint_eq(hv->maps.reserved, 0);
    ck_assert_int_lt(
        xenstore_read(hv->xs, "/local/domain/9/memory/target", &value, NULL),
        0);
    ck_assert_uint_eq(open_fds(), fds_before);
}

START_TEST(test_success)
{
    struct domain *d = fixture_domain(&cfg, DOMID);
    struct pvhv *hv = fixture_instance();
    char *value = NULL;

    ck_assert_ptr_eq(registry_find(&hv->registry, DOMID), d);
    ck_assert_uint_eq(atomic_load(&d->state), DOMAIN_CREATED);
    ck_assert_uint_eq(d->nr_vcpus, 1);
    ck_assert_uint_eq(fake_platform_live(), 2); /* the VM, its vCPU */
    ck_assert_uint_eq(d->ram.size, RAM_SIZE);
    ck_assert_uint_eq(d->entry, FIXTURE_KERNEL_GPA);
    ck_assert_uint_eq(d->ram.host[FIXTURE_KERNEL_GPA], 0xf4); /* loaded */
    ck_assert_ptr_nonnull(d->shared_info);
    ck_assert_ptr_nonnull(d->gnttab);
    ck_assert_ptr_nonnull(d->store);
    ck_assert_uint_ne(d->hvm_param[HVM_PARAM_STORE_EVTCHN], 0);
    ck_assert_uint_gt(hv->maps.reserved, 0);
    ck_assert_int_eq(
        xenstore_read(hv->xs, "/local/domain/9/memory/target", &value, NULL),
        0);
    ck_assert_str_eq(value, "2048");
    free(value);
    fixture_teardown(d);
    ck_assert_uint_eq(fake_platform_live(), 0);
    ck_assert_uint_eq(hv->maps.reserved, 0);
    ck_assert_ptr_null(registry_find(&hv->registry, DOMID));
    ck_assert_uint_eq(open_fds(), fds_before);
}
END_TEST

/*
 * With local APICs (the platform says), the start info names ACPI tables
 * in the reserved boot region, whose MADT lists every vCPU; without,
 * rsdp_paddr is 0.
 */
START_TEST(test_acpi_tables)
{
    const struct hvm_start_info *si;
    const struct acpi_rsdp *r;
    const struct acpi_table_header *x, *m;
    struct domain *d;
    uint64_t madt;
    int reserved = 0;

    d = fixture_domain(&cfg, DOMID);
    si = (const void *)(d->ram.host + d->start_info);
    ck_assert(!d->lapic);
    ck_assert_uint_eq(si->rsdp_paddr, 0);
    fixture_teardown(d);

    fake_platform_lapic(true);
    cfg.vcpus = 3;
    d = fixture_domain(&cfg, DOMID);
    fake_platform_lapic(false);
    si = (const void *)(d->ram.host + d->start_info);
    ck_assert(d->lapic);
    ck_assert_uint_ge(si->version, 1);
    ck_assert_uint_ge(si->rsdp_paddr, d->boot_base);
    ck_assert_uint_le(si->rsdp_paddr + 4096, d->boot_base + d->boot_size);
    r = (const void *)(d->ram.host + si->rsdp_paddr);
    ck_assert_int_eq(memcmp(r->signature, "RSD PTR ", 8), 0);
    x = (const void *)(d->ram.host + r->xsdt_address);
    ck_assert_int_eq(memcmp(x->signature, "XSDT", 4), 0);
    memcpy(&madt, (const uint8_t *)x + sizeof(*x) + 8, 8);
    m = (const void *)(d->ram.host + madt);
    ck_assert_int_eq(memcmp(m->signature, "APIC", 4), 0);
    ck_assert_uint_eq(m->length, 44 + 3 * 8);
    /* The region holding them is reserved in the memory map. */
    for (uint32_t i = 0; i < d->memmap_entries; i++) {
        const struct hvm_memmap_table_entry *e =
            (const struct hvm_memmap_table_entry *)(d->ram.host + d->memmap) +
            i;

        if (e->addr <= si->rsdp_paddr && si->rsdp_paddr < e->addr + e->size)
            reserved += e->type == XEN_HVM_MEMMAP_TYPE_RESERVED;
    }
    ck_assert_int_eq(reserved, 1);
    fixture_teardown(d);
}
END_TEST

START_TEST(test_config_refused)
{
    struct pvhv_error err = {{0}};
    struct domain *d = NULL;

    cfg.vcpus = 0;
    ck_assert_int_eq(fixture_build(&cfg, DOMID, &d, &err), -EINVAL);
    ck_assert_str_eq(err.msg, "0 vCPUs: a domain has 1 to 32");
    ck_assert_ptr_null(d);
    ck_assert_uint_eq(fake_platform_live(), 0);
}
END_TEST

START_TEST(test_fail_output)
{
    cfg.console_buffer = 2 * CONSOLE_BUFFER_MAX;
    expect_failure(-EINVAL, "output", "cannot keep");
}
END_TEST

START_TEST(test_fail_mappings)
{
    fixture_instance()->maps.limit = 0;
    expect_failure(-ENOSPC, "mappings", "");
}
END_TEST

START_TEST(test_fail_registry)
{
    struct registry *r = &fixture_instance()->registry;

    for (unsigned int i = 1; i < DOMID_FIRST_RESERVED; i++)
        r->domains[i] = &taken;
    expect_failure(-ENOSPC, "registry", "no free domain id");
    for (unsigned int i = 1; i < DOMID_FIRST_RESERVED; i++)
        r->domains[i] = NULL;
}
END_TEST

START_TEST(test_fail_vm)
{
    fake_platform_fail("vm_create");
    expect_failure(-ENOMEM, "vm", "fake platform: no VM");
}
END_TEST

START_TEST(test_fail_kernel)
{
    int fd = memfd_create("not-elf", MFD_CLOEXEC);

    ck_assert_int_eq(write(fd, "#!/bin/sh\n", 10), 10);
    cfg.kernel = pvhv_file_fd(fd, "not-elf");
    fds_before = open_fds();
    expect_failure(-ENOEXEC, "kernel", "not-elf");
    close(fd);
}
END_TEST

START_TEST(test_fail_vcpus)
{
    cfg.vcpus = 3;
    fake_platform_fail("vcpu_create");
    expect_failure(-ENOMEM, "vcpus", "fake platform: no vCPU 0");
}
END_TEST

START_TEST(test_fail_events)
{
    fake_platform_fail("shared_info");
    expect_failure(-ENOMEM, "events", "cannot set up event channels");
}
END_TEST

START_TEST(test_fail_xenstore)
{
    struct xenstore *xs = fixture_instance()->xs;

    /* The id is already in the store: the build leaves that entry be. */
    ck_assert_int_eq(xenstore_domain_introduce(xs, DOMID, "other", cfg.uuid),
                     0);
    expect_failure(-EEXIST, "xenstore", "cannot connect to XenStore");
    ck_assert(xenstore_domain_introduced(xs, DOMID));
    ck_assert_int_eq(xenstore_domain_release(xs, DOMID), 0);
}
END_TEST

START_TEST(test_fail_grants)
{
    fake_platform_fail("map_special_pages");
    expect_failure(-ENOMEM, "grants", "cannot set up the grant table");
}
END_TEST

START_TEST(test_fail_disks)
{
    int fd = memfd_create("disk", MFD_CLOEXEC);
    struct pvhv_disk disk = {
        .image = pvhv_file_fd(fd, "disk.img"), .vdev = "xvda", .block = true};

    ck_assert_int_eq(ftruncate(fd, 1 << 20), 0);
    cfg.disks = &disk;
    cfg.nr_disks = 1;
    fds_before = open_fds();
    expect_failure(-EINVAL, "devices", "disk.img");
    close(fd);
}
END_TEST

static Suite *domain_build_suite(void)
{
    Suite *s = suite_create("domain_build");
    TCase *tc = tcase_create("steps");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_success);
    tcase_add_test(tc, test_acpi_tables);
    tcase_add_test(tc, test_config_refused);
    tcase_add_test(tc, test_fail_output);
    tcase_add_test(tc, test_fail_mappings);
    tcase_add_test(tc, test_fail_registry);
    tcase_add_test(tc, test_fail_vm);
    tcase_add_test(tc, test_fail_kernel);
    tcase_add_test(tc, test_fail_vcpus);
    tcase_add_test(tc, test_fail_events);
    tcase_add_test(tc, test_fail_xenstore);
    tcase_add_test(tc, test_fail_grants);
    tcase_add_test(tc, test_fail_disks);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(domain_build_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
