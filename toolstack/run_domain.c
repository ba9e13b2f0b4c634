/* SPDX-License-Identifier: MIT */
/* run_domain.c: `pvctl run`: one domain's boots, from first to last. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libpvctl/host.h"
#include "pvctl.h"
#include "run.h"

/* What one boot of the domain came to. */
struct boot {
    unsigned int id;
    struct pvhv_domain_result res;
};

/*
 * status: a pvctl status line on stderr, after the console's pending
 * output, written with one write() so that lines from other domains'
 * threads never land inside it.
 */
static void status(const struct run_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void status(const struct run_opts *o, const char *fmt, ...)
{
    char line[PIPE_BUF];
    va_list ap;
    int n;

    if (o->quiet)
        return;
    fflush(stdout);
    memcpy(line, "pvctl: ", 7);
    va_start(ap, fmt);
    n = vsnprintf(line + 7, sizeof(line) - 8, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    n = 7 + (n < (int)sizeof(line) - 8 ? n : (int)sizeof(line) - 9);
    line[n++] = '\n';
    while (write(STDERR_FILENO, line, (size_t)n) < 0 && errno == EINTR)
        continue;
}

static void size_text(uint64_t bytes, char *buf, size_t len)
{
    if (bytes % (1ULL << 30) == 0)
        snprintf(buf, len, "%" PRIu64 " GiB", bytes >> 30);
    else if (bytes % (1ULL << 20) == 0)
        snprintf(buf, len, "%" PRIu64 " MiB", bytes >> 20);
    else
        snprintf(buf, len, "%" PRIu64 " KiB", bytes >> 10);
}

static void config_from(const struct run_domain *rd,
                        struct pvhv_domain_config *cfg)
{
    const struct domain_def *def = rd->def;

    memset(cfg, 0, sizeof(*cfg));
    cfg->name = def->name;
    memcpy(cfg->uuid, def->uuid, sizeof(cfg->uuid));
    /* <memory> is the RAM, the most the domain may hold; <currentMemory>
     * what its balloon driver is asked to keep (memory/target), as xl
     * makes of maxmem and memory. */
    cfg->memory = def->memory;
    cfg->target_memory = def->current_memory;
    cfg->vcpus = def->vcpus;
    cfg->kernel = pvhv_file_fd(rd->files->kernel, def->kernel);
    cfg->cmdline = def->cmdline;
    /* NULL: a lone domain's console streams to stdout as it comes. */
    cfg->console = rd->console ? run_console_write : NULL;
    cfg->console_opaque = rd->console;
    cfg->exec_mode = rd->o->exec_mode;
    cfg->max_event_channels = def->max_event_channels; /* 0: default */
    cfg->max_grant_frames = def->max_grant_frames;     /* 0: default */
    cfg->disks = rd->disks;
    cfg->nr_disks = def->nr_disks;
}

int run_domain_init(struct run_domain *rd, const char *xml,
                    struct domain_def *def, const struct domain_files *files,
                    const struct run_opts *o, struct pvhv *hv, int done_fd)
{
    unsigned int i;

    memset(rd, 0, sizeof(*rd));
    rd->xml = xml;
    rd->def = def;
    rd->files = files;
    rd->o = o;
    rd->hv = hv;
    rd->done_fd = done_fd;
    rd->code = PVCTL_EXIT_OK;
    for (i = 0; i < def->nr_disks; i++) {
        const struct domain_disk *dd = &def->disks[i];

        rd->disks[i] = (struct pvhv_disk){
            .image = pvhv_file_fd(files->disks[i], dd->path),
            .vdev = dd->vdev,
            .readonly = dd->readonly,
            .block = dd->block,
        };
    }
    if (o->nxml > 1) {
        rd->console = calloc(1, sizeof(*rd->console));
        if (!rd->console)
            return -ENOMEM;
        rd->console->name = def->name;
    }
    pthread_mutex_init(&rd->lock, NULL);
    return 0;
}

void run_domain_fini(struct run_domain *rd)
{
    if (rd->d) /* created, never started: nothing else holds it */
        pvhv_domain_destroy(rd->d);
    rd->d = NULL;
    free(rd->console);
    pthread_mutex_destroy(&rd->lock);
}

/*
 * create: makes the next boot and publishes it in rd->d, unless pvctl is
 * ending the domain. Returns 0, 1 when it is ending, or -errno (reported).
 */
static int create(struct run_domain *rd)
{
    struct pvhv_domain_config cfg;
    struct pvhv_error err = {""};
    struct domain *d = NULL;
    int ret = 1;

    config_from(rd, &cfg);
    /* Under the lock: a stop request sees either no boot or this one. */
    pthread_mutex_lock(&rd->lock);
    if (!rd->stop)
        ret = pvhv_domain_create(rd->hv, &cfg, &d, &err);
    if (ret == 0) {
        rd->d = d;
        rd->id = pvhv_domain_id(d);
    }
    pthread_mutex_unlock(&rd->lock);
    if (ret < 0) {
        host_note_fd_limit(ret, err.msg, sizeof(err.msg));
        fprintf(stderr, "pvctl: %s: %s\n", rd->xml, err.msg);
        snprintf(rd->summary, sizeof(rd->summary), "could not be created: %s",
                 err.msg);
    }
    return ret;
}

int run_domain_create(struct run_domain *rd)
{
    return create(rd) < 0 ? -EIO : 0;
}

/*
 * boot_once: runs the boot that create made until it ends, then frees it.
 * Returns 0 or -errno (reported).
 */
static int boot_once(struct run_domain *rd, struct boot *b)
{
    const struct domain_def *def = rd->def;
    struct pvhv_error err = {""};
    struct domain *d = rd->d;
    char size[32];
    int ret;

    b->id = rd->id;
    size_text(def->current_memory, size, sizeof(size));
    status(rd->o, "domain '%s' (id %u) starting: %u vCPU%s, %s, kernel %s",
           def->name, b->id, def->vcpus, def->vcpus == 1 ? "" : "s", size,
           def->kernel);
    ret = pvhv_domain_start(d, &err);
    if (ret) {
        fprintf(stderr, "pvctl: %s: %s\n", rd->xml, err.msg);
        snprintf(rd->summary, sizeof(rd->summary), "could not be started: %s",
                 err.msg);
    } else {
        pvhv_domain_wait(d, &b->res);
    }
    pthread_mutex_lock(&rd->lock);
    rd->d = NULL;
    pthread_mutex_unlock(&rd->lock);
    pvhv_domain_destroy(d); /* joins the vCPUs: no console output after */
    if (rd->console)
        run_console_flush(rd->console);
    return ret;
}

static void report_crash(const struct domain_def *def, const struct boot *b)
{
    char regs[2048];

    fflush(stdout);
    fprintf(stderr, "pvctl: domain '%s' (id %u) crashed: %s\n", def->name,
            b->id,
            b->res.reason[0] ? b->res.reason : pvhv_end_name(b->res.end));
    if (!b->res.have_regs)
        return;
    pvhv_regs_format(&b->res.regs, regs, sizeof(regs));
    fprintf(stderr, "pvctl: vCPU %u registers:\n%s%s", b->res.vcpu, regs,
            regs[0] && regs[strlen(regs) - 1] == '\n' ? "" : "\n");
}

/*
 * decide: what to do after boot (b) ended: the action in (act), and the exit
 * status pvctl has if that action is destroy.
 */
static int decide(const struct run_domain *rd, const struct boot *b,
                  enum domain_action *act)
{
    const struct domain_def *def = rd->def;
    const char *end = pvhv_end_name(b->res.end);

    switch (b->res.end) {
    case PVHV_END_POWEROFF:
        status(rd->o, "domain '%s' (id %u) powered off", def->name, b->id);
        *act = def->on_poweroff;
        return PVCTL_EXIT_OK;
    case PVHV_END_REBOOT:
    case PVHV_END_SOFT_RESET:
        status(rd->o, "domain '%s' (id %u) ended: %s", def->name, b->id, end);
        *act = def->on_reboot;
        return PVCTL_EXIT_OK;
    case PVHV_END_CRASH:
    case PVHV_END_WATCHDOG:
        report_crash(def, b);
        *act = def->on_crash;
        return PVCTL_EXIT_CRASH;
    case PVHV_END_DESTROYED: /* only pvctl destroys: it did not stop */
        status(rd->o, "domain '%s' (id %u) destroyed", def->name, b->id);
        *act = DOMAIN_ACTION_DESTROY;
        return PVCTL_EXIT_INTERRUPTED;
    default:
        fprintf(
            stderr,
            "pvctl: domain '%s' (id %u) ended: %s, which pvctl run cannot resume\n",
            def->name, b->id, end);
        *act = DOMAIN_ACTION_DESTROY;
        return PVCTL_EXIT_CRASH;
    }
}

/* summarize: how boot (b) ended, in the words of the last line. */
static void summarize(struct run_domain *rd, const struct boot *b,
                      unsigned long boots, const char *why)
{
    const char *end = pvhv_end_name(b->res.end);
    char restarts[48] = "";

    if (boots > 1)
        snprintf(restarts, sizeof(restarts), " after %lu restart%s", boots - 1,
                 boots == 2 ? "" : "s");
    if (b->res.end == PVHV_END_CRASH)
        snprintf(rd->summary, sizeof(rd->summary), "crashed: %.200s%s%s",
                 b->res.reason[0] ? b->res.reason : end, restarts, why);
    else
        snprintf(rd->summary, sizeof(rd->summary), "%s%s%s", end, restarts,
                 why);
}

/* add_stats: adds boot (boots) (1 for the first) to (total). */
static void add_stats(struct pvhv_stats *total, const struct pvhv_stats *s,
                      unsigned long boots)
{
    total->exits += s->exits;
    total->exits_io += s->exits_io;
    total->hypercalls += s->hypercalls;
    total->console_dropped += s->console_dropped;
    total->native = s->native;
    /* A sum is counted only when every boot's part was. */
    total->guest_insns_counted =
        s->guest_insns_counted && (boots == 1 || total->guest_insns_counted);
    total->guest_insns += s->guest_insns;
}

static void print_stats(const struct run_domain *rd,
                        const struct pvhv_stats *st, unsigned long boots)
{
    if (!rd->o->stats)
        return;
    fflush(stdout);
    /* key=value, summed over all boots: easy to read for scripts too.
     * guest_insns only where the host counts them (pvhv_stats). */
    char insns[40] = "";
    if (st->guest_insns_counted)
        snprintf(insns, sizeof(insns), " guest_insns=%" PRIu64,
                 st->guest_insns);
    fprintf(stderr,
            "pvctl: domain '%s' stats: boots=%lu exits=%" PRIu64
            " io_exits=%" PRIu64 " hypercalls=%" PRIu64
            "%s exec=%s console_dropped=%" PRIu64 "\n",
            rd->def->name, boots, st->exits, st->exits_io, st->hypercalls,
            insns, st->native ? "native" : "default", st->console_dropped);
}

/* restart_refused: true, reported, when (rd) may not boot once more. */
static bool restart_refused(struct run_domain *rd, const struct boot *b,
                            unsigned long boots)
{
    if (boots <= rd->o->max_restarts)
        return false;
    fprintf(
        stderr,
        "pvctl: domain '%s' (id %u) not restarted: restart limit reached (--max-restarts %lu)\n",
        rd->def->name, b->id, rd->o->max_restarts);
    return true;
}

/* ending: pvctl is ending (rd): no more boots. */
static bool ending(struct run_domain *rd)
{
    bool stop;

    pthread_mutex_lock(&rd->lock);
    stop = rd->stop;
    pthread_mutex_unlock(&rd->lock);
    return stop;
}

/*
 * next_boot: after boot (b) (the boots-th) ended: false when the domain
 * ends for good (rd->code and rd->summary say how), true to boot again.
 */
static bool next_boot(struct run_domain *rd, const struct boot *b,
                      unsigned long boots)
{
    enum domain_action act;
    const char *why = "";

    rd->code = decide(rd, b, &act);
    if (act == DOMAIN_ACTION_RESTART && ending(rd)) {
        why = " (not restarted: pvctl is ending)";
    } else if (act == DOMAIN_ACTION_RESTART && restart_refused(rd, b, boots)) {
        rd->code = PVCTL_EXIT_CRASH;
        why = " (restart limit reached)";
    }
    summarize(rd, b, boots, why);
    if (act == DOMAIN_ACTION_DESTROY || why[0])
        return false;
    status(rd->o, "domain '%s' restarting (restart %lu of at most %lu)",
           rd->def->name, boots, rd->o->max_restarts);
    return true;
}

/* run_loop: boots the domain until it ends for good; sets rd->code. */
static void run_loop(struct run_domain *rd)
{
    struct pvhv_stats total = {0};
    unsigned long boots;
    struct boot b;
    int ret;

    for (boots = 1;; boots++) {
        memset(&b, 0, sizeof(b));
        /* The first boot was made by run_domain_create. */
        ret = boots > 1 ? create(rd) : 0;
        if (ret == 0)
            ret = boot_once(rd, &b);
        if (ret < 0)
            rd->code = PVCTL_EXIT_HOST; /* reported, summary set */
        if (ret != 0) /* > 0: pvctl ended it between two boots */
            break;
        add_stats(&total, &b.res.stats, boots);
        if (!next_boot(rd, &b, boots))
            break;
    }
    print_stats(rd, &total, boots);
}

static void *domain_thread(void *opaque)
{
    struct run_domain *rd = opaque;
    char byte;

    run_loop(rd);
    /* The supervisor counts ends, and ends the others when one could not
     * run; the pipe holds 4096 bytes, far more than the domains. */
    byte = rd->code == PVCTL_EXIT_HOST;
    while (write(rd->done_fd, &byte, 1) < 0 && errno == EINTR)
        ;
    return NULL;
}

int run_domain_start(struct run_domain *rd)
{
    int ret = pthread_create(&rd->thread, NULL, domain_thread, rd);

    if (ret) {
        fprintf(stderr, "pvctl: %s: cannot start a thread: %s\n", rd->xml,
                strerror(ret));
        return -ret;
    }
    rd->thread_started = true;
    return 0;
}

void run_domain_join(struct run_domain *rd)
{
    if (rd->thread_started)
        pthread_join(rd->thread, NULL);
    rd->thread_started = false;
}

int run_domain_ask_poweroff(struct run_domain *rd)
{
    unsigned int id = 0;
    int ret = 0;

    pthread_mutex_lock(&rd->lock);
    rd->stop = true;
    if (rd->d) {
        id = rd->id;
        ret = pvhv_domain_shutdown_request(rd->d, "poweroff");
        ret = ret < 0 ? ret : 1;
    }
    pthread_mutex_unlock(&rd->lock);
    if (ret < 0)
        fprintf(stderr,
                "pvctl: domain '%s' (id %u): cannot ask it to power off: %s\n",
                rd->def->name, id, strerror(-ret));
    return ret;
}

int run_domain_destroy(struct run_domain *rd)
{
    int ret = 0;

    pthread_mutex_lock(&rd->lock);
    rd->stop = true;
    if (rd->d) {
        /* Stops it only: its thread, waiting in pvhv_domain_wait, wakes
         * with PVHV_END_DESTROYED and frees it. */
        pvhv_domain_stop(rd->d);
        ret = 1;
    }
    pthread_mutex_unlock(&rd->lock);
    return ret;
}
