/* SPDX-License-Identifier: MIT */
/* vcpu.c: a vCPU: its KVM_RUN loop, and each exit turned into a call of core.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/exits.h"
#include "core/log.h"
#include "platform/kvm/kvm.h"
#include "pvabi/errno.h"
#include "pvabi/pvhv.h"

#define RFLAGS_IF (1ULL << 9)
#define EFER_LMA (1ULL << 10)

int kvm_vcpu_create(struct vcpu *v, struct platform_vm *pvm,
                    const struct platform_vcpu_config *cfg,
                    struct pvhv_error *err)
{
    struct platform_vcpu *pv = calloc(1, sizeof(*pv));
    if (!pv) {
        pvhv_error_set(err, "out of memory");
        return -ENOMEM;
    }
    v->pv = pv;
    pv->p = pvm->p;
    pv->vm = pvm;
    pv->vm_fd = pvm->vm_fd;
    pv->run = MAP_FAILED;
    pv->insns.fd = -1;
    pv->exits.fd = -1;
    pv->halts.fd = -1;
    pv->blocking.fd = -1;
    pv->fd = kvm_create(pvm->vm_fd, KVM_CREATE_VCPU, (unsigned long)v->id);
    if (pv->fd < 0) {
        pvhv_error_set(err, "KVM_CREATE_VCPU %u failed: %s", v->id,
                       strerror(errno));
        return -errno;
    }
    pv->run = mmap(NULL, (size_t)pv->p->vcpu_mmap_size, PROT_READ | PROT_WRITE,
                   MAP_SHARED, pv->fd, 0);
    if (pv->run == MAP_FAILED) {
        pvhv_error_set(err, "cannot map vCPU %u: %s", v->id, strerror(errno));
        return -errno;
    }
    /* Registers come and go through kvm_run: no ioctl per hypercall. */
    pv->run->kvm_valid_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS;
    /* Optional: a host without the statistic runs guests all the same. */
    kvm_stat_open(pv->fd, "insn_emulation", &pv->insns);
    kvm_stat_open(pv->fd, "exits", &pv->exits);
    pv->hvm = cfg->hvm;
    int rc = kvm_cpuid_apply(pv->p, pv->fd, v->id, cfg->domid, !cfg->hvm,
                             pvm->lapic, err);
    if (rc == 0 && pvm->lapic)
        rc = kvm_lapic_vcpu_setup(v, err);
    if (rc == 0 && v->id == 0)
        rc = kvm_set_boot_state(v, cfg->entry, cfg->start_info, cfg->boot_eax,
                                err);
    if (rc == 0)
        pv->native = kvm_native_setup(v, cfg);
    return rc;
}

bool kvm_vcpu_native(const struct vcpu *v)
{
    return v->pv && v->pv->native;
}

void kvm_vcpu_destroy(struct vcpu *v)
{
    struct platform_vcpu *pv = v->pv;
    if (!pv)
        return;
    kvm_stat_close(&pv->insns);
    kvm_stat_close(&pv->exits);
    kvm_stat_close(&pv->halts);
    kvm_stat_close(&pv->blocking);
    if (pv->run != MAP_FAILED)
        munmap(pv->run, (size_t)pv->p->vcpu_mmap_size);
    if (pv->fd >= 0)
        close(pv->fd);
    free(pv);
    v->pv = NULL;
}

#define MSR_IA32_TSC 0x10

int kvm_vcpu_tsc(struct vcpu *v, uint64_t *khz, int64_t *offset)
{
    if (!v->pv)
        return -ENODEV;
    uint64_t tsc = 0;
    long k = ioctl(v->pv->fd, KVM_GET_TSC_KHZ, 0);
    uint64_t before = __builtin_ia32_rdtsc();
    if (k <= 0 || kvm_msr(v->pv->fd, KVM_GET_MSRS, MSR_IA32_TSC, &tsc) < 0)
        return -EIO;
    uint64_t after = __builtin_ia32_rdtsc();
    *khz = (uint64_t)k;
    *offset = (int64_t)(tsc - (before + (after - before) / 2));
    return 0;
}

int kvm_vcpu_guest_insns(const struct vcpu *v, uint64_t *n)
{
    if (!v->pv)
        return -ENODEV;
    return kvm_stat_read(&v->pv->insns, n);
}

int kvm_vcpu_kvm_exits(const struct vcpu *v, uint64_t *n)
{
    if (!v->pv)
        return -ENODEV;
    return kvm_stat_read(&v->pv->exits, n);
}

void kvm_vcpu_kick(struct vcpu *v)
{
    if (!v->pv || !v->thread_started)
        return;
    /* immediate_exit covers a kick that lands just before KVM_RUN. */
    __atomic_store_n(&v->pv->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
    pthread_kill(v->thread, v->pv->p->kick_signal);
}

int kvm_vcpu_regs(struct vcpu *v, struct pvhv_regs *r)
{
    if (!v->pv)
        return -ENODEV;
    const struct kvm_regs *g = &v->pv->run->s.regs.regs;
    const struct kvm_sregs *s = &v->pv->run->s.regs.sregs;
    *r = (struct pvhv_regs){
        .rax = g->rax,
        .rbx = g->rbx,
        .rcx = g->rcx,
        .rdx = g->rdx,
        .rsi = g->rsi,
        .rdi = g->rdi,
        .rbp = g->rbp,
        .rsp = g->rsp,
        .r8 = g->r8,
        .r9 = g->r9,
        .r10 = g->r10,
        .r11 = g->r11,
        .r12 = g->r12,
        .r13 = g->r13,
        .r14 = g->r14,
        .r15 = g->r15,
        .rip = g->rip,
        .rflags = g->rflags,
        .cr0 = s->cr0,
        .cr2 = s->cr2,
        .cr3 = s->cr3,
        .cr4 = s->cr4,
        .efer = s->efer,
        .cs = s->cs.selector,
        .ss = s->ss.selector,
    };
    return 0;
}

/*
 * Arguments follow the guest's mode (Xen's conventions): rdi, rsi, rdx,
 * r10, r8 in 64-bit mode; ebx, ecx, edx, esi, edi in 32-bit mode.
 */
static void args_get(const struct kvm_regs *g, bool wide, uint64_t arg[5])
{
    if (wide) {
        arg[0] = g->rdi, arg[1] = g->rsi, arg[2] = g->rdx;
        arg[3] = g->r10, arg[4] = g->r8;
    } else {
        arg[0] = (uint32_t)g->rbx, arg[1] = (uint32_t)g->rcx;
        arg[2] = (uint32_t)g->rdx, arg[3] = (uint32_t)g->rsi;
        arg[4] = (uint32_t)g->rdi;
    }
}

static void args_put(struct kvm_regs *g, bool wide, const uint64_t arg[5])
{
    if (wide) {
        g->rdi = arg[0], g->rsi = arg[1], g->rdx = arg[2];
        g->r10 = arg[3], g->r8 = arg[4];
    } else {
        g->rbx = (uint32_t)arg[0], g->rcx = (uint32_t)arg[1];
        g->rdx = (uint32_t)arg[2], g->rsi = (uint32_t)arg[3];
        g->rdi = (uint32_t)arg[4];
    }
}

/*
 * continue_hypercall: hypercall (nr) asked to go on with (arg). The guest
 * executes its stub again with those arguments: pending events are
 * injected first (prepare_entry), and a stopped domain is not entered
 * again. A call made without the stub's instructions (ABI.md §4 forbids
 * it) is served to its end here, unpreempted. Returns the result for
 * %rax, or HYPERCALL_CONTINUE when the stub runs again.
 */
static long continue_hypercall(struct vcpu *v, struct kvm_run *run, bool wide,
                               uint32_t nr, uint64_t arg[5])
{
    struct kvm_regs *g = &run->s.regs.regs;
    uint64_t base = wide ? 0 : run->s.regs.sregs.cs.base;
    uint64_t start;
    long rc = HYPERCALL_CONTINUE;

    if (kvm_hypercall_stub_at(v->pv->vm->ram, v, base + g->rip, nr, &start) ==
        0) {
        args_put(g, wide, arg);
        g->rip = start - base;
        return rc;
    }
    while (rc == HYPERCALL_CONTINUE && !exit_domain_stopped(v))
        rc = hypercall_dispatch(v, nr, arg);
    return rc == HYPERCALL_CONTINUE ? -XEN_EAGAIN : rc;
}

/*
 * A hypercall: the stub did `out %eax, $PVHV_HYPERCALL_PORT` with the
 * number in %eax.
 */
static void do_hypercall(struct vcpu *v, struct kvm_run *run)
{
    struct kvm_regs *g = &run->s.regs.regs;
    const struct kvm_sregs *s = &run->s.regs.sregs;
    bool wide = (s->efer & EFER_LMA) && s->cs.l;
    uint32_t nr = (uint32_t)g->rax;
    uint64_t arg[5];
    long rc;

    v->ctx.paging.cr0 = s->cr0;
    v->ctx.paging.cr3 = s->cr3;
    v->ctx.paging.cr4 = s->cr4;
    v->ctx.paging.efer = s->efer;
    v->ctx.cpl = s->ss.dpl;
    v->ctx.compat = !wide;
    args_get(g, wide, arg);
    rc = hypercall_dispatch(v, nr, arg);
    if (__builtin_expect(rc == HYPERCALL_CONTINUE, 0)) {
        rc = continue_hypercall(v, run, wide, nr, arg);
        if (rc == HYPERCALL_CONTINUE)
            rc = nr; /* the stub's `mov` sets it again anyway */
    }
    g->rax = wide ? (uint64_t)rc : (uint32_t)rc;
    run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
}

/* The hypercall port's handler: a stub's `out`, nothing else. */
static bool hypercall_port_io(struct vcpu *v, uint64_t port, uint8_t *data,
                              unsigned int len, bool is_write, void *opaque)
{
    struct kvm_run *run = v->pv->run;

    (void)port;
    (void)data; /* the number, which do_hypercall reads from %eax */
    (void)opaque;
    if (!is_write || len != 4 || run->io.count != 1)
        return false;
    do_hypercall(v, run);
    return true;
}

const struct io_device kvm_hypercall_port = {
    .name = "hypercall port",
    .space = IO_SPACE_PORT,
    .base = PVHV_HYPERCALL_PORT,
    .len = 4,
    .access = hypercall_port_io,
};

static void handle_io(struct vcpu *v, struct kvm_run *run)
{
    exit_pio(v, run->io.port, (uint8_t *)run + run->io.data_offset,
             run->io.size, run->io.count, run->io.direction == KVM_EXIT_IO_OUT);
}

/*
 * An access KVM could not serve from memory: a write to a read-only page
 * of RAM or of the grant window ends the domain (there is no fault to
 * give the guest); anywhere else it is for the domain's devices.
 */
static void handle_mmio(struct vcpu *v, struct kvm_run *run)
{
    const char *what = kvm_memory_region(v->pv->vm, run->mmio.phys_addr);

    if (what)
        exit_fatal(v, "vCPU %u %s %u bytes at guest-physical 0x%llx: %s", v->id,
                   run->mmio.is_write ? "wrote" : "read", run->mmio.len,
                   (unsigned long long)run->mmio.phys_addr, what);
    else
        exit_mmio(v, run->mmio.phys_addr, run->mmio.data, run->mmio.len,
                  run->mmio.is_write);
}

static void handle_wrmsr(struct vcpu *v, struct kvm_run *run)
{
    /* The mode of this write decides Xen's shared_info layout. */
    v->ctx.compat =
        !((run->s.regs.sregs.efer & EFER_LMA) && run->s.regs.sregs.cs.l);
    run->msr.error = !exit_msr_write(v, run->msr.index, run->msr.data);
}

static void handle_hlt(struct vcpu *v, struct kvm_run *run)
{
    exit_halt(v, run->s.regs.regs.rflags & RFLAGS_IF);
}

/*
 * lapic_upcall: a per-vCPU upcall vector (HVMOP_set_evtchn_upcall_vector)
 * that core raised goes to the vCPU's local APIC from its own thread
 * (backend workers, which may raise it, can make no ioctl): KVM delivers
 * it when the guest accepts it, and the guest EOIs it.
 */
static void lapic_upcall(struct vcpu *v)
{
    uint8_t vector = exit_lapic_upcall(v);

    if (vector && kvm_lapic_irq(v, vector) < 0)
        exit_fatal(v, "vCPU %u: KVM_SIGNAL_MSI of upcall vector %u failed: %s",
                   v->id, vector, strerror(errno));
}

/*
 * Before entering the guest: while core has a vector for it (an upcall is
 * pending), inject the callback vector as soon as the vCPU accepts
 * interrupts (the PIC is ours, with or without a local APIC in KVM: KVM
 * tells us when via an interrupt window exit; with the APIC, only while
 * its LINT0 takes ExtINT, as lapic.c leaves it). Delivery clears IF, so
 * it is not repeated while the guest's handler runs.
 */
static void prepare_entry(struct vcpu *v, struct kvm_run *run)
{
    uint8_t vector = exit_upcall_vector(v);
    run->request_interrupt_window = 0;
    if (v->pv->lapic)
        lapic_upcall(v);
    if (!vector)
        return;
    if (run->ready_for_interrupt_injection && run->if_flag) {
        struct kvm_interrupt irq = {.irq = vector};
        if (ioctl(v->pv->fd, KVM_INTERRUPT, &irq) == 0)
            return;
    }
    run->request_interrupt_window = 1;
}

static const char *exit_name(uint32_t reason)
{
    static const char *const names[] = {
        [KVM_EXIT_UNKNOWN] = "KVM_EXIT_UNKNOWN",
        [KVM_EXIT_EXCEPTION] = "KVM_EXIT_EXCEPTION",
        [KVM_EXIT_DEBUG] = "KVM_EXIT_DEBUG",
        [KVM_EXIT_MMIO] = "KVM_EXIT_MMIO",
        [KVM_EXIT_IRQ_WINDOW_OPEN] = "KVM_EXIT_IRQ_WINDOW_OPEN",
        [KVM_EXIT_FAIL_ENTRY] = "KVM_EXIT_FAIL_ENTRY",
        [KVM_EXIT_INTERNAL_ERROR] = "KVM_EXIT_INTERNAL_ERROR",
        [KVM_EXIT_SYSTEM_EVENT] = "KVM_EXIT_SYSTEM_EVENT",
        [KVM_EXIT_X86_RDMSR] = "KVM_EXIT_X86_RDMSR",
    };
    if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
        return names[reason];
    return "unknown exit";
}

static void handle_fatal(struct vcpu *v, struct kvm_run *run)
{
    switch (run->exit_reason) {
    case KVM_EXIT_SHUTDOWN:
        exit_fatal(v, "triple fault on vCPU %u", v->id);
        break;
    case KVM_EXIT_FAIL_ENTRY:
        exit_fatal(
            v, "vCPU %u: VM entry failed (hardware reason 0x%llx)", v->id,
            (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
        break;
    case KVM_EXIT_INTERNAL_ERROR:
        exit_fatal(v, "vCPU %u: KVM internal error %u (%s)", v->id,
                   run->internal.suberror,
                   run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION
                       ? "instruction emulation failed"
                       : "see KVM_INTERNAL_ERROR_*");
        break;
    default:
        exit_fatal(v, "vCPU %u: unhandled exit %u (%s)", v->id,
                   run->exit_reason, exit_name(run->exit_reason));
        break;
    }
}

/* Confines the calling vCPU thread (sandbox.c); says once if it cannot. */
static void enter_sandbox(const struct vcpu *v)
{
    static atomic_flag warned = ATOMIC_FLAG_INIT;
    int rc = kvm_sandbox_vcpu_thread(v->pv->hvm, v->pv->vm_fd);
    if (rc < 0 && !atomic_flag_test_and_set(&warned))
        pr_warn("cannot confine vCPU threads with seccomp (%s); they run "
                "without the sandbox",
                strerror(-rc));
}

/*
 * run_failed: KVM_RUN gave up with (err). EFAULT is what a hardware KVM
 * answers to a guest write it cannot serve from the host's memory (a page
 * the host maps read-only: a read-only grant, a hole of the grant window);
 * newer KVMs say where in KVM_EXIT_MEMORY_FAULT.
 */
static void run_failed(struct vcpu *v, struct kvm_run *run, int err)
{
#ifdef KVM_EXIT_MEMORY_FAULT
    if (err == EFAULT && run->exit_reason == KVM_EXIT_MEMORY_FAULT) {
        exit_run_failed(v,
                        "vCPU %u: no host memory for %llu bytes at "
                        "guest-physical 0x%llx: %s",
                        v->id, (unsigned long long)run->memory_fault.size,
                        (unsigned long long)run->memory_fault.gpa,
                        kvm_memory_describe(v->pv->vm, run->memory_fault.gpa));
        return;
    }
#endif
    (void)run;
    if (err == EFAULT)
        exit_run_failed(v,
                        "vCPU %u: KVM_RUN failed: %s (a guest access the "
                        "host cannot serve, such as a write to a read-only "
                        "grant mapping or to the grant window where nothing "
                        "is mapped)",
                        v->id, strerror(err));
    else
        exit_run_failed(v, "vCPU %u: KVM_RUN failed: %s", v->id, strerror(err));
}

/*
 * The vCPU loop: one switch, each case one call (kvmtool kvm_cpu__start)
 * that becomes one call of core/exits.h.
 */
void kvm_vcpu_run(struct vcpu *v)
{
    struct kvm_run *run = v->pv->run;

    enter_sandbox(v);

    while (exit_may_enter(v)) {
        if (v->pv->parked && kvm_lapic_unpark(v) < 0) {
            exit_fatal(v, "vCPU %u: cannot make it runnable: %s", v->id,
                       strerror(errno));
            break;
        }
        prepare_entry(v, run);
        int rc = ioctl(v->pv->fd, KVM_RUN, 0);
        if (rc < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                __atomic_store_n(&run->immediate_exit, 0, __ATOMIC_SEQ_CST);
                /* A kick ends a halt that KVM served itself (local APIC):
                 * the time goes to the runstate's blocked part. */
                if (v->pv->lapic)
                    exit_halted(v, kvm_lapic_halted(v));
                continue;
            }
            run_failed(v, run, errno);
            break;
        }
        switch (run->exit_reason) {
        case KVM_EXIT_IO:
            handle_io(v, run);
            break;
        case KVM_EXIT_MMIO:
            handle_mmio(v, run);
            break;
        case KVM_EXIT_X86_WRMSR:
            handle_wrmsr(v, run);
            break;
        case KVM_EXIT_HLT:
            handle_hlt(v, run);
            break;
        case KVM_EXIT_XEN: /* VMCALL/VMMCALL (kvm_xen_hcall_enable) */
            if (!kvm_xen_hcall_exit(v, &run->xen, &run->s.regs.sregs))
                exit_fatal(v, "vCPU %u: KVM_EXIT_XEN of unknown type %u", v->id,
                           run->xen.type);
            break;
        case KVM_EXIT_IRQ_WINDOW_OPEN:
            exit_interrupt_window(v); /* prepare_entry injects now */
            break;
        default:
            handle_fatal(v, run);
            break;
        }
    }
}
