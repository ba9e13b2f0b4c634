/* SPDX-License-Identifier: MIT */
/* kvm.h: KVM state behind the platform's opaque types. */
#ifndef PVHV_PLATFORM_KVM_KVM_H
#define PVHV_PLATFORM_KVM_KVM_H

#include <errno.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include "core/platform.h"
#include "platform/kvm/native.h"

struct kvm_platform {
    struct platform base; /* first: what core holds (core/platform.h) */
    int kvm_fd;
    int vcpu_mmap_size;
    struct kvm_cpuid2 *cpuid; /* host-supported leaves, Xen leaves added */
    int kick_signal;          /* makes a vCPU thread leave KVM_RUN */

    /* KVM_CHECK_EXTENSION(KVM_CAP_XEN_HVM): KVM_XEN_HVM_CONFIG_* flags
     * this host offers (0 on hosts without KVM's Xen support). */
    int xen_hvm_flags;

    /* KVM_CAP_SPLIT_IRQCHIP: a local APIC per vCPU in the kernel, the
     * rest of the interrupt controllers left to the VMM (lapic.c). */
    bool split_irqchip;

    /* Native execution (native.c): the self-test's result, once known. */
    pthread_mutex_t native_lock;
    bool native_known;
    bool native_ok;
    struct native_probe native_seen;
};

/* kvm_of: the KVM platform behind core's (p). */
static inline struct kvm_platform *kvm_of(const struct platform *p)
{
    return (struct kvm_platform *)p;
}

/*
 * The native mode of some software KVM layers (kvm_pvm builds), found by
 * experiment: MSR PVM_MSR_SIGNATURE reads "PVM"; writing PVM_MSR_AREA =
 * (page-aligned gpa of a 16-byte "PV area") | 1 before the first KVM_RUN
 * lets a 64-bit guest whose page tables set U/S everywhere run at host
 * speed. Byte 0 of the area is a virtual interrupt flag.
 */
#define PVM_MSR_AREA 0x4b564d10
#define PVM_MSR_SIGNATURE 0x4b564d11
#define PVM_SIGNATURE 0x4d5650 /* "PVM" */

/*
 * A counter of a vCPU's binary statistics (KVM_GET_STATS_FD), such as
 * "insn_emulation". kvm_stat_open: finds (name) for vCPU (vcpu_fd);
 * returns 0 or -ENOENT/-errno, leaving s->fd -1. kvm_stat_read: its
 * value now; 0 or -errno.
 */
struct kvm_stat {
    int fd;
    uint64_t offset;
};
/*
 * kvm_create: KVM_CREATE_VM or KVM_CREATE_VCPU (req, arg) on (fd), again
 * while a signal interrupts it (EINTR: handlers in this process, the
 * vCPU kick's among them, have no SA_RESTART, and an embedder's child
 * may exit meanwhile). Returns the new descriptor
 * or -1 with errno.
 */
static inline int kvm_create(int fd, unsigned long req, unsigned long arg)
{
    int rc;

    do
        rc = ioctl(fd, req, arg);
    while (rc < 0 && errno == EINTR);
    return rc;
}

int kvm_stat_open(int vcpu_fd, const char *name, struct kvm_stat *s);
int kvm_stat_read(const struct kvm_stat *s, uint64_t *value);
void kvm_stat_close(struct kvm_stat *s);

struct platform_vm {
    int vm_fd;
    int mem_fd;            /* guest RAM: one memfd */
    uint8_t *guest_ram;    /* its view for KVM: memslots 0 and 1 */
    int special_fd;        /* PLATFORM_SPECIAL_PAGES hypervisor pages */
    uint8_t *special;      /* their host mapping */
    uint8_t *grant_window; /* memslot 2: PVHV_GRANT_WINDOW_SIZE */
    /* Grant frames put outside RAM and window (frame_slots.c): where
     * special page i is shown by its own memslot; 0: nowhere. */
    uint64_t frame_slot_gpa[PLATFORM_SPECIAL_PAGES];
    bool irqchip; /* in-kernel PIC, I/O APIC, LAPICs and PIT (irq.c) */
    bool lapic;   /* PV: split irqchip on, each vCPU has a local APIC */
    struct kvm_platform *p;
    /* What core told of its domain (struct platform_vm_config): the RAM
     * the VM fills and serves, and for names and messages. */
    struct guest_ram *ram;
    uint16_t domid;
    char name[64];
    bool hvm;
};

/*
 * kvm_irqchip_create (irq.c): the interrupt controllers of an hvm
 * domain's VM (vm_fd), made before its vCPUs: KVM's PIC, I/O APIC and a
 * LAPIC per vCPU (KVM_CREATE_IRQCHIP) and its 8254 PIT on line 0
 * (KVM_CREATE_PIT2). PV domains have none: their upcall vector is
 * injected with KVM_INTERRUPT. Returns 0 or -errno, err naming the call.
 */
int kvm_irqchip_create(struct platform_vm *pvm, struct pvhv_error *err);

/*
 * VMCALL/VMMCALL hypercalls (xen_hcall.c), for kernels that issue them
 * directly instead of calling the hypercall page (Linux since 6.1.121).
 * kvm_xen_hcall_probe: reads KVM_CAP_XEN_HVM into p->xen_hvm_flags.
 * kvm_xen_hcall_enable: KVM_XEN_HVM_CONFIG with INTERCEPT_HCALL on
 * (vm_fd) where the host offers it, so that such a hypercall comes back
 * as KVM_EXIT_XEN; 0 (nothing to do where it does not) or -errno.
 * kvm_xen_hcall_exit: serves one KVM_EXIT_XEN (x) of (v) whose special
 * registers are (s): the hypercall through the same table as the stubs'
 * (exit_hypercall), the result in x->u.hcall.result. False for an exit
 * type it does not know (the caller ends the domain).
 */
void kvm_xen_hcall_probe(struct kvm_platform *p);
int kvm_xen_hcall_enable(const struct kvm_platform *p, int vm_fd);
bool kvm_xen_hcall_exit(struct vcpu *v, struct kvm_xen_exit *x,
                        const struct kvm_sregs *s);

/*
 * kvm_set_memslot (vm.c): memslot (slot) of (vm_fd) shows (size) bytes
 * of host memory (host) at (gpa); size 0 deletes it. 0 or -errno.
 */
int kvm_set_memslot(int vm_fd, uint32_t slot, uint64_t gpa, uint64_t size,
                    void *host);

/*
 * kvm_frame_slot_set (frame_slots.c): special page (idx) of (pvm) appears
 * at (gpa), neither RAM nor window, through a memslot of its own (moved
 * there if it had one elsewhere). No host mapping is made: the memslot
 * shows the hypervisor's own mapping of the page, so the map budget is
 * not charged. Returns 0, -EINVAL (unaligned, beyond the guest-physical
 * width, in the platform's device region below 4 GiB, where another
 * frame or memslot is) or -errno.
 * kvm_frame_slot_clear: (idx) no longer has a memslot (it went back into
 * RAM or the window).
 */
int kvm_frame_slot_set(struct platform_vm *pvm, unsigned int idx, uint64_t gpa);
void kvm_frame_slot_clear(struct platform_vm *pvm, unsigned int idx);

/*
 * kvm_memory_create (memory.c): the memory of (pvm), without a VM: its
 * RAM (pvm->ram->size bytes, one memfd) mapped twice, as pvm->guest_ram
 * for KVM's memslots (grants and special pages are mapped over it) and
 * as pvm->ram->host for the hypervisor (never mapped over); the special
 * pages;
 * the grant window, read-only holes. (pvm) has mem_fd and special_fd -1.
 * Returns 0 or -ENOMEM, err saying what failed; kvm_memory_destroy undoes
 * what was done, either way.
 */
int kvm_memory_create(struct platform_vm *pvm, struct pvhv_error *err);
void kvm_memory_destroy(struct platform_vm *pvm);

/*
 * kvm_memory_describe: what guest-physical (gpa) of (pvm) is, for the crash
 * report of an access KVM could not serve there (a write to a read-only
 * page, or no memory at all). kvm_memory_region: the same for memory
 * only (RAM, the grant window); NULL elsewhere, where devices are.
 */
const char *kvm_memory_describe(struct platform_vm *pvm, uint64_t gpa);
const char *kvm_memory_region(struct platform_vm *pvm, uint64_t gpa);

struct platform_vcpu {
    int fd;
    struct kvm_run *run;
    struct kvm_platform *p;
    struct kvm_stat insns;  /* "insn_emulation"; fd -1 where missing */
    struct kvm_stat exits;  /* "exits" (all of KVM's); fd -1 where missing */
    bool native;            /* native mode is on (kvm_native_setup) */
    bool hvm;               /* an hvm domain's (so named in sandbox refusals) */
    struct platform_vm *vm; /* its VM */
    int vm_fd;              /* its VM's, the one its sandbox lets it change, and
                             * where KVM_SIGNAL_MSI goes */
    bool lapic;             /* it has a local APIC (lapic.c) */
    bool parked;            /* down, waiting for INIT and SIPI in KVM */
    struct kvm_stat halts;  /* "halt_wait_ns"; fd -1 where missing */
    struct kvm_stat blocking; /* "blocking": halted in KVM now */
    uint64_t halted_ns;       /* its value when last read */
};

/*
 * The local APIC of PV domains (lapic.c), KVM's in-kernel one through the
 * split irqchip. kvm_lapic_probe: reads KVM_CAP_SPLIT_IRQCHIP into
 * p->split_irqchip. kvm_lapic_vm_enable: turns it on for the VM (pvm),
 * before any vCPU exists, setting pvm->lapic; says once per process,
 * plainly, why not where it cannot (0 either way: the domain then runs
 * without). kvm_lapic_vcpu_setup: the vCPU (v) of such a VM starts as
 * firmware leaves a PC: APIC software-enabled, LINT0 in virtual-wire
 * mode (ExtINT, so KVM_INTERRUPT still delivers the callback vector),
 * LINT1 NMI; a secondary vCPU parked, waiting for INIT and SIPI (it is
 * down: kvm_vcpu_started) or VCPUOP_up. Returns 0 or -errno.
 * kvm_lapic_unpark: (v), parked, was brought up with VCPUOP_up: it runs
 * from the state VCPUOP_initialise gave. 0 or -errno.
 * kvm_lapic_halted: after KVM_RUN came back, the ns (v) spent halted in
 * KVM since the last call (0 where the host keeps no such statistic).
 */
void kvm_lapic_probe(struct kvm_platform *p);
int kvm_lapic_vm_enable(struct platform_vm *pvm);
int kvm_lapic_vcpu_setup(struct vcpu *v, struct pvhv_error *err);
int kvm_lapic_unpark(struct vcpu *v);
uint64_t kvm_lapic_halted(struct vcpu *v);
/* The operations of core/platform.h, for the local APIC (lapic.c). */
bool kvm_vm_lapic(const struct platform_vm *vm);
bool kvm_vcpu_started(struct vcpu *v);
bool kvm_vcpu_halted(const struct vcpu *v);
/*
 * kvm_lapic_irq: (vector) to (v)'s own local APIC as a fixed, edge
 * interrupt (an MSI to its APIC ID): it waits in the IRR until the vCPU
 * takes it, and the guest EOIs it. Returns 0 or -errno.
 */
int kvm_lapic_irq(struct vcpu *v, uint8_t vector);

/*
 * kvm_cpuid_apply: gives the vCPU (vcpu_fd) the CPUID table of every
 * domain's vCPU: the host's, with Xen's leaves naming (vcpu_id) and
 * (domid) when (xen); without them (an hvm domain) nothing answers at
 * 0x40000000; (lapic): the vCPU has a local APIC, so per-vCPU upcall
 * vectors are offered (XEN_HVM_CPUID_UPCALL_VECTOR). Returns 0 or -errno.
 */
int kvm_cpuid_apply(const struct kvm_platform *p, int vcpu_fd, uint32_t vcpu_id,
                    uint32_t domid, bool xen, bool lapic,
                    struct pvhv_error *err);

/*
 * kvm_hypercall_stub_at: where the stub of hypercall (nr) that (v) is
 * executing starts in (ram), given the linear address (rip) at its exit: KVM
 * reports the `out` either done (rip after it: instruction emulation) or
 * not yet done (rip at it: hardware exits, which KVM skips on the next
 * KVM_RUN unless rip changed). Returns 0 and (*start), or -1 when the
 * bytes there are no stub of (nr) (a guest that made the call another way).
 */
int kvm_hypercall_stub_at(const struct guest_ram *ram, struct vcpu *v,
                          uint64_t rip, uint32_t nr, uint64_t *start);

/*
 * kvm_msr: reads (KVM_GET_MSRS) or writes (KVM_SET_MSRS) one MSR (index)
 * of the vCPU (fd) through (val). Returns 0 or -1.
 */
int kvm_msr(int fd, unsigned long req, uint32_t index, uint64_t *val);

/*
 * kvm_native_setup: turns native mode on for (v) if (cfg) asks for it and
 * the self-test proved it usable here; else (v) runs emulated. Returns
 * whether it is on.
 */
bool kvm_native_setup(struct vcpu *v, const struct platform_vcpu_config *cfg);

/*
 * kvm_sandbox_vcpu_thread: confines the calling thread to what a vCPU
 * thread needs (sandbox.c, seccomp); other system calls then fail with
 * EPERM and are reported; (hvm): a vCPU of an hvm domain (the same
 * calls: its disks' I/O runs on their worker); (vm_fd): its VM, the only one
 * whose memslots it may change (grant frames outside RAM), or -1 for none.
 * Returns 0 or -errno (seccomp unavailable). kvm_sandbox_refusals: how
 * many calls were refused so far.
 */
int kvm_sandbox_vcpu_thread(bool hvm, int vm_fd);
unsigned int kvm_sandbox_refusals(void);

/*
 * kvm_set_boot_state: the PVH entry state of (v): 32-bit protected mode at
 * (entry), %ebx = (start_info), %eax = (eax) (Multiboot's magic, which
 * enters the same way). Returns 0 or -errno.
 */
int kvm_set_boot_state(struct vcpu *v, uint64_t entry, uint64_t start_info,
                       uint32_t eax, struct pvhv_error *err);

/*
 * The operations of core/platform.h, each as that header describes its
 * platform_* namesake; kvm.c lists them in platform_kvm.
 */
bool kvm_vmcall_hypercalls(const struct kvm_platform *p);
bool kvm_native_usable(struct kvm_platform *p, char *why, size_t len,
                       uint64_t *ns);
int kvm_vm_create(struct kvm_platform *p, const struct platform_vm_config *cfg,
                  struct platform_vm **vm, struct pvhv_error *err);
void kvm_vm_destroy(struct platform_vm *vm);
int kvm_vcpu_create(struct vcpu *v, struct platform_vm *vm,
                    const struct platform_vcpu_config *cfg,
                    struct pvhv_error *err);
bool kvm_vcpu_native(const struct vcpu *v);
void kvm_vcpu_destroy(struct vcpu *v);
void kvm_vcpu_run(struct vcpu *v);
extern const struct io_device kvm_hypercall_port;
int kvm_hypercall_page_fill(struct platform_vm *vm, uint64_t gpa);
/* kvm_hypercall_stubs: the stubs written at (gpa) of (ram); as above. */
int kvm_hypercall_stubs(struct guest_ram *ram, uint64_t gpa);
void kvm_vcpu_kick(struct vcpu *v);
int kvm_vcpu_guest_insns(const struct vcpu *v, uint64_t *n);
int kvm_vcpu_kvm_exits(const struct vcpu *v, uint64_t *n);
int kvm_vcpu_regs(struct vcpu *v, struct pvhv_regs *regs);
void *kvm_special_page(struct platform_vm *vm, unsigned int idx);
int kvm_map_special_pages(struct platform_vm *vm, unsigned int idx,
                          unsigned int nr, uint64_t gpa);
int kvm_map_foreign_page(struct platform_vm *mapper, uint64_t gpa,
                         struct platform_vm *granter, uint64_t granter_gpa,
                         bool readonly);
int kvm_unmap_foreign_page(struct platform_vm *mapper, uint64_t gpa);
int kvm_map_grant_frame(struct platform_vm *vm, unsigned int idx, uint64_t gpa);
int kvm_release_ram(struct platform_vm *vm, uint64_t gpa, uint64_t len);
int kvm_vcpu_set_context(struct vcpu *v, const struct vcpu_hvm_context *ctx);
int kvm_vcpu_tsc(struct vcpu *v, uint64_t *khz, int64_t *offset);
int kvm_sandbox_worker_thread(void);
int kvm_irq_line(struct platform_vm *vm, unsigned int irq, bool level);

#endif /* PVHV_PLATFORM_KVM_KVM_H */
