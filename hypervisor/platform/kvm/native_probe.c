/* SPDX-License-Identifier: MIT */
/* native_probe.c: a throw-away VM that shows what native execution does. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "platform/kvm/kvm.h"
#include "platform/kvm/native.h"

/* Guest-physical layout of the probe's 64 KiB of RAM. */
#define PROBE_RAM 0x10000
#define PROBE_CODE 0x1000
#define PROBE_PML4 0x2000 /* then PDPT at 0x3000, PD at 0x4000 */
#define PROBE_PV_AREA 0x5000
#define PROBE_GDT 0x6000
#define PROBE_IDT 0x7000
#define PROBE_STUBS 0x8000 /* 32 exception stubs of 16 bytes */
#define PROBE_STACK_TOP PROBE_RAM
#define PROBE_PORT 0x9e /* phases 1 and 2 */
#define PROBE_TRAP_PORT 0x9f
#define PROBE_MAX_EXITS 8
#define PROBE_TIME_LIMIT_S 1

#define PTE_P_RW_US 0x7ULL
#define PTE_PS 0x80ULL
#define SEL_CODE 0x8
#define SEL_DATA 0x10

/* Phases 1-3 (native.h); the loop count is patched in at offset 0xc. */
/* clang-format off */
static const uint8_t probe_code[] = {
    0xb8, 0x00, 0x00, 0x00, 0x40,       /* mov $0x40000000, %eax */
    0x31, 0xc9,                         /* xor %ecx, %ecx */
    0x0f, 0xa2,                         /* cpuid */
    0xe7, PROBE_PORT,                   /* out %eax, $PROBE_PORT */
    0xb9, 0x00, 0x00, 0x00, 0x00,       /* mov $NATIVE_PROBE_LOOP, %ecx */
    0xff, 0xc9,                         /* 1: dec %ecx */
    0x75, 0xfc,                         /* jnz 1b */
    0xe7, PROBE_PORT,                   /* out %eax, $PROBE_PORT */
    0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, /* movabs $FAULT_ADDR, %rax */
    0xc6, 0x00, 0x01,                   /* movb $1, (%rax) */
    0xf4,                               /* hlt: not reached */
};
#define PROBE_LOOP_IMM 12
#define PROBE_FAULT_IMM 24

/* #PF: pop the error code into %rdx, cr2 into %rax, vector in %ebx. */
static const uint8_t pf_stub[] = {
    0x5a,                         /* pop %rdx */
    0x0f, 0x20, 0xd0,             /* mov %cr2, %rax */
    0xbb, 0x0e, 0x00, 0x00, 0x00, /* mov $14, %ebx */
    0xe7, PROBE_TRAP_PORT,        /* out %eax, $PROBE_TRAP_PORT */
    0xf4,                         /* hlt */
};
/* clang-format on */

/* Any other vector: its number in %ebx. */
static void other_stub(uint8_t *s, uint32_t vector)
{
    s[0] = 0xbb; /* mov $vector, %ebx */
    memcpy(&s[1], &vector, 4);
    s[5] = 0xe7; /* out %eax, $PROBE_TRAP_PORT */
    s[6] = PROBE_TRAP_PORT;
    s[7] = 0xf4; /* hlt */
}

static void idt_gate(uint8_t *g, uint64_t addr)
{
    memset(g, 0, 16);
    g[0] = addr & 0xff;
    g[1] = (addr >> 8) & 0xff;
    g[2] = SEL_CODE;
    g[5] = 0x8e; /* present, DPL 0, 64-bit interrupt gate */
    g[6] = (addr >> 16) & 0xff;
    g[7] = (addr >> 24) & 0xff;
}

/* Code, page tables (one 2 MiB page at 0, U/S everywhere), GDT and IDT. */
static void probe_image(uint8_t *ram)
{
    uint32_t loop = NATIVE_PROBE_LOOP;
    uint64_t fault = NATIVE_PROBE_FAULT_ADDR;
    uint64_t *pt = (uint64_t *)(ram + PROBE_PML4);
    uint64_t *gdt = (uint64_t *)(ram + PROBE_GDT);

    memcpy(ram + PROBE_CODE, probe_code, sizeof(probe_code));
    memcpy(ram + PROBE_CODE + PROBE_LOOP_IMM, &loop, sizeof(loop));
    memcpy(ram + PROBE_CODE + PROBE_FAULT_IMM, &fault, sizeof(fault));
    pt[0] = (PROBE_PML4 + 0x1000) | PTE_P_RW_US;
    pt[512] = (PROBE_PML4 + 0x2000) | PTE_P_RW_US;
    pt[1024] = 0 | PTE_P_RW_US | PTE_PS;
    gdt[SEL_CODE / 8] = 0x00af9b000000ffffULL; /* 64-bit code, accessed */
    gdt[SEL_DATA / 8] = 0x00cf93000000ffffULL; /* flat data, accessed */
    for (uint32_t v = 0; v < 32; v++) {
        uint64_t stub = PROBE_STUBS + v * 16;
        if (v == 14)
            memcpy(ram + stub, pf_stub, sizeof(pf_stub));
        else
            other_stub(ram + stub, v);
        idt_gate(ram + PROBE_IDT + v * 16, stub);
    }
}

static int probe_sregs(int fd)
{
    struct kvm_sregs s;
    struct kvm_segment code = {
        .limit = 0xffffffff,
        .selector = SEL_CODE,
        .type = 0xb,
        .present = 1,
        .l = 1,
        .s = 1,
        .g = 1,
    };
    struct kvm_segment data = {
        .limit = 0xffffffff,
        .selector = SEL_DATA,
        .type = 0x3,
        .present = 1,
        .db = 1,
        .s = 1,
        .g = 1,
    };
    if (ioctl(fd, KVM_GET_SREGS, &s) < 0)
        return -errno;
    s.cs = code;
    s.ds = s.es = s.fs = s.gs = s.ss = data;
    s.gdt.base = PROBE_GDT;
    s.gdt.limit = 3 * 8 - 1;
    s.idt.base = PROBE_IDT;
    s.idt.limit = 32 * 16 - 1;
    s.cr3 = PROBE_PML4;
    s.cr4 = 0x20;       /* PAE */
    s.cr0 = 0x80010033; /* PG, WP, NE, ET, MP, PE */
    s.efer = 0x500;     /* LMA, LME */
    if (ioctl(fd, KVM_SET_SREGS, &s) < 0)
        return -errno;
    struct kvm_regs r = {
        .rip = PROBE_CODE,
        .rsp = PROBE_STACK_TOP,
        .rflags = 0x2,
    };
    return ioctl(fd, KVM_SET_REGS, &r) < 0 ? -errno : 0;
}

/* The host's private switch (native.c): signature, then the PV area. */
static bool probe_native_on(int fd, struct native_probe *o)
{
    uint64_t sig = 0, area = PROBE_PV_AREA | 1;
    if (kvm_msr(fd, KVM_GET_MSRS, PVM_MSR_SIGNATURE, &sig) < 0 ||
        sig != PVM_SIGNATURE) {
        snprintf(o->setup, sizeof(o->setup),
                 "the host's KVM has no native execution mode");
        return false;
    }
    if (kvm_msr(fd, KVM_SET_MSRS, PVM_MSR_AREA, &area) < 0) {
        snprintf(o->setup, sizeof(o->setup),
                 "the host's KVM refused the native mode's PV area");
        return false;
    }
    return true;
}

/* One exit of the probe guest: which phase it ends, and what it saw. */
static bool probe_exit(int fd, const struct kvm_run *run,
                       const struct kvm_stat *insn, uint64_t *insn_mark,
                       struct native_probe *o)
{
    struct kvm_regs r;
    if (run->exit_reason != KVM_EXIT_IO ||
        run->io.direction != KVM_EXIT_IO_OUT) {
        snprintf(o->end, sizeof(o->end), "%s (KVM exit %u)",
                 run->exit_reason == KVM_EXIT_SHUTDOWN ? "a triple fault"
                                                       : "an unexpected exit",
                 run->exit_reason);
        return false;
    }
    if (ioctl(fd, KVM_GET_REGS, &r) < 0) {
        snprintf(o->end, sizeof(o->end), "KVM_GET_REGS failed: %s",
                 strerror(errno));
        return false;
    }
    uint64_t now = 0;
    bool counted = kvm_stat_read(insn, &now) == 0;
    if (run->io.port == PROBE_TRAP_PORT) {
        o->fault_done = true;
        o->fault_vector = (uint32_t)r.rbx;
        o->fault_error = r.rdx;
        o->fault_cr2 = r.rax;
        return false; /* the last phase */
    }
    if (!o->cpuid_done) {
        o->cpuid_done = true;
        o->cpuid_ebx = (uint32_t)r.rbx;
        o->cpuid_ecx = (uint32_t)r.rcx;
        o->cpuid_edx = (uint32_t)r.rdx;
    } else {
        o->loop_done = true;
        o->loop_counted = counted;
        o->loop_emulated = counted ? now - *insn_mark : 0;
    }
    *insn_mark = now;
    return true;
}

/* A timer that kicks this thread out of KVM_RUN should the guest hang. */
static int arm_watchdog(const struct kvm_platform *p, timer_t *t)
{
    struct sigevent ev = {
        .sigev_notify = SIGEV_THREAD_ID,
        .sigev_signo = p->kick_signal,
    };
    struct itimerspec when = {.it_value.tv_sec = PROBE_TIME_LIMIT_S};
    ev._sigev_un._tid = gettid();
    if (timer_create(CLOCK_MONOTONIC, &ev, t) < 0)
        return -errno;
    return timer_settime(*t, 0, &when, NULL) < 0 ? -errno : 0;
}

static void probe_guest(struct kvm_platform *p, int fd, struct kvm_run *run,
                        struct native_probe *o)
{
    struct kvm_stat insn;
    uint64_t mark = 0;
    timer_t t;
    sigset_t kick, old;

    kvm_stat_open(fd, "insn_emulation", &insn); /* optional: see loop */
    kvm_stat_read(&insn, &mark);
    sigemptyset(&kick);
    sigaddset(&kick, p->kick_signal);
    pthread_sigmask(SIG_UNBLOCK, &kick, &old);
    if (arm_watchdog(p, &t) < 0) {
        snprintf(o->end, sizeof(o->end), "no watchdog timer: %s",
                 strerror(errno));
        goto out;
    }
    for (int i = 0; i < PROBE_MAX_EXITS; i++) {
        if (ioctl(fd, KVM_RUN, 0) < 0) {
            snprintf(o->end, sizeof(o->end), "%s",
                     errno == EINTR ? "no exit within a second"
                                    : "KVM_RUN failed");
            break;
        }
        if (!probe_exit(fd, run, &insn, &mark, o))
            break;
    }
    timer_delete(t);
out:
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    kvm_stat_close(&insn);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void native_probe_run(struct kvm_platform *p, struct native_probe *o)
{
    uint64_t t0 = now_ns();
    int vm = -1, fd = -1;
    uint8_t *ram = MAP_FAILED;
    struct kvm_run *run = MAP_FAILED;
    struct pvhv_error err = {""};

    memset(o, 0, sizeof(*o));
    vm = kvm_create(p->kvm_fd, KVM_CREATE_VM, 0);
    ram = mmap(NULL, PROBE_RAM, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (vm < 0 || ram == MAP_FAILED)
        goto fail;
    probe_image(ram);
    struct kvm_userspace_memory_region slot = {
        .memory_size = PROBE_RAM,
        .userspace_addr = (uint64_t)(uintptr_t)ram,
    };
    fd = kvm_create(vm, KVM_CREATE_VCPU, 0);
    if (fd < 0 || ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot) < 0)
        goto fail;
    run = mmap(NULL, (size_t)p->vcpu_mmap_size, PROT_READ | PROT_WRITE,
               MAP_SHARED, fd, 0);
    /* The CPUID table every domain's vCPU gets: the proof is about it. */
    if (run == MAP_FAILED ||
        kvm_cpuid_apply(p, fd, 0, 0, true, false, &err) < 0 ||
        probe_sregs(fd) < 0)
        goto fail;
    if (probe_native_on(fd, o)) {
        o->started = true;
        probe_guest(p, fd, run, o);
    }
    goto out;
fail:
    snprintf(o->setup, sizeof(o->setup), "the probe VM could not be made: %s",
             err.msg[0] ? err.msg : strerror(errno));
out:
    if (run != MAP_FAILED)
        munmap(run, (size_t)p->vcpu_mmap_size);
    if (ram != MAP_FAILED)
        munmap(ram, PROBE_RAM);
    if (fd >= 0)
        close(fd);
    if (vm >= 0)
        close(vm);
    o->ns = now_ns() - t0;
}
