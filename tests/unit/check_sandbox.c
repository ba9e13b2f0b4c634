/* SPDX-License-Identifier: MIT */
/* check_sandbox.c: what a confined vCPU thread may and may not ask of the host.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host/loop.h"
#include "platform/kvm/kvm.h"
#include "core/platform.h"

struct outcome {
    int sandbox; /* kvm_sandbox_vcpu_thread(false, -1)'s result */
    int socket_rc, socket_errno;
    int ioctl_rc, ioctl_errno;
    int exec_rc, exec_errno;
    int kill_rc, kill_errno;
    pid_t pid;     /* getpid, allowed */
    void *map;     /* mmap, allowed */
    ssize_t wrote; /* write, allowed */
};

static void *confined(void *opaque)
{
    struct outcome *o = opaque;
    int n = 0;
    char *argv[] = {"/bin/true", NULL};

    o->sandbox = kvm_sandbox_vcpu_thread(false, -1);
    o->socket_rc = socket(AF_INET, SOCK_STREAM, 0);
    o->socket_errno = errno;
    /* ioctl is allowed only for the KVM vCPU requests. */
    o->ioctl_rc = ioctl(STDIN_FILENO, FIONREAD, &n);
    o->ioctl_errno = errno;
    o->exec_rc = execve(argv[0], argv, NULL);
    o->exec_errno = errno;
    o->kill_rc = kill(getpid(), 0);
    o->kill_errno = errno;
    o->pid = getpid();
    o->map = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    o->wrote = write(STDERR_FILENO, "", 0);
    return NULL;
}

START_TEST(test_forbidden_calls_are_refused_allowed_ones_work)
{
    struct outcome o = {0};
    pthread_t t;
    unsigned int before = kvm_sandbox_refusals();

    ck_assert_int_eq(pthread_create(&t, NULL, confined, &o), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert_int_eq(o.sandbox, 0);
    ck_assert_int_eq(o.socket_rc, -1);
    ck_assert_int_eq(o.socket_errno, EPERM);
    ck_assert_int_eq(o.ioctl_rc, -1);
    ck_assert_int_eq(o.ioctl_errno, EPERM);
    ck_assert_int_eq(o.exec_rc, -1);
    ck_assert_int_eq(o.exec_errno, EPERM);
    ck_assert_int_eq(o.kill_rc, -1);
    ck_assert_int_eq(o.kill_errno, EPERM);
    ck_assert_uint_eq(kvm_sandbox_refusals(), before + 4);
    ck_assert_int_eq(o.pid, getpid());
    ck_assert_ptr_ne(o.map, MAP_FAILED);
    ck_assert_int_eq(o.wrote, 0);
}
END_TEST

/* The filter binds the confined thread only, not its process. */
START_TEST(test_other_threads_are_not_confined)
{
    struct outcome o = {0};
    pthread_t t;

    ck_assert_int_eq(pthread_create(&t, NULL, confined, &o), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    close(fd);
}
END_TEST

/* What a vCPU thread asks of the host loop: post a task, arm a timer. */
struct loop_calls {
    struct host_task *task;
    struct host_timer *timer;
    int sandbox;
    atomic_int ran;
};

static void loop_ran(void *opaque)
{
    struct loop_calls *c = opaque;

    atomic_fetch_add(&c->ran, 1);
}

static void *confined_loop(void *opaque)
{
    struct loop_calls *c = opaque;

    c->sandbox = kvm_sandbox_vcpu_thread(false, -1);
    host_task_post(c->task);
    host_timer_arm(c->timer, host_now_ns() + 3600ULL * 1000000000ULL);
    host_timer_cancel(c->timer);
    host_timer_arm(c->timer, host_now_ns());
    return NULL;
}

START_TEST(test_loop_calls_are_allowed)
{
    struct loop_calls c = {0};
    struct host_loop *loop;
    unsigned int before = kvm_sandbox_refusals();
    pthread_t t;

    ck_assert_int_eq(host_loop_start(&loop), 0);
    ck_assert_int_eq(host_task_new(loop, loop_ran, &c, &c.task), 0);
    ck_assert_int_eq(host_timer_new(loop, loop_ran, &c, &c.timer), 0);
    ck_assert_int_eq(pthread_create(&t, NULL, confined_loop, &c), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    for (int i = 0; i < 5000 && atomic_load(&c.ran) < 2; i++)
        usleep(1000);
    ck_assert_int_eq(c.sandbox, 0);
    ck_assert_int_eq(atomic_load(&c.ran), 2);
    ck_assert_uint_eq(kvm_sandbox_refusals(), before);
    host_task_free(c.task);
    host_timer_free(c.timer);
    host_loop_free(loop);
}
END_TEST

struct worker_outcome {
    int sandbox;
    int ioctl_rc, ioctl_errno;
    int irq_rc, irq_errno; /* KVM_IRQ_LINE on a non-KVM descriptor */
    int socket_rc, socket_errno;
    ssize_t read_rc, pwrite_rc;
    int fdatasync_rc;
};

/* A backend worker: its eventfd, disk I/O and an interrupt line work,
 * other ioctls and socket not. */
static void *worker_confined(void *opaque)
{
    struct worker_outcome *o = opaque;
    int efd = eventfd(1, EFD_CLOEXEC), n = 0;
    char path[] = "/tmp/check_sandbox.XXXXXX";
    int fd = mkstemp(path);
    uint64_t v;

    unlink(path);
    o->sandbox = kvm_sandbox_worker_thread();
    o->ioctl_rc = ioctl(STDIN_FILENO, FIONREAD, &n);
    o->ioctl_errno = errno;
    o->irq_rc = ioctl(fd, KVM_IRQ_LINE, &(struct kvm_irq_level){.irq = 14});
    o->irq_errno = errno;
    o->socket_rc = socket(AF_INET, SOCK_STREAM, 0);
    o->socket_errno = errno;
    o->read_rc = read(efd, &v, sizeof(v));
    o->pwrite_rc = pwrite(fd, "x", 1, 4096);
    o->fdatasync_rc = fdatasync(fd);
    return NULL;
}

START_TEST(test_worker_policy)
{
    struct worker_outcome o = {0};
    pthread_t t;
    unsigned int before = kvm_sandbox_refusals();

    ck_assert_int_eq(pthread_create(&t, NULL, worker_confined, &o), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert_int_eq(o.sandbox, 0);
    ck_assert_int_eq(o.ioctl_rc, -1);
    ck_assert_int_eq(o.ioctl_errno, EPERM);
    /* An ATA worker's interrupt line passes the filter (then ENOTTY). */
    ck_assert_int_eq(o.irq_rc, -1);
    ck_assert_int_eq(o.irq_errno, ENOTTY);
    ck_assert_int_eq(o.socket_rc, -1);
    ck_assert_int_eq(o.socket_errno, EPERM);
    ck_assert_uint_eq(kvm_sandbox_refusals(), before + 2);
    ck_assert_int_eq(o.read_rc, 8);
    ck_assert_int_eq(o.pwrite_rc, 1);
    ck_assert_int_eq(o.fdatasync_rc, 0);
}
END_TEST

/* The vCPU list has no disk writes any more: they are the workers'. */
static void *vcpu_writes(void *opaque)
{
    int *rc = opaque;
    char path[] = "/tmp/check_sandbox.XXXXXX";
    int fd = mkstemp(path);

    unlink(path);
    rc[0] = kvm_sandbox_vcpu_thread(false, -1);
    rc[1] = (int)pwrite(fd, "x", 1, 0);
    rc[2] = errno;
    return NULL;
}

START_TEST(test_vcpu_makes_no_disk_writes)
{
    int rc[3] = {0};
    pthread_t t;

    ck_assert_int_eq(pthread_create(&t, NULL, vcpu_writes, rc), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert_int_eq(rc[0], 0);
    ck_assert_int_eq(rc[1], -1);
    ck_assert_int_eq(rc[2], EPERM);
}
END_TEST

/* An hvm domain's vCPU leaves its ATA disks' I/O to their worker. */
static void *hvm_vcpu_writes(void *opaque)
{
    int *rc = opaque;
    char path[] = "/tmp/check_sandbox.XXXXXX";
    int fd = mkstemp(path);

    unlink(path);
    rc[0] = kvm_sandbox_vcpu_thread(true, -1);
    rc[1] = (int)pwrite(fd, "x", 1, 0);
    rc[2] = errno;
    rc[3] = fdatasync(fd);
    rc[4] = errno;
    rc[5] = (int)socket(AF_UNIX, SOCK_STREAM, 0);
    rc[6] = errno;
    return NULL;
}

START_TEST(test_hvm_vcpu_makes_no_disk_writes)
{
    int rc[7] = {0};
    pthread_t t;

    ck_assert_int_eq(pthread_create(&t, NULL, hvm_vcpu_writes, rc), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert_int_eq(rc[0], 0);
    ck_assert_int_eq(rc[1], -1);
    ck_assert_int_eq(rc[2], EPERM);
    ck_assert_int_eq(rc[3], -1);
    ck_assert_int_eq(rc[4], EPERM);
    ck_assert_int_eq(rc[5], -1);
    ck_assert_int_eq(rc[6], EPERM);
}
END_TEST

/* Memslots: the thread's own VM's descriptor only. */
static void *vcpu_memslots(void *opaque)
{
    int *rc = opaque;
    struct kvm_userspace_memory_region r = {.slot = 9};

    rc[0] = kvm_sandbox_vcpu_thread(false, rc[5]);
    rc[1] = ioctl(rc[5], KVM_SET_USER_MEMORY_REGION, &r);
    rc[2] = errno;
    rc[3] = ioctl(rc[6], KVM_SET_USER_MEMORY_REGION, &r);
    rc[4] = errno;
    return NULL;
}

START_TEST(test_vcpu_memslots_of_its_own_vm_only)
{
    int rc[7] = {0};
    pthread_t t;
    unsigned int before = kvm_sandbox_refusals();

    /* Not KVM descriptors: an ioctl that passes the filter says ENOTTY. */
    rc[5] = open("/dev/null", O_RDONLY);
    rc[6] = open("/dev/null", O_RDONLY);
    ck_assert_int_ge(rc[5], 0);
    ck_assert_int_ge(rc[6], 0);
    ck_assert_int_eq(pthread_create(&t, NULL, vcpu_memslots, rc), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert_int_eq(rc[0], 0);
    ck_assert_int_eq(rc[1], -1);
    ck_assert_int_eq(rc[2], ENOTTY);
    ck_assert_int_eq(rc[3], -1);
    ck_assert_int_eq(rc[4], EPERM);
    ck_assert_uint_eq(kvm_sandbox_refusals(), before + 1);
    close(rc[5]);
    close(rc[6]);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sandbox");
    TCase *tc = tcase_create("vcpu");
    tcase_add_test(tc, test_forbidden_calls_are_refused_allowed_ones_work);
    tcase_add_test(tc, test_other_threads_are_not_confined);
    tcase_add_test(tc, test_hvm_vcpu_makes_no_disk_writes);
    tcase_add_test(tc, test_loop_calls_are_allowed);
    tcase_add_test(tc, test_worker_policy);
    tcase_add_test(tc, test_vcpu_makes_no_disk_writes);
    tcase_add_test(tc, test_vcpu_memslots_of_its_own_vm_only);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
