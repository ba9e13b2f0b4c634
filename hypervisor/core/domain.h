/* SPDX-License-Identifier: MIT */
/* domain.h: a domain, its vCPUs and its lifecycle. */
#ifndef PVHV_CORE_DOMAIN_H
#define PVHV_CORE_DOMAIN_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"
#include "core/error.h"
#include "core/console_buffer.h"
#include "core/guest_memory.h"
#include "pvabi/xen.h"
#include "core/io.h"
#include "core/log.h"
#include "core/map_budget.h"
#include "core/ratelimit.h"
#include "core/vcpu.h"
#include "pvabi/event_channel.h"
#include "pvabi/hvm.h"
#include "pvabi/xen.h"

struct evtchn_table;
struct host_timer;
struct xenstore_ring;
struct grant_table;
struct backend_list;

struct platform_vm; /* opaque: hypervisor/platform/<name>/ */

/*
 * The console's byte budget (domain_console_write): a token bucket, what
 * it dropped, and when the next "dropped" report may be written.
 */
struct console_budget {
    struct ratelimit bucket;
    _Atomic uint64_t dropped; /* not reported yet */
    _Atomic uint64_t dropped_total;
    _Atomic uint64_t next_report_ns;
    _Atomic bool mid_line; /* the last byte passed was no newline */
};

/*
 * The domain's log (core/console_io.c): what its guest writes with
 * console_io, Xen's hypervisor console, apart from its own console. Text
 * is kept as lines: non-printable bytes are dropped, a line ends at a
 * newline or at CONSOLE_LOG_LINE - 1 bytes. Each line is printed on the
 * hypervisor's log ("pvhv: d<N>: console_io: <text>"), at most
 * CONSOLE_LOG_BURST lines at once and CONSOLE_LOG_RATE a second (the
 * console budget has charged its bytes before), and kept in the domain's
 * log (log_buf: CONSOLE_LOG_KEEP bytes unless the toolstack asks for more),
 * with the hypervisor's own lines about the domain, for pvhv_domain_dmesg
 * and pvhv_domain_log_read.
 */
#define CONSOLE_LOG_LINE 256
#define CONSOLE_LOG_KEEP (16 * 1024)
struct console_log {
    pthread_mutex_t lock; /* zeroed is unlocked (glibc) */
    size_t len;           /* bytes in line[] */
    char line[CONSOLE_LOG_LINE];
    _Atomic uint64_t bytes; /* text that passed the budget, in total */
    struct log_limit limit; /* lines printed */
};

enum domain_state {
    DOMAIN_CREATED, /* built, no vCPU has run */
    DOMAIN_RUNNING,
    DOMAIN_STOPPED, /* shut down, crashed or destroyed: result is final */
};

struct domain {
    uint16_t domid;
    char name[64];
    uint8_t uuid[16];
    struct guest_ram ram;
    char *cmdline;
    unsigned int nr_vcpus;
    struct vcpu *vcpus;
    struct platform_vm *pv;
    struct pvhv *hv;             /* its instance: registry, host ports */
    unsigned int built_steps;    /* set-up steps done (domain_build.c) */
    struct xenstore_ring *store; /* the XenStore ring's server side */

    /* Boot state built by the loader. */
    uint64_t entry;         /* PHYS32_ENTRY */
    uint64_t start_info;    /* gpa of struct hvm_start_info */
    uint64_t platform_page; /* a reserved page the platform may use */
    enum pvhv_exec_mode exec_mode;
    bool native;       /* a vCPU runs in native mode (platform says) */
    bool hvm;          /* emulated hardware only, no hypercalls */
    bool lapic;        /* a local APIC per vCPU (platform_vm_lapic) */
    uint32_t boot_eax; /* %eax at entry: Multiboot's magic, else 0 */
    /* Boot marker port (boot_marker.c): writes, first and last times, the
     * domain's exits and the writing vCPU's guest instructions and KVM
     * exits then. */
    _Atomic unsigned int markers;
    _Atomic uint32_t marker_value;
    _Atomic uint64_t marker_first_ns, marker_last_ns;
    _Atomic uint64_t marker_first_exits, marker_last_exits;
    _Atomic uint64_t marker_first_insns, marker_last_insns;
    _Atomic uint64_t marker_first_kvm_exits, marker_last_kvm_exits;
    struct emulated *emulated; /* hvm: its devices (emulated/emulated.h) */

    void (*console)(void *opaque, const char *buf, size_t len);
    void *console_opaque;
    struct console_budget console_budget;
    struct console_buffer console_buf; /* output kept for readers */
    struct console_buffer log_buf;     /* hypervisor lines about it */
    struct log_limit log_limit;        /* gdprintk's rate limit */
    struct console_log console_log;    /* console_io's lines (console_io.c) */
    /*
     * Set by the PV console's backend: takes what the guest queued on its
     * console ring, on the calling thread. console_io calls it before it
     * writes, so that a line printed before a console_io write is taken
     * (and charged to the console budget) first, whatever the backend's
     * worker is doing. NULL: no PV console.
     */
    void (*console_drain)(void *opaque);
    void *console_drain_opaque;

    /* The memory map the guest booted with (XENMEM_memory_map). */
    uint64_t memmap; /* gpa of struct hvm_memmap_table_entry[] */
    uint32_t memmap_entries;
    uint64_t boot_base, boot_size; /* its reserved boot region */

    /* Balloon state (core/memory_reservation.c); released frames are in
     * ram.released. */
    pthread_mutex_t reservation_lock;
    uint64_t pages_unplaced; /* counted to the domain, in no frame */

    /* Events (core/event_channel.c) and HVM parameters (core/hvm_op.c). */
    struct shared_info *shared_info; /* host address of the page */
    _Atomic bool shared_info_compat; /* in the 32-bit layout (latched
                                      * by evtchn_latch_layout) */
    bool shared_info_mapped;         /* XENMEM_add_to_physmap done */
    uint64_t shared_info_gfn;        /* where, once mapped */
    struct evtchn_table *evtchn;     /* set once shared_info is */
    uint8_t callback_vector;         /* 0: no upcall delivery */
    uint32_t vm_assist;              /* VMASST_TYPE_* bits (vm_assist.c) */
    uint64_t hvm_param[HVM_NR_PARAMS];
    uint64_t grant_frames_gfn;     /* where the grant frames start */
    struct grant_table *gnttab;    /* core/grant_table.c */
    struct backend_list *backends; /* hypervisor/backends/ */
    struct io_table io[IO_SPACES]; /* ports and MMIO (core/io.h) */
    struct map_share maps;         /* its part of hv->maps */
    bool privileged;               /* may act on other domains */

    /* Time (core/time.c): system time is ns since the domain was made,
     * less the time it spent paused. */
    uint64_t boot_ns;          /* CLOCK_MONOTONIC at creation, moved on
                                * by each pause (domain_time_base) */
    uint64_t boot_realtime_ns; /* CLOCK_REALTIME at creation */
    uint64_t frozen_ns;        /* system time while time_stopped */
    _Atomic bool time_stopped; /* paused, and no guest code runs */

    /* Pause (pvhv_domain_pause): vCPUs do not enter the guest while set;
     * time_gen moves on at each unpause, when pvclock must be rewritten. */
    _Atomic bool paused;
    _Atomic uint32_t time_gen;
    pthread_mutex_t pause_lock; /* serialises pause and unpause */

    /* Counters, written by vCPU threads without locks (one per vCPU would
     * be exact under contention; relaxed atomics are cheap enough): exits
     * in core/exits.c, hypercalls in core/hypercall.c. */
    _Atomic uint64_t exits, exits_io, hypercalls;
    _Atomic uint64_t hypercall_count[XEN_HYPERCALL_MAX];

    pthread_mutex_t lock;   /* protects state and result */
    pthread_cond_t stopped; /* signalled when state becomes STOPPED */
    _Atomic int state;      /* enum domain_state */
    struct pvhv_domain_result result;
};

/*
 * domain_shutdown: stops the domain of (v) because the guest asked, with
 * (reason) SHUTDOWN_*; SHUTDOWN_crash records (v)'s registers. The first
 * stop wins; later ones are ignored. Kicks every vCPU.
 */
void domain_shutdown(struct vcpu *v, unsigned int reason);

/*
 * domain_crash: stops (d) as crashed, recording why (printf-style) and, if
 * (v) is not NULL, the registers of that vCPU. Never exits the process.
 */
void domain_crash(struct domain *d, struct vcpu *v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* domain_destroy_running: stops (d) as destroyed by the toolstack. */
void domain_destroy_running(struct domain *d);

/* domain_is_stopped: true once the domain's result is final. */
static inline bool domain_is_stopped(const struct domain *d)
{
    return atomic_load_explicit(&d->state, memory_order_acquire) ==
           DOMAIN_STOPPED;
}

/*
 * The console budget of every domain, in bytes: CONSOLE_BURST at once,
 * then CONSOLE_RATE a second, over all its console paths (the ring,
 * console_io, the debug port). Enough for any boot log; a flood costs the
 * host CONSOLE_RATE.
 */
#define CONSOLE_RATE (32 * 1024)
#define CONSOLE_BURST (128 * 1024)

/*
 * domain_console_write: passes (len) bytes of (d)'s console output at
 * (buf) to its sink (the toolstack's callback, or stdout) and to its kept
 * output (console_buf; with no callback, there only), as far as the
 * console budget allows; the rest is dropped and counted. Once a second
 * at most, output that resumes after a drop is preceded by the line
 * "[pvhv: <n> bytes of console output dropped]". Any thread.
 */
void domain_console_write(struct domain *d, const char *buf, size_t len);

/*
 * domain_note: an info line about (d) for the hypervisor's log, kept in
 * the domain's log too: "domain <id> (<name>)" and then (fmt), which
 * goes on from there (": ...", " crashed: ...").
 */
void domain_note(struct domain *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* domain_console_dropped: bytes (d)'s console budget dropped so far. */
uint64_t domain_console_dropped(const struct domain *d);

/*
 * domain_console_budget: charges (len) bytes of (d)'s output that goes
 * elsewhere than its console (console_io's log) to the console budget;
 * returns how many may pass (the rest is counted as dropped).
 */
size_t domain_console_budget(struct domain *d, size_t len);

/*
 * console_log_write: (len) bytes a guest of (d) wrote with console_io,
 * already charged to the budget, into its log (struct console_log, kept
 * in log_buf).
 * console_log_flush: ends the line being built, if any (the domain's
 * end). console_log_read: the lines kept, oldest first, whole lines only,
 * into (buf) NUL-terminated (at most len - 1 bytes); returns the length
 * of all that is kept. Any thread.
 */
void console_log_write(struct domain *d, const char *buf, size_t len);
void console_log_flush(struct domain *d);
size_t console_log_read(struct domain *d, char *buf, size_t len);

#endif /* PVHV_CORE_DOMAIN_H */
