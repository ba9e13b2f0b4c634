/* SPDX-License-Identifier: MIT */
/* sandbox.c: the system calls a vCPU thread may make once it runs a guest. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <ucontext.h>
#include <unistd.h>

#include "core/log.h"
#include "platform/kvm/kvm.h"

/*
 * A vCPU thread runs the guest and, on its exits, every hypercall and the
 * backends the guest kicks: the code that guest input reaches first. Once
 * set up, it needs only what is listed here (Firecracker confines its
 * vCPU threads the same way). Anything else is refused with EPERM and
 * reported: a bug or an attack, either way not something to carry out.
 */
static const int vcpu_syscalls[] = {
    /* memory: malloc, grant mappings (mmap MAP_FIXED of a memfd) */
    SCMP_SYS(brk),
    SCMP_SYS(mmap),
    SCMP_SYS(munmap),
    SCMP_SYS(mremap),
    SCMP_SYS(mprotect),
    SCMP_SYS(madvise),
    /* locks, sleeping, time */
    SCMP_SYS(futex),
    SCMP_SYS(sched_yield),
    SCMP_SYS(nanosleep),
    SCMP_SYS(clock_nanosleep),
    SCMP_SYS(clock_gettime),
    SCMP_SYS(gettimeofday),
    /* kicking another vCPU (pthread_kill), signals, leaving */
    SCMP_SYS(getpid),
    SCMP_SYS(gettid),
    SCMP_SYS(tgkill),
    SCMP_SYS(rt_sigprocmask),
    SCMP_SYS(rt_sigreturn),
    SCMP_SYS(restart_syscall),
    SCMP_SYS(exit),
    SCMP_SYS(exit_group),
    /* console and log output; disk I/O of blkback on descriptors it holds */
    SCMP_SYS(write),
    SCMP_SYS(writev),
    SCMP_SYS(fstat),
    SCMP_SYS(newfstatat),
    SCMP_SYS(pread64),
    SCMP_SYS(pwrite64),
    SCMP_SYS(preadv),
    SCMP_SYS(pwritev),
    SCMP_SYS(preadv2),
    SCMP_SYS(pwritev2),
    SCMP_SYS(fdatasync),
    SCMP_SYS(fsync),
    SCMP_SYS(fallocate),
    /* a XenStore watch firing for a socket client: sent from here, or the
     * client shut down when its unread output overflows */
    SCMP_SYS(sendto),
    SCMP_SYS(sendmsg),
    SCMP_SYS(shutdown),
#if defined(__SANITIZE_ADDRESS__)
    /* The sanitizers' runtime, to print a report from this thread. */
    SCMP_SYS(openat),
    SCMP_SYS(read),
    SCMP_SYS(close),
    SCMP_SYS(readlink),
    SCMP_SYS(readlinkat),
    SCMP_SYS(getcwd),
    SCMP_SYS(prctl),
    SCMP_SYS(sigaltstack),
    SCMP_SYS(rt_sigaction),
    SCMP_SYS(sched_getaffinity),
    SCMP_SYS(getrlimit),
    SCMP_SYS(prlimit64),
    SCMP_SYS(getppid),
    SCMP_SYS(uname),
    SCMP_SYS(lseek),
#endif
};

/* ioctl only on the requests the vCPU loop and vcpu_op make, and the
 * memslot of a grant frame put outside RAM (add_to_physmap). */
static const unsigned long vcpu_ioctls[] = {
    KVM_RUN,       KVM_INTERRUPT, KVM_GET_REGS, KVM_SET_REGS,    KVM_GET_SREGS,
    KVM_SET_SREGS, KVM_GET_MSRS,  KVM_SET_MSRS, KVM_GET_TSC_KHZ,
    KVM_SET_USER_MEMORY_REGION,
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SANDBOX_REPORTS 16 /* then refusals go on silently */

static atomic_uint refusals;

/* append: copies (s) to (p) and returns the end; async-signal-safe. */
static char *append(char *p, const char *s)
{
    while (*s)
        *p++ = *s++;
    return p;
}

/* SIGSYS: the filter trapped a call. Say so (async-signal-safe), refuse. */
static void refused(int sig, siginfo_t *si, void *uc_)
{
    ucontext_t *uc = uc_;
    char msg[128], digits[12], *p = msg, *d = digits + sizeof(digits);
    unsigned int nr = (unsigned int)si->si_syscall;

    (void)sig;
    uc->uc_mcontext.gregs[REG_RAX] = -EPERM;
    if (atomic_fetch_add(&refusals, 1) >= SANDBOX_REPORTS)
        return;
    *--d = '\0';
    do
        *--d = (char)('0' + nr % 10);
    while ((nr /= 10) && d > digits);
    p = append(p, "pvhv: error: sandbox: a vCPU thread made system call ");
    p = append(p, d);
    p = append(p, "; refused (EPERM)\n");
    if (write(STDERR_FILENO, msg, (size_t)(p - msg)) < 0)
        return;
}

static scmp_filter_ctx vcpu_filter;
static int filter_error;
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t filter_once = PTHREAD_ONCE_INIT;

static int build_vcpu_filter(scmp_filter_ctx ctx)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < ARRAY_LEN(vcpu_syscalls); i++)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, vcpu_syscalls[i], 0);
    for (size_t i = 0; rc == 0 && i < ARRAY_LEN(vcpu_ioctls); i++)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
                              SCMP_A1(SCMP_CMP_EQ, vcpu_ioctls[i]));
    return rc;
}

static void make_filter(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = refused;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSYS, &sa, NULL) < 0) {
        filter_error = -errno;
        return;
    }
    vcpu_filter = seccomp_init(SCMP_ACT_TRAP);
    if (!vcpu_filter) {
        filter_error = -ENOMEM;
        return;
    }
    filter_error = build_vcpu_filter(vcpu_filter);
    if (filter_error < 0) {
        seccomp_release(vcpu_filter);
        vcpu_filter = NULL;
    }
}

int kvm_sandbox_vcpu_thread(void)
{
    int rc;

    pthread_once(&filter_once, make_filter);
    if (!vcpu_filter)
        return filter_error;
    /* No TSYNC: the filter binds this thread only (and no_new_privs). */
    pthread_mutex_lock(&load_lock);
    rc = seccomp_load(vcpu_filter);
    pthread_mutex_unlock(&load_lock);
    return rc;
}

unsigned int kvm_sandbox_refusals(void)
{
    return atomic_load(&refusals);
}
