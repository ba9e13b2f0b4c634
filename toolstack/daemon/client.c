/* SPDX-License-Identifier: MIT */
/* client.c: pvhvd's clients: credentials, requests read, replies written. */
#define _GNU_SOURCE /* struct ucred */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include "client.h"
#include "log.h"
#include "loop.h"

static void set_events(struct server *sv, struct client *c)
{
    /* One request at a time: nothing is read while a reply waits, so a
     * client that does not read holds one message here at most. */
    uint32_t want = c->out ? EPOLLOUT : EPOLLIN;

    if (want != c->events && loop_change(sv->epfd, c->fd, want, &c->tag) == 0)
        c->events = want;
}

/* flush: writes what is queued; false when the client is gone. */
static bool flush(struct server *sv, struct client *c)
{
    while (c->out && c->out_off < c->out_len) {
        ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
                         MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            break;
        if (n <= 0)
            return false;
        c->out_off += (size_t)n;
    }
    if (c->out && c->out_off == c->out_len) {
        free(c->out);
        c->out = NULL;
        if (c->close_after)
            return false;
    }
    set_events(sv, c);
    return true;
}

/*
 * queue: (c)'s one outgoing message; written now as far as the socket
 * takes. False when the client is gone (the caller closes it).
 */
static bool queue(struct server *sv, struct client *c, unsigned int type,
                  int status, const void *payload, size_t len)
{
    struct pvhv_control_hdr h = control_header(type, status, len);

    c->out = malloc(sizeof(h) + len);
    if (!c->out)
        return false;
    memcpy(c->out, &h, sizeof(h));
    if (len)
        memcpy(c->out + sizeof(h), payload, len);
    c->out_len = sizeof(h) + len;
    c->out_off = 0;
    return flush(sv, c);
}

/*
 * refuse: an error message, then the connection ends. False when the
 * client is gone already (the caller closes it).
 */
static bool refuse(struct server *sv, struct client *c, unsigned int type,
                   int code, const char *why)
{
    log_say(LOG_WARNING, "client pid %d uid %u: %s", (int)c->pid,
            (unsigned int)c->uid, why);
    c->close_after = true;
    return queue(sv, c, type, code, why, strlen(why));
}

/* allowed: root, or the daemon's group as primary or supplementary. */
static bool allowed(struct server *sv, int fd, struct ucred *cr)
{
    gid_t groups[256];
    socklen_t len = sizeof(*cr);

    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, cr, &len) != 0)
        return false;
    if (cr->uid == 0)
        return true;
    if (sv->gid == (gid_t)-1)
        return false;
    if (cr->gid == sv->gid)
        return true;
    len = sizeof(groups);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) != 0)
        return false;
    for (size_t i = 0; i < len / sizeof(gid_t); i++)
        if (groups[i] == sv->gid)
            return true;
    return false;
}

void client_accept(struct server *sv, int fd)
{
    struct pvhv_control_hello hello = {PVHV_CONTROL_VERSION, (uint32_t)getpid(),
                                       PVHV_CONTROL_MSG_MAX, 0};
    struct client *c = calloc(1, sizeof(*c));
    struct ucred cr = {0, 0, 0};
    char why[256];

    if (!c) {
        close(fd);
        return;
    }
    c->fd = fd;
    c->tag = (struct tag){TAG_CLIENT, c};
    c->events = EPOLLIN;
    if (loop_watch(sv->epfd, fd, EPOLLIN, &c->tag) != 0) {
        close(fd);
        free(c);
        return;
    }
    c->next = sv->clients;
    if (sv->clients)
        sv->clients->prev = c;
    sv->clients = c;
    sv->nclients++;
    /* Before reading anything: who is it? */
    if (!allowed(sv, fd, &cr)) {
        c->pid = cr.pid;
        c->uid = cr.uid;
        snprintf(why, sizeof(why),
                 "refused: uid %u (pid %d) is neither root nor in group '%s'",
                 (unsigned int)cr.uid, (int)cr.pid, sv->o.group);
        if (!refuse(sv, c, PVHV_CONTROL_HELLO, -PVHV_CONTROL_EACCES, why))
            client_close(sv, c);
        return;
    }
    c->pid = cr.pid;
    c->uid = cr.uid;
    if (sv->nclients > sv->o.max_clients) {
        snprintf(why, sizeof(why),
                 "refused: %u clients already (--max-clients)",
                 sv->o.max_clients);
        if (!refuse(sv, c, PVHV_CONTROL_HELLO, -PVHV_CONTROL_ELIMIT, why))
            client_close(sv, c);
        return;
    }
    if (!queue(sv, c, PVHV_CONTROL_HELLO, 0, &hello, sizeof(hello)))
        client_close(sv, c);
}

static void drop_request(struct client *c)
{
    for (unsigned int i = 0; i < c->nfds; i++)
        close(c->fds[i]);
    c->nfds = 0;
    free(c->payload);
    c->payload = NULL;
    c->hdr_got = c->got = 0;
    c->deadline = 0;
    c->fd_overflow = false;
}

void client_close(struct server *sv, struct client *c)
{
    /* A request half received had no effect: its parts go. */
    drop_request(c);
    if (c->con.md)
        console_detach(&sv->consoles, &c->con);
    loop_unwatch(sv->epfd, c->fd);
    close(c->fd);
    free(c->out);
    if (c->prev)
        c->prev->next = c->next;
    else
        sv->clients = c->next;
    if (c->next)
        c->next->prev = c->prev;
    sv->nclients--;
    free(c);
    sv->client_ops->closed(sv);
}

/* take_fds: the descriptors that came with a read; too many are closed. */
static void take_fds(struct client *c, struct msghdr *mh)
{
    for (struct cmsghdr *h = CMSG_FIRSTHDR(mh); h; h = CMSG_NXTHDR(mh, h)) {
        size_t n;

        if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
            continue;
        n = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < n; i++) {
            int fd;

            memcpy(&fd, CMSG_DATA(h) + i * sizeof(int), sizeof(int));
            if (c->nfds < PVHV_CONTROL_FDS_MAX)
                c->fds[c->nfds++] = fd;
            else {
                close(fd);
                c->fd_overflow = true;
            }
        }
    }
    if (mh->msg_flags & MSG_CTRUNC)
        c->fd_overflow = true;
}

/* receive: reads into (buf) up to (len); bytes read, 0 at EOF, -1 EAGAIN. */
static ssize_t receive(struct client *c, void *buf, size_t len)
{
    union {
        char b[CMSG_SPACE(sizeof(int) * PVHV_CONTROL_FDS_MAX)];
        struct cmsghdr align;
    } u;
    struct iovec iov = {buf, len};
    struct msghdr mh = {.msg_iov = &iov,
                        .msg_iovlen = 1,
                        .msg_control = u.b,
                        .msg_controllen = sizeof(u.b)};
    ssize_t n;

    do
        n = recvmsg(c->fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return errno == EAGAIN ? -1 : 0;
    take_fds(c, &mh);
    return n;
}

/* The console reader in (r) is that of a client: console.c's way to it. */
static struct client *reader_client(struct console_reader *r)
{
    return (struct client *)((char *)r - offsetof(struct client, con));
}

static int reader_send(void *arg, struct console_reader *r, unsigned int type,
                       const void *payload, size_t len, bool last)
{
    struct client *c = reader_client(r);

    if (last)
        c->close_after = true;
    if (!queue(arg, c, type, 0, payload, len))
        return -1;
    return !c->out;
}

static bool reader_busy(void *arg, struct console_reader *r)
{
    struct client *c = reader_client(r);

    (void)arg;
    return c->out || c->close_after;
}

static void reader_close(void *arg, struct console_reader *r)
{
    client_close(arg, reader_client(r));
}

static const struct console_ops reader_ops = {
    .send = reader_send,
    .busy = reader_busy,
    .close = reader_close,
};

/* serve: the whole request is here: check it, serve it, queue the reply. */
static bool serve(struct server *sv, struct client *c)
{
    struct control_msg *q = &sv->msg;
    struct control_reply *r = &sv->reply;
    struct pvctl_error err = {""};
    int rc;

    q->hdr = c->hdr;
    memcpy(q->payload, c->payload, c->hdr.length);
    memcpy(q->fds, c->fds, c->nfds * sizeof(int));
    q->nfds = c->nfds;
    c->nfds = 0;
    drop_request(c);
    rc = c->con.md ? control_request_check(q, true, &err)
                   : control_request_check(q, false, &err);
    if (rc == 0 && c->con.md) { /* console input */
        console_input(&c->con, (const char *)q->payload, q->hdr.length);
        return true;
    }
    if (rc == 0 && sv->stopping && q->hdr.type == PVHV_CONTROL_CREATE)
        control_reply_error(r, q->hdr.type, -PVHV_CONTROL_ESTATE,
                            "pvhvd is stopping: it makes no domain now");
    else if (rc)
        control_reply_error(r, q->hdr.type, rc, "%s", err.msg);
    else
        control_serve(&sv->srv, q, r);
    control_msg_close_fds(q);
    if (r->status && q->hdr.type == PVHV_CONTROL_CREATE)
        log_say(LOG_WARNING, "create for pid %d refused: %.*s", (int)c->pid,
                (int)r->len, (char *)r->payload);
    if (!queue(sv, c, r->type, r->status, r->payload, r->len))
        return false;
    return r->console ? console_attach(&sv->consoles, &c->con, r->console,
                                       &reader_ops, sv)
                      : true;
}

/* on_input: reads what came; false when the client must go. */
static bool on_input(struct server *sv, struct client *c)
{
    struct pvctl_error err = {""};
    ssize_t n;
    int rc;

    if (c->hdr_got < sizeof(c->hdr)) {
        n = receive(c, (char *)&c->hdr + c->hdr_got,
                    sizeof(c->hdr) - c->hdr_got);
        if (n <= 0)
            return n < 0;
        if (!c->deadline)
            c->deadline =
                loop_now_ns() + PVHV_CONTROL_TIMEOUT_S * 1000000000ULL;
        c->hdr_got += (size_t)n;
        if (c->hdr_got < sizeof(c->hdr))
            return true;
        rc = control_header_check(&c->hdr, &err);
        if (rc == -PVHV_CONTROL_EPROTO) {
            log_say(LOG_WARNING, "client pid %d: %s; closed", (int)c->pid,
                    err.msg);
            return false; /* no reply can be framed for it */
        }
        if (rc)
            return refuse(sv, c, c->hdr.type | PVHV_CONTROL_REPLY, rc, err.msg);
        c->payload = malloc(c->hdr.length ? c->hdr.length : 1);
        if (!c->payload)
            return false;
    }
    if (c->got < c->hdr.length) {
        n = receive(c, c->payload + c->got, c->hdr.length - c->got);
        if (n <= 0)
            return n < 0;
        c->got += (size_t)n;
    }
    if (c->got < c->hdr.length)
        return true;
    if (c->fd_overflow) {
        drop_request(c);
        return refuse(sv, c, c->hdr.type | PVHV_CONTROL_REPLY,
                      -PVHV_CONTROL_EPROTO,
                      "more descriptors than a request may carry");
    }
    return serve(sv, c);
}

void client_event(struct server *sv, struct client *c, uint32_t events)
{
    bool ok = true;

    if (events & EPOLLOUT) {
        ok = flush(sv, c);
        if (ok && !c->out && c->con.md)
            ok = console_pump(&c->con);
    } else if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        /* A few messages a wake-up: others' turns come in between. */
        for (int i = 0; ok && i < 8 && !c->out && !c->close_after; i++) {
            unsigned int before = c->hdr_got + c->got;

            ok = on_input(sv, c);
            if (ok && c->hdr_got + c->got == before && !c->out)
                break;
        }
        if (ok && (events & (EPOLLHUP | EPOLLERR)) && !c->out)
            ok = on_input(sv, c);
    }
    if (!ok)
        client_close(sv, c);
}

void client_tick(struct server *sv, uint64_t now)
{
    struct client *c = sv->clients, *next;

    for (; c; c = next) {
        next = c->next;
        if (c->deadline && now > c->deadline) {
            log_say(LOG_WARNING,
                    "client pid %d: a request unfinished after %d s; "
                    "closed",
                    (int)c->pid, PVHV_CONTROL_TIMEOUT_S);
            client_close(sv, c);
        }
    }
}
