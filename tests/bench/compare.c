/* SPDX-License-Identifier: MIT */
/* compare.c: pvbench --compare: each workload as PV, as hvm and under QEMU, in
 * one table. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    double cpu_ns;       /* host CPU time per operation; < 0: not measured */
};

struct workload {
    const char *name, *family, *unit; /* unit of throughput */
    unsigned int qd;
};

static const struct workload workloads[] = {
    {"disk_rand4k_qd1", "disk", "IOPS", 1},
    {"disk_rand4k_qd32", "disk", "IOPS", 32},
};
#define NR_WORKLOADS (sizeof(workloads) / sizeof(workloads[0]))
#define CELLS 5

static double cpu_ns(int who)
{
    struct rusage r;

    getrusage(who, &r);
    return (r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e9 +
           (r.ru_utime.tv_usec + r.ru_stime.tv_usec) * 1e3;
}

static void from_figures(struct cell *c, const struct blk_figures *f,
                         double cpu, unsigned long n)
{
    c->measured = true;
    c->ns = f->ns;
    c->exits = f->exits;
    c->insns = f->insns;
    c->cpu_ns = cpu / (double)n;
}

/* The disk workloads: one image, the same places, four systems. */
static int disk(struct pvhv *hv, const struct bench_opts *o,
                const struct workload *w, unsigned long n, struct cell *cells)
{
    const struct blk_case pv = {"pv", true, w->qd, 8, n, 0};
    const struct blk_case hvm = {"hvm", true, 1, 8, n, BLK_HVM_PIO};
    const struct blk_case hvm_dma = {"hvm", true, 1, 8, n, BLK_HVM_DMA};
    struct blk_figures f;
    struct qemu_figures q;
    char image[256], kernel[4096];
    double t;
    int rc = 0;

    cells[0] = (struct cell){.system = "pv",
                             .how = w->qd > 1 ? "blkif QD32" : "blkif QD1"};
    cells[1] = (struct cell){.system = "hvm", .how = "ATA PIO (QD1: no queue)"};
    cells[2] = (struct cell){.system = "hvm", .how = "ATA DMA (QD1: no queue)"};
    cells[3] = (struct cell){.system = "qemu", .how = "IDE PIO of -M pc (QD1)"};
    cells[4] = (struct cell){.system = "host", .how = "pread floor"};
    if (disk_make(image, sizeof(image)) < 0)
        return -1;
    t = cpu_ns(RUSAGE_SELF);
    if (blk_pv(hv, o, &pv, n, false, image, &f) == 0)
        from_figures(&cells[0], &f, cpu_ns(RUSAGE_SELF) - t, n);
    else
        rc = -1;
    t = cpu_ns(RUSAGE_SELF);
    if (blk_pv(hv, o, &hvm, n, false, image, &f) == 0)
        from_figures(&cells[1], &f, cpu_ns(RUSAGE_SELF) - t, n);
    else
        rc = -1;
    t = cpu_ns(RUSAGE_SELF);
    if (blk_pv(hv, o, &hvm_dma, n, false, image, &f) == 0)
        from_figures(&cells[2], &f, cpu_ns(RUSAGE_SELF) - t, n);
    else
        rc = -1;
    snprintf(kernel, sizeof(kernel), "%s/ide_pio/ide_pio.elf", o->guest_dir);
    t = cpu_ns(RUSAGE_CHILDREN);
    if (!qemu_path()) {
        snprintf(cells[3].why, sizeof(cells[3].why),
                 "qemu-system-x86_64 not installed");
    } else if (qemu_ide_pio(kernel, image, n, 8, &q) == 0) {
        /* QEMU's CPU time covers its two boots (with and without reads). */
        cells[3].measured = true;
        cells[3].ns = q.ns;
        cells[3].exits = q.exits;
        cells[3].insns = q.insns;
        cells[3].cpu_ns = (cpu_ns(RUSAGE_CHILDREN) - t) / (double)n;
        snprintf(cells[3].why, sizeof(cells[3].why), "%s", q.why);
    } else {
        snprintf(cells[3].why, sizeof(cells[3].why), "the QEMU run failed");
    }
    cells[4].ns = floor_pread_ns(image, true, 8 * 512, n);
    cells[4].measured = cells[4].ns > 0;
    cells[4].exits = cells[4].insns = cells[4].cpu_ns = -1;
    unlink(image);
    return rc;
}

static void num(FILE *f, double v, const char *fmt)
{
    if (v < 0)
        fputs("", f);
    else
        fprintf(f, fmt, v);
}

static void csv_row(FILE *f, const struct workload *w, const struct cell *c)
{
    fprintf(f, "%s,%s,%s,", w->name, c->system, c->how);
    if (!c->measured) {
        fprintf(f, ",,,,,\"%s\"\n", c->why);
        return;
    }
    fprintf(f, "%.3f,%.1f,", c->ns / 1e3, 1e9 / c->ns);
    num(f, c->exits, "%.2f");
    fputc(',', f);
    num(f, c->insns, "%.1f");
    fputc(',', f);
    num(f, c->cpu_ns / 1e3, "%.1f");
    fprintf(f, ",\"%s\"\n", c->why);
}

static void md_row(FILE *f, const struct workload *w, const struct cell *c)
{
    fprintf(f, "| %s | %s | %s | ", w->name, c->system, c->how);
    if (!c->measured) {
        fprintf(f, "- | - | - | - | - | %s |\n", c->why);
        return;
    }
    fprintf(f, "%.1f | %.0f %s | ", c->ns / 1e3, 1e9 / c->ns, w->unit);
    num(f, c->exits, "%.2f");
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

/* plot: one gnuplot chart per family, PNG and SVG; skipped without gnuplot. */
static void plot(const char *dir)
{
    static const char *const terms[][2] = {
        {"pngcairo size 900,500", "disk.png"},
        {"svg size 900,500", "disk.svg"},
    };
    char path[600], cmd[800];
    FILE *f;

    if (system("command -v gnuplot >/dev/null 2>&1") != 0) {
        fprintf(stderr, "pvbench: gnuplot not installed: no plots\n");
        return;
    }
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "%s/%s.gp", dir, terms[i][1]);
        f = fopen(path, "w");
        if (!f)
            return;
        fprintf(
            f,
            "set terminal %s\nset output '%s/%s'\n"
            "set datafile separator ','\nset style data histograms\n"
            "set termoption noenhanced\nset style fill solid\nset logscale y\nset xtics rotate by -30\n"
            "set ylabel 'us per 4 KiB read (lower is better)'\n"
            "set title 'disk: 4 KiB random reads'\n"
            "plot '%s/results.csv' every ::1 using 4:xtic(strcol(1).' '.strcol(2).' '.word(strcol(3), 2)) title 'time'\n",
            terms[i][0], dir, terms[i][1], dir);
        fclose(f);
        snprintf(cmd, sizeof(cmd), "gnuplot '%s' 2>/dev/null", path);
        if (system(cmd) != 0)
            fprintf(stderr, "pvbench: gnuplot failed for %s\n", terms[i][1]);
        unlink(path);
    }
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
    unsigned long n = o->iterations ? o->iterations : (c->quick ? 60 : 500);
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
        rc |= disk(hv, o, &workloads[i], n, cells[i]);
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
          "guest_insns_per_op,host_cpu_us_per_op,note\n",
          csv);
    fprintf(md, "# pvbench --compare (%lu operations each)\n\n", n);
    facts(md, c->argc, c->argv);
    fputs("\n| workload | system | how | us/op | throughput | exits/op | "
          "guest insns/op | host CPU us/op | note |\n"
          "|---|---|---|---|---|---|---|---|---|\n",
          md);
    for (size_t i = 0; i < NR_WORKLOADS; i++)
        for (int k = 0; done[i] && k < CELLS; k++) {
            csv_row(csv, &workloads[i], &cells[i][k]);
            md_row(md, &workloads[i], &cells[i][k]);
        }
    fclose(csv);
    fclose(md);
    plot(dir);
    snprintf(path, sizeof(path), "cat '%s/results.md'", dir);
    if (system(path) != 0)
        rc = -1;
    printf("\npvbench: results in %s/\n", dir);
    return rc;
}
