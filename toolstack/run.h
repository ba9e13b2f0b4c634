/* SPDX-License-Identifier: MIT */
/* run.h: what the files of `pvctl run` share: options, domains, console. */
#ifndef PVHV_TOOLSTACK_RUN_H
#define PVHV_TOOLSTACK_RUN_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "libpvctl/domain_files.h"
#include "libpvctl/domain_xml.h"
#include "libpvctl/manager.h"
#include "libpvctl/session.h"
#include "pvhv.h"

/*
 * A console line as written, "name| text\n", is at most PIPE_BUF bytes:
 * one write() that a pipe takes whole. Longer lines are cut into several.
 */
#define RUN_CONSOLE_LINE_MAX PIPE_BUF

/* The command line of `pvctl run`. */
struct run_opts {
    bool quiet;
    bool stats;
    unsigned long max_restarts;
    unsigned long grace; /* seconds between asking and destroying */
    enum pvhv_exec_mode exec_mode;
    const char *xenstore_socket; /* NULL: none */
    char **xmls;                 /* the domain XML files, in order */
    size_t nxml;
};

/*
 * One domain's console, when several share standard output: its output is
 * kept until a whole line is there, then written as "name| line".
 */
struct run_console {
    const char *name;
    char line[RUN_CONSOLE_LINE_MAX];
    size_t len;
};

/*
 * One domain of the run: its XML, its files and console, and its record in
 * the embedded session's manager (libpvctl/manager.h), which boots it
 * again and again on its own thread.
 */
struct run_domain {
    const char *xml;
    struct domain_def *def;
    const struct domain_files *files; /* opened once, for every boot */
    struct run_console *console; /* NULL: the console goes to stdout as is */
    struct mdom *md;             /* made by run_domains_create */
};

/* The embedded session of a run: its manager and how it reports. */
struct run_session {
    const struct run_opts *o;
    struct manager *m;
    struct control_server srv;
    struct pvctl_session *s;
    int done_fd; /* a record's thread writes one byte here at its end */
};

/* run_domain.c */

/*
 * run_session_open: the manager of (hv) and an embedded session on it,
 * for the domains of (o); each record's end writes a byte to (done_fd)
 * (1: it could not be run). Returns 0 or -ENOMEM.
 */
int run_session_open(struct run_session *rs, const struct run_opts *o,
                     struct pvhv *hv, int done_fd);
void run_session_close(struct run_session *rs);

/*
 * run_domains_create: creates the first boot of each of the (n) domains,
 * in order, none started, so that every domain exists before any runs.
 * Returns 0 or -errno (reported).
 */
int run_domains_create(struct run_session *rs, struct run_domain *rds,
                       size_t n);

/*
 * run_domain_start: starts the thread that runs (rd) until it ends for
 * good, then writes to done_fd. Returns 0 or -errno (reported).
 */
int run_domain_start(struct run_session *rs, struct run_domain *rd);

/*
 * run_domain_ask_poweroff: marks (rd) as ending and asks its running boot,
 * if any, to power off. Returns 1 when a domain was asked, 0 when none
 * runs, -errno when the request failed (reported; the caller destroys it).
 */
int run_domain_ask_poweroff(struct run_domain *rd);

/*
 * run_domain_destroy: marks (rd) as ending and stops its running boot, if
 * any, at once. Returns 1 when a domain was running, else 0.
 */
int run_domain_destroy(struct run_domain *rd);

/* run_console.c */

/*
 * run_console_write: the pvhv_domain_config.console callback; (opaque) is
 * a struct run_console. Called on vCPU threads.
 */
void run_console_write(void *opaque, const char *buf, size_t len);

/*
 * run_console_flush: writes what (c) holds of an unfinished line, ended
 * with a newline. Call it when no vCPU of its domain runs any more.
 */
void run_console_flush(struct run_console *c);

/* run_signal.c */

/*
 * run_signal_block: blocks SIGINT and SIGTERM in the calling thread, and so
 * in every thread it starts later, and returns a signalfd that reads them
 * (a signal ignored when pvctl started stays ignored), or -errno.
 */
int run_signal_block(void);

/*
 * run_signal_wait: stays until the (n) domains in (rds), of options (o),
 * have ended: their threads write to (done_fd). SIGINT and SIGTERM, read from
 * (sig_fd), ask them to power off, and destroy them after o->grace seconds or
 * at the second signal; a domain that could not be run ends the others the same
 * way. Returns 0 or -errno.
 */
int run_signal_wait(const struct run_opts *o, struct run_domain *rds, size_t n,
                    int sig_fd, int done_fd);

#endif /* PVHV_TOOLSTACK_RUN_H */
