/* SPDX-License-Identifier: MIT */
/* floor.c: the floor for exit-bound benchmarks: a raw KVM_RUN round trip. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define FLOOR_RAM (64 * 1024)
#define FLOOR_CODE 0x1000
#define FLOOR_PML4 0x2000 /* PML4, PDPT, PD: one 2 MiB page at 0 */
#define FLOOR_PV_AREA 0x5000
#define FLOOR_PORT 0x9e
#define PTE_PRESENT_RW_USER 0x7ULL
#define PTE_LARGE 0x80ULL

/*
 * The smallest guest that exits: `1: out %eax, $0x9e; jmp 1b`, with a VMM
 * that re-enters at once and runs no pvhv code. It runs in 64-bit long
 * mode, like the guests it is the floor for, with U/S set in its page
 * tables so that native execution (where offered) applies to it too.
 */
static const uint8_t floor_code[] = {0xe7, FLOOR_PORT, 0xeb, 0xfc};

static void floor_page_tables(uint8_t *ram)
{
    uint64_t *pml4 = (uint64_t *)(ram + FLOOR_PML4);
    uint64_t *pdpt = (uint64_t *)(ram + FLOOR_PML4 + 0x1000);
    uint64_t *pd = (uint64_t *)(ram + FLOOR_PML4 + 0x2000);
    pml4[0] = (FLOOR_PML4 + 0x1000) | PTE_PRESENT_RW_USER;
    pdpt[0] = (FLOOR_PML4 + 0x2000) | PTE_PRESENT_RW_USER;
    pd[0] = 0 | PTE_PRESENT_RW_USER | PTE_LARGE;
}

static int floor_vcpu_setup(int vcpu)
{
    struct kvm_sregs s;
    if (ioctl(vcpu, KVM_GET_SREGS, &s) < 0)
        return -errno;
    struct kvm_segment seg = {
        .base = 0,
        .limit = 0xffffffff,
        .selector = 0x8,
        .type = 0xb,
        .present = 1,
        .l = 1,
        .s = 1,
        .g = 1,
    };
    s.cs = seg;
    seg.selector = 0x10;
    seg.type = 0x3;
    seg.l = 0;
    seg.db = 1;
    s.ds = s.es = s.fs = s.gs = s.ss = seg;
    s.cr3 = FLOOR_PML4;
    s.cr4 = 0x20;       /* PAE */
    s.cr0 = 0x80000011; /* PG, ET, PE */
    s.efer = 0x500;     /* LMA, LME */
    if (ioctl(vcpu, KVM_SET_SREGS, &s) < 0)
        return -errno;
    struct kvm_regs r = {.rip = FLOOR_CODE, .rflags = 0x2};
    return ioctl(vcpu, KVM_SET_REGS, &r) < 0 ? -errno : 0;
}

/* As the hypervisor does (native.c): detect, then enable, never require. */
static int floor_native(int vcpu)
{
    struct {
        struct kvm_msrs h;
        struct kvm_msr_entry e;
    } m = {.h.nmsrs = 1, .e.index = 0x4b564d11};
    if (ioctl(vcpu, KVM_GET_MSRS, &m) != 1 || m.e.data != 0x4d5650)
        return -ENODEV;
    m.e.index = 0x4b564d10;
    m.e.data = FLOOR_PV_AREA | 1;
    return ioctl(vcpu, KVM_SET_MSRS, &m) == 1 ? 0 : -ENODEV;
}

static int floor_loop(int vcpu, struct kvm_run *run, unsigned long iters,
                      double *ns)
{
    struct timespec t0, t1;
    /* Warm up, then time. */
    for (unsigned long i = 0; i < iters / 10 + 1; i++)
        if (ioctl(vcpu, KVM_RUN, 0) < 0 || run->exit_reason != KVM_EXIT_IO)
            return -EIO;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (unsigned long i = 0; i < iters; i++)
        if (ioctl(vcpu, KVM_RUN, 0) < 0 || run->exit_reason != KVM_EXIT_IO ||
            run->io.port != FLOOR_PORT)
            return -EIO;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    *ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
           (double)(t1.tv_nsec - t0.tv_nsec)) /
          (double)iters;
    return 0;
}

int floor_exit_ns(unsigned long iters, bool native, double *ns)
{
    int rc = -ENODEV, kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    int vm = -1, vcpu = -1;
    uint8_t *ram = MAP_FAILED;
    struct kvm_run *run = MAP_FAILED;
    long run_size = -1;
    if (kvm < 0)
        return rc;
    vm = ioctl(kvm, KVM_CREATE_VM, 0);
    ram = mmap(NULL, FLOOR_RAM, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (vm < 0 || ram == MAP_FAILED)
        goto out;
    memcpy(ram + FLOOR_CODE, floor_code, sizeof(floor_code));
    floor_page_tables(ram);
    struct kvm_userspace_memory_region slot = {
        .memory_size = FLOOR_RAM,
        .userspace_addr = (uintptr_t)ram,
    };
    vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
    run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (vcpu < 0 || run_size <= 0 ||
        ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot) < 0)
        goto out;
    run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu,
               0);
    if (run == MAP_FAILED || floor_vcpu_setup(vcpu) < 0)
        goto out;
    if (native && floor_native(vcpu) < 0)
        goto out;
    rc = floor_loop(vcpu, run, iters, ns);
out:
    if (run != MAP_FAILED)
        munmap(run, (size_t)run_size);
    if (ram != MAP_FAILED)
        munmap(ram, FLOOR_RAM);
    if (vcpu >= 0)
        close(vcpu);
    if (vm >= 0)
        close(vm);
    close(kvm);
    return rc;
}
