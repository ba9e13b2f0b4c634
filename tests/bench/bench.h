/* SPDX-License-Identifier: MIT */
/* bench.h: pvbench's benchmarks and the floors they are measured against. */
#ifndef PVHV_TESTS_BENCH_BENCH_H
#define PVHV_TESTS_BENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One result line. Guest instructions per operation (guest_insns) come
 * from the host's count of emulated instructions (pvhv_stats): INSNS_NA
 * prints null where the host does not count them (native mode, or no
 * insn_emulation statistic), INSNS_NONE leaves the key out for a metric
 * that has no operation to count them for.
 */
#define INSNS_NA (-1.0)
#define INSNS_NONE (-2.0)
/*
 * exits are the exits that reach pvhv's userspace (KVM_RUN returning);
 * kvm_exits all of KVM's exits, those it serves in the kernel included
 * (an hvm domain's LAPIC and timer, interrupt injection, `hlt`): the
 * vCPUs' "exits" statistic (pvhv_stats.kvm_exits), the figure QEMU's
 * query-stats gives. KVM_EXITS_NA prints null where the host lacks the
 * statistic, KVM_EXITS_NONE leaves the key out (no guest to count).
 */
#define KVM_EXITS_NA (-1.0)
#define KVM_EXITS_NONE (-2.0)
struct result {
    const char *metric, *unit;
    double value;
    double floor;           /* <= 0: no floor, no ratio */
    double exits;           /* exits per operation; < 0: left out */
    double kvm_exits;       /* KVM's exits per operation, or KVM_EXITS_* */
    double insns;           /* guest instructions per operation, or INSNS_* */
    const char *peer;       /* a peer measured in the same run: "vs_<peer>" */
    double vs_peer;         /* value / the peer's value */
    const char *unmeasured; /* what is not measured here, and why */
};

/*
 * emit(r): prints (r) as one JSON object: metric, value, unit, then
 * floor and ratio, exits, kvm_exits, guest_insns, vs_<peer> and
 * unmeasured where given. emit_value(...): the same for a result with no
 * peer.
 * emit_skipped(metric, why): {"metric": ..., "skipped": why}.
 */
void emit(const struct result *r);
void emit_value(const char *metric, const char *unit, double value,
                double floor, double exits, double kvm_exits, double insns);
void emit_skipped(const char *metric, const char *why);

/*
 * floor_exit_ns: mean time of one raw KVM_RUN round trip (guest `out`,
 * exit, re-entry) over (iters), in (ns), in native execution mode if
 * (native). Returns 0, or -ENODEV when KVM or native mode is missing.
 */
int floor_exit_ns(unsigned long iters, bool native, double *ns);

/* The block benchmarks' disk image: 16 MiB. */
#define BENCH_DISK_BYTES (16u << 20)

/*
 * disk_make(path, len): a raw image of BENCH_DISK_BYTES in $TMPDIR (its
 * name in (path)), each 64 KiB holding bytes i * 131 + 7, written through
 * the page cache like the guests' reads will be served from. 0 or -1.
 */
int disk_make(char *path, size_t len);

/*
 * floor_pread_ns(path, rnd, bytes, n): the block floor: mean ns of (n)
 * host preads of (bytes) from the image at (path), in bench_blk's order
 * (sequential, or its xorshift places if (rnd)); -1 on failure.
 */
double floor_pread_ns(const char *path, bool rnd, unsigned int bytes,
                      unsigned long n);

/* qemu_path(): the qemu-system-x86_64 to run ($PVBENCH_QEMU, else the
 * first in $PATH), or NULL when there is none. */
const char *qemu_path(void);

/* What the QEMU guest measured, per read. */
struct qemu_figures {
    double ns;        /* between its BENCH markers */
    double kvm_exits; /* the vCPU's KVM exits, all of them; < 0: not
                       * measured (those reaching QEMU's userspace are not) */
    double insns;     /* its emulated instructions; < 0: not measured */
    char why[160];    /* when exits or insns are not measured: why */
};

/*
 * qemu_ide_pio(kernel, image, n, size, f): boots (kernel) (the ide_pio
 * guest, PVH ELF) under QEMU/KVM (-M pc, qboot where installed) with
 * (image) as its IDE disk, reading (n) times (size) sectors by PIO at
 * bench_blk's random places (one after another if (seq)), and again with no
 * reads: the difference of the vCPU's counters (QMP query-stats, KVM provider),
 * read while the guest holds after SUCCESS, gives exits and instructions per
 * read. Returns 0, or -1 when QEMU is missing or the guest did not succeed.
 */
int qemu_ide_pio(const char *kernel, const char *image, unsigned long n,
                 unsigned int size, bool seq, struct qemu_figures *f);

/* What the console guest measured under QEMU (qemu_console). */
struct qemu_console_figures {
    double ns;            /* per byte, between the marker writes 2 and 3 */
    double exits, insns;  /* per byte (two runs' difference); < 0: none;
                           * exits all of KVM's (QMP), as qemu_figures' */
    double first_byte_ns; /* boot (n=0): from the fork to COM1's first byte */
    double marker_ns;     /* and to the first boot-marker byte */
    double boot_exits;    /* KVM's, the whole boot to its hold; < 0: none */
    double boot_insns;
};

/*
 * qemu_console(kernel, n, f): boots (kernel) (hvm_console, PVH ELF) under
 * QEMU/KVM (-M pc), COM1 a pipe, its boot-marker port 0xea an isa-debugcon
 * into a FIFO, both timed on the host clock as their bytes arrive: with
 * n=0 for the boot figures, then with (n) bytes printed between markers 2
 * and 3 (when n > 0). Counters as qemu_ide_pio: QMP query-stats while the
 * guest holds; per byte the two runs' difference. 0, or -1 when QEMU is
 * missing or a run failed.
 */
int qemu_console(const char *kernel, unsigned long n,
                 struct qemu_console_figures *f);

/*
 * qemu_timer(kernel, n, count, f): boots (kernel) (hvm_irq) under QEMU/KVM
 * (-M pc, console on COM1, no disk) with bench=1 and then bench=n+1
 * one-shot LAPIC timers of (count) ns: the guest's TSC from arming to
 * its handler per timer, and the difference of the vCPU's KVM exits and
 * emulated instructions (QMP, the guest holding after SUCCESS) per
 * timer. 0, or -1 when QEMU is missing or the guest did not succeed.
 */
int qemu_timer(const char *kernel, unsigned long n, unsigned long count,
               struct qemu_figures *f);

/*
 * daemon.c: pvhvd's figures, each with a daemon of its own (pvhvd, the
 * built daemon): bench_create_100 creates 100 (hello) domains one after
 * another or all at once from 100 clients, timing the last to run and
 * each; bench_control_rtt: a list round trip beside a raw UNIX-socket
 * echo; bench_daemon_rss: its resident memory per idle (life) domain,
 * guest RAM aside. Return 0 or -1.
 */
int bench_create_100(const char *pvhvd, const char *hello, bool parallel);
int bench_control_rtt(const char *pvhvd, const char *hello);
int bench_daemon_rss(const char *pvhvd, const char *life);

/*
 * bench_pvhvd: one of them (which: 0 serial, 1 parallel, 2 control_rtt,
 * 3 daemon_rss) with the examples and guests built in those folders.
 */
int bench_pvhvd(const char *example_dir, const char *guest_dir, int which);

struct pvhv;

struct bench_opts {
    const char *guest_dir;    /* built test guests (tests/guests) */
    const char *example_dir;  /* built examples */
    unsigned long iterations; /* 0: each benchmark's default */
};

/* A block workload: random or sequential reads of (sectors) at (qd). */
struct blk_case {
    const char *metric;
    bool rnd;
    unsigned int qd, sectors;
    unsigned long n;
    /* 0: PV (bench_blk); else ide_pio in an hvm domain on pvhv's ATA
     * disk at QD1: BLK_HVM_PIO by PIO, BLK_HVM_DMA by bus-master DMA */
    unsigned int hvm;
};

#define BLK_HVM_PIO 1
#define BLK_HVM_DMA 2

/* What a block run (or another two-sided run) measured, per request:
 * kvm_exits KVM_EXITS_NA where the host lacks the statistic. */
struct blk_figures {
    double ns, exits, kvm_exits, insns;
};

/*
 * blk_pv(hv, o, c, n, native, image, f): (n) requests of (c) from the
 * image at (image): bench_blk through blkfront and blkback, or for c->hvm
 * ide_pio on the ATA disk of an hvm domain. 0 or -1. (pvbench.c)
 */
int blk_pv(struct pvhv *hv, const struct bench_opts *o,
           const struct blk_case *c, unsigned long n, bool native,
           const char *disk_path, struct blk_figures *f);

/*
 * evtchn_rtt(hv, o, n, native, wait, f): (n) round trips between two
 * domains of the pingpong example over one event channel, each side
 * waiting as (wait) says ("poll" or "upcall"): per round trip, its time
 * and both domains' exits and instructions. 0 or -1. (pvbench.c)
 */
int evtchn_rtt(struct pvhv *hv, const struct bench_opts *o, unsigned long n,
               bool native, const char *wait, struct blk_figures *f);

/* What a round trip between two hvm domains measured. */
struct doorbell_figures {
    double ns;           /* ping's time per round trip, marker to marker */
    double exits, insns; /* both domains', per round trip */
    double kvm_exits;    /* both domains' KVM exits, or KVM_EXITS_NA */
    double tsc_ns;       /* the guest's TSC sum per round trip, or < 0 */
};

/*
 * doorbell_rtt(hv, o, n, f): (n) round trips between two hvm domains of
 * hvm_doorbell (role=ping, role=pong) through the emulated doorbell: ring
 * the peer, sleep until its ring comes as IRQ 10. 0 or -1. (pvbench.c)
 */
int doorbell_rtt(struct pvhv *hv, const struct bench_opts *o, unsigned long n,
                 struct doorbell_figures *f);

/* What one boot of a console guest measured. */
struct console_figures {
    double ns, exits, kvm_exits, insns; /* per byte between its two marker
                                         * writes */
    double first_byte_ns;    /* from domain create to its first console byte */
    double first_exits;      /* its exits until then */
    double first_kvm_exits;  /* its KVM exits until then, or KVM_EXITS_NA */
    double first_insns;      /* its instructions until then, or INSNS_NA */
    double marker_ns;        /* its first boot-marker write, domain clock */
    double marker_exits;     /* its exits until then, that write's included */
    double marker_kvm_exits; /* the same of KVM's, or KVM_EXITS_NA */
    double marker_insns;     /* its instructions until then, or INSNS_NA */
};

/*
 * console_run(hv, o, hvm, n, f): boots bench_console (PV) or, if (hvm),
 * hvm_console in an hvm domain: with (n) 0 to its verdict, else printing
 * (n) bytes (a multiple of 64) between two boot-marker writes, timed and
 * counted by the hypervisor at those writes. 0 or -1. (pvbench.c)
 */
int console_run(struct pvhv *hv, const struct bench_opts *o, bool hvm,
                unsigned long n, struct console_figures *f);

/* What a timer run measured, per timer. */
struct timer_figures {
    double ns;      /* arming to the handler, by the guest's TSC */
    double loop_ns; /* one iteration (arm, wait, handler), marker to marker */
    double exits, kvm_exits, insns;
};

/*
 * timer_run(hv, o, hvm, n, delta_ns, f): (n) one-shot timers of (delta_ns),
 * each armed and waited for: bench_timer (PV: VCPUOP_set_singleshot_timer,
 * VIRQ_TIMER upcall) or, if (hvm), hvm_irq's LAPIC one-shot timer in an
 * hvm domain. The guest sums the TSC from arming to its handler; the
 * hypervisor times and counts the loop at two boot-marker writes. 0 or -1.
 * tsc_hz: the host TSC's rate (the guests' too), measured once. (pvbench.c)
 */
int timer_run(struct pvhv *hv, const struct bench_opts *o, bool hvm,
              unsigned long n, unsigned long delta_ns, struct timer_figures *f);
double tsc_hz(void);

/* pvbench --compare's options (compare.c). */
struct compare_opts {
    bool quick;           /* fewer operations: under 3 minutes here */
    const char *out;      /* results folder; NULL: a dated one */
    const char *workload; /* one workload by name; NULL: all */
    int argc;             /* the command, for the report */
    char **argv;
};

/*
 * compare_run: each workload as PV, as hvm and under QEMU (where
 * installed), with the host floor, into results.csv, results.md (with
 * the command and machine facts) and plots (gnuplot, where installed)
 * in the folder; prints the Markdown table. 0 or -1.
 */
int compare_run(struct pvhv *hv, const struct bench_opts *o,
                const struct compare_opts *c);

/* compare_workload_known: whether (name) is a --workload of compare_run. */
bool compare_workload_known(const char *name);

#endif /* PVHV_TESTS_BENCH_BENCH_H */
