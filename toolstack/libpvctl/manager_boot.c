/* SPDX-License-Identifier: MIT */
/* manager_boot.c: a record's thread: its boots, from the first to the last. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host.h"
#include "manager_internal.h"

/* What one boot came to. */
struct boot {
    unsigned int id;
    struct pvhv_domain_result res;
};

void mdom_say(struct manager *m, bool status, const char *fmt, ...)
{
    char line[PVHV_ERR_MAX + 4096];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (m->o.say)
        m->o.say(m->o.opaque, status, line);
}

static void changed(struct mdom *md)
{
    if (md->m->o.changed)
        md->m->o.changed(md->m->o.opaque, md);
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

static void config_from(struct mdom *md, struct pvhv_domain_config *cfg)
{
    const struct pvhv_control_create *s = &md->spec;
    const struct manager_opts *o = &md->m->o;

    memset(cfg, 0, sizeof(*cfg));
    cfg->name = s->name;
    memcpy(cfg->uuid, s->uuid, sizeof(cfg->uuid));
    /* <memory> is the RAM, <currentMemory> the balloon's target, as xl
     * makes of maxmem and memory. */
    cfg->memory = s->memory;
    cfg->target_memory = s->target_memory;
    cfg->vcpus = s->vcpus;
    cfg->kernel = pvhv_file_fd(md->fds[0], s->kernel);
    if (s->initrd[0]) /* after the disks (pvabi/control.h) */
        cfg->initrd = pvhv_file_fd(md->fds[1 + s->nr_disks], s->initrd);
    cfg->cmdline = s->cmdline;
    cfg->hvm = (s->flags & PVHV_CONTROL_CREATE_HVM) != 0;
    cfg->console = md->con.write;
    cfg->console_opaque = md->con.opaque;
    cfg->console_buffer = o->console_buffer;
    cfg->log_buffer = o->log_buffer;
    cfg->exec_mode = s->exec_mode == PVHV_CONTROL_EXEC_NATIVE
                         ? PVHV_EXEC_NATIVE
                         : PVHV_EXEC_DEFAULT;
    cfg->max_event_channels = s->max_event_channels; /* 0: default */
    cfg->max_grant_frames = s->max_grant_frames;     /* 0: default */
    cfg->disks = md->disks;
    cfg->nr_disks = s->nr_disks;
}

static uint64_t realtime_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_REALTIME, &t);
    return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

int mdom_create_boot(struct mdom *md, struct pvhv_error *err)
{
    struct pvhv_domain_config cfg;
    struct domain *d = NULL;
    int ret = 1;

    config_from(md, &cfg);
    /* Under the lock: a stop request sees either no boot or this one. */
    pthread_mutex_lock(&md->lock);
    if (!md->stop)
        ret = pvhv_domain_create(md->m->o.hv, &cfg, &d, err);
    if (ret == 0) {
        md->d = d;
        md->id = pvhv_domain_id(d);
        md->created_ns = realtime_ns();
        md->end[0] = '\0';
    }
    pthread_mutex_unlock(&md->lock);
    if (ret < 0) {
        host_note_fd_limit(ret, err->msg, sizeof(err->msg));
        /* The first boot's error goes back to who asked (manager_add). */
        if (md->boots > 1)
            mdom_say(md->m, false, "%s: %s", md->spec.xml, err->msg);
        snprintf(md->summary, sizeof(md->summary), "could not be created: %s",
                 err->msg);
    }
    return ret;
}

/* first_started: the first boot has started, or failed to (rc). */
static void first_started(struct mdom *md, int rc, const char *why)
{
    pthread_mutex_lock(&md->lock);
    if (!md->started) {
        md->started = true;
        md->start_rc = rc;
        snprintf(md->start_err, sizeof(md->start_err), "%.*s",
                 (int)sizeof(md->start_err) - 1, why);
        pthread_cond_broadcast(&md->cond);
    }
    pthread_mutex_unlock(&md->lock);
}

/* unpublish: (md)'s boot is gone: no one reaches it any more. */
static void unpublish(struct mdom *md)
{
    pthread_mutex_lock(&md->lock);
    md->d = NULL;
    md->preserved = false;
    pthread_mutex_unlock(&md->lock);
}

/*
 * start_and_wait: starts the boot create made and waits for its end.
 * Returns 0 or -errno (reported).
 */
static int start_and_wait(struct mdom *md, struct boot *b)
{
    const struct pvhv_control_create *s = &md->spec;
    struct pvhv_error err = {""};
    struct domain *d = md->d;
    char size[32];
    int ret = 0;

    b->id = md->id;
    size_text(s->memory, size, sizeof(size));
    mdom_say(md->m, true,
             "domain '%s' (id %u) starting: %u vCPU%s, %s, kernel %s", s->name,
             b->id, s->vcpus, s->vcpus == 1 ? "" : "s", size, s->kernel);
    if (md->boots == 1 && md->paused_start)
        ret = pvhv_domain_pause(d);
    if (ret == 0)
        ret = pvhv_domain_start(d, &err);
    first_started(md, ret, err.msg);
    if (ret) {
        mdom_say(md->m, false, "%s: %s", s->xml, err.msg);
        snprintf(md->summary, sizeof(md->summary), "could not be started: %s",
                 err.msg);
        return ret;
    }
    changed(md);
    pvhv_domain_wait(d, &b->res);
    return 0;
}

/*
 * keep_output: copies what the boot's kept console holds, so that its
 * readers can finish reading it after the domain is gone.
 */
static void keep_output(struct mdom *md, struct domain *d)
{
    size_t cap = md->m->o.console_buffer, n = 0, got;
    char *data = cap ? malloc(cap) : NULL;
    uint64_t pos = 0, lost = 0;

    if (!data)
        return;
    while (n < cap &&
           (got = pvhv_console_read(d, &pos, data + n, cap - n, &lost)) > 0)
        n += got;
    pthread_mutex_lock(&md->lock);
    free(md->last.data);
    md->last.data = data;
    md->last.start = lost;
    md->last.len = n;
    md->last.id = md->id;
    snprintf(md->last.end, sizeof(md->last.end), "%s", md->end);
    pthread_mutex_unlock(&md->lock);
}

/* finish: frees the boot's domain: no console output after. */
static void finish(struct mdom *md)
{
    struct domain *d = md->d;

    keep_output(md, d);
    unpublish(md);
    pvhv_domain_destroy(d); /* joins the vCPUs */
    if (md->con.flush)
        md->con.flush(md->con.opaque);
}

static void report_crash(struct mdom *md, const struct boot *b)
{
    char regs[2048];

    mdom_say(md->m, false, "domain '%s' (id %u) crashed: %s", md->spec.name,
             b->id,
             b->res.reason[0] ? b->res.reason : pvhv_end_name(b->res.end));
    if (!b->res.have_regs)
        return;
    pvhv_regs_format(&b->res.regs, regs, sizeof(regs));
    if (regs[0] && regs[strlen(regs) - 1] == '\n')
        regs[strlen(regs) - 1] = '\0';
    mdom_say(md->m, false, "vCPU %u registers:\n%s", b->res.vcpu, regs);
}

/* action_for: what (md)'s XML says to do after an end of (end). */
static unsigned int action_for(const struct mdom *md, enum pvhv_end end)
{
    switch (end) {
    case PVHV_END_POWEROFF:
        return md->spec.on_poweroff;
    case PVHV_END_REBOOT:
    case PVHV_END_SOFT_RESET:
        return md->spec.on_reboot;
    case PVHV_END_CRASH:
    case PVHV_END_WATCHDOG:
        return md->spec.on_crash;
    default:
        return PVHV_CONTROL_ACTION_DESTROY;
    }
}

/*
 * decide: says how boot (b) ended; returns the exit status the record
 * has if it ends here.
 */
static int decide(struct mdom *md, const struct boot *b)
{
    const char *name = md->spec.name, *end = pvhv_end_name(b->res.end);

    switch (b->res.end) {
    case PVHV_END_POWEROFF:
        mdom_say(md->m, true, "domain '%s' (id %u) powered off", name, b->id);
        return MANAGER_OK;
    case PVHV_END_REBOOT:
    case PVHV_END_SOFT_RESET:
        mdom_say(md->m, true, "domain '%s' (id %u) ended: %s", name, b->id,
                 end);
        return MANAGER_OK;
    case PVHV_END_CRASH:
    case PVHV_END_WATCHDOG:
        report_crash(md, b);
        return MANAGER_CRASH;
    case PVHV_END_DESTROYED: /* only the toolstack destroys: not stopped */
        mdom_say(md->m, true, "domain '%s' (id %u) destroyed", name, b->id);
        return MANAGER_INTERRUPTED;
    default:
        mdom_say(md->m, false,
                 "domain '%s' (id %u) ended: %s, which pvctl run cannot "
                 "resume",
                 name, b->id, end);
        return MANAGER_CRASH;
    }
}

/* summarize: how boot (b) ended, in the words of the last line. */
static void summarize(struct mdom *md, const struct boot *b,
                      unsigned long boots, const char *why)
{
    const char *end = pvhv_end_name(b->res.end);
    char restarts[48] = "";

    if (boots > 1)
        snprintf(restarts, sizeof(restarts), " after %lu restart%s", boots - 1,
                 boots == 2 ? "" : "s");
    if (b->res.end == PVHV_END_CRASH)
        snprintf(md->summary, sizeof(md->summary), "crashed: %.200s%s%s",
                 b->res.reason[0] ? b->res.reason : end, restarts, why);
    else
        snprintf(md->summary, sizeof(md->summary), "%s%s%s", end, restarts,
                 why);
}

/* add_stats: adds the counts of boot (boots) (1 for the first). */
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
    total->kvm_exits_counted =
        s->kvm_exits_counted && (boots == 1 || total->kvm_exits_counted);
    total->kvm_exits += s->kvm_exits;
    /* The boot marker port: the last boot's. */
    total->markers = s->markers;
    total->marker_value = s->marker_value;
    total->marker_first_ns = s->marker_first_ns;
    total->marker_last_ns = s->marker_last_ns;
}

static void say_stats(struct mdom *md, unsigned long boots)
{
    const struct pvhv_stats *st = &md->total;
    char insns[40] = "", kvm[40] = "", markers[160] = "";

    if (!md->m->o.stats)
        return;
    /* key=value, summed over all boots: easy to read for scripts too.
     * guest_insns and kvm_exits (all of KVM's exits, those it served in
     * the kernel included) only where the host counts them (pvhv_stats). */
    if (st->guest_insns_counted)
        snprintf(insns, sizeof(insns), " guest_insns=%" PRIu64,
                 st->guest_insns);
    if (st->kvm_exits_counted)
        snprintf(kvm, sizeof(kvm), " kvm_exits=%" PRIu64, st->kvm_exits);
    /* The boot marker port (last boot): first and last write, in us. */
    if (st->markers)
        snprintf(markers, sizeof(markers),
                 " markers=%u marker_first_us=%" PRIu64
                 " marker_last_us=%" PRIu64 " marker_value=0x%x",
                 st->markers, st->marker_first_ns / 1000,
                 st->marker_last_ns / 1000, st->marker_value);
    mdom_say(
        md->m, false,
        "domain '%s' stats: boots=%lu exits=%" PRIu64 "%s io_exits=%" PRIu64
        " hypercalls=%" PRIu64 "%s exec=%s console_dropped=%" PRIu64 "%s",
        md->spec.name, boots, st->exits, kvm, st->exits_io, st->hypercalls,
        insns, st->native ? "native" : "default", st->console_dropped, markers);
}

static bool ending(struct mdom *md)
{
    bool stop;

    pthread_mutex_lock(&md->lock);
    stop = md->stop;
    pthread_mutex_unlock(&md->lock);
    return stop;
}

/* preserve: keeps the ended boot until (md) is destroyed (mdom_destroy). */
static void preserve(struct mdom *md)
{
    pthread_mutex_lock(&md->lock);
    md->preserved = true;
    pthread_mutex_unlock(&md->lock);
    changed(md);
    pthread_mutex_lock(&md->lock);
    while (!md->stop)
        pthread_cond_wait(&md->cond, &md->lock);
    pthread_mutex_unlock(&md->lock);
    finish(md);
}

/*
 * after: boot (b), the boots-th, ended: false when (md) ends for good
 * (code and summary say how), true to boot again.
 */
static bool after(struct mdom *md, const struct boot *b, unsigned long boots)
{
    unsigned int act = action_for(md, b->res.end);
    const char *why = "";

    pthread_mutex_lock(&md->lock);
    snprintf(md->end, sizeof(md->end), "%s", pvhv_end_name(b->res.end));
    pthread_mutex_unlock(&md->lock);
    if (act != PVHV_CONTROL_ACTION_PRESERVE || ending(md))
        finish(md);
    md->code = decide(md, b);
    if (act == PVHV_CONTROL_ACTION_PRESERVE) {
        if (md->d)
            preserve(md);
        act = PVHV_CONTROL_ACTION_DESTROY;
    }
    changed(md);
    if (act == PVHV_CONTROL_ACTION_RESTART && ending(md)) {
        why = " (not restarted: pvctl is ending)";
    } else if (act == PVHV_CONTROL_ACTION_RESTART &&
               boots > md->m->o.max_restarts) {
        mdom_say(md->m, false,
                 "domain '%s' (id %u) not restarted: restart limit reached "
                 "(--max-restarts %lu)",
                 md->spec.name, b->id, md->m->o.max_restarts);
        md->code = MANAGER_CRASH;
        why = " (restart limit reached)";
    }
    summarize(md, b, boots, why);
    if (act == PVHV_CONTROL_ACTION_DESTROY || why[0])
        return false;
    if (md->m->o.max_restarts == ULONG_MAX)
        mdom_say(md->m, true, "domain '%s' restarting (restart %lu)",
                 md->spec.name, boots);
    else
        mdom_say(md->m, true,
                 "domain '%s' restarting (restart %lu of at most %lu)",
                 md->spec.name, boots, md->m->o.max_restarts);
    return true;
}

/* run_loop: boots (md) until it ends for good; sets its code. */
static void run_loop(struct mdom *md)
{
    struct pvhv_error err = {""};
    struct boot b;
    int ret;

    for (md->boots = 1;; md->boots++) {
        memset(&b, 0, sizeof(b));
        /* The first boot was made by manager_add. */
        ret = md->boots > 1 ? mdom_create_boot(md, &err) : 0;
        if (ret == 0)
            ret = start_and_wait(md, &b);
        if (ret < 0) {
            md->code = MANAGER_HOST; /* said, summary set */
            if (md->d)
                finish(md);
        }
        if (ret != 0) /* > 0: ended between two boots */
            break;
        add_stats(&md->total, &b.res.stats, md->boots);
        if (!after(md, &b, md->boots))
            break;
    }
    say_stats(md, md->boots);
}

void *mdom_thread(void *opaque)
{
    struct mdom *md = opaque;

    run_loop(md);
    first_started(md, -EIO, md->summary);
    pthread_mutex_lock(&md->lock);
    md->done = true;
    pthread_cond_broadcast(&md->cond);
    pthread_mutex_unlock(&md->lock);
    changed(md);
    return NULL;
}
