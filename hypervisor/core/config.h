/* SPDX-License-Identifier: MIT */
/* config.h: what the core makes a domain from, and what it says of its end. */
#ifndef PVHV_CORE_CONFIG_H
#define PVHV_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvabi/limits.h"

/*
 * How guest instructions execute. Some software KVM hosts offer a native
 * mode for 64-bit guests whose page tables set the U/S bit everywhere:
 * instructions run at host speed while each exit costs about three times
 * more. It is private to those hosts and has changed between two builds
 * of one, so pvhv uses it only after a self-test has proven it (see
 * pvhv_native_status). It is never needed for correctness: where it is
 * unusable, the domain runs in the default mode.
 */
enum pvhv_exec_mode {
    PVHV_EXEC_DEFAULT, /* the platform's standard execution */
    PVHV_EXEC_NATIVE,  /* native mode where the host offers it */
};

/*
 * A host file handed to pvhv: an open descriptor. pvhv never opens a path;
 * the caller opens each file once and passes what it opened.
 *
 * (set) says that (fd) holds a descriptor, so that a config left zeroed is
 * refused ("no descriptor") instead of reading standard input, fd 0; set
 * with a negative fd is refused too. (name) is only for messages, usually
 * the path the caller opened; NULL reads "descriptor N". pvhv_file_fd
 * fills all three.
 *
 * Ownership stays with the caller. pvhv_domain_create reads what it needs
 * at once (the kernel, with pread: the file offset does not move) and
 * duplicates what the domain keeps (each disk, F_DUPFD_CLOEXEC), closing
 * its duplicates when the domain is destroyed; it never closes or moves
 * the caller's descriptors. The caller may close them once
 * pvhv_domain_create has returned, or keep them to create the domain
 * again. A duplicate shares the caller's open file description: its
 * status flags, and the lock a disk takes (see pvhv_disk).
 */
struct pvhv_file {
    int fd;           /* an open descriptor, when set */
    bool set;         /* fd is given: a zeroed pvhv_file has none */
    const char *name; /* for messages: the path it was opened from */
};

/* pvhv_file_fd: the pvhv_file for descriptor (fd), called (name). */
static inline struct pvhv_file pvhv_file_fd(int fd, const char *name)
{
    return (struct pvhv_file){.fd = fd, .set = true, .name = name};
}

/* A disk's parameters (the "vbd" and "ata" devices; see pvhv_disk). */
struct device_disk {
    const char *vdev; /* the guest's name for it: "xvda", "hda", ... */
    bool readonly;    /* writes are refused */
    bool block;       /* the image is a block device, not a regular file */
};

/*
 * domain_device: one entry of a domain's device list. (type) names the
 * device_type (core/device_types.h) that attaches it: "console", "vbd",
 * "ata"; the build refuses a type no row of the instance's table claims
 * for the domain's kind, naming (type) and (origin). (file) is its host
 * descriptor where it has one (a disk's image). (params) holds what its
 * type reads, one member per kind of parameters.
 */
struct domain_device {
    const char *type;
    const char *origin;    /* where it came from, for messages: "disks[1]" */
    struct pvhv_file file; /* unset: none */
    union {
        struct device_disk disk; /* "vbd", "ata" */
    } params;
};

/* The most devices a domain lists: its disks and its console. */
#define DOMAIN_MAX_DEVICES (PVHV_MAX_DISKS + 1)

/* What pvhv says where the host cannot pass VMCALL hypercalls on
 * (pvhv_vmcall_hypercalls in pvhv.h). */
#define PVHV_NO_VMCALL                                                         \
    "this host's KVM cannot pass VMCALL hypercalls to pvhv; kernels without "  \
    "a hypercall page (Linux >= 6.1.121) cannot run here"

/*
 * domain_config: the core's configuration of one domain, plain data
 * (numbers, strings, descriptors), translated from pvhv_domain_config by
 * the embedding API (pvhv.c). Strings are copied by domain_build;
 * descriptors stay the caller's (see pvhv_file). Limits: pvabi/limits.h.
 */
struct domain_config {
    const char *name; /* unique among running domains */
    uint8_t uuid[16];
    uint64_t memory;         /* guest RAM in bytes, a multiple of 4 KiB */
    uint64_t target_memory;  /* XenStore's memory/target; 0: memory */
    unsigned int vcpus;      /* 1 ... PVHV_MAX_VCPUS */
    struct pvhv_file kernel; /* the PVH ELF image, a regular file */
    struct pvhv_file initrd; /* module 0 of hvm_start_info; unset: none */
    const char *cmdline;     /* NULL or "" for none */
    /* Console output; NULL writes to stdout (unless console_buffer). */
    void (*console)(void *opaque, const char *buf, size_t len);
    void *console_opaque;
    size_t console_buffer; /* bytes of console output kept */
    size_t log_buffer;     /* bytes of log kept; 0: 16 KiB */
    enum pvhv_exec_mode exec_mode;
    unsigned int max_event_channels; /* 0: 1023, Xen's default */
    unsigned int max_grant_frames;   /* 0: 32, Xen's default */
    /* The device list, nr_devices entries (DOMAIN_MAX_DEVICES at most);
     * each kind attaches its entries in list order. */
    const struct domain_device *devices;
    unsigned int nr_devices;
    bool hvm; /* emulated hardware only (pvhv_domain_config.hvm) */
};

/* How a domain stopped. */
enum pvhv_end {
    PVHV_END_POWEROFF,   /* SCHEDOP_shutdown(SHUTDOWN_poweroff) */
    PVHV_END_REBOOT,     /* SHUTDOWN_reboot */
    PVHV_END_SUSPEND,    /* SHUTDOWN_suspend */
    PVHV_END_CRASH,      /* SHUTDOWN_crash, triple fault, fatal exit */
    PVHV_END_WATCHDOG,   /* SHUTDOWN_watchdog */
    PVHV_END_SOFT_RESET, /* SHUTDOWN_soft_reset */
    PVHV_END_DESTROYED,  /* pvhv_domain_destroy while running */
};

/* Guest register state at the moment a domain crashed. */
struct pvhv_regs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags;
    uint64_t cr0, cr2, cr3, cr4, efer;
    uint16_t cs, ss;
};

/*
 * Exit, hypercall and guest instruction counts, for benchmarks and
 * `pvctl`. exits counts the exits that reach pvhv (KVM_RUN returning);
 * kvm_exits every exit from guest mode the host's KVM took, summed over
 * the vCPUs (their "exits" statistic, platform_vcpu_kvm_exits): those it
 * serves in the kernel too (an hvm domain's LAPIC, I/O APIC and PIT,
 * interrupt injection, `hlt`), which pvhv never sees. It is what QEMU's
 * query-stats calls exits, and valid only when kvm_exits_counted is true
 * (the host keeps the statistic for every vCPU). guest_insns is the guest's
 * path length: the instructions its vCPUs ran, summed, as the host counts them
 * (on KVM the vCPUs' insn_emulation statistic; a rep-prefixed string
 * instruction counts once). It is exact only where the host emulates every
 * guest instruction, so it is valid only when guest_insns_counted is true: the
 * host keeps the statistic for every vCPU and the domain did not run in native
 * mode (whose instructions the host does not count).
 */
struct pvhv_stats {
    uint64_t exits;           /* every return from KVM_RUN */
    uint64_t exits_io;        /* port I/O exits, hypercalls included */
    uint64_t hypercalls;      /* hypercalls dispatched */
    uint64_t console_dropped; /* console bytes over the domain's budget */
    bool native;              /* ran in native mode (see pvhv_exec_mode) */
    bool guest_insns_counted; /* guest_insns is valid (see above) */
    uint64_t guest_insns;     /* guest instructions run; 0 when not counted */
    bool kvm_exits_counted;   /* kvm_exits is valid (see above) */
    uint64_t kvm_exits;       /* all of KVM's exits; 0 when not counted */
    /* The boot marker port (PVHV_BOOT_MARKER_PORT): how many writes, the
     * last value, and the domain's system time at the first and last, with
     * the domain's exits (the marker write's own included) and the writing
     * vCPU's guest instructions and KVM exits (0 when not counted) then. */
    unsigned int markers;
    uint32_t marker_value;
    uint64_t marker_first_ns, marker_last_ns;
    uint64_t marker_first_exits, marker_last_exits;
    uint64_t marker_first_insns, marker_last_insns;
    uint64_t marker_first_kvm_exits, marker_last_kvm_exits;
};

struct pvhv_domain_result {
    enum pvhv_end end;
    char reason[256];  /* for a crash: what happened */
    bool have_regs;    /* regs and vcpu are valid */
    unsigned int vcpu; /* the vCPU that crashed */
    struct pvhv_regs regs;
    struct pvhv_stats stats;
};

/* domain_end_name: "poweroff", "reboot", "crash", ... */
const char *domain_end_name(enum pvhv_end end);

#endif /* PVHV_CORE_CONFIG_H */
