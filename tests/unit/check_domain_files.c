/* SPDX-License-Identifier: MIT */
/* check_domain_files.c: unit tests of libpvctl: a domain's files, the host. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libpvctl/domain_files.h"
#include "libpvctl/host.h"

static char dir[64];
static struct domain_def def;
static struct domain_files files;
static struct pvctl_error err;

static void make_file(const char *name, size_t size, char *path, size_t len)
{
    int fd;

    snprintf(path, len, "%s/%s", dir, name);
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
    close(fd);
}

/* A domain with kernel k.elf (line 7) and disk d.img (line 9) in (dir). */
static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/check_domain_files.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    memset(&def, 0, sizeof(def));
    make_file("k.elf", 4096, def.kernel, sizeof(def.kernel));
    def.kernel_line = 7;
    make_file("d.img", 1 << 20, def.disks[0].path, sizeof(def.disks[0].path));
    snprintf(def.disks[0].vdev, sizeof(def.disks[0].vdev), "xvda");
    def.disks[0].source_line = 9;
    def.nr_disks = 1;
    err.msg[0] = '\0';
    domain_files_init(&files);
}

static void teardown(void)
{
    char cmd[96];

    domain_files_close(&files);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* open_count: descriptors this process has open. */
static int open_count(void)
{
    int n = 0;

    for (int fd = 0; fd < 1024; fd++)
        n += fcntl(fd, F_GETFD) >= 0;
    return n;
}

START_TEST(test_opened_as_served)
{
    struct stat st;
    char moved[96];
    int fl;

    def.disks[1] = def.disks[0];
    def.disks[1].readonly = true;
    snprintf(def.disks[1].vdev, sizeof(def.disks[1].vdev), "xvdb");
    def.nr_disks = 2;
    ck_assert_int_eq(domain_files_open("d.xml", &def, &files, &err), 0);
    ck_assert_uint_eq(files.nr_disks, 2);
    fl = fcntl(files.kernel, F_GETFL);
    ck_assert_int_eq(fl & O_ACCMODE, O_RDONLY);
    ck_assert_int_eq(fl & O_NONBLOCK, 0); /* cleared once checked */
    ck_assert_int_eq(fcntl(files.kernel, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    ck_assert_int_eq(fcntl(files.disks[0], F_GETFL) & O_ACCMODE, O_RDWR);
    ck_assert_int_eq(fcntl(files.disks[1], F_GETFL) & O_ACCMODE, O_RDONLY);
    /* Replaced after the check: the descriptor still is the file checked. */
    ck_assert_int_eq(stat(def.kernel, &st), 0);
    snprintf(moved, sizeof(moved), "%s/other", dir);
    make_file("other", 1, moved, sizeof(moved));
    ck_assert_int_eq(rename(moved, def.kernel), 0);
    struct stat now;
    ck_assert_int_eq(fstat(files.kernel, &now), 0);
    ck_assert_uint_eq(now.st_ino, st.st_ino);
    ck_assert_int_eq(now.st_size, 4096);
}
END_TEST

/* (path) as kernel, or as disk 0 when (disk): refused with (msg) after it. */
static void expect_refused(const char *path, bool disk, const char *msg)
{
    char want[PVCTL_ERR_MAX];
    int before = open_count();

    snprintf(disk ? def.disks[0].path : def.kernel, DOMAIN_PATH_MAX, "%s",
             path);
    ck_assert_int_eq(domain_files_open("d.xml", &def, &files, &err), -EINVAL);
    snprintf(want, sizeof(want), "d.xml:%u: <%s>: '%s' %s", disk ? 9 : 7,
             disk ? "source" : "kernel", path, msg);
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(files.kernel, -1);
    ck_assert_int_eq(open_count(), before); /* nothing left open */
}

START_TEST(test_wrong_kinds)
{
    char fifo[96];

    snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    expect_refused(fifo, false, "is a FIFO; allowed: a PVH ELF kernel file");
    expect_refused(dir, false,
                   "is a directory; allowed: a PVH ELF kernel file");
    expect_refused("/dev/null", false,
                   "is a character device; allowed: a PVH ELF kernel file");
    snprintf(def.kernel, sizeof(def.kernel), "%s/k.elf", dir);
    expect_refused(fifo, true,
                   "is a FIFO; allowed: a raw disk image file (a block device "
                   "needs <disk type='block'>)");
    snprintf(fifo, sizeof(fifo), "%s/d2.img", dir);
    make_file("d2.img", 512, fifo, sizeof(fifo));
    def.disks[0].block = true;
    expect_refused(fifo, true,
                   "is a regular file; allowed: a block device, for <disk "
                   "type='block'>");
}
END_TEST

START_TEST(test_missing)
{
    char want[PVCTL_ERR_MAX];

    snprintf(def.disks[0].path, DOMAIN_PATH_MAX, "%s/absent.img", dir);
    ck_assert_int_eq(domain_files_open("d.xml", &def, &files, &err), -ENOENT);
    snprintf(want, sizeof(want),
             "d.xml:9: <source>: cannot read and write '%s/absent.img': No "
             "such file or directory",
             dir);
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(files.kernel, -1);
}
END_TEST

/* Out of descriptors: the message names the limit, not the file's fault. */
START_TEST(test_too_many_open_files)
{
    struct rlimit rl;
    char want[PVCTL_ERR_MAX];

    int lowest = dup(2); /* the lowest free descriptor: limit it there */

    ck_assert_int_ge(lowest, 0);
    close(lowest);
    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    rl.rlim_cur = (rlim_t)lowest;
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
    ck_assert_int_eq(domain_files_open("d.xml", &def, &files, &err), -EMFILE);
    if (rl.rlim_cur < rl.rlim_max)
        snprintf(want, sizeof(want),
                 "d.xml:7: <kernel>: cannot read '%s': too many open files "
                 "(pvctl's limit, RLIMIT_NOFILE, is %llu; the hard limit "
                 "%llu)",
                 def.kernel, (unsigned long long)rl.rlim_cur,
                 (unsigned long long)rl.rlim_max);
    else
        snprintf(want, sizeof(want),
                 "d.xml:7: <kernel>: cannot read '%s': too many open files "
                 "(pvctl's limit, RLIMIT_NOFILE, is %llu, the hard limit; "
                 "raise it with ulimit -Hn or LimitNOFILE=)",
                 def.kernel, (unsigned long long)rl.rlim_cur);
    ck_assert_str_eq(err.msg, want);
    /* Raised to the hard limit, it opens. */
    ck_assert_int_eq(host_raise_nofile(), (long)rl.rlim_max);
    ck_assert_int_eq(domain_files_open("d.xml", &def, &files, &err), 0);
}
END_TEST

START_TEST(test_fd_limit_notes)
{
    char msg[512], why[256];

    snprintf(msg, sizeof(msg), "cannot allocate: %s", strerror(EMFILE));
    host_note_fd_limit(-ENOMEM, msg, sizeof(msg));
    ck_assert_ptr_nonnull(strstr(msg, "; too many open files (pvctl's limit"));
    snprintf(msg, sizeof(msg), "KVM_CREATE_VM failed: %s", strerror(ENFILE));
    host_note_fd_limit(-ENFILE, msg, sizeof(msg));
    ck_assert_ptr_nonnull(
        strstr(msg, "; too many open files in the system (its limit, "
                    "fs.file-max, is "));
    snprintf(msg, sizeof(msg), "no such kernel");
    host_note_fd_limit(-ENOENT, msg, sizeof(msg));
    ck_assert_str_eq(msg, "no such kernel");
    ck_assert_str_eq(host_strerror(ENOENT, why, sizeof(why)), strerror(ENOENT));
}
END_TEST

START_TEST(test_host_memory)
{
    struct host_memory m;
    char buf[32];

    ck_assert_int_eq(host_memory_read(&m), 0);
    ck_assert_uint_gt(m.total, 0);
    ck_assert_uint_le(m.available, m.total);
    ck_assert_str_eq(host_size_text(64ULL << 40, buf, sizeof(buf)), "64 TiB");
    ck_assert_str_eq(host_size_text(768ULL << 20, buf, sizeof(buf)), "768 MiB");
    ck_assert_str_eq(host_size_text(4097ULL << 10, buf, sizeof(buf)),
                     "4097 KiB");
    ck_assert_str_eq(host_size_text(0, buf, sizeof(buf)), "0 bytes");
    ck_assert_str_eq(host_size_text(47ULL << 29, buf, sizeof(buf)), "23.5 GiB");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("domain_files");
    TCase *tc = tcase_create("files");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_opened_as_served);
    tcase_add_test(tc, test_wrong_kinds);
    tcase_add_test(tc, test_missing);
    tcase_add_test(tc, test_too_many_open_files);
    tcase_add_test(tc, test_fd_limit_notes);
    tcase_add_test(tc, test_host_memory);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
