/* SPDX-License-Identifier: MIT */
/* compare.c: pvbench --compare: each workload as PV, as hvm and under QEMU, in
 * one table. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "config.h"

/* One measured cell: a workload on one system. */
struct cell {
    const char *system; /* "pv", "hvm", "qemu", "host" */
    const char *how;    /* "blkif QD32", "ATA PIO", ... */
    bool measured;
    char why[160];       /* when not measured: why */
    double ns;           /* per operation */
    double exits, insns; /* per operation; < 0: not measured */
    /* All of KVM's exits per operation (exits: those reaching the VMM's
     * userspace), or KVM_EXITS_NA ("n/a": the host lacks the statistic)
     * or KVM_EXITS_NONE (no guest: blank). */
    double kvm_exits;
    double cpu_ns; /* host CPU time per operation; < 0: not measured */
};

struct workload;
typedef int (*workload_fn)(struct pvhv *hv, const struct bench_opts *o,
                           const struct workload *w, unsigned long n,
                           struct cell *cells);

struct workload {
    const char *name, *family;
    const char *unit; /* of throughput; NULL: none */
    double per_op;    /* throughput = per_op * operations a second */
    unsigned int qd, sectors;
    bool rnd;
    unsigned long quick_n, full_n; /* operations: -n N overrides */
    workload_fn run;
};

static int disk(struct pvhv *hv, const struct bench_opts *o,
                const struct workload *w, unsigned long n, struct cell *cells);
static int console(struct pvhv *hv, const struct bench_opts *o,
                   const struct workload *w, unsigned long n,
                   struct cell *cells);
static int boot(struct pvhv *hv, const struct bench_opts *o,
                const struct workload *w, unsigned long n, struct cell *cells);
static int roundtrip(struct pvhv *hv, const struct bench_opts *o,
                     const struct workload *w, unsigned long n,
                     struct cell *cells);
static int timer(struct pvhv *hv, const struct bench_opts *o,
                 const struct workload *w, unsigned long n, struct cell *cells);

/* Console bytes go in lines of 64 (bench_console.c, hvm_console.c). */
#define CONSOLE_LINE 64

static const struct workload workloads[] = {
    {"disk_rand4k_qd1", "disk", "IOPS", 1, 1, 8, true, 60, 500, disk},
    {"disk_rand4k_qd32", "disk", "IOPS", 1, 32, 8, true, 60, 500, disk},
    {"seq_read", "seq_read", "MB/s", 88 * 512 / 1e6, 8, 88, false, 20, 200,
     disk},
    {"console", "console", "B/s", 1, 0, 0, false, 16384, 65536, console},
    {"boot", "boot", NULL, 0, 0, 0, false, 3, 10, boot},
    {"roundtrip", "roundtrip", "round trips/s", 1, 0, 0, false, 200, 2000,
     roundtrip},
    {"timer", "timer", NULL, 0, 0, 0, false, 200, 2000, timer},
};
#define NR_WORKLOADS (sizeof(workloads) / sizeof(workloads[0]))
#define CELLS 6

/* What a family's plot shows (plot()). */
static const struct family {
    const char *name, *ylabel, *title;
} families[] = {
    {"disk", "us per 4 KiB read (lower is better)", "disk: 4 KiB random reads"},
    {"seq_read", "us per 44 KiB read (lower is better)",
     "seq_read: sequential 44 KiB reads"},
    {"console", "us per console byte (lower is better)",
     "console: output throughput"},
    {"boot", "us to boot (lower is better)",
     "boot: to the first console byte and boot marker"},
    {"roundtrip", "us per round trip (lower is better)",
     "roundtrip: between two domains"},
    {"timer", "us from arming to the handler (lower is better)",
     "timer: one-shot timer latency"},
};
#define NR_FAMILIES (sizeof(families) / sizeof(families[0]))

static double cpu_ns(int who)
{
    struct rusage r;

    getrusage(who, &r);
    return (r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e9 +
           (r.ru_utime.tv_usec + r.ru_stime.tv_usec) * 1e3;
}

/*
 * qemu_measured: (c) measured under QEMU: (ns) per operation, QMP's counts
 * (kvm_exits: all of KVM's, < 0 where QMP gave none; those reaching
 * QEMU's userspace are not counted), host CPU since (t0) over (n).
 */
static void qemu_measured(struct cell *c, double ns, double kvm_exits,
                          double insns, double t0, unsigned long n)
{
    c->measured = true;
    c->ns = ns;
    c->exits = -1;
    c->kvm_exits = kvm_exits >= 0 ? kvm_exits : KVM_EXITS_NA;
    c->insns = insns;
    c->cpu_ns = (cpu_ns(RUSAGE_CHILDREN) - t0) / (double)n;
}

static void from_figures(struct cell *c, const struct blk_figures *f,
                         double cpu, unsigned long n)
{
    c->measured = true;
    c->ns = f->ns;
    c->exits = f->exits;
    c->kvm_exits = f->kvm_exits;
    c->insns = f->insns;
    c->cpu_ns = cpu / (double)n;
}

static int blk_cell(struct pvhv *hv, const struct bench_opts *o,
                    const struct blk_case *b, unsigned long n,
                    const char *image, struct cell *c)
{
    struct blk_figures f;
    double t = cpu_ns(RUSAGE_SELF);

    if (blk_pv(hv, o, b, n, false, image, &f) < 0)
        return -1;
    from_figures(c, &f, cpu_ns(RUSAGE_SELF) - t, n);
    return 0;
}

/*
 * The disk workloads: one image, the same places (random, or one after
 * another), PV blkif (at QD1 and, for seq_read, QD8), ATA PIO and DMA,
 * QEMU's IDE and the host's pread.
 */
static int disk(struct pvhv *hv, const struct bench_opts *o,
                const struct workload *w, unsigned long n, struct cell *cells)
{
    const struct blk_case pv = {"pv",       w->rnd, w->rnd ? w->qd : 1,
                                w->sectors, n,      0};
    const struct blk_case pv_qd = {"pv", w->rnd, w->qd, w->sectors, n, 0};
    const struct blk_case hvm = {"hvm", w->rnd, 1, w->sectors, n, BLK_HVM_PIO};
    const struct blk_case hvm_dma = {"hvm",      w->rnd, 1,
                                     w->sectors, n,      BLK_HVM_DMA};
    struct qemu_figures q;
    char image[256], kernel[4096];
    double t;
    int rc = 0, k = 0;

    if (w->rnd) {
        cells[k++] = (struct cell){
            .system = "pv", .how = w->qd > 1 ? "blkif QD32" : "blkif QD1"};
    } else {
        cells[k++] = (struct cell){.system = "pv", .how = "blkif QD1"};
        cells[k++] = (struct cell){.system = "pv", .how = "blkif QD8"};
    }
    cells[k++] = (struct cell){.system = "hvm",
                               .how = w->rnd ? "ATA PIO (QD1: no queue)"
                                             : "ATA PIO READ MULTIPLE"};
    cells[k++] =
        (struct cell){.system = "hvm", .how = "ATA DMA (QD1: no queue)"};
    cells[k++] =
        (struct cell){.system = "qemu", .how = "IDE PIO of -M pc (QD1)"};
    cells[k++] = (struct cell){.system = "host", .how = "pread floor"};
    if (disk_make(image, sizeof(image)) < 0)
        return -1;
    k = 0;
    rc |= blk_cell(hv, o, &pv, n, image, &cells[k++]);
    if (!w->rnd)
        rc |= blk_cell(hv, o, &pv_qd, n, image, &cells[k++]);
    rc |= blk_cell(hv, o, &hvm, n, image, &cells[k++]);
    rc |= blk_cell(hv, o, &hvm_dma, n, image, &cells[k++]);
    snprintf(kernel, sizeof(kernel), "%s/ide_pio/ide_pio.elf", o->guest_dir);
    t = cpu_ns(RUSAGE_CHILDREN);
    if (!qemu_path()) {
        snprintf(cells[k].why, sizeof(cells[k].why),
                 "qemu-system-x86_64 not installed");
    } else if (qemu_ide_pio(kernel, image, n, w->sectors, !w->rnd, &q) == 0) {
        /* QEMU's CPU time covers its two boots (with and without reads);
         * its exits are all of KVM's, those reaching QEMU not counted. */
        qemu_measured(&cells[k], q.ns, q.kvm_exits, q.insns, t, n);
        snprintf(cells[k].why, sizeof(cells[k].why), "%s", q.why);
    } else {
        snprintf(cells[k].why, sizeof(cells[k].why), "the QEMU run failed");
    }
    k++;
    cells[k].ns = floor_pread_ns(image, w->rnd, w->sectors * 512, n);
    cells[k].measured = cells[k].ns > 0;
    cells[k].exits = cells[k].insns = cells[k].cpu_ns = -1;
    cells[k].kvm_exits = KVM_EXITS_NONE;
    unlink(image);
    return rc;
}

/*
 * qemu_console_cells: hvm_console under QEMU, for (byte) (console: per
 * byte; boot: to the first byte) and (marker) (boot only; else NULL):
 * measured, or why not.
 */
static int qemu_console_cells(const struct bench_opts *o, unsigned long n,
                              unsigned long boots, struct cell *byte,
                              struct cell *marker)
{
    char kernel[4096];
    double t = cpu_ns(RUSAGE_CHILDREN);
    int rc = 0;

    snprintf(kernel, sizeof(kernel), "%s/hvm_console/hvm_console.elf",
             o->guest_dir);
    for (unsigned long i = 0; i < boots; i++) {
        struct qemu_console_figures q;

        if (!qemu_path()) {
            snprintf(byte->why, sizeof(byte->why),
                     "not measured: qemu-system-x86_64 not installed");
            break;
        }
        if (qemu_console(kernel, n, &q) < 0) {
            snprintf(byte->why, sizeof(byte->why),
                     "not measured: the QEMU run failed");
            rc = -1;
            break;
        }
        if (n > 0) {
            qemu_measured(byte, q.ns, q.exits, q.insns, t, n);
            snprintf(byte->why, sizeof(byte->why),
                     "host clock between the 0xea marker bytes "
                     "(isa-debugcon); host CPU: two QEMU boots%s",
                     q.exits < 0 ? "; QMP gave no exit counts" : "");
            break;
        }
        if (!byte->measured || q.first_byte_ns < byte->ns) {
            byte->measured = true;
            byte->ns = q.first_byte_ns;
            byte->exits = byte->insns = byte->cpu_ns = -1;
            byte->kvm_exits = KVM_EXITS_NONE;
            snprintf(byte->why, sizeof(byte->why),
                     "best of %lu; host clock from QEMU's fork: its start "
                     "and firmware included",
                     boots);
        }
        if (!marker->measured || q.marker_ns < marker->ns) {
            marker->measured = true;
            marker->ns = q.marker_ns;
            marker->exits = marker->insns = marker->cpu_ns = -1;
            marker->kvm_exits = KVM_EXITS_NONE;
            snprintf(marker->why, sizeof(marker->why),
                     "best of %lu; host clock from QEMU's fork; KVM exits: "
                     "%.0f to the guest's hold (firmware included)",
                     boots, q.boot_exits);
        }
    }
    if (marker && !marker->measured)
        snprintf(marker->why, sizeof(marker->why), "%s", byte->why);
    return rc;
}

/*
 * console: bytes printed between two boot-marker writes, PV ring vs
 * polled 16550: the hypervisor times and counts them at those writes, on
 * the guest's vCPU, so a console backend that runs late changes nothing.
 */
static int console(struct pvhv *hv, const struct bench_opts *o,
                   const struct workload *w, unsigned long n,
                   struct cell *cells)
{
    struct console_figures f;
    int rc = 0;

    (void)w;
    n = (n + CONSOLE_LINE - 1) / CONSOLE_LINE * CONSOLE_LINE;
    cells[0] = (struct cell){.system = "pv",
                             .how = "console ring (printf of 64 B lines)"};
    cells[1] =
        (struct cell){.system = "hvm", .how = "16550 UART (polled THR writes)"};
    cells[2] = (struct cell){.system = "qemu",
                             .how = "16550 of -M pc (polled THR writes)"};
    rc |= qemu_console_cells(o, n, 1, &cells[2], NULL);
    for (int k = 0; k < 2; k++) {
        double t = cpu_ns(RUSAGE_SELF);

        if (console_run(hv, o, k == 1, n, &f) < 0) {
            rc = -1;
            continue;
        }
        cells[k].measured = true;
        cells[k].ns = f.ns;
        cells[k].exits = f.exits;
        cells[k].kvm_exits = f.kvm_exits;
        cells[k].insns = f.insns;
        cells[k].cpu_ns = (cpu_ns(RUSAGE_SELF) - t) / (double)n;
    }
    return rc;
}

/*
 * boot: best of (n) boots of the console guests with nothing to print,
 * to the first console byte (host clock, from domain create) and to the
 * first boot-marker write (the domain's clock, from when it was made).
 */
static int boot(struct pvhv *hv, const struct bench_opts *o,
                const struct workload *w, unsigned long n, struct cell *cells)
{
    static const char *const how[] = {
        "PV console guest: to first console byte",
        "PV console guest: to first boot marker",
        "hvm console guest: to first console byte",
        "hvm console guest: to first boot marker",
    };
    int rc = 0;

    (void)w;
    for (int k = 0; k < 4; k++)
        cells[k] = (struct cell){.system = k < 2 ? "pv" : "hvm", .how = how[k]};
    cells[4] = (struct cell){.system = "qemu",
                             .how = "hvm console guest: to first console byte"};
    cells[5] = (struct cell){.system = "qemu",
                             .how = "hvm console guest: to first boot marker"};
    rc |= qemu_console_cells(o, 0, n, &cells[4], &cells[5]);
    for (int hvm = 0; hvm < 2; hvm++) {
        struct cell *byte = &cells[2 * hvm], *marker = byte + 1;

        for (unsigned long i = 0; i < n; i++) {
            struct console_figures f;
            double t = cpu_ns(RUSAGE_SELF);

            if (console_run(hv, o, hvm, 0, &f) < 0) {
                rc = -1;
                break;
            }
            t = cpu_ns(RUSAGE_SELF) - t;
            if (!byte->measured || f.first_byte_ns < byte->ns) {
                *byte = (struct cell){.system = byte->system,
                                      .how = byte->how,
                                      .measured = true,
                                      .ns = f.first_byte_ns,
                                      .exits = f.first_exits,
                                      .kvm_exits = f.first_kvm_exits,
                                      .insns = f.first_insns,
                                      .cpu_ns = t};
                snprintf(byte->why, sizeof(byte->why),
                         "best of %lu; host CPU: the whole boot", n);
            }
            if (!marker->measured || f.marker_ns < marker->ns) {
                *marker = (struct cell){.system = marker->system,
                                        .how = marker->how,
                                        .measured = true,
                                        .ns = f.marker_ns,
                                        .exits = f.marker_exits,
                                        .kvm_exits = f.marker_kvm_exits,
                                        .insns = f.marker_insns,
                                        .cpu_ns = -1};
                snprintf(marker->why, sizeof(marker->why), "best of %lu", n);
            }
        }
    }
    return rc;
}

static void num(FILE *f, double v, const char *fmt)
{
    if (v < 0)
        fputs("", f);
    else
        fprintf(f, fmt, v);
}

/* kvm_num: a cell's kvm_exits: "n/a" where the host lacks the statistic. */
static void kvm_num(FILE *f, double v, const char *fmt)
{
    if (v == KVM_EXITS_NA)
        fputs("n/a", f);
    else
        num(f, v, fmt);
}

/* The precision of an exits figure in the Markdown table. */
static const char *exits_fmt(double v)
{
    return v < 1 && v > 0 ? "%.4f" : "%.2f";
}

/* throughput of (c) in w->unit, or < 0 where (w) has none. */
static double throughput(const struct workload *w, const struct cell *c)
{
    return w->unit ? w->per_op * 1e9 / c->ns : -1;
}

static void csv_row(FILE *f, const struct workload *w, const struct cell *c)
{
    fprintf(f, "%s,%s,%s,", w->name, c->system, c->how);
    if (!c->measured) {
        fprintf(f, ",,,,,,,,\"%s\"\n", c->why);
        return;
    }
    fprintf(f, "%.3f,%.1f,", c->ns / 1e3, 1e9 / c->ns);
    num(f, c->exits, "%.4f");
    fputc(',', f);
    kvm_num(f, c->kvm_exits, "%.4f");
    fputc(',', f);
    num(f, c->insns, "%.1f");
    fputc(',', f);
    num(f, c->cpu_ns / 1e3, "%.1f");
    fputc(',', f);
    num(f, throughput(w, c), "%.3f");
    fprintf(f, ",%s,\"%s\"\n", w->unit ? w->unit : "", c->why);
}

static void md_row(FILE *f, const struct workload *w, const struct cell *c)
{
    fprintf(f, "| %s | %s | %s | ", w->name, c->system, c->how);
    if (!c->measured) {
        fprintf(f, "- | - | - | - | - | - | %s |\n", c->why);
        return;
    }
    fprintf(f, "%.1f | ", c->ns / 1e3);
    if (w->unit)
        fprintf(f, "%.*f %s", throughput(w, c) < 100 ? 2 : 0, throughput(w, c),
                w->unit);
    else
        fputs("-", f);
    fputs(" | ", f);
    num(f, c->exits, exits_fmt(c->exits));
    fputs(" | ", f);
    kvm_num(f, c->kvm_exits, exits_fmt(c->kvm_exits));
    fputs(" | ", f);
    num(f, c->insns, "%.0f");
    fputs(" | ", f);
    num(f, c->cpu_ns / 1e3, "%.1f");
    fprintf(f, " | %s |\n", c->why);
}

/* first_line: the value of "key" in /proc/cpuinfo, or "unknown". */
static void cpu_model(char *buf, size_t len)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];

    snprintf(buf, len, "unknown");
    while (f && fgets(line, sizeof(line), f)) {
        char *p = strchr(line, ':');

        if (strncmp(line, "model name", 10) == 0 && p) {
            snprintf(buf, len, "%s", p + 2);
            buf[strcspn(buf, "\n")] = '\0';
            break;
        }
    }
    if (f)
        fclose(f);
}

static const char *kvm_backend(void)
{
    struct stat st;

    if (stat("/sys/module/kvm_pvm", &st) == 0)
        return "kvm_pvm (software KVM)";
    if (stat("/sys/module/kvm_intel", &st) == 0)
        return "kvm_intel (VMX)";
    if (stat("/sys/module/kvm_amd", &st) == 0)
        return "kvm_amd (SVM)";
    return "unknown";
}

static void facts(FILE *f, int argc, char **argv)
{
    struct utsname u;
    char cpu[256];

    uname(&u);
    cpu_model(cpu, sizeof(cpu));
    fputs("- command:", f);
    for (int i = 0; i < argc; i++)
        fprintf(f, " %s", argv[i]);
    fprintf(f,
            "\n- pvhv %s\n- CPU: %s\n- KVM: %s\n- host kernel: %s %s\n"
            "- execution mode: default (emulated where the KVM emulates)\n",
            PACKAGE_VERSION, cpu, kvm_backend(), u.sysname, u.release);
}

/*
 * plot: one gnuplot chart per family that ran, PNG and SVG, from the
 * family's rows of results.csv (a scratch file beside it); skipped
 * without gnuplot.
 */
static void plot(const char *dir, const struct family *fam)
{
    static const char *const terms[][2] = {
        {"pngcairo size 900,500", "png"},
        {"svg size 900,500", "svg"},
    };
    char path[600], data[600], cmd[1400], line[512];
    bool any = false;
    FILE *f, *in;

    snprintf(path, sizeof(path), "%s/results.csv", dir);
    snprintf(data, sizeof(data), "%s/%s.rows", dir, fam->name);
    in = fopen(path, "r");
    f = fopen(data, "w");
    while (in && f && fgets(line, sizeof(line), in)) {
        for (size_t i = 0; i < NR_WORKLOADS; i++)
            if (strcmp(workloads[i].family, fam->name) == 0 &&
                strncmp(line, workloads[i].name, strlen(workloads[i].name)) ==
                    0 &&
                line[strlen(workloads[i].name)] == ',') {
                fputs(line, f);
                any = true;
                break;
            }
    }
    if (in)
        fclose(in);
    if (f)
        fclose(f);
    for (int i = 0; any && f && i < 2; i++) {
        snprintf(path, sizeof(path), "%s/%s.%s.gp", dir, fam->name,
                 terms[i][1]);
        f = fopen(path, "w");
        if (!f)
            break;
        fprintf(f,
                "set terminal %s\nset output '%s/%s.%s'\n"
                "set datafile separator ','\nset style data histograms\n"
                "set termoption noenhanced\nset style fill solid\n"
                "set logscale y\nset xtics rotate by -30\n"
                "set ylabel '%s'\nset title '%s'\n"
                "plot '%s' using 4:xtic(strcol(1).' '.strcol(2).' '.strcol(3)) "
                "title 'time'\n",
                terms[i][0], dir, fam->name, terms[i][1], fam->ylabel,
                fam->title, data);
        fclose(f);
        snprintf(cmd, sizeof(cmd), "gnuplot '%s' 2>/dev/null", path);
        if (system(cmd) != 0)
            fprintf(stderr, "pvbench: gnuplot failed for %s.%s\n", fam->name,
                    terms[i][1]);
        unlink(path);
    }
    unlink(data);
}

/* doorbell_cell: the hvm round trip, two hvm_doorbell domains. */
static int doorbell_cell(struct pvhv *hv, const struct bench_opts *o,
                         unsigned long n, struct cell *c)
{
    struct doorbell_figures f;
    double t = cpu_ns(RUSAGE_SELF);

    if (doorbell_rtt(hv, o, n, &f) < 0)
        return -1;
    c->measured = true;
    c->ns = f.ns;
    c->exits = f.exits;
    c->kvm_exits = f.kvm_exits;
    c->insns = f.insns;
    c->cpu_ns = (cpu_ns(RUSAGE_SELF) - t) / (double)n;
    snprintf(c->why, sizeof(c->why),
             "both domains' exits and instructions; %.1f us a round trip by "
             "the guest's TSC",
             f.tsc_ns / 1e3);
    return 0;
}

/*
 * roundtrip: two domains signal each other, n round trips: PV by one
 * event channel (each side polling its masked port, or taking an
 * upcall), hvm by the emulated doorbell (a port write rings the peer,
 * which takes IRQ 10 through its I/O APIC and acknowledges by port I/O).
 */
static int roundtrip(struct pvhv *hv, const struct bench_opts *o,
                     const struct workload *w, unsigned long n,
                     struct cell *cells)
{
    static const char *const wait[] = {"poll", "upcall"};
    int rc = 0;

    (void)w;
    cells[0] = (struct cell){.system = "pv",
                             .how = "event channel (masked port polled)"};
    cells[1] =
        (struct cell){.system = "pv", .how = "event channel (upcall handler)"};
    cells[2] = (struct cell){
        .system = "hvm", .how = "emulated-device interrupt (doorbell IRQ 10)"};
    cells[3] = (struct cell){.system = "qemu", .how = "-M pc"};
    snprintf(cells[3].why, sizeof(cells[3].why),
             "not measured: no two-guest peer under QEMU");
    for (int k = 0; k < 2; k++) {
        struct blk_figures f;
        double t = cpu_ns(RUSAGE_SELF);

        if (evtchn_rtt(hv, o, n, false, wait[k], &f) < 0) {
            rc = -1;
            continue;
        }
        from_figures(&cells[k], &f, cpu_ns(RUSAGE_SELF) - t, n);
        snprintf(cells[k].why, sizeof(cells[k].why),
                 "both domains' exits and instructions");
    }
    rc |= doorbell_cell(hv, o, n, &cells[2]);
    return rc;
}

/* TIMER_DELTA_NS: each one-shot timer's interval (10 us). */
#define TIMER_DELTA_NS 10000

/* host_sleep_ns: mean time of (n) clock_nanosleep calls of (ns). */
static double host_sleep_ns(unsigned long n, unsigned long ns)
{
    struct timespec d = {0, (long)ns}, a, b;
    double sum = 0;
    int slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);

    /* Without the default 50 us of slack, as KVM's hrtimers have none. */
    prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0);
    for (unsigned long i = 0; i < n; i++) {
        clock_gettime(CLOCK_MONOTONIC, &a);
        clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL);
        clock_gettime(CLOCK_MONOTONIC, &b);
        sum += (double)(b.tv_sec - a.tv_sec) * 1e9 +
               (double)(b.tv_nsec - a.tv_nsec);
    }
    if (slack > 0)
        prctl(PR_SET_TIMERSLACK, (unsigned long)slack, 0, 0, 0);
    return sum / (double)n;
}

/* qemu_cell: the timer workload's hvm guest under QEMU, where installed. */
static void qemu_cell(const struct bench_opts *o, unsigned long n,
                      struct cell *c)
{
    struct qemu_figures q;
    char kernel[4096];
    double t = cpu_ns(RUSAGE_CHILDREN);

    snprintf(kernel, sizeof(kernel), "%s/hvm_irq/hvm_irq.elf", o->guest_dir);
    if (!qemu_path()) {
        snprintf(c->why, sizeof(c->why), "qemu-system-x86_64 not installed");
    } else if (qemu_timer(kernel, n, TIMER_DELTA_NS, &q) == 0) {
        /* QEMU's CPU time covers its two boots; its exits are KVM's. */
        qemu_measured(c, q.ns, q.kvm_exits, q.insns, t, n);
        snprintf(c->why, sizeof(c->why),
                 "10 us timers by the guest's TSC%s%.100s",
                 q.why[0] ? "; " : "", q.why);
    } else {
        snprintf(c->why, sizeof(c->why), "the QEMU run failed");
    }
}

/*
 * timer: (n) one-shot timers of 10 us, each armed and waited for, the
 * latency from arming to the guest's handler by its TSC: PV by
 * VCPUOP_set_singleshot_timer and the VIRQ_TIMER upcall (bench_timer),
 * hvm by the LAPIC's one-shot timer (hvm_irq bench=N), which KVM serves
 * in the kernel: none of its exits reach pvhv, all are in kvm_exits.
 * Under QEMU (-M pc), the same hvm guest, whose figure is KVM's exits
 * (kvm_exits). The host's clock_nanosleep is the floor.
 */
static int timer(struct pvhv *hv, const struct bench_opts *o,
                 const struct workload *w, unsigned long n, struct cell *cells)
{
    int rc = 0;

    (void)w;
    cells[0] =
        (struct cell){.system = "pv",
                      .how = "VCPUOP_set_singleshot_timer + VIRQ_TIMER upcall"};
    cells[1] = (struct cell){.system = "hvm",
                             .how = "LAPIC one-shot timer (in-kernel LAPIC)"};
    cells[2] =
        (struct cell){.system = "qemu", .how = "LAPIC one-shot timer of -M pc"};
    cells[3] = (struct cell){.system = "host",
                             .how = "clock_nanosleep floor (no timer slack)"};
    for (int k = 0; k < 2; k++) {
        struct timer_figures f;
        double t = cpu_ns(RUSAGE_SELF);

        if (timer_run(hv, o, k == 1, n, TIMER_DELTA_NS, &f) < 0) {
            rc = -1;
            continue;
        }
        cells[k].measured = true;
        cells[k].ns = f.ns;
        cells[k].exits = f.exits;
        cells[k].kvm_exits = f.kvm_exits;
        cells[k].insns = f.insns;
        cells[k].cpu_ns = (cpu_ns(RUSAGE_SELF) - t) / (double)n;
        snprintf(cells[k].why, sizeof(cells[k].why),
                 "10 us timers by the guest's TSC; %.1f us a loop "
                 "(arm; sleep; handler)%s",
                 f.loop_ns / 1e3,
                 k == 1 ? "; KVM serves the LAPIC: no exit reaches pvhv" : "");
    }
    qemu_cell(o, n, &cells[2]);
    cells[3].ns = host_sleep_ns(n, TIMER_DELTA_NS);
    cells[3].measured = cells[3].ns > 0;
    cells[3].exits = cells[3].insns = cells[3].cpu_ns = -1;
    cells[3].kvm_exits = KVM_EXITS_NONE;
    return rc;
}

bool compare_workload_known(const char *name)
{
    for (size_t i = 0; i < NR_WORKLOADS; i++)
        if (strcmp(workloads[i].name, name) == 0)
            return true;
    return false;
}

int compare_run(struct pvhv *hv, const struct bench_opts *o,
                const struct compare_opts *c)
{
    char dir[512], path[600];
    struct cell cells[NR_WORKLOADS][CELLS];
    bool done[NR_WORKLOADS] = {false};
    unsigned long ns[NR_WORKLOADS];
    int rc = 0;
    FILE *csv, *md;

    if (c->out) {
        snprintf(dir, sizeof(dir), "%s", c->out);
    } else {
        time_t now = time(NULL);
        strftime(dir, sizeof(dir), "pvbench-compare-%Y%m%d-%H%M%S",
                 localtime(&now));
    }
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        fprintf(stderr, "pvbench: --out %s: %s\n", dir, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < NR_WORKLOADS; i++) {
        if (c->workload && strcmp(c->workload, workloads[i].name) != 0)
            continue;
        ns[i] = o->iterations
                    ? o->iterations
                    : (c->quick ? workloads[i].quick_n : workloads[i].full_n);
        memset(cells[i], 0, sizeof(cells[i]));
        rc |= workloads[i].run(hv, o, &workloads[i], ns[i], cells[i]);
        done[i] = true;
    }
    snprintf(path, sizeof(path), "%s/results.csv", dir);
    csv = fopen(path, "w");
    snprintf(path, sizeof(path), "%s/results.md", dir);
    md = fopen(path, "w");
    if (!csv || !md) {
        fprintf(stderr, "pvbench: cannot write in %s: %s\n", dir,
                strerror(errno));
        if (csv)
            fclose(csv);
        if (md)
            fclose(md);
        return -1;
    }
    fputs("workload,system,how,us_per_op,ops_per_s,exits_per_op,"
          "kvm_exits_per_op,guest_insns_per_op,host_cpu_us_per_op,throughput,"
          "unit,note\n",
          csv);
    fputs("# pvbench --compare\n\n", md);
    facts(md, c->argc, c->argv);
    for (size_t i = 0; i < NR_WORKLOADS; i++)
        if (done[i])
            fprintf(md, "- %s: %lu operations%s\n", workloads[i].name, ns[i],
                    workloads[i].run == boot ? " (boots)" : "");
    fputs(
        "\n| workload | system | how | us/op | throughput | exits to VMM/op | "
        "all KVM exits/op | guest insns/op | host CPU us/op | note |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n",
        md);
    for (size_t i = 0; i < NR_WORKLOADS; i++)
        for (int k = 0; done[i] && k < CELLS && cells[i][k].system; k++) {
            csv_row(csv, &workloads[i], &cells[i][k]);
            md_row(md, &workloads[i], &cells[i][k]);
        }
    fputs("\nexits to VMM: the exits that reach pvhv's (or QEMU's) userspace, "
          "KVM_RUN returning (not counted under QEMU). all KVM exits: every "
          "exit from guest mode, those KVM serves in the kernel included "
          "(an hvm domain's LAPIC, I/O APIC and PIT, interrupt injection, "
          "`hlt`): the vCPUs' KVM statistic `exits`, as QEMU's query-stats "
          "gives it for the QEMU rows; n/a where the host lacks it. "
          "Compare QEMU with pvhv in that column.\n",
          md);
    fclose(csv);
    fclose(md);
    for (size_t f = 0; f < NR_FAMILIES; f++)
        plot(dir, &families[f]);
    snprintf(path, sizeof(path), "cat '%s/results.md'", dir);
    if (system(path) != 0)
        rc = -1;
    printf("\npvbench: results in %s/\n", dir);
    return rc;
}
