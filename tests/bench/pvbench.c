/* SPDX-License-Identifier: MIT */
/* pvbench.c: named benchmarks, one JSON object per line, each against its
 * floor. */
#include <errno.h>
#include <getopt.h>
#include <unistd.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "pvhv.h"

struct bench {
    const char *name;
    int (*run)(struct pvhv *hv, const struct bench_opts *o, bool native);
    bool native; /* in native execution mode (pvhv_exec_mode) */
    const char *what;
    /* What its guest_insns counts, or why it has none (for --list). */
    const char *insns;
};

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/*
 * native_skip: for a metric in native execution mode, whether the mode's
 * self-test failed on this host; if so the metric is reported skipped.
 */
static bool native_skip(struct pvhv *hv, bool native, const char *metric)
{
    struct pvhv_native_status st;
    char why[320];
    if (!native)
        return false;
    pvhv_native_status(hv, &st);
    if (st.usable)
        return false;
    snprintf(why, sizeof(why), "native execution unavailable on this host: %s",
             st.why);
    emit_skipped(metric, why);
    return true;
}

/*
 * Watches a bench guest's console for its "BENCH start/end" markers and
 * reads the counters there: the guest is inside its console hypercall,
 * so they stand still while read.
 */
struct probe {
    struct domain *d;
    struct domain *peer; /* a second domain whose counts add in */
    char line[256];
    size_t len;
    double t_start, t_end;
    uint64_t exits_start, exits_end;
    uint64_t insns_start, insns_end;
    int insns_seen;              /* markers at which guest_insns was counted */
    uint64_t kvm_start, kvm_end; /* KVM's exits, in-kernel ones included */
    int kvm_seen;                /* markers at which kvm_exits was counted */
    /* The first console byte: host time, exits and instructions then. */
    bool first_seen, kvm_first_seen;
    double t_first;
    uint64_t exits_first, insns_first, kvm_first;
    struct pvhv_stats final; /* the domain's, once it ended */
    /* "BENCH tsc N": a sum of TSC intervals the guest measured. */
    bool tsc_seen;
    uint64_t tsc_sum;
};

static void probe_line(struct probe *p)
{
    struct pvhv_stats st;
    if (strncmp(p->line, "BENCH tsc ", 10) == 0) {
        p->tsc_sum = strtoull(p->line + 10, NULL, 10);
        p->tsc_seen = true;
        return;
    }
    if (strcmp(p->line, "BENCH start") != 0 && strcmp(p->line, "BENCH end"))
        return;
    pvhv_domain_stats(p->d, &st);
    uint64_t exits = st.exits, insns = st.guest_insns, kvm = st.kvm_exits;
    bool counted = st.guest_insns_counted, kvm_counted = st.kvm_exits_counted;
    if (p->peer) {
        pvhv_domain_stats(p->peer, &st);
        exits += st.exits;
        insns += st.guest_insns;
        kvm += st.kvm_exits;
        counted = counted && st.guest_insns_counted;
        kvm_counted = kvm_counted && st.kvm_exits_counted;
    }
    p->insns_seen += counted;
    p->kvm_seen += kvm_counted;
    if (p->line[6] == 's') {
        p->t_start = now_ns();
        p->exits_start = exits;
        p->insns_start = insns;
        p->kvm_start = kvm;
    } else {
        p->t_end = now_ns();
        p->exits_end = exits;
        p->insns_end = insns;
        p->kvm_end = kvm;
    }
}

/*
 * probe_markers: a guest that also wrote the boot-marker port at its two
 * BENCH lines (testguest.h bench_start/bench_end) had its counters and
 * time taken on its vCPU there: those replace what the console lines saw
 * (read on the console's worker, a little late).
 */
static void probe_markers(struct probe *p)
{
    const struct pvhv_stats *st = &p->final;

    if (p->peer || st->markers != 2)
        return;
    p->exits_start = st->marker_first_exits;
    p->exits_end = st->marker_last_exits;
    p->t_start = (double)st->marker_first_ns;
    p->t_end = (double)st->marker_last_ns;
    p->insns_start = st->marker_first_insns;
    p->insns_end = st->marker_last_insns;
    p->insns_seen = st->guest_insns_counted ? 2 : 0;
    p->kvm_start = st->marker_first_kvm_exits;
    p->kvm_end = st->marker_last_kvm_exits;
    p->kvm_seen = st->kvm_exits_counted ? 2 : 0;
}

/*
 * Exits per operation between the markers, over (ops) operations: the
 * "BENCH end" console write is one more exit inside the window.
 */
static double probe_exits(const struct probe *p, double ops)
{
    return (double)(p->exits_end - p->exits_start - 1) / ops;
}

/*
 * All of KVM's exits per operation between the markers, or KVM_EXITS_NA:
 * the closing write exits to pvhv, so it is one of KVM's too. (less):
 * such exits of the window that are not the operations'.
 */
static double probe_kvm_exits_less(const struct probe *p, double ops,
                                   double less)
{
    if (p->kvm_seen != 2)
        return KVM_EXITS_NA;
    return ((double)(p->kvm_end - p->kvm_start) - less) / ops;
}

static double probe_kvm_exits(const struct probe *p, double ops)
{
    return probe_kvm_exits_less(p, ops, 1);
}

/* Guest instructions per operation between the markers, or INSNS_NA. */
static double probe_insns(const struct probe *p, double ops)
{
    if (p->insns_seen != 2)
        return INSNS_NA;
    return (double)(p->insns_end - p->insns_start) / ops;
}

/* A result whose exits and instructions (p) saw over (ops) operations. */
static void emit_probe(const char *metric, const char *unit, double value,
                       double floor, const struct probe *p, double ops)
{
    emit_value(metric, unit, value, floor, probe_exits(p, ops),
               probe_kvm_exits(p, ops), probe_insns(p, ops));
}

static void probe_console(void *opaque, const char *buf, size_t len)
{
    struct probe *p = opaque;
    if (!p->first_seen && len > 0 && p->d) {
        struct pvhv_stats st;
        p->t_first = now_ns();
        pvhv_domain_stats(p->d, &st);
        p->exits_first = st.exits;
        p->insns_first = st.guest_insns_counted ? st.guest_insns : 0;
        p->kvm_first = st.kvm_exits;
        p->kvm_first_seen = st.kvm_exits_counted;
        p->first_seen = true;
    }
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n') {
            p->line[p->len] = '\0';
            probe_line(p);
            p->len = 0;
        } else if (p->len + 1 < sizeof(p->line)) {
            p->line[p->len++] = buf[i];
        }
    }
}

static void discard_console(void *opaque, const char *buf, size_t len)
{
    (void)opaque, (void)buf, (void)len;
}

/* One domain of a pair: its name, kernel and command line. */
struct pair_dom {
    const char *name, *kernel, *cmdline;
};

/*
 * create_with_kernel: pvhv_domain_create with (cfg)'s kernel opened from
 * (kernel) for the call only: pvhv reads it at once and keeps nothing.
 */
static int create_with_kernel(struct pvhv *hv, struct pvhv_domain_config *cfg,
                              const char *kernel, struct domain **d,
                              struct pvhv_error *err)
{
    int fd = open(kernel, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    int rc;

    if (fd < 0) {
        pvhv_error_set(err, "%s: %s", kernel, strerror(errno));
        return -errno;
    }
    cfg->kernel = pvhv_file_fd(fd, kernel);
    rc = pvhv_domain_create(hv, cfg, d, err);
    close(fd);
    return rc;
}

/*
 * Runs two domains together until both end, the probe watching the
 * first's console; 0 if both powered off.
 */
static int run_pair(struct pvhv *hv, const struct pair_dom dom[2], bool native,
                    struct probe *p)
{
    struct pvhv_domain_config cfg[2] = {
        {.console = probe_console, .console_opaque = p},
        {.console = discard_console},
    };
    struct domain *d[2] = {NULL, NULL};
    struct pvhv_error err = {""};
    int rc = 0;
    for (int i = 0; i < 2; i++) {
        cfg[i].name = dom[i].name;
        cfg[i].cmdline = dom[i].cmdline;
        cfg[i].uuid[15] = (uint8_t)(i + 1); /* distinct /vm/<uuid> nodes */
        cfg[i].memory = 8 << 20;
        cfg[i].vcpus = 1;
        cfg[i].exec_mode = native ? PVHV_EXEC_NATIVE : PVHV_EXEC_DEFAULT;
        if (create_with_kernel(hv, &cfg[i], dom[i].kernel, &d[i], &err) < 0) {
            fprintf(stderr, "pvbench: %s\n", err.msg);
            rc = -1;
            break;
        }
    }
    p->d = d[0];
    p->peer = d[1];
    for (int i = 0; rc == 0 && i < 2; i++)
        if (pvhv_domain_start(d[i], &err) < 0)
            rc = -1;
    for (int i = 0; i < 2 && d[i]; i++) {
        struct pvhv_domain_result res;
        if (rc == 0)
            pvhv_domain_wait(d[i], &res);
        if (rc == 0 && res.end != PVHV_END_POWEROFF) {
            fprintf(stderr, "pvbench: %s ended with %s: %s\n", cfg[i].name,
                    pvhv_end_name(res.end), res.reason);
            rc = -1;
        }
    }
    for (int i = 0; i < 2; i++)
        pvhv_domain_destroy(d[i]);
    return rc;
}

/* Runs one domain to its end; 0 if it powered off. */
static int run_domain_disk(struct pvhv *hv, const char *kernel,
                           const char *cmdline, bool native, bool hvm,
                           const struct pvhv_disk *disk, struct probe *p,
                           struct pvhv_domain_result *res)
{
    struct pvhv_domain_config cfg = {
        .name = "bench",
        .memory = 8 << 20,
        .vcpus = 1,
        .cmdline = cmdline,
        .console = probe_console,
        .console_opaque = p,
        .exec_mode = native ? PVHV_EXEC_NATIVE : PVHV_EXEC_DEFAULT,
        .disks = disk,
        .nr_disks = disk ? 1 : 0,
        .hvm = hvm,
    };
    struct pvhv_error err = {""};
    struct domain *d;
    if (create_with_kernel(hv, &cfg, kernel, &d, &err) < 0 ||
        (p->d = d, pvhv_domain_start(d, &err) < 0)) {
        fprintf(stderr, "pvbench: %s\n", err.msg);
        return -1;
    }
    pvhv_domain_wait(d, res);
    pvhv_domain_stats(d, &p->final);
    pvhv_domain_destroy(d);
    if (!hvm)
        probe_markers(p);
    if (res->end != PVHV_END_POWEROFF) {
        fprintf(stderr, "pvbench: %s ended with %s: %s\n", kernel,
                pvhv_end_name(res->end), res->reason);
        return -1;
    }
    return 0;
}

static int run_domain(struct pvhv *hv, const char *kernel, const char *cmdline,
                      bool native, struct probe *p,
                      struct pvhv_domain_result *res)
{
    return run_domain_disk(hv, kernel, cmdline, native, false, NULL, p, res);
}

/* One timed run of the bench guest: ns, exits, KVM's exits and
 * instructions per call. */
static int hypercall_round(struct pvhv *hv, const char *kernel, unsigned long n,
                           bool native, double *ns, struct blk_figures *f)
{
    char cmdline[64];
    struct probe p = {0};
    struct pvhv_domain_result res;
    snprintf(cmdline, sizeof(cmdline), "n=%lu", n);
    if (run_domain(hv, kernel, cmdline, native, &p, &res) < 0)
        return -1;
    if (p.t_end <= p.t_start) {
        fprintf(stderr, "pvbench: %s printed no BENCH markers\n", kernel);
        return -1;
    }
    *ns = (p.t_end - p.t_start) / (double)n;
    f->exits = probe_exits(&p, (double)n);
    f->kvm_exits = probe_kvm_exits(&p, (double)n);
    f->insns = probe_insns(&p, (double)n);
    return 0;
}

/*
 * Floor and hypercall loop alternate, best of ROUNDS each: the host's
 * noise (another process, frequency changes) then hits both alike.
 */
static int bench_hypercall_null(struct pvhv *hv, const struct bench_opts *o,
                                bool native)
{
    enum { ROUNDS = 3 };
    unsigned long n = o->iterations ? o->iterations : 20000;
    char kernel[4096];
    double floor = INFINITY, best = INFINITY;
    struct blk_figures c = {0, 0, KVM_EXITS_NA, INSNS_NA};
    snprintf(kernel, sizeof(kernel), "%s/bench_hypercall/bench_hypercall.elf",
             o->guest_dir);
    if (native_skip(hv, native, "hypercall_null_native"))
        return 0;
    for (int r = 0; r < ROUNDS; r++) {
        double f, t;
        if (floor_exit_ns(n, native, &f) < 0) {
            fprintf(stderr, "pvbench: the raw KVM exit floor failed\n");
            return -1;
        }
        if (hypercall_round(hv, kernel, n, native, &t, &c) < 0)
            return -1;
        floor = f < floor ? f : floor;
        best = t < best ? t : best;
    }
    emit_value(native ? "hypercall_null_native" : "hypercall_null", "us",
               best / 1e3, floor / 1e3, c.exits, c.kvm_exits, c.insns);
    return 0;
}

int evtchn_rtt(struct pvhv *hv, const struct bench_opts *o, unsigned long n,
               bool native, const char *wait, struct blk_figures *f)
{
    char kernel[4096], ping[112], pong[80];
    struct probe p = {0};
    snprintf(kernel, sizeof(kernel), "%s/pingpong/pingpong.elf",
             o->example_dir);
    snprintf(ping, sizeof(ping),
             "role=ping peer=pong count=%lu bench=1 wait=%s", n, wait);
    snprintf(pong, sizeof(pong), "role=pong peer=ping count=%lu wait=%s", n,
             wait);
    const struct pair_dom dom[2] = {{"ping", kernel, ping},
                                    {"pong", kernel, pong}};
    if (run_pair(hv, dom, native, &p) < 0)
        return -1;
    if (p.t_end <= p.t_start) {
        fprintf(stderr, "pvbench: pingpong printed no BENCH markers\n");
        return -1;
    }
    f->ns = (p.t_end - p.t_start) / (double)n;
    f->exits = probe_exits(&p, (double)n);
    f->kvm_exits = probe_kvm_exits(&p, (double)n);
    f->insns = probe_insns(&p, (double)n);
    return 0;
}

/* marker_exits: the exits of (st) between its two marker writes, less
 * the closing write's and (extra) more. */
static double marker_exits(const struct pvhv_stats *st, unsigned int extra)
{
    return (double)(st->marker_last_exits - st->marker_first_exits - 1 - extra);
}

/*
 * hvm_pair: pong, then ping told pong's id ("peer=<id>" after
 * (ping_args)), two hvm domains of (kernel) run to their end, (p)
 * watching ping's console; their stats in (st) (ping's first). 0 if both
 * powered off.
 */
static int hvm_pair(struct pvhv *hv, const char *kernel, const char *ping_args,
                    const char *pong_args, struct probe *p,
                    struct pvhv_stats st[2])
{
    struct pvhv_domain_config cfg[2] = {
        {.name = "pong", .cmdline = pong_args, .console = discard_console},
        {.name = "ping", .console = probe_console, .console_opaque = p},
    };
    struct domain *d[2] = {NULL, NULL};
    struct pvhv_error err = {""};
    char args[128];
    int rc = 0;

    for (int i = 0; rc == 0 && i < 2; i++) {
        if (i == 1) {
            snprintf(args, sizeof(args), "%s peer=%u", ping_args,
                     pvhv_domain_id(d[0]));
            cfg[i].cmdline = args;
        }
        cfg[i].memory = 4 << 20;
        cfg[i].vcpus = 1;
        cfg[i].hvm = true;
        if (create_with_kernel(hv, &cfg[i], kernel, &d[i], &err) < 0) {
            fprintf(stderr, "pvbench: %s\n", err.msg);
            rc = -1;
        }
    }
    for (int i = 0; rc == 0 && i < 2; i++)
        if (pvhv_domain_start(d[i], &err) < 0) {
            fprintf(stderr, "pvbench: %s\n", err.msg);
            rc = -1;
        }
    for (int i = 0; i < 2 && d[i]; i++) {
        struct pvhv_domain_result res;

        if (rc == 0)
            pvhv_domain_wait(d[i], &res);
        if (rc == 0 && res.end != PVHV_END_POWEROFF) {
            fprintf(stderr, "pvbench: %s ended with %s: %s\n", cfg[i].name,
                    pvhv_end_name(res.end), res.reason);
            rc = -1;
        }
        pvhv_domain_stats(d[i], &st[1 - i]);
    }
    for (int i = 0; i < 2; i++)
        pvhv_domain_destroy(d[i]);
    return rc;
}

int doorbell_rtt(struct pvhv *hv, const struct bench_opts *o, unsigned long n,
                 struct doorbell_figures *f)
{
    char kernel[4096], ping[64], pong[64];
    struct pvhv_stats st[2];
    struct probe p = {0};

    snprintf(kernel, sizeof(kernel), "%s/hvm_doorbell/hvm_doorbell.elf",
             o->guest_dir);
    snprintf(ping, sizeof(ping), "role=ping n=%lu", n);
    snprintf(pong, sizeof(pong), "role=pong n=%lu", n);
    if (hvm_pair(hv, kernel, ping, pong, &p, st) < 0)
        return -1;
    if (st[0].markers != 2 || st[1].markers != 2) {
        fprintf(stderr,
                "pvbench: hvm_doorbell wrote the marker port %u and %u "
                "times, not 2\n",
                st[0].markers, st[1].markers);
        return -1;
    }
    /* Ping's window holds the N round trips; pong's also its answer to
     * the first ring, one exit more. */
    f->ns = (double)(st[0].marker_last_ns - st[0].marker_first_ns) / (double)n;
    f->exits = (marker_exits(&st[0], 0) + marker_exits(&st[1], 1)) / (double)n;
    f->tsc_ns =
        p.tsc_seen ? (double)p.tsc_sum * 1e9 / tsc_hz() / (double)n : -1;
    f->insns = INSNS_NA;
    if (st[0].guest_insns_counted && st[1].guest_insns_counted)
        f->insns =
            (double)(st[0].marker_last_insns - st[0].marker_first_insns +
                     st[1].marker_last_insns - st[1].marker_first_insns) /
            (double)n;
    f->kvm_exits = KVM_EXITS_NA;
    if (st[0].kvm_exits_counted && st[1].kvm_exits_counted)
        f->kvm_exits = (double)(st[0].marker_last_kvm_exits -
                                st[0].marker_first_kvm_exits +
                                st[1].marker_last_kvm_exits -
                                st[1].marker_first_kvm_exits) /
                       (double)n;
    return 0;
}

/*
 * Two domains signal each other through one event channel (the pingpong
 * example); floor: two raw exit round trips, since each round trip takes
 * one exit per domain at least.
 */
static int pingpong_run(struct pvhv *hv, const struct bench_opts *o,
                        bool native, const char *wait, const char *metric)
{
    unsigned long n = o->iterations ? o->iterations : 2000;
    struct blk_figures f;
    double floor;
    if (native_skip(hv, native, metric))
        return 0;
    if (floor_exit_ns(20000, native, &floor) < 0)
        return -1;
    if (evtchn_rtt(hv, o, n, native, wait, &f) < 0)
        return -1;
    emit_value(metric, "us", f.ns / 1e3, 2 * floor / 1e3, f.exits, f.kvm_exits,
               f.insns);
    return 0;
}

/* Each side waits in pvg_evtchn_wait() on its masked port: no upcall. */
static int bench_evtchn_pingpong(struct pvhv *hv, const struct bench_opts *o,
                                 bool native)
{
    return pingpong_run(hv, o, native, "poll",
                        native ? "evtchn_pingpong_native" : "evtchn_pingpong");
}

/* Each side takes the event in a handler, waiting in wait_until(). */
static int bench_evtchn_pingpong_upcall(struct pvhv *hv,
                                        const struct bench_opts *o, bool native)
{
    return pingpong_run(hv, o, native, "upcall", "evtchn_pingpong_upcall");
}

/* XenStore reads or writes from a guest; floor: one raw exit round trip. */
/* Two hvm domains ring each other through the emulated doorbell (IRQ
 * 10); floor: two raw exit round trips, as for the event channel. */
static int bench_doorbell_pingpong(struct pvhv *hv, const struct bench_opts *o,
                                   bool native)
{
    unsigned long n = o->iterations ? o->iterations : 2000;
    struct doorbell_figures f;
    double floor;

    (void)native;
    if (floor_exit_ns(20000, false, &floor) < 0)
        return -1;
    if (doorbell_rtt(hv, o, n, &f) < 0)
        return -1;
    emit_value("doorbell_pingpong", "us", f.ns / 1e3, 2 * floor / 1e3, f.exits,
               f.kvm_exits, f.insns);
    return 0;
}

static int bench_xenstore(struct pvhv *hv, const struct bench_opts *o,
                          bool write)
{
    unsigned long n = o->iterations ? o->iterations : 2000;
    char kernel[4096], cmdline[64];
    double floor;
    snprintf(kernel, sizeof(kernel), "%s/bench_xenstore/bench_xenstore.elf",
             o->guest_dir);
    snprintf(cmdline, sizeof(cmdline), "op=%s n=%lu", write ? "write" : "read",
             n);
    if (floor_exit_ns(20000, false, &floor) < 0)
        return -1;
    struct probe p = {0};
    struct pvhv_domain_result res;
    if (run_domain(hv, kernel, cmdline, false, &p, &res) < 0)
        return -1;
    if (p.t_end <= p.t_start) {
        fprintf(stderr, "pvbench: %s printed no BENCH markers\n", kernel);
        return -1;
    }
    emit_probe(write ? "xenstore_write" : "xenstore_read", "us",
               (p.t_end - p.t_start) / (double)n / 1e3, floor / 1e3, &p,
               (double)n);
    return 0;
}

/* ---- data plane ---- */

/*
 * bench_blk reads (c) from the image at (disk_path) through blkfront and
 * the hypervisor's blkback, (n) requests; 0 or -1.
 */
int blk_pv(struct pvhv *hv, const struct bench_opts *o,
           const struct blk_case *c, unsigned long n, bool native,
           const char *disk_path, struct blk_figures *f)
{
    char kernel[4096], cmdline[96];
    snprintf(kernel, sizeof(kernel), "%s/%s", o->guest_dir,
             c->hvm ? "ide_pio/ide_pio.elf" : "bench_blk/bench_blk.elf");
    if (c->hvm) /* the same places as op=rand (ide_pio.c) */
        snprintf(cmdline, sizeof(cmdline), "n=%lu size=%u dma=%d seq=%d", n,
                 c->sectors, c->hvm == BLK_HVM_DMA, !c->rnd);
    else
        snprintf(cmdline, sizeof(cmdline), "op=%s qd=%u n=%lu size=%u",
                 c->rnd ? "rand" : "seq", c->qd, n, c->sectors);
    /* The domain keeps its own duplicate: ours may close after create. */
    int disk_fd = open(disk_path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
    struct pvhv_disk disk = {.image = pvhv_file_fd(disk_fd, disk_path),
                             .vdev = c->hvm ? "hda" : "xvda"};
    struct probe p = {0};
    struct pvhv_domain_result res;
    int rc = disk_fd < 0 ? -1
                         : run_domain_disk(hv, kernel, cmdline, native,
                                           c->hvm != 0, &disk, &p, &res);
    if (disk_fd >= 0)
        close(disk_fd);
    if (rc < 0)
        return -1;
    if (p.t_end <= p.t_start) {
        fprintf(stderr, "pvbench: %s printed no BENCH markers\n", kernel);
        return -1;
    }
    f->ns = (p.t_end - p.t_start) / (double)n;
    /* ide_pio writes "BENCH end\n" to the debug port a byte an exit. */
    f->exits = c->hvm ? ((double)(p.exits_end - p.exits_start) - 10) / (double)n
                      : probe_exits(&p, (double)n);
    f->kvm_exits = probe_kvm_exits_less(&p, (double)n, c->hvm ? 10 : 1);
    f->insns = probe_insns(&p, (double)n);
    return 0;
}

int console_run(struct pvhv *hv, const struct bench_opts *o, bool hvm,
                unsigned long n, struct console_figures *f)
{
    char kernel[4096], cmdline[32];
    struct probe p = {0};
    struct pvhv_domain_result res;
    double t0;

    snprintf(kernel, sizeof(kernel), "%s/%s", o->guest_dir,
             hvm ? "hvm_console/hvm_console.elf"
                 : "bench_console/bench_console.elf");
    snprintf(cmdline, sizeof(cmdline), "n=%lu", n);
    t0 = now_ns();
    if (run_domain_disk(hv, kernel, cmdline, false, hvm, NULL, &p, &res) < 0)
        return -1;
    const struct pvhv_stats *st = &p.final;
    bool counted = st->guest_insns_counted, kvm = st->kvm_exits_counted;
    if (!p.first_seen || st->markers != (n ? 2u : 1u)) {
        fprintf(stderr,
                "pvbench: %s printed nothing or wrote the marker "
                "port %u times, not %u\n",
                kernel, st->markers, n ? 2u : 1u);
        return -1;
    }
    /* Between its two marker writes: the bytes' exits and the closing
     * write's own (KVM's too); the vCPU's instructions. */
    f->ns = f->exits = 0;
    f->kvm_exits = kvm ? 0 : KVM_EXITS_NA;
    f->insns = INSNS_NA;
    if (n) {
        f->ns = (double)(st->marker_last_ns - st->marker_first_ns) / (double)n;
        f->exits =
            (double)(st->marker_last_exits - st->marker_first_exits - 1) /
            (double)n;
        if (kvm)
            f->kvm_exits = (double)(st->marker_last_kvm_exits -
                                    st->marker_first_kvm_exits - 1) /
                           (double)n;
        if (counted)
            f->insns =
                (double)(st->marker_last_insns - st->marker_first_insns) /
                (double)n;
    }
    f->first_byte_ns = p.t_first - t0;
    f->first_exits = (double)p.exits_first;
    f->first_kvm_exits = p.kvm_first_seen ? (double)p.kvm_first : KVM_EXITS_NA;
    f->first_insns = counted ? (double)p.insns_first : INSNS_NA;
    f->marker_ns = (double)st->marker_first_ns;
    f->marker_exits = (double)st->marker_first_exits;
    f->marker_kvm_exits =
        kvm ? (double)st->marker_first_kvm_exits : KVM_EXITS_NA;
    f->marker_insns = counted ? (double)st->marker_first_insns : INSNS_NA;
    return 0;
}

double tsc_hz(void)
{
    static double hz;
    if (hz == 0) {
        struct timespec d = {0, 20 * 1000 * 1000};
        double t0 = now_ns();
        uint64_t c0 = __builtin_ia32_rdtsc();
        nanosleep(&d, NULL);
        uint64_t c1 = __builtin_ia32_rdtsc();
        hz = (double)(c1 - c0) * 1e9 / (now_ns() - t0);
    }
    return hz;
}

int timer_run(struct pvhv *hv, const struct bench_opts *o, bool hvm,
              unsigned long n, unsigned long delta_ns, struct timer_figures *f)
{
    char kernel[4096], cmdline[64];
    struct probe p = {0};
    struct pvhv_domain_result res;

    snprintf(kernel, sizeof(kernel), "%s/%s", o->guest_dir,
             hvm ? "hvm_irq/hvm_irq.elf" : "bench_timer/bench_timer.elf");
    /* The LAPIC timer counts KVM's 1 GHz bus clock: count = ns. */
    if (hvm)
        snprintf(cmdline, sizeof(cmdline), "bench=%lu count=%lu", n, delta_ns);
    else
        snprintf(cmdline, sizeof(cmdline), "n=%lu delta=%lu", n, delta_ns);
    if (run_domain_disk(hv, kernel, cmdline, false, hvm, NULL, &p, &res) < 0)
        return -1;
    const struct pvhv_stats *st = &p.final;
    if (!p.tsc_seen || st->markers != 2) {
        fprintf(stderr,
                "pvbench: %s printed no BENCH tsc line or wrote the marker "
                "port %u times, not 2\n",
                kernel, st->markers);
        return -1;
    }
    f->ns = (double)p.tsc_sum * 1e9 / tsc_hz() / (double)n;
    f->loop_ns = (double)(st->marker_last_ns - st->marker_first_ns) / (double)n;
    /* The closing marker write is not the loop's. */
    f->exits = (double)(st->marker_last_exits - st->marker_first_exits - 1) /
               (double)n;
    f->kvm_exits = st->kvm_exits_counted
                       ? (double)(st->marker_last_kvm_exits -
                                  st->marker_first_kvm_exits - 1) /
                             (double)n
                       : KVM_EXITS_NA;
    f->insns = st->guest_insns_counted
                   ? (double)(st->marker_last_insns - st->marker_first_insns) /
                         (double)n
                   : INSNS_NA;
    return 0;
}

/*
 * A bench_blk case: value in MB/s (sequential) or IOPS (random), floor
 * the same reads by host pread, exits and instructions per request.
 */
static int blk_run(struct pvhv *hv, const struct bench_opts *o,
                   const struct blk_case *c, bool native)
{
    char metric[64], disk_path[256];
    snprintf(metric, sizeof(metric), "%s%s", c->metric,
             native ? "_native" : "");
    if (native_skip(hv, native, metric))
        return 0;
    unsigned long n = o->iterations ? o->iterations : c->n;
    if (disk_make(disk_path, sizeof(disk_path)) < 0) {
        fprintf(stderr, "pvbench: cannot make a disk image: %s\n",
                strerror(errno));
        return -1;
    }
    struct blk_figures f;
    int rc = blk_pv(hv, o, c, n, native, disk_path, &f);
    double floor_ns = floor_pread_ns(disk_path, c->rnd, c->sectors * 512, n);
    unlink(disk_path);
    if (rc < 0 || floor_ns <= 0)
        return -1;
    if (c->rnd)
        emit_value(metric, "IOPS", 1e9 / f.ns, 1e9 / floor_ns, f.exits,
                   f.kvm_exits, f.insns);
    else
        emit_value(metric, "MB/s", c->sectors * 512 / f.ns * 1e3,
                   c->sectors * 512 / floor_ns * 1e3, f.exits, f.kvm_exits,
                   f.insns);
    return 0;
}

static const struct blk_case blk_cases[] = {
    {"blk_seq_read", false, 8, 88, 400, 0},
    {"blk_rand_read_qd1", true, 1, 8, 500, 0},
    {"blk_rand_read_qd32", true, 32, 8, 1000, 0},
};

static int bench_blk(struct pvhv *hv, const struct bench_opts *o, bool native)
{
    int rc = 0;
    for (size_t i = 0; i < sizeof(blk_cases) / sizeof(blk_cases[0]); i++)
        rc |= blk_run(hv, o, &blk_cases[i], native);
    return rc;
}

/* A PV line of blk_vs_qemu: IOPS, and how many times QEMU's (q_ns). */
static void emit_vs_qemu(const char *metric, const struct blk_figures *f,
                         double floor_ns, double q_ns)
{
    struct result r = {.metric = metric,
                       .unit = "IOPS",
                       .value = 1e9 / f->ns,
                       .floor = 1e9 / floor_ns,
                       .exits = f->exits,
                       .kvm_exits = f->kvm_exits,
                       .insns = f->insns,
                       .peer = "qemu_ide_pio",
                       .vs_peer = q_ns / f->ns};
    emit(&r);
}

/*
 * The peer figure: 4 KiB random reads of one image, in one run, by the
 * PV path at QD1 and QD32 and by the ide_pio guest on QEMU's emulated
 * IDE disk (PIO; QD1: IDE has no queue); vs_qemu_ide_pio says how many
 * times faster than QEMU the PV reads are.
 */
static int bench_blk_vs_qemu(struct pvhv *hv, const struct bench_opts *o,
                             bool native)
{
    static const struct blk_case pv[3] = {
        {"blk_vs_qemu_pv_qd1", true, 1, 8, 500, 0},
        {"blk_vs_qemu_pv_qd32", true, 32, 8, 500, 0},
        {"blk_vs_qemu_hvm_ata_pio", true, 1, 8, 500, BLK_HVM_PIO},
    };
    unsigned long n = o->iterations ? o->iterations : 500;
    char kernel[4096], disk[256];
    struct blk_figures f[3];
    struct qemu_figures q;
    (void)native;
    if (!qemu_path()) {
        emit_skipped("blk_vs_qemu", "qemu-system-x86_64 not installed");
        return 0;
    }
    snprintf(kernel, sizeof(kernel), "%s/ide_pio/ide_pio.elf", o->guest_dir);
    if (disk_make(disk, sizeof(disk)) < 0)
        return -1;
    int rc = qemu_ide_pio(kernel, disk, n, 8, false, &q);
    for (int i = 0; i < 3 && rc == 0; i++)
        rc = blk_pv(hv, o, &pv[i], n, false, disk, &f[i]);
    double floor_ns = floor_pread_ns(disk, true, 8 * 512, n);
    unlink(disk);
    if (rc < 0 || floor_ns <= 0) {
        fprintf(stderr, "pvbench: blk_vs_qemu: a run failed\n");
        return -1;
    }
    /* QEMU's exits are all of KVM's; those reaching QEMU are not counted. */
    char unmeasured[sizeof(q.why) + 80];
    snprintf(unmeasured, sizeof(unmeasured),
             "exits: those reaching QEMU are not counted (kvm_exits: all of "
             "KVM's)%s%s",
             q.why[0] ? "; " : "", q.why);
    struct result r = {.metric = "blk_vs_qemu_ide_pio",
                       .unit = "IOPS",
                       .value = 1e9 / q.ns,
                       .floor = 1e9 / floor_ns,
                       .exits = -1,
                       .kvm_exits =
                           q.kvm_exits >= 0 ? q.kvm_exits : KVM_EXITS_NA,
                       .unmeasured = unmeasured,
                       .insns = q.insns >= 0 ? q.insns : INSNS_NA};
    emit(&r);
    for (int i = 0; i < 3; i++)
        emit_vs_qemu(pv[i].metric, &f[i], floor_ns, q.ns);
    return 0;
}

/* GNTTABOP_copy of 4 KiB, 16 per hypercall; floor: host memcpy of 4 KiB. */
static int bench_gnttab_copy(struct pvhv *hv, const struct bench_opts *o,
                             bool native)
{
    unsigned long n = o->iterations ? o->iterations : 4096;
    char kernel[4096], cmdline[64];
    static uint8_t a[4096], b[4096];
    snprintf(kernel, sizeof(kernel), "%s/bench_gnttab/bench_gnttab.elf",
             o->guest_dir);
    snprintf(cmdline, sizeof(cmdline), "n=%lu batch=16", n);
    if (native_skip(hv, native, "gnttab_copy_4k_native"))
        return 0;
    double t0 = now_ns();
    for (int i = 0; i < 100000; i++) {
        memcpy(a, b, sizeof(a));
        __asm__ volatile("" : : "r"(a), "r"(b) : "memory");
    }
    double floor = (now_ns() - t0) / 100000;
    struct probe p = {0};
    struct pvhv_domain_result res;
    if (run_domain(hv, kernel, cmdline, native, &p, &res) < 0 ||
        p.t_end <= p.t_start)
        return -1;
    emit_probe(native ? "gnttab_copy_4k_native" : "gnttab_copy_4k", "us",
               (p.t_end - p.t_start) / (double)n / 1e3, floor / 1e3, &p,
               (double)n);
    return 0;
}

/* 1 MiB through vchan between two domains; exits per 4 KiB moved. */
static int bench_vchan(struct pvhv *hv, const struct bench_opts *o, bool native)
{
    char client[4096], server[4096];
    snprintf(client, sizeof(client), "%s/vchan_client/vchan_client.elf",
             o->guest_dir);
    snprintf(server, sizeof(server), "%s/vchan_server/vchan_server.elf",
             o->guest_dir);
    const struct pair_dom dom[2] = {
        {"vchan_client", client, "peer=vchan_server"},
        {"vchan_server", server, "peer=vchan_client"},
    };
    struct probe p = {0};
    if (native_skip(hv, native, "vchan_stream_native"))
        return 0;
    if (run_pair(hv, dom, native, &p) < 0 || p.t_end <= p.t_start)
        return -1;
    double bytes = 1 << 20;
    emit_probe(native ? "vchan_stream_native" : "vchan_stream", "MB/s",
               bytes / (p.t_end - p.t_start) * 1e3, -1, &p, bytes / 4096);
    return 0;
}

static int bench_boot_hello(struct pvhv *hv, const struct bench_opts *o,
                            bool native)
{
    char kernel[4096];
    enum { RUNS = 5 };
    double best = INFINITY;
    uint64_t exits = 0;
    double insns = INSNS_NA, kvm = KVM_EXITS_NA;
    snprintf(kernel, sizeof(kernel), "%s/hello/hello.elf", o->example_dir);
    if (native_skip(hv, native, "boot_hello_native"))
        return 0;
    for (int i = 0; i < RUNS; i++) {
        struct probe p = {0};
        struct pvhv_domain_result res;
        double t0 = now_ns();
        if (run_domain(hv, kernel, "greeting=bench", native, &p, &res) < 0)
            return -1;
        if (native != res.stats.native) {
            fprintf(stderr, "pvbench: boot_hello%s ran in the %s mode\n",
                    native ? "_native" : "",
                    res.stats.native ? "native" : "default");
            return -1;
        }
        double t = now_ns() - t0;
        if (t < best)
            best = t;
        exits = res.stats.exits;
        insns = res.stats.guest_insns_counted ? (double)res.stats.guest_insns
                                              : INSNS_NA;
        kvm = res.stats.kvm_exits_counted ? (double)res.stats.kvm_exits
                                          : KVM_EXITS_NA;
    }
    /* The operation is the whole boot: its exits and instructions. */
    emit_value(native ? "boot_hello_native" : "boot_hello", "ms", best / 1e6,
               -1, (double)exits, kvm, insns);
    return 0;
}

/* What proving native execution costs (the self-test's throw-away VM). */
static int bench_native_selftest(struct pvhv *hv, const struct bench_opts *o,
                                 bool native)
{
    enum { RUNS = 5 };
    double best = INFINITY;
    (void)o, (void)native;
    for (int i = 0; i < RUNS; i++) {
        struct pvhv *fresh;
        struct pvhv_error err = {""};
        struct pvhv_native_status st;
        if (pvhv_open(&fresh, &err) < 0) {
            fprintf(stderr, "pvbench: %s\n", err.msg);
            return -1;
        }
        pvhv_native_status(fresh, &st);
        pvhv_close(fresh);
        if ((double)st.selftest_ns < best)
            best = (double)st.selftest_ns;
    }
    (void)hv;
    emit_value("native_selftest", "ms", best / 1e6, -1, -1, KVM_EXITS_NONE,
               INSNS_NONE);
    return 0;
}

/* pvhvd's figures (daemon.c); (which) picks one of the two per entry. */
static int bench_daemon(struct pvhv *hv, const struct bench_opts *o, bool which)
{
    (void)hv;
    return bench_pvhvd(o->example_dir, o->guest_dir, which);
}

static int bench_daemon_misc(struct pvhv *hv, const struct bench_opts *o,
                             bool rss)
{
    (void)hv;
    return bench_pvhvd(o->example_dir, o->guest_dir, 2 + rss);
}

/* Native mode runs guest code unemulated, so the host does not count it. */
#define NATIVE_NA "n/a: native mode"

static const struct bench benches[] = {
    {"hypercall_null", bench_hypercall_null, false,
     "round trip of xen_version(XENVER_version), floor: raw KVM exit",
     "per call"},
    {"hypercall_null_native", bench_hypercall_null, true,
     "the same in native execution mode, floor: raw exit in that mode",
     NATIVE_NA},
    {"evtchn_pingpong", bench_evtchn_pingpong, false,
     "event round trip between two domains, each waiting on its masked "
     "port (pvg_evtchn_wait), floor: two raw exits",
     "per round trip"},
    {"evtchn_pingpong_native", bench_evtchn_pingpong, true,
     "the same in native execution mode", NATIVE_NA},
    {"evtchn_pingpong_upcall", bench_evtchn_pingpong_upcall, false,
     "evtchn_pingpong, each taking the event in a handler (upcall, wait_until)",
     "per round trip"},
    {"doorbell_pingpong", bench_doorbell_pingpong, false,
     "interrupt round trip between two hvm domains through the emulated "
     "doorbell (ring, IRQ 10, acknowledge), floor: two raw exits",
     "per round trip"},
    {"xenstore_read", bench_xenstore, false,
     "a XenStore read from a guest over its ring, floor: raw exit", "per read"},
    {"xenstore_write", bench_xenstore, true,
     "a XenStore write from a guest over its ring, floor: raw exit",
     "per write"},
    {"gnttab_copy_4k", bench_gnttab_copy, false,
     "GNTTABOP_copy of a 4 KiB page, 16 a call, floor: host memcpy",
     "per page"},
    {"blk_read", bench_blk, false,
     "blk_seq_read (MB/s), blk_rand_read_qd1, blk_rand_read_qd32 (4 KiB "
     "IOPS), floor: host pread of the same file",
     "per request"},
    {"blk_read_native", bench_blk, true, "the same in native execution mode",
     NATIVE_NA},
    {"blk_vs_qemu", bench_blk_vs_qemu, false,
     "4 KiB random reads of one image: PV at QD1 and QD32 and pvhv's own "
     "ATA disk by PIO (an hvm domain) beside QEMU's IDE by PIO (where "
     "qemu-system-x86_64 is installed), vs_qemu_ide_pio",
     "per read"},
    {"vchan_stream", bench_vchan, false,
     "1 MiB between two domains through vchan (MB/s, exits per 4 KiB)",
     "per 4 KiB"},
    {"vchan_stream_native", bench_vchan, true,
     "the same in native execution mode", NATIVE_NA},
    {"boot_hello", bench_boot_hello, false,
     "create to poweroff of the hello domain (best of 5), with its exits",
     "per boot"},
    {"boot_hello_native", bench_boot_hello, true,
     "the same in native execution mode", NATIVE_NA},
    {"native_selftest", bench_native_selftest, false,
     "the native-mode self-test's cost in a fresh instance (best of 5)",
     "none: no guest"},
    {"create_100_serial", bench_daemon, false,
     "100 hello domains made through pvhvd in turn (ms to the last)", "none"},
    {"create_100_parallel", bench_daemon, true,
     "100 hello domains made through pvhvd by 100 clients at once", "none"},
    {"control_rtt", bench_daemon_misc, false,
     "a pvhvd list round trip, floor: a UNIX-socket echo", "none"},
    {"daemon_rss_per_domain", bench_daemon_misc, true,
     "pvhvd's memory per idle domain beyond guest RAM (KiB)", "none"},
};
#define NR_BENCHES (sizeof(benches) / sizeof(benches[0]))

/* What --list says of the two exit counts. */
static const char list_exits[] =
    "\nexits and kvm_exits are per the same operation as GUEST_INSNS (with a\n"
    "guest, native mode too). exits: the exits that reach pvhv (KVM_RUN\n"
    "returning). kvm_exits: every exit KVM took, those it serves in the\n"
    "kernel included (an hvm domain's LAPIC, I/O APIC and PIT, interrupt\n"
    "injection, hlt): the vCPUs' KVM statistic \"exits\", null (n/a) where\n"
    "the host lacks it. QEMU's figures (blk_vs_qemu_ide_pio, the QEMU rows\n"
    "of --compare) are all of KVM's: compare them with kvm_exits.\n";

static void usage(FILE *f)
{
    fprintf(f,
            "usage: pvbench [options] [BENCHMARK...]\n"
            "Runs the named benchmarks (all by default) and prints one JSON\n"
            "object per line: metric, value, unit, floor, ratio, exits (to\n"
            "pvhv), kvm_exits (all of KVM's) and guest_insns per operation\n"
            "(null where the host does not count them). --list says what\n"
            "each counts them for.\n\n"
            "  -l, --list            name the benchmarks\n"
            "  -n, --iterations N    iterations for loop benchmarks\n"
            "  -g, --guests DIR      built test guests (default: %s)\n"
            "  -e, --examples DIR    built examples (default: %s)\n"
            "  -h, --help            this text\n"
            "      --compare         each workload as PV, as hvm and under\n"
            "                        QEMU, with the host floor: CSV, Markdown\n"
            "                        and plots in a results folder\n"
            "      --quick           (with --compare) fewer operations\n"
            "      --out DIR         (with --compare) the results folder\n"
            "                        (default: pvbench-compare-DATE)\n"
            "      --workload NAME   (with --compare) only that workload\n",
            PVBENCH_GUEST_DIR, PVBENCH_EXAMPLE_DIR);
}

static const struct bench *find_bench(const char *name)
{
    for (size_t i = 0; i < NR_BENCHES; i++)
        if (strcmp(benches[i].name, name) == 0)
            return &benches[i];
    return NULL;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"list", no_argument, NULL, 'l'},
        {"iterations", required_argument, NULL, 'n'},
        {"guests", required_argument, NULL, 'g'},
        {"examples", required_argument, NULL, 'e'},
        {"help", no_argument, NULL, 'h'},
        {"compare", no_argument, NULL, 'C'},
        {"quick", no_argument, NULL, 'Q'},
        {"out", required_argument, NULL, 'O'},
        {"workload", required_argument, NULL, 'W'},
        {NULL, 0, NULL, 0},
    };
    struct compare_opts co = {false, NULL, NULL, argc, argv};
    bool compare = false;
    struct bench_opts o = {PVBENCH_GUEST_DIR, PVBENCH_EXAMPLE_DIR, 0};
    char *end;
    int c;
    while ((c = getopt_long(argc, argv, "ln:g:e:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'l':
            printf("%-22s %-18s %s\n", "BENCHMARK", "GUEST_INSNS", "WHAT");
            for (size_t i = 0; i < NR_BENCHES; i++)
                printf("%-22s %-18s %s\n", benches[i].name, benches[i].insns,
                       benches[i].what);
            fputs(list_exits, stdout);
            return 0;
        case 'n':
            errno = 0;
            o.iterations = strtoul(optarg, &end, 10);
            if (errno || *end || o.iterations == 0) {
                fprintf(stderr,
                        "pvbench: --iterations '%s': want a whole "
                        "number above 0\n",
                        optarg);
                return 2;
            }
            break;
        case 'g':
            o.guest_dir = optarg;
            break;
        case 'e':
            o.example_dir = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'C':
            compare = true;
            break;
        case 'Q':
            co.quick = true;
            break;
        case 'O':
            co.out = optarg;
            break;
        case 'W':
            if (!compare_workload_known(optarg)) {
                fprintf(stderr,
                        "pvbench: --workload '%s': not a workload "
                        "of --compare (disk_rand4k_qd1, disk_rand4k_qd32, "
                        "seq_read, console, boot, roundtrip, timer)\n",
                        optarg);
                return 2;
            }
            co.workload = optarg;
            break;
        default:
            usage(stderr);
            return 2;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (!find_bench(argv[i])) {
            fprintf(stderr, "pvbench: unknown benchmark '%s' (see --list)\n",
                    argv[i]);
            return 2;
        }
    }
    struct pvhv *hv;
    struct pvhv_error err = {""};
    if (pvhv_open(&hv, &err) < 0) {
        fprintf(stderr, "pvbench: %s\n", err.msg);
        return 1;
    }
    int failed = 0;
    if (compare) {
        failed = compare_run(hv, &o, &co) < 0;
        pvhv_close(hv);
        return failed ? 1 : 0;
    }
    if (optind == argc)
        for (size_t i = 0; i < NR_BENCHES; i++)
            failed |= benches[i].run(hv, &o, benches[i].native) < 0;
    for (int i = optind; i < argc; i++) {
        const struct bench *b = find_bench(argv[i]);
        failed |= b->run(hv, &o, b->native) < 0;
    }
    pvhv_close(hv);
    return failed ? 1 : 0;
}
