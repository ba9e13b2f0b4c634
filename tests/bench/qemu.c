/* SPDX-License-Identifier: MIT */
/*
 * qemu.c: the peer figures under QEMU's pc machine: a guest reading a disk
 * through its IDE by PIO, and the hvm console guest on its 16550 (output
 * throughput, boot to the first byte and the first boot marker).
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define QEMU_NAME "qemu-system-x86_64"
#define RUN_TIMEOUT_MS (300 * 1000)

const char *qemu_path(void)
{
    static char found[4096];
    const char *env = getenv("PVBENCH_QEMU"), *path = getenv("PATH");

    if (env && *env)
        return access(env, X_OK) == 0 ? env : NULL;
    for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
        size_t len = strcspn(p, ":");
        snprintf(found, sizeof(found), "%.*s/%s", (int)len, p, QEMU_NAME);
        if (len > 0 && access(found, X_OK) == 0)
            return found;
        p += len + (p[len] == ':');
    }
    return NULL;
}

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* One QEMU process: its console pipe, its QMP socket, what it printed. */
struct qemu_run {
    const char *guest; /* its name, for messages */
    pid_t pid;
    int out;      /* the guest's console (debugcon or COM1), read end */
    int marker;   /* the boot-marker FIFO (isa-debugcon at 0xea), or -1 */
    int qmp;      /* -1 until connected */
    char dir[64]; /* holds qmp.sock, stderr and the marker FIFO */
    char line[512];
    size_t len;
    double t_spawn, t_first; /* host clock: the fork, the first byte */
    double t_start, t_end;
    double t_mark[4]; /* the first write of boot-marker value 1 to 3 */
    int success;      /* "SUCCESS" seen */
    int tsc_seen;     /* "BENCH tsc N" seen: N in tsc_sum */
    uint64_t tsc_sum;
};

/*
 * The guest's devices, after the common arguments: (extra), up to a NULL,
 * then the PVH kernel and its firmware (qboot where asked).
 */
static int spawn(struct qemu_run *r, const char *qemu, const char *kernel,
                 const char *const *extra, const char *cmdline, bool qboot)
{
    char qmp[128], marker[128];
    const char *argv[48];
    int fds[2], k = 0;

    snprintf(qmp, sizeof(qmp), "unix:%s/qmp.sock,server=on,wait=off", r->dir);
    const char *common[] = {
        qemu,
        "-M",
        "pc",
        "-enable-kvm",
        "-cpu",
        "qemu64,pni=off",
        "-m",
        "64",
        "-nodefaults",
        "-no-user-config",
        "-display",
        "none",
        "-no-reboot",
        "-kernel",
        kernel,
        "-append",
        cmdline,
        "-device",
        "isa-debug-exit,iobase=0xf4,iosize=4",
        "-qmp",
        qmp,
        NULL,
    };
    for (int i = 0; common[i]; i++)
        argv[k++] = common[i];
    for (int i = 0; extra[i] && k < 40; i++)
        argv[k++] = extra[i];
    if (r->marker >= 0) { /* each write to 0xea: a byte in the FIFO */
        snprintf(marker, sizeof(marker), "file,id=marker,path=%s/marker",
                 r->dir);
        argv[k++] = "-chardev";
        argv[k++] = marker;
        argv[k++] = "-device";
        argv[k++] = "isa-debugcon,iobase=0xea,chardev=marker";
    }
    if (qboot) {
        argv[k++] = "-bios";
        argv[k++] = "qboot.rom";
    }
    argv[k] = NULL;
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -errno;
    r->t_spawn = now_ns();
    r->pid = fork();
    if (r->pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -errno;
    }
    if (r->pid == 0) {
        char err[128];
        snprintf(err, sizeof(err), "%s/stderr", r->dir);
        int null = open("/dev/null", O_RDWR);
        int errfd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(null, STDIN_FILENO);
        dup2(fds[1], STDOUT_FILENO);
        dup2(errfd >= 0 ? errfd : null, STDERR_FILENO);
        execv(qemu, (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    r->out = fds[0];
    return 0;
}

/* Connects to QMP and leaves command mode on; 0 or -1. */
static int qmp_connect(struct qemu_run *r)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    char buf[4096];
    snprintf(a.sun_path, sizeof(a.sun_path), "%s/qmp.sock", r->dir);
    for (int i = 0; i < 500 && r->qmp < 0; i++) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
            r->qmp = fd;
        else if (fd >= 0)
            close(fd);
        if (r->qmp < 0)
            usleep(10000);
    }
    if (r->qmp < 0)
        return -1;
    const char *caps = "{\"execute\": \"qmp_capabilities\"}\n";
    if (read(r->qmp, buf, sizeof(buf)) <= 0 ||
        write(r->qmp, caps, strlen(caps)) != (ssize_t)strlen(caps) ||
        read(r->qmp, buf, sizeof(buf)) <= 0)
        return -1;
    return 0;
}

/* Reads QMP lines into (buf) until one holds "return"; 0 or -1. */
static int qmp_reply(int fd, char *buf, size_t size)
{
    size_t got = 0;
    while (got + 1 < size) {
        ssize_t n = read(fd, buf + got, size - 1 - got);
        if (n <= 0)
            return -1;
        got += (size_t)n;
        buf[got] = '\0';
        char *ret = strstr(buf, "\"return\"");
        if (ret && strchr(ret, '\n'))
            return 0;
    }
    return -1;
}

/* The value of KVM statistic (name) in a query-stats reply, summed. */
static int stat_of(const char *reply, const char *name, uint64_t *v)
{
    char key[64];
    int found = 0;
    snprintf(key, sizeof(key), "\"name\": \"%s\"", name);
    *v = 0;
    for (const char *p = strstr(reply, key); p; p = strstr(p + 1, key)) {
        const char *val = strstr(p, "\"value\":");
        if (!val)
            break;
        *v += strtoull(val + 8, NULL, 10);
        found = 1;
    }
    return found ? 0 : -1;
}

/* query-stats for the vCPUs (KVM provider): exits and insn_emulation. */
static int qmp_counts(struct qemu_run *r, uint64_t *exits, uint64_t *insns)
{
    static char reply[1 << 16];
    const char *q = "{\"execute\": \"query-stats\", \"arguments\": "
                    "{\"target\": \"vcpu\", \"providers\": "
                    "[{\"provider\": \"kvm\"}]}}\n";
    if (r->qmp < 0 || write(r->qmp, q, strlen(q)) != (ssize_t)strlen(q) ||
        qmp_reply(r->qmp, reply, sizeof(reply)) < 0)
        return -1;
    return stat_of(reply, "exits", exits) < 0 ||
                   stat_of(reply, "insn_emulation", insns) < 0
               ? -1
               : 0;
}

static void console_line(struct qemu_run *r)
{
    r->line[r->len] = '\0';
    if (strcmp(r->line, "BENCH start") == 0)
        r->t_start = now_ns();
    else if (strcmp(r->line, "BENCH end") == 0)
        r->t_end = now_ns();
    else if (strcmp(r->line, "SUCCESS") == 0)
        r->success = 1;
    else if (strncmp(r->line, "BENCH tsc ", 10) == 0)
        r->tsc_seen = 1, r->tsc_sum = strtoull(r->line + 10, NULL, 10);
    else if (strncmp(r->line, "ABORT", 5) == 0)
        fprintf(stderr, "pvbench: %s under QEMU: %s\n", r->guest, r->line);
    r->len = 0;
}

/* Boot-marker bytes: each value's first arrival, on the host clock. */
static void read_markers(struct qemu_run *r, double t)
{
    uint8_t buf[64];
    ssize_t n = read(r->marker, buf, sizeof(buf));

    for (ssize_t i = 0; i < n; i++)
        if (buf[i] >= 1 && buf[i] <= 3 && r->t_mark[buf[i]] == 0)
            r->t_mark[buf[i]] = t;
}

/* Reads the console until SUCCESS, the end of output or the timeout. */
static void read_console(struct qemu_run *r)
{
    char buf[256];
    double deadline = now_ns() + RUN_TIMEOUT_MS * 1e6;
    while (!r->success && now_ns() < deadline) {
        struct pollfd p[2] = {{.fd = r->out, .events = POLLIN},
                              {.fd = r->marker, .events = POLLIN}};
        if (poll(p, r->marker >= 0 ? 2 : 1, 1000) < 0 && errno != EINTR)
            return;
        double t = now_ns();
        /* Markers first: a byte printed after one is read after it. */
        if (r->marker >= 0 && (p[1].revents & POLLIN))
            read_markers(r, t);
        if (!(p[0].revents & (POLLIN | POLLHUP)))
            continue;
        ssize_t n = read(r->out, buf, sizeof(buf));
        if (n <= 0)
            return;
        if (r->t_first == 0)
            r->t_first = t;
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n')
                console_line(r);
            else if (r->len + 1 < sizeof(r->line))
                r->line[r->len++] = buf[i];
        }
    }
}

static void finish(struct qemu_run *r)
{
    const char *quit = "{\"execute\": \"quit\"}\n";
    if (r->qmp >= 0 && write(r->qmp, quit, strlen(quit)) < 0)
        kill(r->pid, SIGKILL);
    for (int i = 0; i < 200 && waitpid(r->pid, NULL, WNOHANG) == 0; i++)
        usleep(10000);
    if (waitpid(r->pid, NULL, WNOHANG) == 0) {
        kill(r->pid, SIGKILL);
        waitpid(r->pid, NULL, 0);
    }
    if (r->qmp >= 0)
        close(r->qmp);
    close(r->out);
    if (r->marker >= 0)
        close(r->marker);
    char path[128], text[512];
    snprintf(path, sizeof(path), "%s/stderr", r->dir);
    /* What QEMU said, where the guest did not succeed: the reason. */
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 && !r->success ? read(fd, text, sizeof(text) - 1) : 0;
    if (n > 0) {
        text[n] = '\0';
        fprintf(stderr, "pvbench: %s said: %s", QEMU_NAME, text);
    }
    if (fd >= 0)
        close(fd);
    unlink(path);
    snprintf(path, sizeof(path), "%s/qmp.sock", r->dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/marker", r->dir);
    unlink(path);
    rmdir(r->dir);
}

/*
 * boot_one: one QEMU process with (extra) devices and (cmdline), run to
 * the guest's verdict; its counters read while it holds. qboot first,
 * then SeaBIOS where qboot is missing. 0, or -1 when it did not succeed.
 */
static int boot_one(const char *qemu, const char *kernel,
                    const char *const *extra, bool markers, const char *cmdline,
                    struct qemu_run *r, uint64_t *exits, uint64_t *insns,
                    int *counted)
{
    const char *guest =
        strrchr(kernel, '/') ? strrchr(kernel, '/') + 1 : kernel;

    for (int qboot = 1; qboot >= 0; qboot--) {
        char fifo[96];

        memset(r, 0, sizeof(*r));
        r->guest = guest;
        r->qmp = r->marker = -1;
        snprintf(r->dir, sizeof(r->dir), "/tmp/pvbench-qemu-XXXXXX");
        if (!mkdtemp(r->dir))
            return -1;
        /* Opened (no writer yet) before QEMU opens it to write. */
        snprintf(fifo, sizeof(fifo), "%s/marker", r->dir);
        if (markers &&
            (mkfifo(fifo, 0600) < 0 ||
             (r->marker = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)) {
            rmdir(r->dir);
            return -1;
        }
        if (spawn(r, qemu, kernel, extra, cmdline, qboot) < 0) {
            finish(r);
            return -1;
        }
        int connected = qmp_connect(r) == 0;
        read_console(r);
        *counted = connected && r->success && qmp_counts(r, exits, insns) == 0;
        finish(r);
        /* qboot (a small, fast firmware) may be missing: then SeaBIOS. */
        if (r->success || r->t_start > 0 || r->t_first > 0)
            break;
    }
    return r->success ? 0 : -1;
}

/*
 * One boot: n reads; its timed window and, where QMP gives them, the
 * vCPU's exits and emulated instructions once the guest holds (halted
 * for good after SUCCESS). 0, or -1 when the guest did not succeed.
 */
static int one_run(const char *qemu, const char *kernel, const char *image,
                   unsigned long n, unsigned int size, bool seq,
                   struct qemu_run *r, uint64_t *exits, uint64_t *insns,
                   int *counted)
{
    char cmdline[96], drive[4200];
    const char *extra[] = {"-drive", drive, "-debugcon", "stdio", NULL};

    snprintf(cmdline, sizeof(cmdline), "n=%lu size=%u seq=%d hold=1", n, size,
             seq);
    snprintf(drive, sizeof(drive),
             "file=%s,format=raw,if=ide,index=0,media=disk", image);
    if (boot_one(qemu, kernel, extra, false, cmdline, r, exits, insns,
                 counted) < 0)
        return -1;
    return r->t_end > r->t_start ? 0 : -1;
}

int qemu_ide_pio(const char *kernel, const char *image, unsigned long n,
                 unsigned int size, bool seq, struct qemu_figures *f)
{
    const char *qemu = qemu_path();
    struct qemu_run base, run;
    uint64_t e0 = 0, i0 = 0, e1 = 0, i1 = 0;
    int c0 = 0, c1 = 0;

    f->kvm_exits = f->insns = -1;
    snprintf(f->why, sizeof(f->why), "%s", "");
    if (!qemu || n == 0)
        return -1;
    if (one_run(qemu, kernel, image, 0, size, seq, &base, &e0, &i0, &c0) < 0 ||
        one_run(qemu, kernel, image, n, size, seq, &run, &e1, &i1, &c1) < 0)
        return -1;
    f->ns = (run.t_end - run.t_start) / (double)n;
    if (c0 && c1 && e1 >= e0 && i1 >= i0) {
        f->kvm_exits = (double)(e1 - e0) / (double)n;
        f->insns = (double)(i1 - i0) / (double)n;
    } else {
        snprintf(f->why, sizeof(f->why),
                 "kvm_exits and guest_insns: QMP query-stats gave no KVM "
                 "exits/insn_emulation for the vCPU");
    }
    return 0;
}

/*
 * One console boot: hvm_console with COM1 on our pipe and its boot-marker
 * writes seen (isa-debugcon at 0xea into a FIFO).
 */
static int console_boot(const char *qemu, const char *kernel, unsigned long n,
                        struct qemu_run *r, uint64_t *exits, uint64_t *insns,
                        int *counted)
{
    static const char *const extra[] = {"-serial", "stdio", NULL};
    char cmdline[64];

    snprintf(cmdline, sizeof(cmdline), "n=%lu hold=1", n);
    return boot_one(qemu, kernel, extra, true, cmdline, r, exits, insns,
                    counted);
}

int qemu_console(const char *kernel, unsigned long n,
                 struct qemu_console_figures *f)
{
    const char *qemu = qemu_path();
    struct qemu_run base, run;
    uint64_t e0 = 0, i0 = 0, e1 = 0, i1 = 0;
    int c0 = 0, c1 = 0;

    memset(f, 0, sizeof(*f));
    f->exits = f->insns = f->boot_exits = f->boot_insns = -1;
    if (!qemu)
        return -1;
    if (console_boot(qemu, kernel, 0, &base, &e0, &i0, &c0) < 0 ||
        base.t_first == 0 || base.t_mark[1] == 0)
        return -1;
    f->first_byte_ns = base.t_first - base.t_spawn;
    f->marker_ns = base.t_mark[1] - base.t_spawn;
    if (c0) {
        f->boot_exits = (double)e0;
        f->boot_insns = (double)i0;
    }
    if (n == 0)
        return 0;
    if (console_boot(qemu, kernel, n, &run, &e1, &i1, &c1) < 0 ||
        run.t_mark[3] <= run.t_mark[2] || run.t_mark[2] == 0)
        return -1;
    f->ns = (run.t_mark[3] - run.t_mark[2]) / (double)n;
    if (c0 && c1 && e1 >= e0 && i1 >= i0) {
        f->exits = (double)(e1 - e0) / (double)n;
        f->insns = (double)(i1 - i0) / (double)n;
    }
    return 0;
}

/* One boot of hvm_irq with bench=(n): its TSC sum and, where QMP gives
 * them, the vCPU's counters once it holds. 0, or -1 if it failed. */
static int timer_boot(const char *qemu, const char *kernel, unsigned long n,
                      unsigned long count, uint64_t *tsc, uint64_t *exits,
                      uint64_t *insns, int *counted)
{
    /* No disk: the guest's console is COM1. */
    static const char *const extra[] = {"-serial", "stdio", NULL};
    struct qemu_run r;
    char cmdline[96];

    snprintf(cmdline, sizeof(cmdline), "bench=%lu count=%lu hold=1", n, count);
    if (boot_one(qemu, kernel, extra, false, cmdline, &r, exits, insns,
                 counted) < 0)
        return -1;
    *tsc = r.tsc_sum;
    return r.tsc_seen ? 0 : -1;
}

int qemu_timer(const char *kernel, unsigned long n, unsigned long count,
               struct qemu_figures *f)
{
    const char *qemu = qemu_path();
    uint64_t t0, t1, e0 = 0, i0 = 0, e1 = 0, i1 = 0;
    int c0 = 0, c1 = 0;

    f->kvm_exits = f->insns = -1;
    snprintf(f->why, sizeof(f->why), "%s", "");
    if (!qemu || n == 0)
        return -1;
    /* One timer in the base boot, n + 1 in the other: n the difference. */
    if (timer_boot(qemu, kernel, 1, count, &t0, &e0, &i0, &c0) < 0 ||
        timer_boot(qemu, kernel, n + 1, count, &t1, &e1, &i1, &c1) < 0)
        return -1;
    f->ns = (double)t1 * 1e9 / tsc_hz() / (double)(n + 1);
    if (c0 && c1 && e1 >= e0 && i1 >= i0) {
        f->kvm_exits = (double)(e1 - e0) / (double)n;
        f->insns = (double)(i1 - i0) / (double)n;
    } else {
        snprintf(f->why, sizeof(f->why),
                 "kvm_exits and guest_insns: QMP query-stats gave no KVM "
                 "exits/insn_emulation for the vCPU");
    }
    return 0;
}
