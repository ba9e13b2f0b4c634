/* SPDX-License-Identifier: MIT */
/* pvhv.h: the hypervisor as a library: open it, create and run domains. */
#ifndef PVHV_PVHV_H
#define PVHV_PVHV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/error.h"
#include "pvabi/limits.h"

struct pvhv;
struct domain;

/*
 * A disk image served to the guest as a PV block device (blkif): raw,
 * whole 512-byte sectors. (image) must be open for reading, and for
 * writing too unless (readonly); it must be a regular file, or a block
 * device when (block) says so (libvirt's <disk type='block'>).
 *
 * The domain locks the image for as long as it lives, as QEMU does: an
 * open file description lock (F_OFD_SETLK) over the whole file on
 * (image)'s open file description, a write lock, or a read lock when
 * (readonly). pvhv_domain_create refuses (-EBUSY) an image that another
 * disk of this process holds in a conflicting way (another domain, or
 * another vdev of the same one), naming the holder, and one that another
 * process has locked so, saying what F_OFD_GETLK tells of it. The lock is
 * dropped when the domain is destroyed.
 */
struct pvhv_disk {
    struct pvhv_file image;
    const char *vdev; /* the guest's name for it: "xvda", "hda", "51712",
                       * ... (pvabi/io/vbd.h gives the device id) */
    bool readonly;    /* writes are refused with BLKIF_RSP_ERROR */
    bool block;       /* image is a block device, not a regular file */
};

/*
 * What a domain needs to start: plain data (numbers, strings, descriptors).
 * Strings are copied by pvhv_domain_create; descriptors are the caller's
 * (see pvhv_file).
 */
struct pvhv_domain_config {
    const char *name; /* unique among running domains */
    uint8_t uuid[16];
    uint64_t memory;         /* guest RAM in bytes, a multiple of 4 KiB:
                              * the most the domain may hold */
    uint64_t target_memory;  /* what it is asked to hold (a balloon driver
                              * gives back the rest), XenStore's
                              * memory/target; at most memory; 0: memory */
    unsigned int vcpus;      /* 1 ... PVHV_MAX_VCPUS */
    struct pvhv_file kernel; /* the PVH ELF image, a regular file */
    struct pvhv_file initrd; /* optional (set false: none): loaded after
                              * the kernel as module 0 of hvm_start_info,
                              * its pages reserved in the memory map */
    const char *cmdline;     /* NULL or "" for none */
    /* Console output; NULL writes to stdout (unless console_buffer is
     * set). Called from vCPU threads. */
    void (*console)(void *opaque, const char *buf, size_t len);
    void *console_opaque;
    /* Bytes of console output kept for pvhv_console_read (0: none),
     * rounded up to a power of two; with it and no console callback, the
     * output is kept only. And of the domain's log (pvhv_domain_log_read,
     * pvhv_domain_dmesg; 0: 16 KiB).
     * At most 16 MiB each. */
    size_t console_buffer;
    size_t log_buffer;
    enum pvhv_exec_mode exec_mode;
    unsigned int max_event_channels; /* 0: 1023, Xen's default */
    unsigned int max_grant_frames;   /* 0: 32, Xen's default */
    const struct pvhv_disk *disks;   /* nr_disks of them */
    unsigned int nr_disks;
    /* More devices (core/config.h struct domain_device), attached after
     * the console and the disks: a "vbd" entry is a disk as above. A
     * type no backend of this build claims for the domain's kind is
     * refused (-EINVAL), naming it and the entry's origin ("devices[N]"
     * when NULL). Disks, devices and a PV domain's console: at most
     * DOMAIN_MAX_DEVICES in all. */
    const struct domain_device *devices;
    unsigned int nr_devices;
    /* Full virtualization: no hypercalls, Xen CPUID leaves, XenStore or
     * PV devices; a 16550 UART, ATA disks (at most 2) and the boot
     * marker port instead (README "hvm domains"). */
    bool hvm;
};

/*
 * pvhv_open: checks /dev/kvm and its API and makes a hypervisor instance
 * (hv). Returns 0, or -ENODEV when KVM is missing or unusable (err says
 * why, plainly), or another -errno.
 * pvhv_open_on: the same on the platform (ops) (core/platform.h), for a
 * platform other than KVM, such as the unit tests' fake one.
 * pvhv_close: stops the instance's services (its host event loop, the
 * XenStore socket) and frees it; its domains must have been destroyed.
 */
struct platform_ops;
int pvhv_open(struct pvhv **hv, struct pvhv_error *err);
int pvhv_open_on(const struct platform_ops *ops, struct pvhv **hv,
                 struct pvhv_error *err);
void pvhv_close(struct pvhv *hv);

/*
 * pvhv_vmcall_hypercalls: whether this host's KVM passes hypercalls made
 * with VMCALL/VMMCALL to pvhv (KVM_CAP_XEN_HVM with its INTERCEPT_HCALL
 * flag); they are then served like the hypercall page's. Linux since
 * 6.1.121 (and every stable series with the CVE-2024-53241 fix) issues
 * them directly. Where false, PVHV_NO_VMCALL says so for a person; pvhv
 * logs it once, when a domain's kernel says it is Linux
 * (XEN_ELFNOTE_GUEST_OS "linux").
 */
bool pvhv_vmcall_hypercalls(struct pvhv *hv);

/* Whether PVHV_EXEC_NATIVE is usable here, and what proving it cost. */
struct pvhv_native_status {
    bool usable;
    char why[256];        /* when not usable: why, for a person */
    uint64_t selftest_ns; /* the self-test's cost */
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
 * builds its boot state, all before any guest instruction runs. It opens
 * no path: the kernel and disks come as descriptors (pvhv_file, which
 * says who owns what). Returns 0 and the domain in (d), or -errno with err
 * naming the bad value: -EBADF for a descriptor not given or not open as
 * needed, -EINVAL for a kernel or disk of the wrong kind (a FIFO, a
 * directory, a block device where a file is wanted ...) or a kernel that
 * does not fit its memory, -EBUSY for a disk image locked by another disk
 * (see pvhv_disk).
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
 * pvhv_domain_hears_shutdown: whether (d)'s guest would hear a request
 * on control/shutdown: it watches the node (or one above it), or it
 * wrote "1" to control/feature-poweroff as Linux does. False also while
 * a guest that will watch it is still booting.
 */
bool pvhv_domain_hears_shutdown(struct domain *d);

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

/*
 * pvhv_domain_pause: (d)'s vCPUs stop entering the guest and, once none
 * runs guest code, its time stops (the guest's clock and timers do not
 * move while paused). Works before pvhv_domain_start too: the vCPUs then
 * start paused. pvhv_domain_unpause: they go on, and the guest's time
 * goes on from where it stood. Return 0, -EBUSY (already paused) or
 * -EINVAL (not paused). Any thread.
 */
int pvhv_domain_pause(struct domain *d);
int pvhv_domain_unpause(struct domain *d);

/* A domain's state, as xl list shows it (r, b, p, s, c, d). */
enum pvhv_state {
    PVHV_STATE_RUNNING,  /* a vCPU may run guest code */
    PVHV_STATE_BLOCKED,  /* every vCPU waits (SCHEDOP_block, poll, hlt) */
    PVHV_STATE_PAUSED,   /* pvhv_domain_pause */
    PVHV_STATE_SHUTDOWN, /* the guest shut down (poweroff, reboot, ...) */
    PVHV_STATE_CRASHED,  /* crashed (or its watchdog fired) */
    PVHV_STATE_DYING,    /* destroyed, not freed yet */
};

struct pvhv_domain_info {
    enum pvhv_state state;
    unsigned int vcpus;
    uint64_t memory;    /* guest RAM, bytes */
    uint64_t cpu_ns;    /* CPU time its vCPU threads used, summed */
    uint64_t system_ns; /* the guest's system time: stops while paused */
    struct pvhv_stats stats;
};

/* pvhv_domain_info: (d)'s state and figures now. Any thread. */
void pvhv_domain_info(struct domain *d, struct pvhv_domain_info *info);

/* pvhv_state_name: "running", "blocked", "paused", ...; */
const char *pvhv_state_name(enum pvhv_state state);

/*
 * pvhv_console_read: copies up to (len) bytes of (d)'s kept console
 * output (pvhv_domain_config.console_buffer) from position (*pos) (0:
 * the first byte the guest wrote) and moves (*pos) on. Bytes already
 * overwritten are skipped: (*pos) moves to the oldest kept, and how many
 * were skipped is added to (*lost) (NULL: not counted). Returns the bytes
 * copied; 0 when none is new, which arms pvhv_console_fd. Several
 * readers, each with its own position. Any thread.
 */
size_t pvhv_console_read(struct domain *d, uint64_t *pos, char *buf, size_t len,
                         uint64_t *lost);

/*
 * pvhv_console_fd: an eventfd for a poll loop, -1 without a buffer:
 * readable at the first byte written after a pvhv_console_read found
 * nothing new, and when the domain stops (its output has ended). Read 8
 * bytes from it to clear it. It is (d)'s: closed by pvhv_domain_destroy.
 */
int pvhv_console_fd(struct domain *d);

/*
 * pvhv_console_input: queues (len) bytes at (buf) as console input for
 * the guest; the console's worker thread moves them into its ring's in[]
 * as room allows and notifies it. Returns the bytes queued (fewer when
 * 1 KiB already waits), -ENODEV without a console ring, -EIO
 * when the guest broke the ring. Any thread.
 */
int pvhv_console_input(struct domain *d, const char *buf, size_t len);

/*
 * pvhv_domain_log_read: as pvhv_console_read, for (d)'s log
 * (pvhv_domain_config.log_buffer): the hypervisor's lines about it
 * (guest errors, its end, a crash's reason) and what it wrote with
 * console_io, Xen's "dmesg" of the domain.
 */
size_t pvhv_domain_log_read(struct domain *d, uint64_t *pos, char *buf,
                            size_t len, uint64_t *lost);

/*
 * pvhv_log_sink: the hypervisor's log lines (every instance) go to
 * (sink) instead of stderr; NULL: stderr again. (sink) gets the line's
 * level (0 error, 1 warning, 2 info, 3 debug) and its text, without
 * "pvhv: level: " or newline; it runs on the thread that logs, vCPU
 * threads included, which may only write to descriptors already open.
 */
void pvhv_log_sink(void (*sink)(int level, const char *msg));

uint16_t pvhv_domain_id(const struct domain *d);
const char *pvhv_domain_name(const struct domain *d);
void pvhv_domain_stats(const struct domain *d, struct pvhv_stats *st);

/*
 * pvhv_domain_dmesg: (d)'s hypervisor log, what `xl dmesg` shows of a
 * domain: the hypervisor's lines about it (its start and end, the bad
 * arguments its guest passed, rate-limited) and the lines its guest
 * wrote with console_io (on Xen the hypervisor's console, not the
 * domain's), oldest first, each ending in a newline; the last 16 KiB of
 * them (or pvhv_domain_config.log_buffer), whole lines. Copies at most
 * (len) - 1 bytes and a NUL into (buf); returns the length of all that
 * is kept (more than len - 1: buf holds the oldest part). While the
 * domain runs, each console_io line is also printed on the hypervisor's
 * log (standard error) as "pvhv: d<N>: console_io: <text>". Any thread.
 */
size_t pvhv_domain_dmesg(struct domain *d, char *buf, size_t len);

/* pvhv_end_name: "poweroff", "reboot", "crash", ... */
const char *pvhv_end_name(enum pvhv_end end);

/* pvhv_regs_format: the registers as a few human-readable lines. */
void pvhv_regs_format(const struct pvhv_regs *r, char *buf, size_t len);

#endif /* PVHV_PVHV_H */
