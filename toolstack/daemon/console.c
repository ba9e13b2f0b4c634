/* SPDX-License-Identifier: MIT */
/* console.c: pvhvd's clients that carry a domain's console. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <syslog.h>
#include <unistd.h>

#include "client.h"

/*
 * One per domain with console readers: the eventfd of its current boot's
 * kept output (a duplicate: it outlives the boot), in the loop. Readers
 * read the kept output at their own pace; a slow one holds one message
 * here at most and skips what the buffer no longer holds.
 */
struct watch {
    struct watch *next;
    struct tag tag;
    struct mdom *md;
    unsigned int boot;
    int fd;
};

static struct watch *watch_of(struct server *sv, struct mdom *md)
{
    for (struct watch *w = sv->watches; w; w = w->next)
        if (w->md == md)
            return w;
    return NULL;
}

/* rewatch: (w) follows the current boot of its domain. */
static void rewatch(struct server *sv, struct watch *w)
{
    unsigned int id = 0;
    int fd;

    if (w->fd >= 0 && w->boot == mdom_id(w->md))
        return;
    fd = mdom_console_fd(w->md, &id);
    if (fd < 0)
        return; /* between two boots: the next wake comes back here */
    if (w->fd >= 0) {
        epoll_ctl(sv->epfd, EPOLL_CTL_DEL, w->fd, NULL);
        close(w->fd);
    }
    w->fd = fd;
    w->boot = id;
    if (server_watch(sv, fd, EPOLLIN, &w->tag) != 0) {
        close(fd);
        w->fd = -1;
    }
}

bool console_readers(struct server *sv, struct mdom *md)
{
    for (struct client *c = sv->clients; c; c = c->next)
        if (c->md == md)
            return true;
    return false;
}

bool console_attach(struct server *sv, struct client *c, struct mdom *md)
{
    struct watch *w = watch_of(sv, md);

    c->md = md;
    c->boot = mdom_id(md);
    c->pos = 0; /* from the first byte the boot wrote */
    c->lost = 0;
    if (!w) {
        w = calloc(1, sizeof(*w));
        if (!w)
            return false;
        w->md = md;
        w->fd = -1;
        w->tag = (struct tag){TAG_WATCH, w};
        w->next = sv->watches;
        sv->watches = w;
    }
    rewatch(sv, w);
    return c->out ? true : console_pump(sv, c);
}

void console_detach(struct server *sv, struct client *c)
{
    struct mdom *md = c->md;
    struct watch **p;

    c->md = NULL;
    if (console_readers(sv, md))
        return;
    for (p = &sv->watches; *p; p = &(*p)->next)
        if ((*p)->md == md) {
            struct watch *w = *p;

            *p = w->next;
            if (w->fd >= 0) {
                epoll_ctl(sv->epfd, EPOLL_CTL_DEL, w->fd, NULL);
                close(w->fd);
            }
            free(w);
            break;
        }
}

/* end: the boot this client read ended; (restarting): a new one follows. */
static bool end(struct server *sv, struct client *c, bool restarting)
{
    struct pvhv_control_domain now;
    struct pvhv_control_console_end e;

    mdom_describe(c->md, &now);
    memset(&e, 0, sizeof(e));
    e.domid = c->boot;
    e.restarting = restarting;
    mdom_boot_end(c->md, c->boot, e.end, sizeof(e.end));
    if (restarting) {
        c->boot = now.domid;
        c->pos = 0;
    } else {
        c->close_after = true;
    }
    return client_queue(sv, c, PVHV_CONTROL_CONSOLE_END, 0, &e, sizeof(e));
}

/* after_end: what follows a boot whose output is all read. */
static bool after_end(struct server *sv, struct client *c)
{
    struct pvhv_control_domain now;

    if (mdom_done(c->md))
        return end(sv, c, false);
    mdom_describe(c->md, &now);
    if (now.domid != c->boot && now.state != PVHV_CONTROL_STATE_DYING)
        return end(sv, c, true);
    if (now.domid == c->boot && mdom_preserved(c->md))
        return end(sv, c, false); /* preserved: it stays as it is */
    return true; /* between two boots: the wake after brings the next */
}

/*
 * pump_once: one message for (c) from its domain's output, if there is
 * one. Returns 1 when one was sent whole (try again), 0 when nothing is
 * new (the read armed the eventfd) or it waits to be written, -1 when
 * the client is gone.
 */
static int pump_once(struct server *sv, struct client *c)
{
    char buf[PVHV_CONTROL_DATA_MAX];
    bool ended = false;
    uint64_t lost = c->lost;
    size_t n;

    n = mdom_console_read(c->md, c->boot, &c->pos, buf, sizeof(buf), &c->lost,
                          &ended);
    if (c->lost != lost) {
        int len = snprintf(buf, sizeof(buf),
                           "\r\n[pvhvd: %llu bytes of console output were "
                           "overwritten before this reader got them]\r\n",
                           (unsigned long long)(c->lost - lost));
        /* The bytes read stay in the buffer: read them again next time. */
        c->pos -= n;
        n = (size_t)len;
    }
    if (n > 0)
        return client_queue(sv, c, PVHV_CONTROL_CONSOLE_DATA, 0, buf, n)
                   ? !c->out
                   : -1;
    if (ended) {
        unsigned int old = c->boot;

        if (!after_end(sv, c))
            return -1;
        /* Onto the next boot: read it now, which arms its eventfd. */
        return c->boot != old && !c->out && !c->close_after;
    }
    return 0;
}

bool console_pump(struct server *sv, struct client *c)
{
    int rc = 1;

    /* Until nothing is new (the eventfd is armed then) or the socket is
     * full (EPOLLOUT brings us back): a reader never waits on either
     * without the other. A few rounds a call: other clients' turns. */
    for (int i = 0; rc == 1 && i < 16; i++) {
        if (c->out || !c->md || c->close_after)
            return true;
        rc = pump_once(sv, c);
    }
    if (rc == 1)
        c->repump = true; /* more to read: the loop calls again */
    return rc >= 0;
}

/* pump_all: every reader of (md) that can take a message now. */
static void pump_all(struct server *sv, struct mdom *md)
{
    struct client *c = sv->clients, *next;

    for (; c; c = next) {
        next = c->next; /* console_pump may close c */
        if (c->md == md && !console_pump(sv, c))
            client_close(sv, c);
    }
}

void console_watch_event(struct server *sv, struct watch *w)
{
    uint64_t n;

    if (read(w->fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
        return;
    pump_all(sv, w->md);
}

void console_changed(struct server *sv)
{
    struct watch *w = sv->watches, *next;

    for (; w; w = next) {
        next = w->next; /* pumping may close the last reader, and w */
        rewatch(sv, w);
        pump_all(sv, w->md);
    }
}

void console_input(struct server *sv, struct client *c, const char *buf,
                   size_t len)
{
    int n = mdom_console_input(c->md, buf, len);

    (void)sv;
    /* A full ring takes part of it, as a full serial line would. */
    if (n >= 0 && (size_t)n < len)
        server_log(LOG_DEBUG,
                   "domain '%s': %zu bytes of console input "
                   "dropped (its ring is full)",
                   mdom_name(c->md), len - (size_t)n);
}
