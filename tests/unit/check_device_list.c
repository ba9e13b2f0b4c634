/* SPDX-License-Identifier: MIT */
/* check_device_list.c: a domain's device list, from pvhv_domain_config to the
 * backends that attach it, over the fake platform. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backends/backend.h"
#include "core/domain.h"
#include "core/instance.h"
#include "domain_fixture.h"
#include "pvabi/io/vbd.h"

#define RAM_SIZE (2ULL << 20)
#define DOMID 11

static struct pvhv_domain_config cfg;

static void setup(void)
{
    fixture_config(&cfg, RAM_SIZE);
    fixture_instance();
}

static void teardown(void)
{
    fixture_destroy(NULL);
}

/* disk_fd: a 1 MiB raw image, open for reading and writing. */
static int disk_fd(void)
{
    int fd = memfd_create("disk", MFD_CLOEXEC);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, 1 << 20), 0);
    return fd;
}

/* core: the core configuration of the fixture's kernel with (devs). */
static struct domain_config core(const struct domain_device *devs,
                                 unsigned int n)
{
    return (struct domain_config){
        .name = cfg.name,
        .memory = cfg.memory,
        .vcpus = cfg.vcpus,
        .kernel = cfg.kernel,
        .devices = devs,
        .nr_devices = n,
    };
}

/* refused: domain_build of (c), which must fail with (rc) saying (what). */
static void refused(const struct domain_config *c, int rc, const char *what)
{
    struct pvhv_error err = {{0}};
    struct domain *d = NULL;

    fixture_instance()->registry.next_domid = DOMID;
    ck_assert_int_eq(domain_build(fixture_instance(), c, &d, &err), rc);
    ck_assert_ptr_null(d);
    ck_assert_msg(strstr(err.msg, what), "'%s' lacks '%s'", err.msg, what);
}

/* A PV domain's disks become its console's list plus one vbd each. */
START_TEST(test_disks_become_vbds)
{
    int fa = disk_fd(), fb = disk_fd();
    const struct pvhv_disk disks[] = {
        {.image = pvhv_file_fd(fa, "a.img"), .vdev = "xvda"},
        {.image = pvhv_file_fd(fb, "b.img"), .vdev = "xvdb", .readonly = true},
    };
    struct domain *d;

    cfg.disks = disks;
    cfg.nr_disks = 2;
    d = fixture_domain(&cfg, DOMID);
    ck_assert_ptr_nonnull(d->backends);
    ck_assert_ptr_nonnull(d->backends->console);
    ck_assert_uint_eq(d->backends->nr_devs, 2);
    ck_assert_uint_eq(d->backends->devs[0]->devid,
                      (unsigned int)pvabi_vbd_devid("xvda"));
    ck_assert_uint_eq(d->backends->devs[1]->devid,
                      (unsigned int)pvabi_vbd_devid("xvdb"));
    fixture_teardown(d);
    close(fa);
    close(fb);
}
END_TEST

/* Without disks a PV domain still gets its console. */
START_TEST(test_console_always)
{
    struct domain *d = fixture_domain(&cfg, DOMID);

    ck_assert_ptr_nonnull(d->backends);
    ck_assert_ptr_nonnull(d->backends->console);
    ck_assert_uint_eq(d->backends->nr_devs, 0);
    fixture_teardown(d);
}
END_TEST

/* A disk's bad vdev is reported with the disk's name. */
START_TEST(test_disk_error_names_it)
{
    int fd = disk_fd();
    const struct pvhv_disk disk = {.image = pvhv_file_fd(fd, "bad.img"),
                                   .vdev = "floppy"};
    struct pvhv_error err = {{0}};
    struct domain *d;

    cfg.disks = &disk;
    cfg.nr_disks = 1;
    ck_assert_int_eq(fixture_build(&cfg, DOMID, &d, &err), -EINVAL);
    ck_assert_ptr_null(d);
    ck_assert_msg(strstr(err.msg, "disk bad.img: vdev 'floppy'"), "%s",
                  err.msg);
    close(fd);
}
END_TEST

START_TEST(test_too_many_disks)
{
    struct pvhv_disk disks[PVHV_MAX_DISKS + 1];
    struct pvhv_error err = {{0}};
    struct domain *d;

    cfg.disks = disks;
    cfg.nr_disks = PVHV_MAX_DISKS + 1;
    memset(disks, 0, sizeof(disks));
    ck_assert_int_eq(fixture_build(&cfg, DOMID, &d, &err), -EINVAL);
    ck_assert_str_eq(err.msg, "17 disks: at most 16");
}
END_TEST

/* A type no backend claims is refused, naming it and where it came from. */
START_TEST(test_unknown_type)
{
    const struct domain_device devs[] = {
        {.type = "console", .origin = "the PV console"},
        {.type = "nic", .origin = "test list[1]"},
    };
    struct domain_config c = core(devs, 2);

    refused(&c, -EINVAL,
            "test list[1]: unknown device type 'nic' for a PV domain");
}
END_TEST

/* A type for the other kind of domain is just as unknown. */
START_TEST(test_type_of_other_kind)
{
    const struct domain_device devs[] = {
        {.type = "ata", .origin = "disks[0]"},
    };
    struct domain_config c = core(devs, 1);

    refused(&c, -EINVAL, "disks[0]: unknown device type 'ata' for a PV domain");
}
END_TEST

START_TEST(test_no_type)
{
    const struct domain_device devs[] = {{.origin = NULL}};
    struct domain_config c = core(devs, 1);

    refused(&c, -EINVAL, "device list: unknown device type '(none)'");
}
END_TEST

START_TEST(test_two_consoles)
{
    const struct domain_device devs[] = {
        {.type = "console", .origin = "console 1"},
        {.type = "console", .origin = "console 2"},
    };
    struct domain_config c = core(devs, 2);

    refused(&c, -EINVAL, "console 1: a domain has one PV console");
}
END_TEST

START_TEST(test_vbd_needs_console)
{
    int fd = disk_fd();
    const struct domain_device devs[] = {
        {.type = "vbd",
         .origin = "disks[0]",
         .file = pvhv_file_fd(fd, "a.img"),
         .params.disk = {.vdev = "xvda"}},
    };
    struct domain_config c = core(devs, 1);

    refused(&c, -EINVAL, "disks[0]: a vbd needs the PV console listed first");
    close(fd);
}
END_TEST

START_TEST(test_too_many_devices)
{
    struct domain_device devs[DOMAIN_MAX_DEVICES + 1];
    struct domain_config c = core(devs, DOMAIN_MAX_DEVICES + 1);

    memset(devs, 0, sizeof(devs));
    refused(&c, -EINVAL, "18 devices: at most 17");
}
END_TEST

/* The public list names its own origin, or gets "devices[N]". */
START_TEST(test_public_unknown_type)
{
    struct domain_device devs[] = {
        {.type = "vbd", .origin = "domain.xml:12"},
        {.type = "nic"},
    };
    struct pvhv_error err = {{0}};
    struct domain *d;

    cfg.devices = devs;
    cfg.nr_devices = 2;
    devs[0].type = "9p";
    ck_assert_int_eq(fixture_build(&cfg, DOMID, &d, &err), -EINVAL);
    ck_assert_str_eq(err.msg,
                     "domain.xml:12: unknown device type '9p' for a PV domain");
    devs[0].type = "console";
    ck_assert_int_eq(fixture_build(&cfg, DOMID, &d, &err), -EINVAL);
    ck_assert_str_eq(err.msg,
                     "devices[1]: unknown device type 'nic' for a PV domain");
}
END_TEST

/* A public "vbd" entry is a disk, attached after pvhv_domain_config.disks. */
START_TEST(test_public_vbd)
{
    int fa = disk_fd(), fb = disk_fd();
    const struct pvhv_disk disk = {.image = pvhv_file_fd(fa, "a.img"),
                                   .vdev = "xvda"};
    const struct domain_device dev = {.type = "vbd",
                                      .file = pvhv_file_fd(fb, "b.img"),
                                      .params.disk = {.vdev = "xvdc"}};
    struct domain *d;

    cfg.disks = &disk;
    cfg.nr_disks = 1;
    cfg.devices = &dev;
    cfg.nr_devices = 1;
    d = fixture_domain(&cfg, DOMID);
    ck_assert_uint_eq(d->backends->nr_devs, 2);
    ck_assert_uint_eq(d->backends->devs[0]->devid,
                      (unsigned int)pvabi_vbd_devid("xvda"));
    ck_assert_uint_eq(d->backends->devs[1]->devid,
                      (unsigned int)pvabi_vbd_devid("xvdc"));
    fixture_teardown(d);
    close(fa);
    close(fb);
}
END_TEST

/* A second console from the public list is refused, named. */
START_TEST(test_public_second_console)
{
    const struct domain_device dev = {.type = "console"};
    struct pvhv_error err = {{0}};
    struct domain *d;

    cfg.devices = &dev;
    cfg.nr_devices = 1;
    ck_assert_int_eq(fixture_build(&cfg, DOMID, &d, &err), -EINVAL);
    ck_assert_str_eq(err.msg, "the PV console: a domain has one PV console");
}
END_TEST

START_TEST(test_public_too_many)
{
    struct pvhv_disk disks[PVHV_MAX_DISKS];
    const struct domain_device dev = {.type = "vbd"};
    struct pvhv_error err = {{0}};
    struct domain *d;

    memset(disks, 0, sizeof(disks));
    cfg.disks = disks;
    cfg.nr_disks = PVHV_MAX_DISKS;
    cfg.devices = &dev;
    cfg.nr_devices = 1;
    ck_assert_int_eq(fixture_build(&cfg, DOMID, &d, &err), -EINVAL);
    ck_assert_str_eq(err.msg, "16 disks and 1 devices: at most 16 in all");
    cfg.nr_disks = 0;
    cfg.devices = NULL;
    ck_assert_int_eq(fixture_build(&cfg, DOMID, &d, &err), -EINVAL);
    ck_assert_str_eq(err.msg, "1 devices listed at NULL");
}
END_TEST

/* An hvm domain has no PV console or vbd: its disks are ATA drives. */
START_TEST(test_hvm_kinds)
{
    const struct domain_device dev = {.type = "vbd", .origin = "vbd.xml:3"};
    struct pvhv_error err = {{0}};
    struct domain *d;

    cfg.hvm = true;
    cfg.devices = &dev;
    cfg.nr_devices = 1;
    ck_assert_int_eq(fixture_build(&cfg, DOMID, &d, &err), -EINVAL);
    ck_assert_str_eq(err.msg,
                     "vbd.xml:3: unknown device type 'vbd' for an hvm domain");
}
END_TEST

static Suite *device_list_suite(void)
{
    Suite *s = suite_create("device_list");
    TCase *tc = tcase_create("list");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_disks_become_vbds);
    tcase_add_test(tc, test_console_always);
    tcase_add_test(tc, test_disk_error_names_it);
    tcase_add_test(tc, test_too_many_disks);
    tcase_add_test(tc, test_unknown_type);
    tcase_add_test(tc, test_type_of_other_kind);
    tcase_add_test(tc, test_no_type);
    tcase_add_test(tc, test_two_consoles);
    tcase_add_test(tc, test_vbd_needs_console);
    tcase_add_test(tc, test_too_many_devices);
    tcase_add_test(tc, test_public_unknown_type);
    tcase_add_test(tc, test_public_vbd);
    tcase_add_test(tc, test_public_second_console);
    tcase_add_test(tc, test_public_too_many);
    tcase_add_test(tc, test_hvm_kinds);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(device_list_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
