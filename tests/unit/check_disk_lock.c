/* SPDX-License-Identifier: MIT */
/* check_disk_lock.c: disk images locked per domain, on real files. */
#define _GNU_SOURCE /* F_OFD_GETLK */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/disk_lock.h"
#include "pvhv.h"

static char dir[] = "/tmp/check_disk_lock.XXXXXX";
static char image[64];
static struct pvhv_error err;

static void setup(void)
{
    int fd;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(image, sizeof(image), "%s/disk.img", dir);
    fd = open(image, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, 1 << 20), 0);
    close(fd);
    memset(&err, 0, sizeof(err));
}

static void teardown(void)
{
    unlink(image);
    rmdir(dir);
    strcpy(dir, "/tmp/check_disk_lock.XXXXXX");
}

/* A fresh open file description of the image, as a toolstack makes one. */
static int open_image(int flags, struct stat *st)
{
    int fd = open(image, flags | O_CLOEXEC);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(fstat(fd, st), 0);
    return fd;
}

static const struct disk_lock_owner web = {"web", 1, "xvda", "disk.img"};
static const struct disk_lock_owner db = {"db", 2, "xvdb", "disk.img"};

/* take: disk_lock_take on a new open of the image; its rc. */
static int take(int flags, bool readonly, const struct disk_lock_owner *who,
                int *fd, struct disk_lock **l)
{
    struct stat st;

    *fd = open_image(flags, &st);
    *l = NULL;
    return disk_lock_take(*fd, &st, readonly, who, l, &err);
}

/* The lock type another open file description would run into, or F_UNLCK. */
static short kernel_lock(void)
{
    struct stat st;
    int fd = open_image(O_RDWR, &st);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};

    ck_assert_int_eq(fcntl(fd, F_OFD_GETLK, &fl), 0);
    close(fd);
    return fl.l_type;
}

START_TEST(test_writers_conflict)
{
    struct disk_lock *a, *b;
    int fa, fb;

    ck_assert_int_eq(take(O_RDWR, false, &web, &fa, &a), 0);
    ck_assert_int_eq(kernel_lock(), F_WRLCK);
    ck_assert_int_eq(take(O_RDWR, false, &db, &fb, &b), -EBUSY);
    ck_assert_str_eq(err.msg,
                     "disk disk.img (xvdb): image in use by domain 'web' "
                     "(id 1) as xvda, writable; allowed: one domain writing "
                     "an image, or any number reading it read-only");
    ck_assert_ptr_null(b);
    /* A reader is refused too, and told the writer. */
    close(fb);
    ck_assert_int_eq(take(O_RDONLY, true, &db, &fb, &b), -EBUSY);
    ck_assert_ptr_nonnull(strstr(err.msg, "domain 'web' (id 1) as xvda"));
    close(fb);
    /* Dropped: the kernel lock goes although the caller's copy stays. */
    int keep = dup(fa);
    disk_lock_drop(a);
    close(fa);
    ck_assert_int_eq(kernel_lock(), F_UNLCK);
    ck_assert_int_eq(take(O_RDWR, false, &db, &fb, &b), 0);
    disk_lock_drop(b);
    close(fb);
    close(keep);
}
END_TEST

START_TEST(test_readers_share)
{
    struct disk_lock *a, *b, *c;
    int fa, fb, fc;

    ck_assert_int_eq(take(O_RDONLY, true, &web, &fa, &a), 0);
    ck_assert_int_eq(take(O_RDONLY, true, &db, &fb, &b), 0);
    ck_assert_int_eq(kernel_lock(), F_RDLCK);
    /* A writer meets the readers: refused, naming one. */
    ck_assert_int_eq(take(O_RDWR, false, &web, &fc, &c), -EBUSY);
    ck_assert_ptr_nonnull(strstr(err.msg, "read-only"));
    close(fc);
    disk_lock_drop(a);
    disk_lock_drop(b);
    close(fa);
    close(fb);
    ck_assert_int_eq(kernel_lock(), F_UNLCK);
}
END_TEST

/* One open file description twice: the kernel would allow it, we do not. */
START_TEST(test_same_description_twice)
{
    struct disk_lock *a, *b = NULL;
    struct stat st;
    int fd;

    ck_assert_int_eq(take(O_RDWR, false, &web, &fd, &a), 0);
    ck_assert_int_eq(fstat(fd, &st), 0);
    ck_assert_int_eq(disk_lock_take(fd, &st, false, &db, &b, &err), -EBUSY);
    ck_assert_ptr_nonnull(strstr(err.msg, "domain 'web' (id 1) as xvda"));
    disk_lock_drop(a);
    close(fd);
}
END_TEST

/*
 * holder: forks a process that locks the image for writing with (cmd)
 * (F_SETLK: POSIX, or F_OFD_SETLK) and waits; returns its pid once it
 * holds the lock. Kill it to end it.
 */
static pid_t holder(int cmd)
{
    int ready[2];
    pid_t pid;
    char c;

    ck_assert_int_eq(pipe(ready), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        struct flock fl = {.l_type = F_WRLCK,
                           .l_whence = SEEK_SET,
                           .l_start = cmd == F_SETLK ? 100 : 0,
                           .l_len = cmd == F_SETLK ? 1 : 0};
        int fd = open(image, O_RDWR);

        if (fd < 0 || fcntl(fd, cmd, &fl) < 0)
            _exit(1);
        if (write(ready[1], "x", 1) != 1)
            _exit(1);
        pause();
        _exit(0);
    }
    close(ready[1]);
    ck_assert_int_eq(read(ready[0], &c, 1), 1);
    close(ready[0]);
    return pid;
}

static void end(pid_t pid)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

START_TEST(test_other_process_posix)
{
    pid_t pid = holder(F_SETLK);
    struct disk_lock *l;
    char want[256];
    int fd;

    ck_assert_int_eq(take(O_RDWR, false, &web, &fd, &l), -EBUSY);
    snprintf(want, sizeof(want),
             "disk disk.img (xvda): image locked by another process: process "
             "%d holds a POSIX write lock on bytes 100 to 100; allowed: an "
             "image no other program uses at all",
             (int)pid);
    ck_assert_str_eq(err.msg, want);
    close(fd);
    end(pid);
    ck_assert_int_eq(take(O_RDWR, false, &web, &fd, &l), 0);
    disk_lock_drop(l);
    close(fd);
}
END_TEST

START_TEST(test_other_process_ofd)
{
    pid_t pid = holder(F_OFD_SETLK);
    struct disk_lock *l;
    int fd;

    ck_assert_int_eq(take(O_RDONLY, true, &web, &fd, &l), -EBUSY);
    ck_assert_str_eq(err.msg,
                     "disk disk.img (xvda): image locked by another process: "
                     "another process holds an open file description write "
                     "lock (whose, the kernel does not say) on the whole "
                     "file; allowed: an image no other program uses for "
                     "writing");
    close(fd);
    end(pid);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("disk_lock");
    TCase *tc = tcase_create("locks");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_writers_conflict);
    tcase_add_test(tc, test_readers_share);
    tcase_add_test(tc, test_same_description_twice);
    tcase_add_test(tc, test_other_process_posix);
    tcase_add_test(tc, test_other_process_ofd);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
