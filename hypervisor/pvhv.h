/* SPDX-License-Identifier: MIT */
/* pvhv.h: the hypervisor as a library: open it, create and run domains. */
#ifndef PVHV_PVHV_H
#define PVHV_PVHV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pvhv;
struct domain;

/* Errors for a person: what failed, naming the bad value and its source. */
#define PVHV_ERR_MAX 512
struct pvhv_error {
    char msg[PVHV_ERR_MAX];
};

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
    PVHV_EXEC_DEFAULT,  /* the platform's standard execution */
    PVHV_EXEC_NATIVE,   /* native mode where the host offers it */
};

/* A disk image served to the guest as a PV block device (blkif). */
struct pvhv_disk {
    const char *path;   /* raw image file */
    const char *vdev;   /* "xvda", "xvdb", ...: the guest's name for it */
    bool readonly;      /* writes are refused with BLKIF_RSP_ERROR */
};

#define PVHV_MAX_DISKS 16
#define PVHV_MAX_GRANT_FRAMES 63      /* per domain */
#define PVHV_MAX_EVENT_CHANNELS 4095  /* per domain: the 2-level ABI's ports */

/* What a domain needs to start. Strings are copied by pvhv_domain_create. */
struct pvhv_domain_config {
    const char *name;       /* unique among running domains */
    uint8_t uuid[16];
    uint64_t memory;        /* guest RAM in bytes, a multiple of 4 KiB */
    unsigned int vcpus;     /* 1 ... PVHV_MAX_VCPUS */
    const char *kernel;     /* path of the PVH ELF image */
    const char *cmdline;    /* NULL or "" for none */
    /* Console output; NULL writes to stdout. Called from vCPU threads. */
    void (*console)(void *opaque, const char *buf, size_t len);
    void *console_opaque;
    enum pvhv_exec_mode exec_mode;
    unsigned int max_event_channels; /* 0: 1023, Xen's default */
    unsigned int max_grant_frames;   /* 0: 32, Xen's default */
    const struct pvhv_disk *disks;   /* nr_disks of them */
    unsigned int nr_disks;
};

#define PVHV_MAX_VCPUS 32


/* How a domain stopped. */
enum pvhv_end {
    PVHV_END_POWEROFF,    /* SCHEDOP_shutdown(SHUTDOWN_poweroff) */
    PVHV_END_REBOOT,      /* SHUTDOWN_reboot */
    PVHV_END_SUSPEND,     /* SHUTDOWN_suspend */
    PVHV_END_CRASH,       /* SHUTDOWN_crash, triple fault, fatal exit */
    PVHV_END_WATCHDOG,    /* SHUTDOWN_watchdog */
    PVHV_END_SOFT_RESET,  /* SHUTDOWN_soft_reset */
    PVHV_END_DESTROYED,   /* pvhv_domain_destroy while running */
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
 * `pvctl`. guest_insns is the guest's path length: the instructions its
 * vCPUs ran, summed, as the host counts them (on KVM the vCPUs'
 * insn_emulation statistic; a rep-prefixed string instruction counts
 * once). It is exact only where the host emulates every guest
 * instruction, so it is valid only when guest_insns_counted
 * is true: the host keeps the statistic for every vCPU and the domain did
 * not run in native mode (whose instructions the host does not count).
 */
struct pvhv_stats {
    uint64_t exits;           /* every return from KVM_RUN */
    uint64_t exits_io;        /* port I/O exits, hypercalls included */
    uint64_t hypercalls;      /* hypercalls dispatched */
    bool native;              /* ran in native mode (see pvhv_exec_mode) */
    bool guest_insns_counted; /* guest_insns is valid (see above) */
    uint64_t guest_insns;     /* guest instructions run; 0 when not counted */
};

struct pvhv_domain_result {
    enum pvhv_end end;
    char reason[256];        /* for a crash: what happened */
    bool have_regs;          /* regs and vcpu are valid */
    unsigned int vcpu;       /* the vCPU that crashed */
    struct pvhv_regs regs;
    struct pvhv_stats stats;
};

/*
 * pvhv_open: checks /dev/kvm and its API and makes a hypervisor instance
 * (hv). Returns 0, or -ENODEV when KVM is missing or unusable (err says
 * why, plainly), or another -errno.
 */
int pvhv_open(struct pvhv **hv, struct pvhv_error *err);
void pvhv_close(struct pvhv *hv);

/* Whether PVHV_EXEC_NATIVE is usable here, and what proving it cost. */
struct pvhv_native_status {
    bool usable;
    char why[256];         /* when not usable: why, for a person */
    uint64_t selftest_ns;  /* the self-test's cost */
};

/*
 * pvhv_native_status: the verdict of the native-mode self-test (a
 * throw-away VM that checks CPUID trapping, native execution and page
 * fault delivery), run on the first call or the first native domain and
 * kept for the life of (hv). Domains asking for PVHV_EXEC_NATIVE where it
 * is unusable run in the default mode; pvhv_stats.native says which ran.
 */
void pvhv_native_status(struct pvhv *hv, struct pvhv_native_status *st);

/*
 * pvhv_domain_create: makes a domain from (cfg), loads its kernel and
 * builds its boot state, all before any guest instruction runs. Returns 0
 * and the domain in (d), or -errno with err naming the bad value (a kernel
 * that does not fit its memory is refused here).
 */
int pvhv_domain_create(struct pvhv *hv, const struct pvhv_domain_config *cfg,
                       struct domain **d, struct pvhv_error *err);

/*
 * pvhv_domain_shutdown_request: asks the guest to stop, the way Xen's
 * toolstack does: writes (reason) ("poweroff", "reboot", "suspend") to
 * its XenStore node control/shutdown. The guest decides; see
 * pvhv_domain_destroy for the forced way. Returns 0 or -errno.
 */
int pvhv_domain_shutdown_request(struct domain *d, const char *reason);

/*
 * pvhv_xenstore_socket: serves the hypervisor's XenStore to domain-0
 * tools on a UNIX socket at (path), speaking xs_wire like xenstored
 * (clients such as xenstore-read reach it with XENSTORED_PATH=path).
 * Returns 0 or -errno with err saying why.
 */
int pvhv_xenstore_socket(struct pvhv *hv, const char *path,
                         struct pvhv_error *err);

/* pvhv_domain_start: starts the vCPU threads. Returns 0 or -errno. */
int pvhv_domain_start(struct domain *d, struct pvhv_error *err);

/* pvhv_domain_wait: blocks until (d) has stopped; fills (res). */
void pvhv_domain_wait(struct domain *d, struct pvhv_domain_result *res);

/*
 * pvhv_domain_stop: stops (d) at once ("pulling the plug"), ending as
 * PVHV_END_DESTROYED unless it had already stopped; it stays allocated, so
 * pvhv_domain_wait returns and pvhv_domain_destroy frees it. Any thread.
 */
void pvhv_domain_stop(struct domain *d);

/* pvhv_domain_destroy: stops (d) if running, then frees it. */
void pvhv_domain_destroy(struct domain *d);

uint16_t pvhv_domain_id(const struct domain *d);
const char *pvhv_domain_name(const struct domain *d);
void pvhv_domain_stats(const struct domain *d, struct pvhv_stats *st);

/* pvhv_end_name: "poweroff", "reboot", "crash", ... */
const char *pvhv_end_name(enum pvhv_end end);

/* pvhv_regs_format: the registers as a few human-readable lines. */
void pvhv_regs_format(const struct pvhv_regs *r, char *buf, size_t len);

#endif /* PVHV_PVHV_H */
