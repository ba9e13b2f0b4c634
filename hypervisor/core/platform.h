/* SPDX-License-Identifier: MIT */
/* platform.h: what core asks of the virtualization platform (KVM): one
 * table of operations that a platform fills (struct platform_ops, one
 * instance per platform: hypervisor/platform/platforms.h) and that core
 * calls through the platform_* functions of core/platform.c. Core names
 * no platform code; the platform calls core only through core/exits.h. */
#ifndef PVHV_CORE_PLATFORM_H
#define PVHV_CORE_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/error.h"

struct domain;
struct vcpu;
struct platform_vm;
struct io_device;
struct vcpu_hvm_context;
struct platform_ops;
struct guest_ram;

/*
 * An open platform: its operations, then (in the platform's own larger
 * structure, which begins with this one) whatever it keeps.
 */
struct platform {
    const struct platform_ops *ops;
};

/*
 * What the platform is told of a domain to make its vCPUs: it reads no
 * field of struct domain.
 */
struct platform_vcpu_config {
    uint16_t domid;         /* named in CPUID leaf 0x40000004 */
    uint64_t entry;         /* vCPU 0 starts here (PVH entry, 32-bit) */
    uint64_t start_info;    /* gpa of struct hvm_start_info, in %ebx (or
                             * of Multiboot's information) */
    uint32_t boot_eax;      /* %eax at entry: 0x2badb002 for Multiboot */
    uint64_t platform_page; /* a reserved guest page the platform may use */
    enum pvhv_exec_mode exec_mode;
    bool hvm; /* no Xen CPUID leaves: the guest sees a plain PC */
};

/*
 * Hypervisor pages a domain can map into its physical address space
 * (shared_info, grant table frames): PLATFORM_SPECIAL_PAGES per domain,
 * made with the VM.
 */
#define PLATFORM_SPECIAL_PAGES 64

/*
 * What the platform is told of a domain to make its VM: it reads no
 * field of struct domain. (ram): the domain's RAM, ram->size bytes, which
 * the VM fills in (host, low_size) and serves.
 */
struct platform_vm_config {
    struct guest_ram *ram;
    uint16_t domid;
    const char *name;              /* for the names of its host objects */
    bool hvm;                      /* an emulated PC: interrupt controllers */
    enum pvhv_exec_mode exec_mode; /* native: a PV domain without APICs */
};

/*
 * The operations. Each platform_* function below calls the one of the
 * same name on the platform that (p), (d) or (v) belongs to, and says
 * what it must do; an operation gets a domain's VM (d->pv, NULL before
 * platform_vm_create), never the domain.
 */
struct platform_ops {
    const char *name; /* "kvm" */
    int (*open)(struct platform **p, struct pvhv_error *err);
    void (*close)(struct platform *p);
    bool (*vmcall_hypercalls)(const struct platform *p);
    bool (*native_usable)(struct platform *p, char *why, size_t len,
                          uint64_t *ns);
    int (*vm_create)(struct platform *p, const struct platform_vm_config *cfg,
                     struct platform_vm **vm, struct pvhv_error *err);
    void (*vm_destroy)(struct platform_vm *vm);
    int (*vcpu_create)(struct vcpu *v, struct platform_vm *vm,
                       const struct platform_vcpu_config *cfg,
                       struct pvhv_error *err);
    bool (*vcpu_native)(const struct vcpu *v);
    void (*vcpu_destroy)(struct vcpu *v);
    void (*vcpu_run)(struct vcpu *v);
    const struct io_device *hypercall_port;
    int (*hypercall_page_fill)(struct platform_vm *vm, uint64_t gpa);
    void (*vcpu_kick)(struct vcpu *v);
    int (*vcpu_guest_insns)(const struct vcpu *v, uint64_t *n);
    int (*vcpu_kvm_exits)(const struct vcpu *v, uint64_t *n);
    int (*vcpu_regs)(struct vcpu *v, struct pvhv_regs *regs);
    void *(*special_page)(struct platform_vm *vm, unsigned int idx);
    int (*map_special_pages)(struct platform_vm *vm, unsigned int idx,
                             unsigned int nr, uint64_t gpa);
    int (*map_foreign_page)(struct platform_vm *mapper, uint64_t gpa,
                            struct platform_vm *granter, uint64_t granter_gpa,
                            bool readonly);
    int (*unmap_foreign_page)(struct platform_vm *mapper, uint64_t gpa);
    int (*map_grant_frame)(struct platform_vm *vm, unsigned int idx,
                           uint64_t gpa);
    int (*release_ram)(struct platform_vm *vm, uint64_t gpa, uint64_t len);
    int (*vcpu_set_context)(struct vcpu *v, const struct vcpu_hvm_context *ctx);
    int (*vcpu_tsc)(struct vcpu *v, uint64_t *khz, int64_t *offset);
    int (*sandbox_worker_thread)(void);
    int (*irq_line)(struct platform_vm *vm, unsigned int irq, bool level);
    bool (*vm_lapic)(const struct platform_vm *vm);
    bool (*vcpu_started)(struct vcpu *v);
    bool (*vcpu_halted)(const struct vcpu *v);
};

/*
 * platform_open: opens the platform (ops) (on KVM: /dev/kvm, API version,
 * required capabilities) into (*p). Returns 0 or -ENODEV/-errno, err
 * saying plainly what is missing. platform_close: NULL is fine.
 */
int platform_open(const struct platform_ops *ops, struct platform **p,
                  struct pvhv_error *err);
void platform_close(struct platform *p);

/*
 * platform_vmcall_hypercalls: whether (p)'s KVM passes hypercalls made
 * with VMCALL/VMMCALL to pvhv (KVM_CAP_XEN_HVM with INTERCEPT_HCALL).
 * Without it only kernels calling the hypercall page can run.
 */
bool platform_vmcall_hypercalls(const struct platform *p);

/*
 * platform_native_usable: whether native execution (PVHV_EXEC_NATIVE) is
 * usable, proven by a self-test in a throw-away VM on first use and kept
 * for the life of (p) (never on disk: the host can change between two
 * runs). (why), if given, gets the reason when it returns false; (ns) the
 * self-test's cost. Thread-safe.
 */
bool platform_native_usable(struct platform *p, char *why, size_t len,
                            uint64_t *ns);

/*
 * platform_vm_create: makes the VM for (d) with d->ram.size bytes of RAM,
 * filling d->ram and d->pv. Returns 0 or -errno.
 */
int platform_vm_create(struct platform *p, struct domain *d,
                       struct pvhv_error *err);
void platform_vm_destroy(struct domain *d);

/*
 * platform_vm_lapic: whether each vCPU of the PV domain (d) has a local
 * APIC at 0xfee00000, APIC ID = its index (on KVM: the split irqchip,
 * where the host offers it), so that the domain is given ACPI tables
 * describing them and per-vCPU upcall vectors. False for an hvm domain,
 * whose LAPICs its MP tables describe. These three operations are
 * optional: a platform without them (NULL) has no local APICs.
 */
bool platform_vm_lapic(const struct domain *d);

/*
 * platform_vcpu_started: asked on the thread of (v) while it is down
 * (before VCPUOP_up, after VCPUOP_down): whether another vCPU started it
 * through its local APIC (INIT, then a start-up IPI) since it went down;
 * it then runs from where the IPI says, as a PC's secondary CPU does.
 * Always false without a local APIC.
 */
bool platform_vcpu_started(struct vcpu *v);

/*
 * platform_vcpu_halted: whether (v) is halted inside the platform now (a
 * local APIC lets KVM serve `hlt` itself: the vCPU's "blocking"
 * statistic), for the domain's state. Any thread; false where unknown.
 */
bool platform_vcpu_halted(const struct vcpu *v);

/*
 * platform_vcpu_create: makes vCPU (v) of the VM (vm) (platform_vm_create)
 * as (cfg) says; vCPU 0 gets the PVH boot state. Returns 0 or -errno, err
 * saying what failed. platform_vcpu_native: whether (v) runs in native
 * mode (PVHV_EXEC_NATIVE asked for and proven usable here).
 */
int platform_vcpu_create(struct vcpu *v, struct platform_vm *vm,
                         const struct platform_vcpu_config *cfg,
                         struct pvhv_error *err);
bool platform_vcpu_native(const struct vcpu *v);
void platform_vcpu_destroy(struct vcpu *v);

/*
 * platform_vcpu_run: the vCPU thread's loop (enter, decode the exit, one
 * call of core/exits.h); returns once the domain stops.
 */
void platform_vcpu_run(struct vcpu *v);

/*
 * platform_hypercall_port: the device (core/io.h) that every PV domain of
 * (d)'s platform has where the stubs of its hypercall page exit (on KVM:
 * the `out` to PVHV_HYPERCALL_PORT that ends each stub). It serves the
 * hypercall that the vCPU's registers describe, and refuses any other
 * access (no device).
 * platform_hypercall_page_fill: writes the stubs, one per Xen number,
 * XEN_HYPERCALL_STUB_SIZE bytes each, into the page at guest-physical
 * (gpa) of (d) (what they execute is the platform's business). Returns 0,
 * or -1 when the page is not in guest RAM.
 */
const struct io_device *platform_hypercall_port(const struct domain *d);
int platform_hypercall_page_fill(struct domain *d, uint64_t gpa);

/*
 * platform_irq_line: sets ISA interrupt line (irq) (0 to
 * PLATFORM_ISA_IRQS - 1) of the hvm domain (d) to (level); the domain's
 * interrupt controllers (on KVM the in-kernel PIC, I/O APIC and LAPICs,
 * made with the VM of every hvm domain, with the 8254 PIT on line 0)
 * deliver it. Returns 0, -EINVAL for a line out of range (logged),
 * -ENODEV for a domain without interrupt controllers (a PV domain), or
 * -errno. Any thread.
 */
#define PLATFORM_ISA_IRQS 16
int platform_irq_line(struct domain *d, unsigned int irq, bool level);

/* platform_vcpu_kick: makes (v) leave guest mode and look at its domain. */
void platform_vcpu_kick(struct vcpu *v);

/*
 * platform_vcpu_guest_insns: how many guest instructions (v) has run, as
 * the host counts them: on KVM the vCPU's insn_emulation statistic
 * (KVM_GET_STATS_FD), which counts every instruction the host emulates,
 * so all of them where the vCPU runs emulated and few in native mode.
 * Returns 0 and the count in (n), or -ENOENT where the host keeps no
 * such statistic, -ENODEV for a vCPU without platform state. Any thread.
 */
int platform_vcpu_guest_insns(const struct vcpu *v, uint64_t *n);

/*
 * platform_vcpu_kvm_exits: every exit from guest mode that the host's
 * KVM took for (v), those it served in the kernel (in-kernel LAPIC,
 * I/O APIC and PIT, interrupt injection, `hlt`, page faults) as well as
 * those it passed to pvhv (KVM_RUN returning): on KVM the vCPU's "exits"
 * statistic (KVM_GET_STATS_FD), the figure QEMU's query-stats gives.
 * Returns 0 and the count in (n), or -ENOENT where the host keeps no
 * such statistic, -ENODEV for a vCPU without platform state. Any thread.
 */
int platform_vcpu_kvm_exits(const struct vcpu *v, uint64_t *n);

/* platform_vcpu_regs: the current registers of (v), for crash reports. */
int platform_vcpu_regs(struct vcpu *v, struct pvhv_regs *regs);

/*
 * platform_special_page: the host address of special page (idx) of (d).
 * platform_map_special_pages: makes (nr) pages from (idx) appear at guest
 * frames from (gpa) on, in the guest's view of its RAM (the hypervisor's
 * own view, guest_ram_ptr, keeps the RAM beneath), as one host mapping.
 * Returns 0, -EINVAL (not RAM pages, beyond the special pages) or -errno.
 */
void *platform_special_page(struct domain *d, unsigned int idx);
int platform_map_special_pages(struct domain *d, unsigned int idx,
                               unsigned int nr, uint64_t gpa);

/*
 * The grant window (PVHV_GRANT_WINDOW_BASE, pvabi/pvhv.h): guest-physical
 * pages outside RAM, made with the VM, reading as zero and read-only
 * until a grant is mapped there (a hole costs no host memory).
 * platform_map_foreign_page: makes the RAM page at (granter_gpa) of
 * (granter) appear at (gpa) of (mapper), a page of its RAM (in the guest's
 * view only) or its window, as the same memory (no copy); read-only if
 * (readonly). KVM turns a guest write to a read-only page (this one, or a
 * hole of the window) into an MMIO exit or a failed KVM_RUN, either of
 * which crashes the domain: there is no fault to give the guest. The
 * mapping holds the page: it stays valid after the granter is gone.
 * platform_unmap_foreign_page: puts back at (gpa) the mapper's own RAM
 * page, or a read-only hole in the window.
 * platform_map_grant_frame: as platform_map_special_pages for one page,
 * at a RAM page or a page of the window.
 * Each returns 0, -EINVAL (an address neither RAM nor window, unaligned,
 * a domain without a VM) or -errno.
 */
int platform_map_foreign_page(struct domain *mapper, uint64_t gpa,
                              struct domain *granter, uint64_t granter_gpa,
                              bool readonly);
int platform_unmap_foreign_page(struct domain *mapper, uint64_t gpa);
int platform_map_grant_frame(struct domain *d, unsigned int idx, uint64_t gpa);

/*
 * platform_release_ram: gives the host back the memory of (len) bytes of
 * (d)'s RAM from (gpa), page-aligned and inside one RAM range: both views
 * then read zeros there, and the memory comes back (zeroed) when the
 * guest or the hypervisor writes it again. Returns 0, -EINVAL (not RAM,
 * unaligned) or -errno.
 */
int platform_release_ram(struct domain *d, uint64_t gpa, uint64_t len);

/*
 * platform_vcpu_set_context: gives secondary vCPU (v), while it is down,
 * the state (ctx) (struct vcpu_hvm_context) it starts in. Returns 0 or
 * -errno.
 */
int platform_vcpu_set_context(struct vcpu *v,
                              const struct vcpu_hvm_context *ctx);

/*
 * platform_vcpu_tsc: the vCPU's TSC frequency in kHz and the offset
 * between its TSC and the host's (guest = host + offset).
 */
int platform_vcpu_tsc(struct vcpu *v, uint64_t *khz, int64_t *offset);

/*
 * platform_sandbox_worker_thread: confines the calling backend worker
 * thread to what serving a device's ring needs (eventfd, disk I/O,
 * io_uring_enter; no ioctl); other calls then fail with EPERM and are
 * reported. Returns 0 or -errno (not confined).
 */
int platform_sandbox_worker_thread(const struct platform *p);

#endif /* PVHV_CORE_PLATFORM_H */
