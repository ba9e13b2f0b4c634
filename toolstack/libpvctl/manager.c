/* SPDX-License-Identifier: MIT */
/* manager.c: domains over their lifecycle: records, lookups, actions. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manager_internal.h"
#include "resolve.h"

struct manager *manager_new(const struct manager_opts *o)
{
    struct manager *m = calloc(1, sizeof(*m));

    if (m)
        m->o = *o;
    return m;
}

void manager_free(struct manager *m)
{
    free(m);
}

unsigned int manager_count(struct manager *m)
{
    return m->count;
}

/* in_use: the record of (spec)'s name or UUID, if any. */
static struct mdom *in_use(struct manager *m,
                           const struct pvhv_control_create *spec)
{
    for (struct mdom *md = m->list; md; md = md->next)
        if (strcmp(md->spec.name, spec->name) == 0 ||
            memcmp(md->spec.uuid, spec->uuid, 16) == 0)
            return md;
    return NULL;
}

/* code_of: the control error for pvhv's (rc) from a create. */
static int code_of(int rc)
{
    switch (rc) {
    case -EINVAL:
    case -EBADF:
        return -PVHV_CONTROL_EINVAL;
    default: /* memory, descriptors, KVM, a locked disk */
        return -PVHV_CONTROL_EHOST;
    }
}

static void close_fds(const int *fds, unsigned int nfds)
{
    for (unsigned int i = 0; i < nfds; i++)
        close(fds[i]);
}

static struct mdom *mdom_new(struct manager *m,
                             const struct pvhv_control_create *spec,
                             const int *fds, unsigned int nfds, bool own_fds,
                             const struct mdom_console *con)
{
    struct mdom *md = calloc(1, sizeof(*md));

    if (!md)
        return NULL;
    md->m = m;
    md->spec = *spec;
    memcpy(md->fds, fds, nfds * sizeof(int));
    md->nfds = nfds;
    md->own_fds = own_fds;
    if (con)
        md->con = *con;
    for (unsigned int i = 0; i < spec->nr_disks; i++) {
        const struct pvhv_control_disk *k = &md->spec.disks[i];

        md->disks[i] = (struct pvhv_disk){
            .image = pvhv_file_fd(fds[1 + i], k->path),
            .vdev = k->vdev,
            .readonly = k->readonly,
            .block = k->block,
        };
    }
    md->code = MANAGER_OK;
    pthread_mutex_init(&md->lock, NULL);
    pthread_cond_init(&md->cond, NULL);
    return md;
}

static void mdom_free(struct mdom *md)
{
    if (md->d) /* made, never started: nothing else holds it */
        pvhv_domain_destroy(md->d);
    if (md->own_fds)
        close_fds(md->fds, md->nfds);
    free(md->last.data);
    pthread_cond_destroy(&md->cond);
    pthread_mutex_destroy(&md->lock);
    free(md);
}

int manager_add(struct manager *m, const struct pvhv_control_create *spec,
                const int *fds, unsigned int nfds, bool own_fds,
                const struct mdom_console *con, struct mdom **out,
                struct pvctl_error *err)
{
    struct pvhv_error perr = {""};
    struct mdom *md, *other = in_use(m, spec);
    int rc;

    if (other) {
        pvctl_error_set(err, "%s: domain '%s' (id %u) already has %s",
                        spec->xml, other->spec.name, other->id,
                        strcmp(other->spec.name, spec->name) == 0
                            ? "this name"
                            : "this UUID");
        rc = -PVHV_CONTROL_EEXIST;
        goto fail;
    }
    md = mdom_new(m, spec, fds, nfds, own_fds, con);
    if (!md) {
        pvctl_error_set(err, "%s: out of memory", spec->xml);
        rc = -PVHV_CONTROL_EHOST;
        goto fail;
    }
    md->boots = 1;
    rc = mdom_create_boot(md, &perr);
    if (rc != 0) {
        pvctl_error_set(err, "%s: %s", spec->xml, perr.msg);
        md->own_fds = false; /* closed below, once */
        mdom_free(md);
        rc = code_of(rc);
        goto fail;
    }
    md->next = m->list;
    m->list = md;
    m->count++;
    *out = md;
    return 0;
fail:
    if (own_fds)
        close_fds(fds, nfds);
    return rc;
}

int manager_start(struct manager *m, struct mdom *md, bool paused,
                  struct pvctl_error *err)
{
    int rc;

    (void)m;
    md->paused_start = paused;
    rc = pthread_create(&md->thread, NULL, mdom_thread, md);
    if (rc) {
        pvctl_error_set(err, "%s: cannot start a thread: %s", md->spec.xml,
                        strerror(rc));
        mdom_say(md->m, false, "%s", err->msg);
        md->code = MANAGER_HOST;
        md->done = true;
        return -PVHV_CONTROL_EHOST;
    }
    md->thread_started = true;
    pthread_mutex_lock(&md->lock);
    while (!md->started)
        pthread_cond_wait(&md->cond, &md->lock);
    rc = md->start_rc;
    if (rc)
        pvctl_error_set(err, "%s: %s", md->spec.xml, md->start_err);
    pthread_mutex_unlock(&md->lock);
    return rc ? -PVHV_CONTROL_EHOST : 0;
}

void manager_remove(struct manager *m, struct mdom *md)
{
    struct mdom **p;

    if (md->thread_started)
        pthread_join(md->thread, NULL);
    for (p = &m->list; *p; p = &(*p)->next)
        if (*p == md) {
            *p = md->next;
            m->count--;
            break;
        }
    mdom_free(md);
}

/* A snapshot of the records for resolve_find: an array of them. */
struct found {
    struct mdom **v;
};

static void entry_of(void *ctx, size_t i, struct resolve_entry *e)
{
    struct mdom *md = ((struct found *)ctx)->v[i];

    e->name = md->spec.name;
    e->id = md->id;
    e->uuid = md->spec.uuid;
}

struct mdom *manager_find(struct manager *m, const char *sel)
{
    struct mdom **v = calloc(m->count ? m->count : 1, sizeof(*v));
    struct found f = {v};
    struct mdom *md, *hit = NULL;
    size_t n = 0;
    long i;

    if (!v)
        return NULL;
    for (md = m->list; md; md = md->next)
        v[n++] = md;
    i = resolve_find(sel, n, entry_of, &f);
    if (i >= 0)
        hit = v[i];
    free(v);
    return hit;
}

static int by_id(const void *a, const void *b)
{
    const struct mdom *x = *(struct mdom *const *)a;
    const struct mdom *y = *(struct mdom *const *)b;

    return x->id < y->id ? -1 : x->id > y->id;
}

void manager_each(struct manager *m, uint32_t start,
                  bool (*fn)(void *ctx, struct mdom *md), void *ctx)
{
    struct mdom **v = calloc(m->count ? m->count : 1, sizeof(*v));
    size_t n = 0;

    if (!v)
        return;
    for (struct mdom *md = m->list; md; md = md->next)
        if (md->id >= start)
            v[n++] = md;
    qsort(v, n, sizeof(*v), by_id);
    for (size_t i = 0; i < n && fn(ctx, v[i]); i++)
        ;
    free(v);
}

bool mdom_done(struct mdom *md)
{
    bool done;

    pthread_mutex_lock(&md->lock);
    done = md->done;
    pthread_mutex_unlock(&md->lock);
    return done;
}

int mdom_code(struct mdom *md)
{
    return md->code;
}

const char *mdom_summary(struct mdom *md)
{
    return md->summary;
}

const char *mdom_name(struct mdom *md)
{
    return md->spec.name;
}

unsigned int mdom_id(struct mdom *md)
{
    return md->id;
}

static const uint32_t state_of[] = {
    [PVHV_STATE_RUNNING] = PVHV_CONTROL_STATE_RUNNING,
    [PVHV_STATE_BLOCKED] = PVHV_CONTROL_STATE_BLOCKED,
    [PVHV_STATE_PAUSED] = PVHV_CONTROL_STATE_PAUSED,
    [PVHV_STATE_SHUTDOWN] = PVHV_CONTROL_STATE_SHUTDOWN,
    [PVHV_STATE_CRASHED] = PVHV_CONTROL_STATE_CRASHED,
    [PVHV_STATE_DYING] = PVHV_CONTROL_STATE_DYING,
};

void mdom_describe(struct mdom *md, struct pvhv_control_domain *out)
{
    const struct pvhv_control_create *s = &md->spec;
    struct pvhv_domain_info info;

    memset(out, 0, sizeof(*out));
    snprintf(out->name, sizeof(out->name), "%s", s->name);
    memcpy(out->uuid, s->uuid, 16);
    out->memory = s->memory;
    out->vcpus = s->vcpus;
    out->on_poweroff = s->on_poweroff;
    out->on_reboot = s->on_reboot;
    out->on_crash = s->on_crash;
    out->exec_mode = s->exec_mode;
    out->nr_disks = s->nr_disks;
    /* Cut to fit; the last byte stays NUL (out is zeroed). */
    memcpy(out->kernel, s->kernel, strnlen(s->kernel, sizeof(out->kernel) - 1));
    memcpy(out->cmdline, s->cmdline,
           strnlen(s->cmdline, sizeof(out->cmdline) - 1));
    pthread_mutex_lock(&md->lock);
    out->domid = md->id;
    out->boots = (uint32_t)md->boots;
    out->created_ns = md->created_ns;
    snprintf(out->end, sizeof(out->end), "%s", md->end);
    /* Between two boots, or ending: no domain, xl's "dying". */
    out->state = PVHV_CONTROL_STATE_DYING;
    if (md->d) {
        pvhv_domain_info(md->d, &info);
        out->state = state_of[info.state];
        out->cpu_ns = info.cpu_ns;
        out->exits = info.stats.exits;
        out->hypercalls = info.stats.hypercalls;
        out->console_dropped = info.stats.console_dropped;
    }
    pthread_mutex_unlock(&md->lock);
}

int mdom_shutdown(struct mdom *md, const char *reason, bool ending)
{
    unsigned int id = 0;
    int ret = 0;

    pthread_mutex_lock(&md->lock);
    if (ending)
        md->stop = true;
    if (md->d && !md->preserved) {
        id = md->id;
        /* Asked by a client, a guest that cannot hear it is told so; one
         * that is ending is asked anyway (its grace time ends it). */
        if (!ending && !pvhv_domain_hears_shutdown(md->d)) {
            pthread_mutex_unlock(&md->lock);
            return -EOPNOTSUPP;
        }
        ret = pvhv_domain_shutdown_request(md->d, reason);
        ret = ret < 0 ? ret : 1;
    }
    pthread_mutex_unlock(&md->lock);
    if (ret < 0)
        mdom_say(md->m, false, "domain '%s' (id %u): cannot ask it to %s: %s",
                 md->spec.name, id,
                 strcmp(reason, "reboot") ? "power off" : "reboot",
                 strerror(-ret));
    return ret;
}

int mdom_destroy(struct mdom *md)
{
    int ret = 0;

    pthread_mutex_lock(&md->lock);
    md->stop = true;
    if (md->d) {
        /* Stops it only: its thread, waiting in pvhv_domain_wait (or on
         * cond, preserved), wakes and frees it. */
        pvhv_domain_stop(md->d);
        pthread_cond_broadcast(&md->cond);
        ret = 1;
    }
    pthread_mutex_unlock(&md->lock);
    return ret;
}

static int pause_op(struct mdom *md, int (*op)(struct domain *))
{
    int ret = -PVHV_CONTROL_ESTATE;

    pthread_mutex_lock(&md->lock);
    if (md->d && !md->preserved && op(md->d) == 0)
        ret = 0;
    pthread_mutex_unlock(&md->lock);
    return ret;
}

int mdom_pause(struct mdom *md)
{
    return pause_op(md, pvhv_domain_pause);
}

int mdom_unpause(struct mdom *md)
{
    return pause_op(md, pvhv_domain_unpause);
}

int mdom_console_fd(struct mdom *md, unsigned int *id)
{
    int fd = -1;

    pthread_mutex_lock(&md->lock);
    if (md->d && pvhv_console_fd(md->d) >= 0) {
        fd = fcntl(pvhv_console_fd(md->d), F_DUPFD_CLOEXEC, 0);
        *id = md->id;
    }
    pthread_mutex_unlock(&md->lock);
    return fd;
}

size_t mdom_console_read(struct mdom *md, unsigned int id, uint64_t *pos,
                         char *buf, size_t len, uint64_t *lost, bool *ended)
{
    struct pvhv_domain_info info;
    size_t n = 0;

    *ended = true;
    pthread_mutex_lock(&md->lock);
    if (md->d && md->id == id) {
        /* Ended first, read then: nothing written after is missed. */
        pvhv_domain_info(md->d, &info);
        *ended = info.state >= PVHV_STATE_SHUTDOWN;
        n = pvhv_console_read(md->d, pos, buf, len, lost);
        if (n > 0)
            *ended = false; /* more may follow before the end is seen */
    } else if (md->last.id == id && md->last.data) {
        /* That boot is gone: what it left. */
        uint64_t end = md->last.start + md->last.len;

        if (*pos < md->last.start) {
            if (lost)
                *lost += md->last.start - *pos;
            *pos = md->last.start;
        }
        n = *pos < end ? (size_t)(end - *pos) : 0;
        n = n < len ? n : len;
        memcpy(buf, md->last.data + (*pos - md->last.start), n);
        *pos += n;
        *ended = *pos >= end;
    }
    pthread_mutex_unlock(&md->lock);
    return n;
}

int mdom_console_input(struct mdom *md, const char *buf, size_t len)
{
    int ret = -ENODEV;

    pthread_mutex_lock(&md->lock);
    if (md->d && !md->preserved)
        ret = pvhv_console_input(md->d, buf, len);
    pthread_mutex_unlock(&md->lock);
    return ret;
}

size_t mdom_dmesg(struct mdom *md, char *buf, size_t len)
{
    uint64_t pos = 0;
    size_t n = 0, got;

    pthread_mutex_lock(&md->lock);
    if (md->d)
        while (n < len && (got = pvhv_domain_log_read(md->d, &pos, buf + n,
                                                      len - n, NULL)) > 0)
            n += got;
    pthread_mutex_unlock(&md->lock);
    return n;
}

void mdom_stats(struct mdom *md, struct pvhv_stats *st)
{
    *st = md->total;
}

bool mdom_preserved(struct mdom *md)
{
    bool kept;

    pthread_mutex_lock(&md->lock);
    kept = md->preserved;
    pthread_mutex_unlock(&md->lock);
    return kept;
}

void mdom_boot_end(struct mdom *md, unsigned int id, char *buf, size_t len)
{
    pthread_mutex_lock(&md->lock);
    snprintf(buf, len, "%s",
             id == md->id && md->end[0] ? md->end
             : id == md->last.id        ? md->last.end
                                        : "destroyed");
    pthread_mutex_unlock(&md->lock);
}
