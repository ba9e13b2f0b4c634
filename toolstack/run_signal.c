/* SPDX-License-Identifier: MIT */
/* run_signal.c: `pvctl run`: wait for the domains; end them on a signal. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

/*
 * No signal handler: SIGINT and SIGTERM stay blocked in every thread (the
 * hypervisor's vCPU threads block them too) and the supervisor reads them
 * from a signalfd in its poll loop, so nothing runs in signal context.
 */

/* How far pvctl has gone in ending the domains. */
enum phase {
    PHASE_RUNNING, /* no signal yet */
    PHASE_ASKED,   /* asked to power off; destroyed at the deadline */
    PHASE_DESTROY, /* destroyed, waiting for their threads */
};

struct supervisor {
    struct run_domain *rds;
    size_t n;
    const struct run_opts *o;
    size_t running; /* domain threads not ended yet */
    enum phase phase;
    struct timespec deadline; /* CLOCK_MONOTONIC, in PHASE_ASKED */
};

int run_signal_block(void)
{
    static const int sigs[] = {SIGINT, SIGTERM};
    struct sigaction old;
    sigset_t set;
    size_t i;
    int fd;

    sigemptyset(&set);
    for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        /* Ignored when pvctl started (nohup, a shell's background job):
         * the one who started it wants it so; leave it ignored. */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaddset(&set, sigs[i]);
    }
    if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
        return -EINVAL;
    fd = signalfd(-1, &set, SFD_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

static void destroy_all(struct supervisor *s, const char *why)
{
    size_t i, count = 0;

    s->phase = PHASE_DESTROY;
    for (i = 0; i < s->n; i++)
        count += (size_t)run_domain_destroy(&s->rds[i]);
    if (count > 0) {
        fflush(stdout);
        fprintf(stderr, "pvctl: %s: destroying %zu domain(s)\n", why, count);
    }
}

/* ask_all: asks every running domain to power off; starts the grace. */
static void ask_all(struct supervisor *s)
{
    size_t i, count = 0;
    int ret;

    if (s->o->grace == 0) {
        destroy_all(s, "--grace 0");
        return;
    }
    s->phase = PHASE_ASKED;
    clock_gettime(CLOCK_MONOTONIC, &s->deadline);
    s->deadline.tv_sec += (time_t)s->o->grace;
    for (i = 0; i < s->n; i++) {
        ret = run_domain_ask_poweroff(&s->rds[i]);
        if (ret < 0) /* it cannot hear the request: no use waiting */
            run_domain_destroy(&s->rds[i]);
        else
            count += (size_t)ret;
    }
    if (count > 0) {
        fflush(stdout);
        fprintf(
            stderr,
            "pvctl: asking %zu domain(s) to power off (grace %lu s; signal again to destroy)\n",
            count, s->o->grace);
    }
}

/* timeout_ms: how long poll may sleep: until the deadline, or forever. */
static int timeout_ms(const struct supervisor *s)
{
    struct timespec now;
    long long ms;

    if (s->phase != PHASE_ASKED)
        return -1;
    clock_gettime(CLOCK_MONOTONIC, &now);
    ms = (long long)(s->deadline.tv_sec - now.tv_sec) * 1000 +
         (s->deadline.tv_nsec - now.tv_nsec + 999999) / 1000000;
    if (ms <= 0)
        return 0;
    return ms > INT_MAX ? INT_MAX : (int)ms;
}

static void on_signal(struct supervisor *s, int sig_fd)
{
    struct signalfd_siginfo si;

    if (read(sig_fd, &si, sizeof(si)) != (ssize_t)sizeof(si))
        return;
    if (s->phase == PHASE_RUNNING)
        ask_all(s);
    else if (s->phase == PHASE_ASKED)
        destroy_all(s, "second signal");
}

/* on_done: counts the threads that ended; one that failed ends all. */
static void on_done(struct supervisor *s, int done_fd)
{
    char bytes[64];
    ssize_t n, i;

    n = read(done_fd, bytes, sizeof(bytes));
    for (i = 0; i < n; i++) {
        s->running--;
        if (bytes[i] && s->phase == PHASE_RUNNING)
            ask_all(s);
    }
}

int run_signal_wait(const struct run_opts *o, struct run_domain *rds, size_t n,
                    int sig_fd, int done_fd)
{
    struct supervisor s = {rds, n, o, n, PHASE_RUNNING, {0, 0}};
    struct pollfd pfd[2];
    int ret = 0;

    while (s.running > 0) {
        pfd[0] = (struct pollfd){.fd = sig_fd, .events = POLLIN};
        pfd[1] = (struct pollfd){.fd = done_fd, .events = POLLIN};
        if (poll(pfd, 2, timeout_ms(&s)) < 0) {
            if (errno == EINTR)
                continue;
            ret = -errno;
            fprintf(stderr, "pvctl: waiting for the domains: %s\n",
                    strerror(errno));
            destroy_all(&s, "cannot wait for signals");
            break; /* the caller joins the threads, which now end */
        }
        if (pfd[0].revents & POLLIN)
            on_signal(&s, sig_fd);
        if (pfd[1].revents & POLLIN)
            on_done(&s, done_fd);
        if (s.phase == PHASE_ASKED && timeout_ms(&s) == 0) {
            char why[48];

            snprintf(why, sizeof(why), "grace of %lu s over", s.o->grace);
            destroy_all(&s, why);
        }
    }
    return ret;
}
