/* SPDX-License-Identifier: MIT */
/* stat.c: `pvctl stat`: per domain, vCPU time, exits and hypercalls a second.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pvctl.h"
#include "verbs.h"

#define SEEN_MAX 4096

void stat_usage(FILE *out)
{
    fprintf(
        out,
        "Usage: pvctl stat [OPTIONS]\n"
        "\n"
        "Show, top-style, every domain of the daemon with what it used over each\n"
        "interval: CPU%% (its vCPUs' CPU time over the interval), its vCPU time\n"
        "in all, VM exits and hypercalls a second, and its state. Ends after\n"
        "--iterations, or at Ctrl-C.\n"
        "\n"
        "Options:\n"
        "  -d, --delay SECONDS   between two screens (default 1; 0.1 at least)\n"
        "  -n, --iterations N    screens to show (default: until interrupted)\n"
        "  -b, --batch           no screen clearing: one table after another\n"
        "  -h, --help            print this help and exit\n");
}

static const struct option opts[] = {
    {"delay", required_argument, NULL, 'd'},
    {"iterations", required_argument, NULL, 'n'},
    {"batch", no_argument, NULL, 'b'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* What a domain's boot had at the last screen. */
struct seen {
    uint32_t domid;
    uint64_t cpu_ns, exits, hypercalls;
};

struct screen {
    struct seen *before, *now;
    size_t nbefore, nnow;
    double dt; /* s since the last screen; 0 at the first */
};

static const struct seen *find(const struct screen *sc, uint32_t domid)
{
    for (size_t i = 0; i < sc->nbefore; i++)
        if (sc->before[i].domid == domid)
            return &sc->before[i];
    return NULL;
}

static bool row(void *ctx, const struct pvhv_control_domain *d)
{
    struct screen *sc = ctx;
    const struct seen *b = find(sc, d->domid);
    double cpu = 0, exits = 0, calls = 0;

    if (b && sc->dt > 0) {
        cpu = (double)(d->cpu_ns - b->cpu_ns) / 1e9 / sc->dt * 100;
        exits = (double)(d->exits - b->exits) / sc->dt;
        calls = (double)(d->hypercalls - b->hypercalls) / sc->dt;
    }
    printf("%-24s %5u %-8s %6.1f %10.2f %12.0f %12.0f\n", d->name, d->domid,
           verb_state_name(d->state), cpu, (double)d->cpu_ns / 1e9, exits,
           calls);
    if (sc->nnow < SEEN_MAX)
        sc->now[sc->nnow++] =
            (struct seen){d->domid, d->cpu_ns, d->exits, d->hypercalls};
    return true;
}

static double mono_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int stat_cmd(int argc, char **argv)
{
    struct screen sc = {calloc(SEEN_MAX, sizeof(struct seen)),
                        calloc(SEEN_MAX, sizeof(struct seen)), 0, 0, 0};
    double delay = 1, last = 0;
    unsigned long n = 0, i;
    struct pvctl_error err = {""};
    struct pvctl_session *s = NULL;
    bool batch = false;
    int c, code = PVCTL_EXIT_OK, rc = 0;
    char *end;

    optind = 1;
    while (code == PVCTL_EXIT_OK &&
           (c = getopt_long(argc, argv, "d:n:bh", opts, NULL)) != -1) {
        if (c == 'd') {
            delay = strtod(optarg, &end);
            if (*end || delay < 0.1 || delay > 3600)
                code = PVCTL_EXIT_USAGE;
        } else if (c == 'n') {
            n = strtoul(optarg, &end, 10);
            if (*end || n == 0)
                code = PVCTL_EXIT_USAGE;
        } else if (c == 'b') {
            batch = true;
        } else if (c == 'h') {
            stat_usage(stdout);
            code = -1;
        } else {
            code = PVCTL_EXIT_USAGE;
        }
    }
    if (code == PVCTL_EXIT_USAGE)
        fprintf(stderr, "%s: bad option or value\nTry '%s --help'.\n", argv[0],
                argv[0]);
    if (code == PVCTL_EXIT_OK && sc.before && sc.now && !(s = verb_open(&code)))
        goto out;
    for (i = 0; code == PVCTL_EXIT_OK && (n == 0 || i < n); i++) {
        double t = mono_s();
        struct seen *swap;

        sc.dt = last ? t - last : 0;
        last = t;
        if (!batch && isatty(STDOUT_FILENO))
            printf("\033[H\033[2J");
        printf("%-24s %5s %-8s %6s %10s %12s %12s\n", "NAME", "ID", "STATE",
               "CPU(%)", "VCPU(s)", "EXITS/s", "HYPERCALLS/s");
        sc.nnow = 0;
        rc = pvctl_session_list(s, row, &sc, &err);
        code = verb_fail(argv[0], rc, &err);
        swap = sc.before, sc.before = sc.now, sc.now = swap;
        sc.nbefore = sc.nnow;
        fflush(stdout);
        if (code == PVCTL_EXIT_OK && (n == 0 || i + 1 < n)) {
            struct timespec d = {(time_t)delay,
                                 (long)((delay - (time_t)delay) * 1e9)};
            nanosleep(&d, NULL);
        }
    }
out:
    pvctl_session_close(s);
    free(sc.before);
    free(sc.now);
    return code < 0 ? PVCTL_EXIT_OK : code;
}
