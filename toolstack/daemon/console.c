/* SPDX-License-Identifier: MIT */
/* console.c: pvhvd's streams of a domain's console to its readers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <syslog.h>
#include <unistd.h>

#include "console.h"
#include "libpvctl/manager.h"
#include "log.h"
#include "loop.h"

/*
 * One per domain with console readers: the eventfd of its current boot's
 * kept output (a duplicate: it outlives the boot), in the loop. Readers
 * read the kept output at their own pace; a slow one holds one message
 * in its connection at most and skips what the buffer no longer holds.
 */
struct watch {
    struct watch *next;
    struct tag tag;
    struct mdom *md;
    unsigned int boot;
    int fd;
};

void console_init(struct consoles *cs, int epfd)
{
    cs->epfd = epfd;
    cs->watches = NULL;
    cs->readers = NULL;
}

static struct watch *watch_of(struct consoles *cs, struct mdom *md)
{
    for (struct watch *w = cs->watches; w; w = w->next)
        if (w->md == md)
            return w;
    return NULL;
}

/* rewatch: (w) follows the current boot of its domain. */
static void rewatch(struct consoles *cs, struct watch *w)
{
    unsigned int id = 0;
    int fd;

    if (w->fd >= 0 && w->boot == mdom_id(w->md))
        return;
    fd = mdom_console_fd(w->md, &id);
    if (fd < 0)
        return; /* between two boots: the next wake comes back here */
    if (w->fd >= 0) {
        loop_unwatch(cs->epfd, w->fd);
        close(w->fd);
    }
    w->fd = fd;
    w->boot = id;
    if (loop_watch(cs->epfd, fd, EPOLLIN, &w->tag) != 0) {
        close(fd);
        w->fd = -1;
    }
}

bool console_readers(struct consoles *cs, struct mdom *md)
{
    for (struct console_reader *r = cs->readers; r; r = r->next)
        if (r->md == md)
            return true;
    return false;
}

bool console_attach(struct consoles *cs, struct console_reader *r,
                    struct mdom *md, const struct console_ops *ops, void *arg)
{
    struct watch *w = watch_of(cs, md);

    r->ops = ops;
    r->arg = arg;
    r->md = md;
    r->boot = mdom_id(md);
    r->pos = 0; /* from the first byte the boot wrote */
    r->lost = 0;
    r->repump = false;
    r->prev = NULL;
    r->next = cs->readers;
    if (cs->readers)
        cs->readers->prev = r;
    cs->readers = r;
    if (!w) {
        w = calloc(1, sizeof(*w));
        if (!w)
            return false;
        w->md = md;
        w->fd = -1;
        w->tag = (struct tag){TAG_WATCH, w};
        w->next = cs->watches;
        cs->watches = w;
    }
    rewatch(cs, w);
    return console_pump(r);
}

void console_detach(struct consoles *cs, struct console_reader *r)
{
    struct mdom *md = r->md;
    struct watch **p;

    if (r->prev)
        r->prev->next = r->next;
    else
        cs->readers = r->next;
    if (r->next)
        r->next->prev = r->prev;
    r->next = r->prev = NULL;
    r->md = NULL;
    if (console_readers(cs, md))
        return;
    for (p = &cs->watches; *p; p = &(*p)->next)
        if ((*p)->md == md) {
            struct watch *w = *p;

            *p = w->next;
            if (w->fd >= 0) {
                loop_unwatch(cs->epfd, w->fd);
                close(w->fd);
            }
            free(w);
            break;
        }
}

/* end: the boot (r) read ended; (restarting): a new one follows. */
static bool end(struct console_reader *r, bool restarting)
{
    struct pvhv_control_domain now;
    struct pvhv_control_console_end e;

    mdom_describe(r->md, &now);
    memset(&e, 0, sizeof(e));
    e.domid = r->boot;
    e.restarting = restarting;
    mdom_boot_end(r->md, r->boot, e.end, sizeof(e.end));
    if (restarting) {
        r->boot = now.domid;
        r->pos = 0;
    }
    return r->ops->send(r->arg, r, PVHV_CONTROL_CONSOLE_END, &e, sizeof(e),
                        !restarting) >= 0;
}

/* after_end: what follows a boot whose output is all read. */
static bool after_end(struct console_reader *r)
{
    struct pvhv_control_domain now;

    if (mdom_done(r->md))
        return end(r, false);
    mdom_describe(r->md, &now);
    if (now.domid != r->boot && now.state != PVHV_CONTROL_STATE_DYING)
        return end(r, true);
    if (now.domid == r->boot && mdom_preserved(r->md))
        return end(r, false); /* preserved: it stays as it is */
    return true; /* between two boots: the wake after brings the next */
}

/*
 * pump_once: one message for (r) from its domain's output, if there is
 * one. Returns 1 when one was sent whole (try again), 0 when nothing is
 * new (the read armed the eventfd) or it waits to be written, -1 when
 * the connection is gone.
 */
static int pump_once(struct console_reader *r)
{
    char buf[PVHV_CONTROL_DATA_MAX];
    bool ended = false;
    uint64_t lost = r->lost;
    size_t n;

    n = mdom_console_read(r->md, r->boot, &r->pos, buf, sizeof(buf), &r->lost,
                          &ended);
    if (r->lost != lost) {
        int len = snprintf(buf, sizeof(buf),
                           "\r\n[pvhvd: %llu bytes of console output were "
                           "overwritten before this reader got them]\r\n",
                           (unsigned long long)(r->lost - lost));
        /* The bytes read stay in the buffer: read them again next time. */
        r->pos -= n;
        n = (size_t)len;
    }
    if (n > 0)
        return r->ops->send(r->arg, r, PVHV_CONTROL_CONSOLE_DATA, buf, n,
                            false);
    if (ended) {
        unsigned int old = r->boot;

        if (!after_end(r))
            return -1;
        /* Onto the next boot: read it now, which arms its eventfd. */
        return r->boot != old && !r->ops->busy(r->arg, r);
    }
    return 0;
}

bool console_pump(struct console_reader *r)
{
    int rc = 1;

    /* Until nothing is new (the eventfd is armed then) or the socket is
     * full (EPOLLOUT brings us back): a reader never waits on either
     * without the other. A few rounds a call: other readers' turns. */
    for (int i = 0; rc == 1 && i < 16; i++) {
        if (!r->md || r->ops->busy(r->arg, r))
            return true;
        rc = pump_once(r);
    }
    if (rc == 1)
        r->repump = true; /* more to read: the loop calls again */
    return rc >= 0;
}

/* pump_all: every reader of (md) that can take a message now. */
static void pump_all(struct consoles *cs, struct mdom *md)
{
    struct console_reader *r = cs->readers, *next;

    for (; r; r = next) {
        next = r->next; /* closing r detaches it */
        if (r->md == md && !console_pump(r))
            r->ops->close(r->arg, r);
    }
}

void console_watch_event(struct consoles *cs, struct watch *w)
{
    uint64_t n;

    if (read(w->fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
        return;
    pump_all(cs, w->md);
}

void console_changed(struct consoles *cs)
{
    struct watch *w = cs->watches, *next;

    for (; w; w = next) {
        next = w->next; /* pumping may close the last reader, and w */
        rewatch(cs, w);
        pump_all(cs, w->md);
    }
}

bool console_pending(struct consoles *cs)
{
    for (struct console_reader *r = cs->readers; r; r = r->next)
        if (r->repump)
            return true;
    return false;
}

void console_repump(struct consoles *cs)
{
    struct console_reader *r = cs->readers, *next;

    for (; r; r = next) {
        next = r->next; /* closing r detaches it */
        if (r->repump) {
            r->repump = false;
            if (!console_pump(r))
                r->ops->close(r->arg, r);
        }
    }
}

void console_input(struct console_reader *r, const char *buf, size_t len)
{
    int n = mdom_console_input(r->md, buf, len);

    /* A full ring takes part of it, as a full serial line would. */
    if (n >= 0 && (size_t)n < len)
        log_say(LOG_DEBUG,
                "domain '%s': %zu bytes of console input "
                "dropped (its ring is full)",
                mdom_name(r->md), len - (size_t)n);
}
