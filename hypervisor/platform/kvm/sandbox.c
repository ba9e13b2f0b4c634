/* SPDX-License-Identifier: MIT */
/* sandbox.c: the system calls vCPU and backend worker threads may make. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "core/log.h"
#include "platform/kvm/kvm.h"
#include "core/platform.h"

/*
 * A vCPU thread runs the guest and, on its exits, every hypercall: the
 * code that guest input reaches first. The backends' disk I/O is not
 * among them: it runs on the backends' worker threads (below). Once
 * set up, it needs only what is listed here (Firecracker confines its
 * vCPU threads the same way). Anything else is refused with EPERM and
 * reported: a bug or an attack, either way not something to carry out.
 */
/* ASan's runtime: GCC says so with __SANITIZE_ADDRESS__, clang 14 only
 * with __has_feature. */
#if defined(__SANITIZE_ADDRESS__)
#define PVHV_SANDBOX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PVHV_SANDBOX_ASAN 1
#endif
#endif
#ifndef PVHV_SANDBOX_ASAN
#define PVHV_SANDBOX_ASAN 0
#endif

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
    /* console and log output */
    SCMP_SYS(write),
    SCMP_SYS(writev),
    SCMP_SYS(fstat),
    SCMP_SYS(newfstatat),
    SCMP_SYS(pread64),   /* KVM's binary stats (stats.c) */
    SCMP_SYS(fallocate), /* released RAM (memory.c) */
    /* a XenStore watch firing for a socket client: sent from here, or the
     * client shut down when its unread output overflows */
    SCMP_SYS(sendto),
    SCMP_SYS(sendmsg),
    SCMP_SYS(shutdown),
#if PVHV_SANDBOX_ASAN
/* The sanitizers' runtime: a thread's signal stack undone at its exit,
 * a report printed from this thread (open and stat: clang's). */
#ifdef __NR_open
    SCMP_SYS(open),
    SCMP_SYS(stat),
#endif
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

/*
 * A worker thread (host/worker.c) serves its backend's ring or its ATA
 * channel's commands and passes output on as a vCPU thread did (the vCPU
 * list, no ioctl but an emulated disk's interrupt line), and does the
 * disk I/O: synchronous or through
 * io_uring (set up before the thread starts). An hvm domain's vCPU
 * thread gets no disk calls: its ATA I/O runs on such a worker.
 */
static const int worker_syscalls[] = {
    SCMP_SYS(read), /* its eventfd */
    SCMP_SYS(pwrite64), SCMP_SYS(preadv),         SCMP_SYS(pwritev),
    SCMP_SYS(preadv2),  SCMP_SYS(pwritev2),       SCMP_SYS(fdatasync),
    SCMP_SYS(fsync),    SCMP_SYS(io_uring_enter),
};

/* ioctl only on the requests the vCPU loop and vcpu_op make, and the
 * interrupt line of an hvm domain's device; and, on its own VM's
 * descriptor alone (vcpu_memslot_rule), the memslot of a grant frame put
 * outside RAM (add_to_physmap). */
static const unsigned long vcpu_ioctls[] = {
    KVM_RUN,
    KVM_INTERRUPT,
    KVM_GET_REGS,
    KVM_SET_REGS,
    KVM_GET_SREGS,
    KVM_SET_SREGS,
    KVM_GET_MSRS,
    KVM_SET_MSRS,
    KVM_GET_TSC_KHZ,
    KVM_GET_MP_STATE,
    KVM_SET_MP_STATE,
    KVM_IRQ_LINE, /* an hvm domain's device raising its ISA
line */
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SANDBOX_REPORTS 16 /* then refusals go on silently */

static atomic_uint refusals;
/* What the calling thread is, for the report: set when it is confined. */
static __thread const char *thread_role = "a vCPU thread";

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
    p = append(p, "pvhv: error: sandbox: ");
    p = append(p, thread_role);
    p = append(p, " made system call ");
    p = append(p, d);
    p = append(p, "; refused (EPERM)\n");
    if (write(STDERR_FILENO, msg, (size_t)(p - msg)) < 0)
        return;
}

static scmp_filter_ctx worker_filter;

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

/*
 * vcpu_memslot_rule: KVM_SET_USER_MEMORY_REGION and KVM_SIGNAL_MSI on
 * (vm_fd) only, so that a vCPU thread can change its own VM's memslots
 * and raise its own APIC's vector, and no other domain's (a descriptor
 * of another VM of this process is refused); none when (vm_fd) < 0.
 */
static int vcpu_memslot_rule(scmp_filter_ctx ctx, int vm_fd)
{
    int rc;

    if (vm_fd < 0)
        return 0;
    rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 2,
                          SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)vm_fd),
                          SCMP_A1(SCMP_CMP_EQ, KVM_SET_USER_MEMORY_REGION));
    /* Its own APIC's per-vCPU upcall vector (lapic.c), on its VM only. */
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 2,
                              SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)vm_fd),
                              SCMP_A1(SCMP_CMP_EQ, KVM_SIGNAL_MSI));
    return rc;
}

static int build_worker_filter(scmp_filter_ctx ctx)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < ARRAY_LEN(vcpu_syscalls); i++)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, vcpu_syscalls[i], 0);
    for (size_t i = 0; rc == 0 && i < ARRAY_LEN(worker_syscalls); i++)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, worker_syscalls[i], 0);
    /* One ioctl: an emulated disk's worker ends a command with its
     * interrupt (ATA's IRQ 14, platform_irq_line). */
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
                              SCMP_A1(SCMP_CMP_EQ, KVM_IRQ_LINE));
    return rc;
}

/* A filter that traps what (build) does not allow, or NULL and (*rc). */
static scmp_filter_ctx new_filter(int (*build)(scmp_filter_ctx), int *rc)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);

    if (!ctx) {
        *rc = -ENOMEM;
        return NULL;
    }
    *rc = build(ctx);
    if (*rc < 0) {
        seccomp_release(ctx);
        return NULL;
    }
    return ctx;
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
    worker_filter = new_filter(build_worker_filter, &filter_error);
}

/* Loads (*f) on the calling thread only (no TSYNC; and no_new_privs). */
static int confine(scmp_filter_ctx *f, const char *role)
{
    int rc;

    pthread_once(&filter_once, make_filter);
    if (!*f)
        return filter_error;
    thread_role = role;
    pthread_mutex_lock(&load_lock);
    rc = seccomp_load(*f);
    pthread_mutex_unlock(&load_lock);
    return rc;
}

/*
 * A vCPU thread's filter names its VM's descriptor, so each thread gets
 * its own, made here (a few rules: cheap beside a domain's start).
 */
int kvm_sandbox_vcpu_thread(bool hvm, int vm_fd)
{
    int rc;
    scmp_filter_ctx f;

    pthread_once(&filter_once, make_filter);
    if (!worker_filter)
        return filter_error; /* no SIGSYS handler, or no seccomp */
    f = new_filter(build_vcpu_filter, &rc);
    if (f && rc == 0)
        rc = vcpu_memslot_rule(f, vm_fd);
    if (f && rc == 0)
        rc = confine(&f, hvm ? "an hvm vCPU thread" : "a vCPU thread");
    if (f)
        seccomp_release(f);
    return rc;
}

int kvm_sandbox_worker_thread(void)
{
    return confine(&worker_filter, "a backend worker thread");
}

unsigned int kvm_sandbox_refusals(void)
{
    return atomic_load(&refusals);
}
