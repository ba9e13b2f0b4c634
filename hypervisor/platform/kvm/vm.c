/* SPDX-License-Identifier: MIT */
/* vm.c: one KVM VM per domain: its memslots, the hypercall MSR filter. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/guest_memory.h"
#include "platform/kvm/kvm.h"
#include "pvabi/pvhv.h"

int kvm_set_memslot(int vm_fd, uint32_t slot, uint64_t gpa, uint64_t size,
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
        .ranges[0] =
            {
                .flags = KVM_MSR_FILTER_WRITE,
                .nmsrs = 1,
                .base = PVHV_HYPERCALL_MSR,
                .bitmap = &deny,
            },
    };
    return ioctl(vm_fd, KVM_X86_SET_MSR_FILTER, &f) < 0 ? -errno : 0;
}

#define GRANT_WINDOW_SLOT 2

/*
 * memslots: KVM sees the guest's view of RAM (low part at 0, the rest at
 * 4 GiB) and the grant window, where grants are mapped over.
 */
static int memslots(struct platform_vm *pvm, struct pvhv_error *err)
{
    uint64_t high = pvm->ram->size - pvm->ram->low_size;
    int rc =
        kvm_set_memslot(pvm->vm_fd, 0, 0, pvm->ram->low_size, pvm->guest_ram);

    if (rc == 0 && high)
        rc = kvm_set_memslot(pvm->vm_fd, 1, GUEST_4G, high,
                             pvm->guest_ram + pvm->ram->low_size);
    if (rc == 0)
        rc = kvm_set_memslot(pvm->vm_fd, GRANT_WINDOW_SLOT,
                             PVHV_GRANT_WINDOW_BASE, PVHV_GRANT_WINDOW_SIZE,
                             pvm->grant_window);
    if (rc < 0)
        pvhv_error_set(err, "KVM_SET_USER_MEMORY_REGION failed: %s",
                       strerror(-rc));
    return rc;
}

/* ---- The VM ------------------------------------------------------------ */

/*
 * (*out) is set at once: on failure the caller's kvm_vm_destroy of it
 * undoes what was made.
 */
int kvm_vm_create(struct kvm_platform *p, const struct platform_vm_config *cfg,
                  struct platform_vm **out, struct pvhv_error *err)
{
    struct platform_vm *pvm = calloc(1, sizeof(*pvm));
    if (!pvm) {
        pvhv_error_set(err, "out of memory");
        return -ENOMEM;
    }
    pvm->p = p;
    pvm->ram = cfg->ram;
    pvm->domid = cfg->domid;
    snprintf(pvm->name, sizeof(pvm->name), "%s", cfg->name);
    pvm->hvm = cfg->hvm;
    pvm->mem_fd = -1;
    pvm->special_fd = -1;
    *out = pvm;
    pvm->vm_fd = kvm_create(p->kvm_fd, KVM_CREATE_VM, 0);
    if (pvm->vm_fd < 0) {
        pvhv_error_set(err, "KVM_CREATE_VM failed: %s", strerror(errno));
        return -errno;
    }
    int rc = filter_hypercall_msr(pvm->vm_fd);
    if (rc < 0) {
        pvhv_error_set(err, "cannot filter the hypercall MSR: %s",
                       strerror(-rc));
        return rc;
    }
    rc = kvm_xen_hcall_enable(p, pvm->vm_fd);
    if (rc < 0) {
        snprintf(err->msg, sizeof(err->msg),
                 "KVM_XEN_HVM_CONFIG (VMCALL hypercalls) failed: %s",
                 strerror(-rc));
        return rc;
    }
    /* An hvm domain's PC has interrupt controllers, made before its vCPUs
     * (each gets a LAPIC). */
    if (pvm->hvm && (rc = kvm_irqchip_create(pvm, err)) < 0)
        return rc;
    /* PV domains: a local APIC per vCPU, where the host has one. Not in
     * native mode, whose halts and interrupts with an in-kernel APIC no
     * host at hand could test: those keep the callback vector only. */
    if (!pvm->hvm && cfg->exec_mode != PVHV_EXEC_NATIVE)
        kvm_lapic_vm_enable(pvm);
    rc = kvm_memory_create(pvm, err);
    return rc < 0 ? rc : memslots(pvm, err);
}

void kvm_vm_destroy(struct platform_vm *pvm)
{
    if (!pvm)
        return;
    kvm_memory_destroy(pvm);
    if (pvm->vm_fd >= 0)
        close(pvm->vm_fd);
    free(pvm);
}
