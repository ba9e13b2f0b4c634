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
#define FLOOR_PORT 0x9e

/*
 * The smallest guest that exits: `1: out %eax, $0x9e; jmp 1b` in 32-bit
 * protected mode, with a VMM that re-enters at once. No pvhv code runs.
 */
static const uint8_t floor_code[] = { 0xe7, FLOOR_PORT, 0xeb, 0xfc };

static int floor_vcpu_setup(int vcpu)
{
    struct kvm_sregs s;
    if (ioctl(vcpu, KVM_GET_SREGS, &s) < 0)
        return -errno;
    struct kvm_segment flat = {
        .base = 0, .limit = 0xffffffff, .selector = 0x10, .type = 0xb,
        .present = 1, .db = 1, .s = 1, .g = 1,
    };
    s.cs = flat;
    flat.selector = 0x18;
    flat.type = 0x3;
    s.ds = s.es = s.fs = s.gs = s.ss = flat;
    s.cr0 = 0x11;
    if (ioctl(vcpu, KVM_SET_SREGS, &s) < 0)
        return -errno;
    struct kvm_regs r = { .rip = FLOOR_CODE, .rflags = 0x2 };
    return ioctl(vcpu, KVM_SET_REGS, &r) < 0 ? -errno : 0;
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
           (double)(t1.tv_nsec - t0.tv_nsec)) / (double)iters;
    return 0;
}

int floor_exit_ns(unsigned long iters, double *ns)
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
    struct kvm_userspace_memory_region slot = {
        .memory_size = FLOOR_RAM, .userspace_addr = (uintptr_t)ram,
    };
    vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
    run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (vcpu < 0 || run_size <= 0 ||
        ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot) < 0)
        goto out;
    run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
               vcpu, 0);
    if (run == MAP_FAILED || floor_vcpu_setup(vcpu) < 0)
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
