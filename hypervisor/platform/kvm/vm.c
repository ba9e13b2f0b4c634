/* SPDX-License-Identifier: MIT */
/* vm.c: one KVM VM per domain, its RAM in a memfd, the hypercall MSR filter. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/domain.h"
#include "platform/kvm/kvm.h"
#include "pvabi/pvhv.h"

static int set_memslot(int vm_fd, uint32_t slot, uint64_t gpa, uint64_t size,
                       void *host)
{
    struct kvm_userspace_memory_region r = {
        .slot = slot,
        .guest_phys_addr = gpa,
        .memory_size = size,
        .userspace_addr = (uint64_t)(uintptr_t)host,
    };
    return ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0 ? -errno : 0;
}

/*
 * The guest asks for its hypercall page by writing PVHV_HYPERCALL_MSR. KVM
 * does not know that MSR, so a filter denying writes to it turns them into
 * KVM_EXIT_X86_WRMSR exits that the vCPU loop serves.
 */
static int filter_hypercall_msr(int vm_fd)
{
    struct kvm_enable_cap cap = {
        .cap = KVM_CAP_X86_USER_SPACE_MSR,
        .args[0] = KVM_MSR_EXIT_REASON_FILTER,
    };
    if (ioctl(vm_fd, KVM_ENABLE_CAP, &cap) < 0)
        return -errno;
    static uint8_t deny; /* bit 0 clear: denied */
    struct kvm_msr_filter f = {
        .flags = KVM_MSR_FILTER_DEFAULT_ALLOW,
        .ranges[0] = {
            .flags = KVM_MSR_FILTER_WRITE,
            .nmsrs = 1,
            .base = PVHV_HYPERCALL_MSR,
            .bitmap = &deny,
        },
    };
    return ioctl(vm_fd, KVM_X86_SET_MSR_FILTER, &f) < 0 ? -errno : 0;
}

static int map_ram(struct platform_vm *pvm, struct domain *d,
                   struct pvhv_error *err)
{
    char name[80];
    snprintf(name, sizeof(name), "pvhv-ram-%s", d->name);
    pvm->mem_fd = memfd_create(name, MFD_CLOEXEC);
    if (pvm->mem_fd < 0 || ftruncate(pvm->mem_fd, (off_t)d->ram.size) < 0) {
        snprintf(err->msg, sizeof(err->msg),
                 "cannot allocate %llu bytes of guest RAM: %s",
                 (unsigned long long)d->ram.size, strerror(errno));
        return -ENOMEM;
    }
    void *host = mmap(NULL, d->ram.size, PROT_READ | PROT_WRITE, MAP_SHARED,
                      pvm->mem_fd, 0);
    if (host == MAP_FAILED) {
        snprintf(err->msg, sizeof(err->msg),
                 "cannot map %llu bytes of guest RAM: %s",
                 (unsigned long long)d->ram.size, strerror(errno));
        return -ENOMEM;
    }
    d->ram.host = host;
    d->ram.low_size = d->ram.size < GUEST_LOW_RAM_MAX ? d->ram.size
                                                      : GUEST_LOW_RAM_MAX;
    int rc = set_memslot(pvm->vm_fd, 0, 0, d->ram.low_size, host);
    if (rc == 0 && d->ram.size > d->ram.low_size)
        rc = set_memslot(pvm->vm_fd, 1, GUEST_4G, d->ram.size - d->ram.low_size,
                         d->ram.host + d->ram.low_size);
    if (rc < 0)
        snprintf(err->msg, sizeof(err->msg),
                 "KVM_SET_USER_MEMORY_REGION failed: %s", strerror(-rc));
    return rc;
}

#define SPECIAL_SIZE (PLATFORM_SPECIAL_PAGES * GUEST_PAGE_SIZE)

/* Pages such as shared_info live in their own memfd, so that they can be
 * mapped over any guest frame and still be reached by the hypervisor. */
static int map_special(struct platform_vm *pvm, struct domain *d,
                       struct pvhv_error *err)
{
    char name[80];
    snprintf(name, sizeof(name), "pvhv-special-%s", d->name);
    pvm->special_fd = memfd_create(name, MFD_CLOEXEC);
    if (pvm->special_fd < 0 || ftruncate(pvm->special_fd, SPECIAL_SIZE) < 0)
        goto fail;
    pvm->special = mmap(NULL, SPECIAL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
                        pvm->special_fd, 0);
    if (pvm->special != MAP_FAILED)
        return 0;
    pvm->special = NULL;
fail:
    snprintf(err->msg, sizeof(err->msg), "cannot allocate hypervisor pages: %s",
             strerror(errno));
    return -ENOMEM;
}

void *platform_special_page(struct domain *d, unsigned int idx)
{
    if (!d->pv || !d->pv->special || idx >= PLATFORM_SPECIAL_PAGES)
        return NULL;
    return d->pv->special + idx * GUEST_PAGE_SIZE;
}

int platform_map_special_page(struct domain *d, unsigned int idx, uint64_t gpa)
{
    struct platform_vm *pvm = d->pv;
    if (idx >= PLATFORM_SPECIAL_PAGES || gpa % GUEST_PAGE_SIZE || !pvm)
        return -EINVAL;
    void *host = guest_ram_ptr(&d->ram, gpa, GUEST_PAGE_SIZE);
    if (!host)
        return -EINVAL;
    /* KVM's MMU notifiers see the new page at once: no memslot change. */
    void *m = mmap(host, GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_FIXED, pvm->special_fd,
                   (off_t)(idx * GUEST_PAGE_SIZE));
    return m == MAP_FAILED ? -errno : 0;
}

/* ---- The grant window -------------------------------------------------- */

#define GRANT_WINDOW_SLOT 2

/*
 * Address space only: MAP_NORESERVE, and pages appear only where the
 * guest touches the window or a grant is mapped.
 */
static int map_grant_window(struct platform_vm *pvm, struct pvhv_error *err)
{
    void *w = mmap(NULL, PVHV_GRANT_WINDOW_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    int rc;

    if (w == MAP_FAILED) {
        snprintf(err->msg, sizeof(err->msg),
                 "cannot reserve the grant window: %s", strerror(errno));
        return -ENOMEM;
    }
    pvm->grant_window = w;
    rc = set_memslot(pvm->vm_fd, GRANT_WINDOW_SLOT, PVHV_GRANT_WINDOW_BASE,
                     PVHV_GRANT_WINDOW_SIZE, w);
    if (rc < 0)
        snprintf(err->msg, sizeof(err->msg),
                 "KVM_SET_USER_MEMORY_REGION (grant window) failed: %s",
                 strerror(-rc));
    return rc;
}

/* window_page: the host address of (gpa) in (d)'s window, or NULL. */
static uint8_t *window_page(struct domain *d, uint64_t gpa)
{
    if (!d->pv || !d->pv->grant_window || gpa < PVHV_GRANT_WINDOW_BASE ||
        gpa - PVHV_GRANT_WINDOW_BASE >= PVHV_GRANT_WINDOW_SIZE)
        return NULL;
    return d->pv->grant_window + (gpa - PVHV_GRANT_WINDOW_BASE);
}

/* grant_target: where a mapping at (gpa) of (d) goes: RAM or window. */
static uint8_t *grant_target(struct domain *d, uint64_t gpa)
{
    if (!d->pv || gpa % GUEST_PAGE_SIZE)
        return NULL;
    uint8_t *host = guest_ram_ptr(&d->ram, gpa, GUEST_PAGE_SIZE);
    return host ? host : window_page(d, gpa);
}

/*
 * The granter's page comes from its memfd, not from its host mapping:
 * what the granter has mapped over that frame (a special page, someone
 * else's grant) is not what it granted.
 */
int platform_map_foreign_page(struct domain *mapper, uint64_t gpa,
                              struct domain *granter, uint64_t granter_gpa,
                              bool readonly)
{
    uint8_t *host = grant_target(mapper, gpa);
    uint8_t *src = guest_ram_ptr(&granter->ram, granter_gpa, GUEST_PAGE_SIZE);
    if (!host || !src || !granter->pv || granter_gpa % GUEST_PAGE_SIZE)
        return -EINVAL;
    /* MAP_FIXED swaps the page in one step; KVM's MMU notifiers drop
     * the old translation, so the guest sees the new page at once. */
    void *m = mmap(host, GUEST_PAGE_SIZE,
                   readonly ? PROT_READ : PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_FIXED, granter->pv->mem_fd,
                   (off_t)(src - granter->ram.host));
    return m == MAP_FAILED ? -errno : 0;
}

int platform_unmap_foreign_page(struct domain *mapper, uint64_t gpa)
{
    uint8_t *host = grant_target(mapper, gpa);
    void *m;
    if (!host)
        return -EINVAL;
    if (window_page(mapper, gpa))
        m = mmap(host, GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1,
                 0);
    else
        m = mmap(host, GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_FIXED, mapper->pv->mem_fd,
                 (off_t)(host - mapper->ram.host));
    return m == MAP_FAILED ? -errno : 0;
}

int platform_map_grant_frame(struct domain *d, unsigned int idx, uint64_t gpa)
{
    uint8_t *host = grant_target(d, gpa);
    if (!host || idx >= PLATFORM_SPECIAL_PAGES)
        return -EINVAL;
    void *m = mmap(host, GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_FIXED, d->pv->special_fd,
                   (off_t)(idx * GUEST_PAGE_SIZE));
    return m == MAP_FAILED ? -errno : 0;
}

/* ---- The VM ------------------------------------------------------------ */

int platform_vm_create(struct platform *p, struct domain *d,
                       struct pvhv_error *err)
{
    struct platform_vm *pvm = calloc(1, sizeof(*pvm));
    if (!pvm) {
        snprintf(err->msg, sizeof(err->msg), "out of memory");
        return -ENOMEM;
    }
    pvm->p = p;
    pvm->mem_fd = -1;
    pvm->special_fd = -1;
    d->pv = pvm;
    pvm->vm_fd = ioctl(p->kvm_fd, KVM_CREATE_VM, 0);
    if (pvm->vm_fd < 0) {
        snprintf(err->msg, sizeof(err->msg), "KVM_CREATE_VM failed: %s",
                 strerror(errno));
        return -errno;
    }
    int rc = filter_hypercall_msr(pvm->vm_fd);
    if (rc < 0) {
        snprintf(err->msg, sizeof(err->msg),
                 "cannot filter the hypercall MSR: %s", strerror(-rc));
        return rc;
    }
    rc = map_special(pvm, d, err);
    if (rc == 0)
        rc = map_ram(pvm, d, err);
    return rc < 0 ? rc : map_grant_window(pvm, err);
}

void platform_vm_destroy(struct domain *d)
{
    struct platform_vm *pvm = d->pv;
    if (!pvm)
        return;
    if (d->ram.host)
        munmap(d->ram.host, d->ram.size);
    d->ram.host = NULL;
    if (pvm->mem_fd >= 0)
        close(pvm->mem_fd);
    if (pvm->grant_window)
        munmap(pvm->grant_window, PVHV_GRANT_WINDOW_SIZE);
    if (pvm->special)
        munmap(pvm->special, SPECIAL_SIZE);
    if (pvm->special_fd >= 0)
        close(pvm->special_fd);
    if (pvm->vm_fd >= 0)
        close(pvm->vm_fd);
    free(pvm);
    d->pv = NULL;
}
