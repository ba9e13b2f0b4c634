/* SPDX-License-Identifier: MIT */
/*
 * check_descriptors.c: the embedding API takes host files as descriptors
 * and opens no path: a zeroed config is refused, the kind of each file is
 * checked on its descriptor, a domain boots from files whose paths are
 * gone, and a disk image is locked while a domain holds it. Real guests
 * in real KVM domains.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pvhv.h"

#define DISK_TAG 0x6469736b00000000ULL /* examples/disk/disk.c: "disk" */
#define MIB (1ULL << 20)

static struct pvhv *hv;
static char dir[] = "/tmp/check_descriptors.XXXXXX";
static char image[80], kernel[80];

static void quiet(void *opaque, const char *buf, size_t len)
{
    (void)opaque, (void)buf, (void)len;
}

static int open_or_fail(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC | O_NONBLOCK);

    ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
    return fd;
}

/* A copy of the disk example's guest and a fresh 1 MiB image, in (dir). */
static void setup(void)
{
    char src[4096], cmd[8300];

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(image, sizeof(image), "%s/disk.img", dir);
    snprintf(kernel, sizeof(kernel), "%s/disk.elf", dir);
    snprintf(src, sizeof(src), "%s/../../examples/disk/disk.elf",
             getenv("GUESTS"));
    snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && truncate -s 1M '%s'", src,
             kernel, image);
    ck_assert_int_eq(system(cmd), 0);
}

static void teardown(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    strcpy(dir, "/tmp/check_descriptors.XXXXXX");
}

static struct pvhv_domain_config config(const char *name, int kfd)
{
    return (struct pvhv_domain_config){
        .name = name,
        .memory = 4 * MIB,
        .vcpus = 1,
        .kernel = pvhv_file_fd(kfd, kernel),
        .cmdline = "start=0 count=10",
        .console = quiet,
    };
}

START_TEST(test_zeroed_config_is_refused)
{
    struct pvhv_domain_config cfg = {
        .name = "z", .memory = 4 * MIB, .vcpus = 1};
    struct pvhv_disk disk = {.vdev = "xvda"};
    struct pvhv_error err = {""};
    struct domain *d = NULL;

    /* kernel left zeroed: fd 0 is not taken for it. */
    ck_assert_int_eq(pvhv_domain_create(hv, &cfg, &d, &err), -EBADF);
    ck_assert_msg(strstr(err.msg, "no kernel given"), "%s", err.msg);
    cfg.kernel = pvhv_file_fd(-1, "k.elf");
    ck_assert_int_eq(pvhv_domain_create(hv, &cfg, &d, &err), -EBADF);
    /* A disk left zeroed. */
    int kfd = open_or_fail(kernel, O_RDONLY);
    cfg = config("z", kfd);
    cfg.disks = &disk;
    cfg.nr_disks = 1;
    ck_assert_int_eq(pvhv_domain_create(hv, &cfg, &d, &err), -EBADF);
    ck_assert_str_eq(err.msg, "disk: no descriptor given (pvhv_file.set is "
                              "false); pvhv opens no paths");
    ck_assert_ptr_null(d);
    close(kfd);
}
END_TEST

START_TEST(test_wrong_kinds_are_refused)
{
    struct pvhv_error err = {""};
    struct domain *d = NULL;
    char fifo[96];

    snprintf(fifo, sizeof(fifo), "%s/k.fifo", dir);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    int ffd = open_or_fail(fifo, O_RDONLY);
    struct pvhv_domain_config cfg = config("kinds", ffd);
    cfg.kernel.name = fifo;
    ck_assert_int_eq(pvhv_domain_create(hv, &cfg, &d, &err), -EINVAL);
    ck_assert_msg(strstr(err.msg, ": a FIFO of 0 bytes; allowed: a regular "
                                  "file"),
                  "%s", err.msg);
    close(ffd);

    int kfd = open_or_fail(kernel, O_RDONLY);
    int ro = open_or_fail(image, O_RDONLY);
    int dfd = open_or_fail(dir, O_RDONLY);
    struct pvhv_disk disk = {.image = pvhv_file_fd(ro, image), .vdev = "xvda"};
    cfg = config("kinds", kfd);
    cfg.disks = &disk;
    cfg.nr_disks = 1;
    ck_assert_int_eq(pvhv_domain_create(hv, &cfg, &d, &err), -EBADF);
    ck_assert_msg(strstr(err.msg, "is not open for reading and writing"), "%s",
                  err.msg);
    disk.readonly = true;
    disk.block = true;
    ck_assert_int_eq(pvhv_domain_create(hv, &cfg, &d, &err), -EINVAL);
    ck_assert_msg(strstr(err.msg, ": a regular file; allowed: a block device"),
                  "%s", err.msg);
    disk = (struct pvhv_disk){
        .image = pvhv_file_fd(dfd, dir), .vdev = "xvda", .readonly = true};
    ck_assert_int_eq(pvhv_domain_create(hv, &cfg, &d, &err), -EINVAL);
    ck_assert_msg(strstr(err.msg, ": a directory; allowed: a regular file"),
                  "%s", err.msg);
    ck_assert_ptr_null(d);
    close(dfd);
    close(ro);
    close(kfd);
}
END_TEST

/*
 * The paths are gone before the domain is made: it boots from the
 * descriptors, and writes the image they name; the caller closes its own
 * descriptors after create (the disk's is kept only to check the bytes).
 */
START_TEST(test_boots_from_descriptors_not_paths)
{
    struct pvhv_error err = {""};
    struct pvhv_domain_result res;
    struct domain *d;
    uint64_t word = 0;
    int kfd = open_or_fail(kernel, O_RDONLY);
    int ifd = open_or_fail(image, O_RDWR);
    int check = dup(ifd);
    struct pvhv_disk disk = {.image = pvhv_file_fd(ifd, image), .vdev = "xvda"};
    struct pvhv_domain_config cfg = config("paths", kfd);

    ck_assert_int_eq(unlink(kernel), 0);
    ck_assert_int_eq(unlink(image), 0);
    cfg.disks = &disk;
    cfg.nr_disks = 1;
    ck_assert_msg(pvhv_domain_create(hv, &cfg, &d, &err) == 0, "%s", err.msg);
    close(kfd);
    close(ifd);
    ck_assert_int_eq(pvhv_domain_start(d, &err), 0);
    pvhv_domain_wait(d, &res);
    pvhv_domain_destroy(d);
    ck_assert_int_eq(res.end, PVHV_END_POWEROFF);
    ck_assert_int_eq(pread(check, &word, 8, 9 * 512), 8);
    ck_assert_uint_eq(word, DISK_TAG + 9);
    close(check);
}
END_TEST

/* One image, two domains of this process: the second waits its turn. */
START_TEST(test_image_locked_while_held)
{
    struct pvhv_error err = {""};
    struct domain *a, *b = NULL;
    int kfd = open_or_fail(kernel, O_RDONLY);
    int fa = open_or_fail(image, O_RDWR), fb = open_or_fail(image, O_RDWR);
    struct pvhv_disk da = {.image = pvhv_file_fd(fa, image), .vdev = "xvda"};
    struct pvhv_disk db = {.image = pvhv_file_fd(fb, image), .vdev = "xvdb"};
    struct pvhv_domain_config ca = config("first", kfd);
    struct pvhv_domain_config cb = config("second", kfd);

    ca.disks = &da;
    ca.nr_disks = 1;
    cb.disks = &db;
    cb.nr_disks = 1;
    cb.uuid[0] = 1;
    ck_assert_msg(pvhv_domain_create(hv, &ca, &a, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(pvhv_domain_create(hv, &cb, &b, &err), -EBUSY);
    ck_assert_msg(strstr(err.msg, "(xvdb): image in use by domain 'first' "
                                  "(id "),
                  "%s", err.msg);
    ck_assert_ptr_null(b);
    /* The lock goes with the domain. */
    pvhv_domain_destroy(a);
    ck_assert_msg(pvhv_domain_create(hv, &cb, &b, &err) == 0, "%s", err.msg);
    pvhv_domain_destroy(b);
    close(fa);
    close(fb);
    close(kfd);
}
END_TEST

static int open_count(void)
{
    int n = 0;

    for (int fd = 0; fd < 4096; fd++)
        n += fcntl(fd, F_GETFD) >= 0;
    return n;
}

/*
 * Out of descriptors at each point of the build in turn (the VM, its
 * memory, a vCPU, the disk): the build fails with EMFILE in its message
 * and leaves nothing open; with enough, it succeeds.
 */
START_TEST(test_failed_build_leaves_nothing_open)
{
    struct pvhv_error err = {""};
    struct rlimit saved, rl;
    struct domain *d;
    int kfd = open_or_fail(kernel, O_RDONLY);
    int ifd = open_or_fail(image, O_RDWR);
    struct pvhv_disk disk = {.image = pvhv_file_fd(ifd, image), .vdev = "xvda"};
    struct pvhv_domain_config cfg = config("short", kfd);
    int lowest = dup(2), before, rc = -1;

    cfg.disks = &disk;
    cfg.nr_disks = 1;
    close(lowest);
    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &saved), 0);
    before = open_count();
    for (int room = 0; rc != 0 && room < 16; room++) {
        rl = (struct rlimit){(rlim_t)(lowest + room), saved.rlim_max};
        ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
        rc = pvhv_domain_create(hv, &cfg, &d, &err);
        ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &saved), 0);
        if (rc == 0)
            pvhv_domain_destroy(d);
        else
            ck_assert_msg(strstr(err.msg, strerror(EMFILE)), "room %d: %s",
                          room, err.msg);
        ck_assert_int_eq(open_count(), before);
    }
    ck_assert_int_eq(rc, 0);
    close(ifd);
    close(kfd);
}
END_TEST

int main(void)
{
    struct pvhv_error err = {""};
    if (access("/dev/kvm", R_OK | W_OK) != 0 || pvhv_open(&hv, &err) < 0) {
        printf("SKIP: KVM is not usable here: %s\n",
               err.msg[0] ? err.msg : "/dev/kvm missing or not accessible");
        dprintf(9, "  check_descriptors: SKIP: KVM is not usable here\n");
        return 77;
    }
    Suite *s = suite_create("descriptors");
    TCase *tc = tcase_create("files");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_zeroed_config_is_refused);
    tcase_add_test(tc, test_wrong_kinds_are_refused);
    tcase_add_test(tc, test_boots_from_descriptors_not_paths);
    tcase_add_test(tc, test_image_locked_while_held);
    tcase_add_test(tc, test_failed_build_leaves_nothing_open);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    /* One process: the hypervisor instance outlives every domain. */
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    pvhv_close(hv);
    return failed ? 1 : 0;
}
