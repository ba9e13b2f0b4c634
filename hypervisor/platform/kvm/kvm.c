/* SPDX-License-Identifier: MIT */
/* kvm.c: opening /dev/kvm and checking that it offers what pvhv needs. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "platform/kvm/kvm.h"
#include "platform/platforms.h"

#define KVM_DEVICE "/dev/kvm"

static const struct {
    int cap;
    const char *name;
} required_caps[] = {
    {KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY"},
    {KVM_CAP_SYNC_REGS, "KVM_CAP_SYNC_REGS"},
    {KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT"},
    {KVM_CAP_X86_USER_SPACE_MSR, "KVM_CAP_X86_USER_SPACE_MSR"},
    {KVM_CAP_X86_MSR_FILTER, "KVM_CAP_X86_MSR_FILTER"},
    {KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID"},
};

static int open_kvm(struct pvhv_error *err)
{
    int fd = open(KVM_DEVICE, O_RDWR | O_CLOEXEC);
    if (fd >= 0)
        return fd;
    int e = errno;
    if (e == ENOENT)
        pvhv_error_set(err,
                       KVM_DEVICE " does not exist: this host offers no KVM "
                                  "(load the kvm module, or use a machine with "
                                  "virtualization enabled)");
    else if (e == EACCES || e == EPERM)
        pvhv_error_set(err,
                       "cannot open " KVM_DEVICE
                       ": %s (run as root or join the "
                       "group that owns " KVM_DEVICE ")",
                       strerror(e));
    else
        pvhv_error_set(err, "cannot open " KVM_DEVICE ": %s", strerror(e));
    return -ENODEV;
}

static int check_kvm(int fd, struct pvhv_error *err)
{
    int api = ioctl(fd, KVM_GET_API_VERSION, 0);
    if (api != KVM_API_VERSION) {
        pvhv_error_set(err,
                       KVM_DEVICE " speaks KVM API version %d; pvhv needs %d",
                       api, KVM_API_VERSION);
        return -ENODEV;
    }
    for (size_t i = 0; i < sizeof(required_caps) / sizeof(required_caps[0]);
         i++) {
        if (ioctl(fd, KVM_CHECK_EXTENSION, required_caps[i].cap) <= 0) {
            pvhv_error_set(err,
                           KVM_DEVICE
                           " lacks %s, which pvhv needs (host kernel "
                           "too old?)",
                           required_caps[i].name);
            return -ENODEV;
        }
    }
    return 0;
}

static struct kvm_cpuid2 *supported_cpuid(int fd)
{
    for (unsigned int n = 64; n <= 4096; n *= 2) {
        struct kvm_cpuid2 *c =
            calloc(1, sizeof(*c) + n * sizeof(struct kvm_cpuid_entry2));
        if (!c)
            return NULL;
        c->nent = n;
        if (ioctl(fd, KVM_GET_SUPPORTED_CPUID, c) == 0)
            return c;
        free(c);
        if (errno != E2BIG)
            return NULL;
    }
    return NULL;
}

/* The kick signal only has to interrupt KVM_RUN: its handler does nothing. */
static void kick_handler(int sig)
{
    (void)sig;
}

static int install_kick_signal(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = kick_handler;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: KVM_RUN must return -EINTR. */
    if (sigaction(SIGRTMIN, &sa, NULL) < 0)
        return -errno;
    return SIGRTMIN;
}

static int kvm_open(struct platform **pp, struct pvhv_error *err)
{
    int fd = open_kvm(err);
    if (fd < 0)
        return fd;
    int rc = check_kvm(fd, err);
    if (rc < 0)
        goto fail_fd;
    struct kvm_platform *p = calloc(1, sizeof(*p));
    if (!p) {
        rc = -ENOMEM;
        pvhv_error_set(err, "out of memory");
        goto fail_fd;
    }
    p->base.ops = &platform_kvm;
    p->kvm_fd = fd;
    pthread_mutex_init(&p->native_lock, NULL);
    p->vcpu_mmap_size = ioctl(fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    p->cpuid = supported_cpuid(fd);
    p->kick_signal = install_kick_signal();
    kvm_xen_hcall_probe(p);
    kvm_lapic_probe(p);
    if (p->vcpu_mmap_size <= 0 || !p->cpuid || p->kick_signal < 0) {
        rc = -ENODEV;
        pvhv_error_set(err,
                       KVM_DEVICE
                       " set-up failed (vCPU mmap size, supported CPUID "
                       "or signal): %s",
                       strerror(errno));
        free(p->cpuid);
        pthread_mutex_destroy(&p->native_lock);
        free(p);
        goto fail_fd;
    }
    *pp = &p->base;
    return 0;

fail_fd:
    close(fd);
    return rc;
}

int kvm_msr(int fd, unsigned long req, uint32_t index, uint64_t *val)
{
    /* struct kvm_msrs ends in a flexible array: room for one entry. */
    union {
        struct kvm_msrs h;
        uint8_t bytes[sizeof(struct kvm_msrs) + sizeof(struct kvm_msr_entry)];
    } m;
    struct kvm_msr_entry *e = (struct kvm_msr_entry *)(m.bytes + sizeof(m.h));
    memset(&m, 0, sizeof(m));
    m.h.nmsrs = 1;
    e->index = index;
    e->data = *val;
    if (ioctl(fd, req, &m) != 1)
        return -1;
    *val = e->data;
    return 0;
}

static void kvm_close(struct platform *base)
{
    struct kvm_platform *p = kvm_of(base);

    close(p->kvm_fd);
    free(p->cpuid);
    pthread_mutex_destroy(&p->native_lock);
    free(p);
}

/* ---- What core calls (core/platform.h) ---------------------------------- */

static bool ops_vmcall_hypercalls(const struct platform *p)
{
    return kvm_vmcall_hypercalls(kvm_of(p));
}

static bool ops_native_usable(struct platform *p, char *why, size_t len,
                              uint64_t *ns)
{
    return kvm_native_usable(kvm_of(p), why, len, ns);
}

static int ops_vm_create(struct platform *p,
                         const struct platform_vm_config *cfg,
                         struct platform_vm **vm, struct pvhv_error *err)
{
    return kvm_vm_create(kvm_of(p), cfg, vm, err);
}

const struct platform_ops platform_kvm = {
    .name = "kvm",
    .open = kvm_open,
    .close = kvm_close,
    .vmcall_hypercalls = ops_vmcall_hypercalls,
    .native_usable = ops_native_usable,
    .vm_create = ops_vm_create,
    .vm_destroy = kvm_vm_destroy,
    .vcpu_create = kvm_vcpu_create,
    .vcpu_native = kvm_vcpu_native,
    .vcpu_destroy = kvm_vcpu_destroy,
    .vcpu_run = kvm_vcpu_run,
    .hypercall_port = &kvm_hypercall_port,
    .hypercall_page_fill = kvm_hypercall_page_fill,
    .vcpu_kick = kvm_vcpu_kick,
    .vcpu_guest_insns = kvm_vcpu_guest_insns,
    .vcpu_kvm_exits = kvm_vcpu_kvm_exits,
    .vcpu_regs = kvm_vcpu_regs,
    .special_page = kvm_special_page,
    .map_special_pages = kvm_map_special_pages,
    .map_foreign_page = kvm_map_foreign_page,
    .unmap_foreign_page = kvm_unmap_foreign_page,
    .map_grant_frame = kvm_map_grant_frame,
    .release_ram = kvm_release_ram,
    .vcpu_set_context = kvm_vcpu_set_context,
    .vcpu_tsc = kvm_vcpu_tsc,
    .sandbox_worker_thread = kvm_sandbox_worker_thread,
    .irq_line = kvm_irq_line,
    .vm_lapic = kvm_vm_lapic,
    .vcpu_started = kvm_vcpu_started,
    .vcpu_halted = kvm_vcpu_halted,
};
