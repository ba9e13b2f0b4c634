/* SPDX-License-Identifier: MIT */
/* run_domain.c: `pvctl run`'s domains, made and ended through a session. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libpvctl/domain_spec.h"
#include "pvctl.h"
#include "run.h"

/*
 * say: a line of the manager's on stderr, "pvctl: " first, after the
 * console's pending output, written with one write() so that lines from
 * other domains' threads never land inside it. --quiet drops status lines.
 */
static void say(void *opaque, bool status, const char *text)
{
    const struct run_session *rs = opaque;
    size_t len = strlen(text) + 8, done = 0;
    char *line = malloc(len + 1);
    ssize_t n;

    if ((status && rs->o->quiet) || !line) {
        free(line);
        return;
    }
    fflush(stdout);
    snprintf(line, len + 1, "pvctl: %s\n", text);
    while (done < len) {
        n = write(STDERR_FILENO, line + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    free(line);
}

/* changed: a record's thread ended: one byte to the supervisor, 1 when
 * it could not be run (the others are then ended too). */
static void changed(void *opaque, struct mdom *md)
{
    const struct run_session *rs = opaque;
    char byte;

    if (!mdom_done(md))
        return;
    byte = mdom_code(md) == MANAGER_HOST;
    while (write(rs->done_fd, &byte, 1) < 0 && errno == EINTR)
        ;
}

int run_session_open(struct run_session *rs, const struct run_opts *o,
                     struct pvhv *hv, int done_fd)
{
    struct manager_opts mo = {
        .hv = hv,
        .max_restarts = o->max_restarts,
        .stats = o->stats,
        .say = say,
        .changed = changed,
        .opaque = rs,
    };

    memset(rs, 0, sizeof(*rs));
    rs->o = o;
    rs->done_fd = done_fd;
    rs->m = manager_new(&mo);
    rs->srv.held = calloc(o->nxml, sizeof(*rs->srv.held));
    if (!rs->m || !rs->srv.held) {
        run_session_close(rs);
        return -ENOMEM;
    }
    /* Made domains wait for run_domain_start: all exist before any runs. */
    rs->srv.m = rs->m;
    rs->srv.own_fds = true; /* duplicates of the run's files */
    rs->srv.hold = true;
    rs->srv.maxheld = (unsigned int)o->nxml;
    if (pvctl_session_embedded(&rs->s, &rs->srv) < 0) {
        run_session_close(rs);
        return -ENOMEM;
    }
    return 0;
}

void run_session_close(struct run_session *rs)
{
    /* Every record: those ended (their threads joined) and those made
     * and never started (destroyed). */
    for (unsigned int i = 0; i < rs->srv.nheld; i++)
        manager_remove(rs->m, rs->srv.held[i]);
    pvctl_session_close(rs->s);
    free(rs->srv.held);
    manager_free(rs->m);
    memset(rs, 0, sizeof(*rs));
}

static void flush(void *opaque)
{
    run_console_flush(opaque);
}

/* create: the CREATE request of (rd), served in this process. */
static int create(struct run_session *rs, struct run_domain *rd)
{
    struct pvhv_control_create *spec = malloc(sizeof(*spec));
    struct mdom_console con = {run_console_write, flush, rd->console};
    struct pvctl_error err = {""};
    int fds[PVHV_CONTROL_FDS_MAX];
    unsigned int nfds, before = rs->srv.nheld;
    int rc;

    if (!spec) {
        fprintf(stderr, "pvctl: out of memory\n");
        return -ENOMEM;
    }
    nfds = domain_spec_from(rd->xml, rd->def, rd->files, 0,
                            rs->o->exec_mode == PVHV_EXEC_NATIVE
                                ? PVHV_CONTROL_EXEC_NATIVE
                                : PVHV_CONTROL_EXEC_DEFAULT,
                            spec, fds);
    /* NULL: a lone domain's console streams to stdout as it comes. */
    rs->srv.con = rd->console ? &con : NULL;
    rc = pvctl_session_domain(rs->s, PVHV_CONTROL_CREATE, spec, sizeof(*spec),
                              fds, nfds, NULL, &err);
    rs->srv.con = NULL;
    free(spec);
    if (rc == 0 && rs->srv.nheld == before + 1) {
        rd->md = rs->srv.held[before];
        return 0;
    }
    fflush(stdout);
    fprintf(stderr, "pvctl: %s\n", err.msg);
    return -EIO;
}

int run_domains_create(struct run_session *rs, struct run_domain *rds, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (create(rs, &rds[i]) < 0)
            return -EIO; /* run_session_close frees those made */
    return 0;
}

int run_domain_start(struct run_session *rs, struct run_domain *rd)
{
    struct pvctl_error err = {""};

    return manager_start(rs->m, rd->md, false, &err) == 0 ? 0 : -EIO;
}

int run_domain_ask_poweroff(struct run_domain *rd)
{
    return mdom_shutdown(rd->md, "poweroff", true);
}

int run_domain_destroy(struct run_domain *rd)
{
    return mdom_destroy(rd->md);
}
