/* SPDX-License-Identifier: MIT */
/*
 * daemon.c: pvbench's figures of pvhvd: creating 100 hello domains through
 * it one after another and all at once, a control round trip against a
 * raw UNIX-socket echo, and the daemon's memory per running domain.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <uuid/uuid.h>

#include "bench.h"
#include "libpvctl/session.h"

#define DOMAINS 100
#define RSS_DOMAINS 50
#define RTT_ITERS 2000

struct daemon {
    pid_t pid;
    char dir[64], sock[96];
};

static double mono_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* daemon_start: pvhvd on a private socket; 0 once it answers, or -1. */
static int daemon_start(const char *pvhvd, struct daemon *dm)
{
    struct pvctl_session *s;
    struct pvctl_error err;

    snprintf(dm->dir, sizeof(dm->dir), "/tmp/pvbench.XXXXXX");
    if (!mkdtemp(dm->dir))
        return -1;
    snprintf(dm->sock, sizeof(dm->sock), "%s/pvhvd.sock", dm->dir);
    dm->pid = fork();
    if (dm->pid == 0) {
        int null = open("/dev/null", O_WRONLY);

        dup2(null, STDERR_FILENO);
        execl(pvhvd, "pvhvd", "--socket", dm->sock, "--grace", "0", NULL);
        _exit(127);
    }
    for (int i = 0; i < 200; i++) {
        if (pvctl_session_connect(&s, dm->sock, &err) == 0) {
            pvctl_session_close(s);
            return 0;
        }
        usleep(10000);
    }
    kill(dm->pid, SIGKILL);
    waitpid(dm->pid, NULL, 0);
    return -1;
}

static void daemon_stop(struct daemon *dm)
{
    kill(dm->pid, SIGTERM);
    waitpid(dm->pid, NULL, 0);
    rmdir(dm->dir);
}

/* create: one domain (name) of (kernel) through (s); 0 or -1. */
static int create(struct pvctl_session *s, const char *kernel, const char *name,
                  const char *cmdline)
{
    static __thread struct pvhv_control_create c;
    struct pvctl_error err = {""};
    int fd = open(kernel, O_RDONLY | O_CLOEXEC), rc;

    memset(&c, 0, sizeof(c));
    snprintf(c.name, sizeof(c.name), "%s", name);
    uuid_generate(c.uuid);
    c.memory = 4 << 20;
    c.vcpus = 1;
    snprintf(c.kernel, sizeof(c.kernel), "%s", kernel);
    snprintf(c.xml, sizeof(c.xml), "pvbench");
    snprintf(c.cmdline, sizeof(c.cmdline), "%s", cmdline);
    rc = pvctl_session_domain(s, PVHV_CONTROL_CREATE, &c, sizeof(c), &fd, 1,
                              NULL, &err);
    close(fd);
    if (rc)
        fprintf(stderr, "pvbench: create %s: %s\n", name, err.msg);
    return rc ? -1 : 0;
}

static bool count_one(void *ctx, const struct pvhv_control_domain *d)
{
    (void)d;
    ++*(unsigned int *)ctx;
    return true;
}

/* domains: how many the daemon holds now. */
static unsigned int domains(struct pvctl_session *s)
{
    struct pvctl_error err;
    unsigned int n = 0;

    pvctl_session_list(s, count_one, &n, &err);
    return n;
}

struct worker {
    const char *sock, *kernel;
    int index, rc;
    double done_ns;
};

static void *create_thread(void *opaque)
{
    struct worker *w = opaque;
    struct pvctl_session *s;
    struct pvctl_error err;
    char name[32];

    w->rc = -1;
    if (pvctl_session_connect(&s, w->sock, &err) != 0)
        return NULL;
    snprintf(name, sizeof(name), "hello-%d", w->index);
    w->rc = create(s, w->kernel, name, "greeting=hi");
    w->done_ns = mono_ns();
    pvctl_session_close(s);
    return NULL;
}

int bench_create_100(const char *pvhvd, const char *hello, bool parallel)
{
    static struct worker w[DOMAINS];
    static pthread_t t[DOMAINS];
    const char *metric = parallel ? "create_100_parallel" : "create_100_serial";
    struct pvctl_session *s;
    struct pvctl_error err;
    struct daemon dm;
    double t0, last = 0, sum = 0;
    int failed = 0;
    char name[32];

    if (daemon_start(pvhvd, &dm) < 0 ||
        pvctl_session_connect(&s, dm.sock, &err) != 0) {
        emit_skipped(metric, "pvhvd did not start (no /dev/kvm?)");
        return 0;
    }
    t0 = mono_ns();
    for (int i = 0; i < DOMAINS; i++) {
        w[i] = (struct worker){dm.sock, hello, i, 0, 0};
        if (parallel) {
            failed |= pthread_create(&t[i], NULL, create_thread, &w[i]) != 0;
            continue;
        }
        double a = mono_ns();
        snprintf(name, sizeof(name), "hello-%d", i);
        failed |= create(s, hello, name, "greeting=hi");
        sum += mono_ns() - a;
        last = mono_ns();
    }
    for (int i = 0; parallel && i < DOMAINS; i++) {
        pthread_join(t[i], NULL);
        failed |= w[i].rc;
        last = w[i].done_ns > last ? w[i].done_ns : last;
    }
    /* Each runs once create returns: the last return is the last running. */
    if (parallel)
        sum = last - t0;
    while (domains(s) > 0) /* they power off; then the next run is clean */
        usleep(10000);
    pvctl_session_close(s);
    daemon_stop(&dm);
    if (failed)
        return -1;
    printf("{\"metric\": \"%s\", \"value\": %.3f, \"unit\": \"ms\", "
           "\"per_domain_ms\": %.3f, \"domains\": %d}\n",
           metric, (last - t0) / 1e6, sum / DOMAINS / 1e6, DOMAINS);
    fflush(stdout);
    return 0;
}

/* echo: what comes back, until the socket closes (the floor's peer). */
static void echo(int fd)
{
    char buf[256];
    ssize_t n;

    while ((n = read(fd, buf, sizeof(buf))) > 0)
        if (write(fd, buf, (size_t)n) != n)
            break;
}

/*
 * echo_floor_ns: a request of a list's size (header and payload) and as
 * long a reply over a UNIX stream socket to another process, as pvctl
 * and pvhvd are: what a round trip costs with nothing done.
 */
static double echo_floor_ns(void)
{
    struct pvhv_control_hdr h = control_header(PVHV_CONTROL_LIST, 0, 8);
    char buf[24], back[24];
    double best = 1e18;
    pid_t pid;
    int sv[2];

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        close(sv[0]);
        echo(sv[1]);
        _exit(0);
    }
    close(sv[1]);
    memcpy(buf, &h, sizeof(h));
    memset(buf + sizeof(h), 0, sizeof(buf) - sizeof(h));
    for (int round = 0; round < 3 && pid > 0; round++) {
        double a = mono_ns();

        for (int i = 0; i < RTT_ITERS; i++)
            if (write(sv[0], buf, sizeof(buf)) != sizeof(buf) ||
                read(sv[0], back, sizeof(back)) != sizeof(back))
                break;
        a = (mono_ns() - a) / RTT_ITERS;
        best = a < best ? a : best;
    }
    close(sv[0]);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    return pid > 0 ? best : -1;
}

int bench_control_rtt(const char *pvhvd, const char *hello)
{
    struct pvctl_session *s;
    struct pvctl_error err;
    struct daemon dm;
    double best = 1e18, floor = echo_floor_ns();

    (void)hello;
    if (daemon_start(pvhvd, &dm) < 0 ||
        pvctl_session_connect(&s, dm.sock, &err) != 0) {
        emit_skipped("control_rtt", "pvhvd did not start (no /dev/kvm?)");
        return 0;
    }
    for (int round = 0; round < 3; round++) {
        double a = mono_ns();

        for (int i = 0; i < RTT_ITERS; i++)
            domains(s);
        a = (mono_ns() - a) / RTT_ITERS;
        best = a < best ? a : best;
    }
    pvctl_session_close(s);
    daemon_stop(&dm);
    emit_value("control_rtt", "us", best / 1e3, floor / 1e3, -1, KVM_EXITS_NONE,
               INSNS_NONE);
    return 0;
}

/* rss_kib: (key) of /proc/(pid)/status, in KiB; -1 when missing. */
static long status_kib(pid_t pid, const char *key)
{
    char path[64], line[256];
    long v = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    f = fopen(path, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, key, strlen(key)) == 0)
            v = strtol(line + strlen(key) + 1, NULL, 10);
    fclose(f);
    return v;
}

int bench_daemon_rss(const char *pvhvd, const char *life)
{
    struct pvctl_session *s;
    struct pvctl_error err;
    struct daemon dm;
    long anon0, anon1, shm1, file0, file1;
    char name[32];
    int failed = 0;

    if (daemon_start(pvhvd, &dm) < 0 ||
        pvctl_session_connect(&s, dm.sock, &err) != 0) {
        emit_skipped("daemon_rss_per_domain",
                     "pvhvd did not start (no /dev/kvm?)");
        return 0;
    }
    anon0 = status_kib(dm.pid, "RssAnon:");
    file0 = status_kib(dm.pid, "RssFile:");
    for (int i = 0; i < RSS_DOMAINS; i++) {
        snprintf(name, sizeof(name), "idle-%d", i);
        failed |= create(s, life, name, "");
    }
    usleep(500000); /* every one booted and idle */
    anon1 = status_kib(dm.pid, "RssAnon:");
    file1 = status_kib(dm.pid, "RssFile:");
    shm1 = status_kib(dm.pid, "RssShmem:");
    pvctl_session_close(s);
    daemon_stop(&dm);
    if (failed || anon0 < 0)
        return -1;
    /* Guest RAM is a memfd (RssShmem): what is beyond it is the rest. */
    printf("{\"metric\": \"daemon_rss_per_domain\", \"value\": %.1f, "
           "\"unit\": \"KiB\", \"target\": 512, \"domains\": %d, "
           "\"guest_ram_resident_kib_per_domain\": %.1f}\n",
           (double)(anon1 - anon0 + file1 - file0) / RSS_DOMAINS, RSS_DOMAINS,
           (double)shm1 / RSS_DOMAINS);
    fflush(stdout);
    return 0;
}

int bench_pvhvd(const char *example_dir, const char *guest_dir, int which)
{
    char hello[4096], life[4096];

    snprintf(hello, sizeof(hello), "%s/hello/hello.elf", example_dir);
    snprintf(life, sizeof(life), "%s/lifecycle/lifecycle.elf", guest_dir);
    if (which < 2)
        return bench_create_100(PVBENCH_PVHVD, hello, which == 1);
    return which == 2 ? bench_control_rtt(PVBENCH_PVHVD, hello)
                      : bench_daemon_rss(PVBENCH_PVHVD, life);
}
