/* SPDX-License-Identifier: MIT */
/* socket.c: the XenStore UNIX socket transport for dom0 tools (libxenstore's
 * XENSTORED_PATH). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/xenstore/xenstore.h"
#include "host/loop.h"

/*
 * The host loop serves the listening socket and every client. Clients are
 * edge-triggered for both directions: input is read until EAGAIN; output
 * is written by whichever thread flushes the connection (often another
 * one, firing a watch), and a short write is resumed on the loop when
 * EPOLLOUT reports room again. A client that leaves too much output
 * unread is paused (the bytes the connection did not take wait in in[],
 * and nothing more is read until EPOLLOUT), then closed when the output
 * overflows (client_overflow, from any thread, shuts the socket down; the
 * loop then sees the hang-up and frees it). Everything but the log runs
 * on the loop thread, or (xenstore_socket_stop) with the loop's callbacks
 * kept out: no lock guards the clients.
 */
struct xs_client {
    struct xs_client *next;
    struct xenstore_socket *s;
    int fd;
    struct host_fd *h;
    pid_t pid;
    struct xenstore_conn *conn;
    size_t in_off, in_len; /* read, not yet taken by the connection */
    char in[4096];
};

/*
 * Lines about clients, at most LOG_BURST per LOG_WINDOW seconds (the
 * kernel's printk_ratelimit defaults): a client must not flood the log.
 */
#define LOG_BURST 10
#define LOG_WINDOW 5
/* After accept fails for want of descriptors or memory: the next try. */
#define ACCEPT_RETRY_MS 100

struct xenstore_socket {
    struct xenstore *xs;
    struct host_loop *loop;
    char *path;
    int lfd;
    struct host_fd *lh;
    struct host_timer *retry; /* accept again after a failure */
    struct xs_client *clients;
    bool accept_paused;       /* lfd waits for nothing until then */
    bool accept_failing;      /* said so; quiet until an accept works */
    pthread_mutex_t log_lock; /* sock_warn runs on any thread */
    time_t log_window;
    unsigned int log_lines;
    unsigned long log_suppressed;
};

static void __attribute__((format(printf, 2, 3)))
sock_warn(struct xenstore_socket *s, const char *fmt, ...)
{
    struct timespec now;
    unsigned long suppressed = 0;
    bool ok;
    char msg[256];
    va_list ap;

    clock_gettime(CLOCK_MONOTONIC, &now);
    pthread_mutex_lock(&s->log_lock);
    if (now.tv_sec - s->log_window >= LOG_WINDOW) {
        suppressed = s->log_suppressed;
        s->log_window = now.tv_sec;
        s->log_lines = 0;
        s->log_suppressed = 0;
    }
    ok = s->log_lines < LOG_BURST;
    if (ok)
        s->log_lines++;
    else
        s->log_suppressed++;
    pthread_mutex_unlock(&s->log_lock);
    if (suppressed)
        pr_warn("xenstore: %lu more messages about socket clients suppressed",
                suppressed);
    if (!ok)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    pr_warn("%s", msg);
}

static ssize_t client_write(void *opaque, const void *buf, size_t len)
{
    struct xs_client *c = opaque;
    ssize_t n = send(c->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);

    if (n >= 0)
        return n;
    return errno == EAGAIN || errno == EINTR ? 0 : -errno;
}

/*
 * The connection's output overflowed: ends the socket both ways, which the
 * loop sees as a hang-up and closes. Under the connection's output lock,
 * so the loop cannot free the client meanwhile.
 */
static void client_overflow(void *opaque)
{
    struct xs_client *c = opaque;

    shutdown(c->fd, SHUT_RDWR);
    sock_warn(
        c->s,
        "xenstore: disconnected a client (pid %d) that left over %d bytes of replies and watch events unread",
        (int)c->pid, XENSTORE_OUTPUT_MAX);
}

static const struct xenstore_conn_ops client_ops = {
    .write = client_write,
    .overflow = client_overflow,
};

static void accept_resume(struct xenstore_socket *s)
{
    if (s->accept_paused && host_fd_modify(s->lh, EPOLLIN) == 0)
        s->accept_paused = false;
}

/* The retry timer: accept again, or wait another round. */
static void accept_retry(void *opaque)
{
    struct xenstore_socket *s = opaque;

    accept_resume(s);
    if (s->accept_paused)
        host_timer_arm(s->retry, host_now_ns() + ACCEPT_RETRY_MS * 1000000ULL);
}

/*
 * accept failed for want of a resource (EMFILE, ENFILE, ENOBUFS, ...): the
 * listening socket stays readable, so polling it again at once would
 * spin. It waits for nothing until ACCEPT_RETRY_MS passed or one of our
 * clients left (freeing a descriptor); waiting clients stay queued.
 */
static void accept_pause(struct xenstore_socket *s, int err)
{
    if (!s->accept_failing)
        sock_warn(
            s,
            "xenstore: cannot accept a client: %s; trying again every %d ms and when a client leaves",
            strerror(err), ACCEPT_RETRY_MS);
    s->accept_failing = true;
    if (host_fd_modify(s->lh, 0) != 0)
        return;
    s->accept_paused = true;
    host_timer_arm(s->retry, host_now_ns() + ACCEPT_RETRY_MS * 1000000ULL);
}

static void sock_client_close(struct xenstore_socket *s, struct xs_client *c)
{
    struct xs_client **pp;

    /* Free the connection first: until then other threads may write. */
    xenstore_conn_free(c->conn);
    host_fd_remove(c->h);
    close(c->fd);
    for (pp = &s->clients; *pp; pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    }
    free(c);
    accept_resume(s); /* a descriptor is free */
}

/* Root and our own user only: a client here is domain 0. */
static bool peer_allowed(struct xenstore_socket *s, int fd, pid_t *pid)
{
    struct ucred cred;
    socklen_t len = sizeof(cred);

    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
        return false;
    *pid = cred.pid;
    if (cred.uid == 0 || cred.uid == geteuid())
        return true;
    sock_warn(s, "xenstore: refused a client of uid %u (pid %d)",
              (unsigned int)cred.uid, (int)cred.pid);
    return false;
}

static void on_client(void *opaque, uint32_t events);

static void client_add(struct xenstore_socket *s, int fd)
{
    struct xs_client *c;
    pid_t pid;

    c = peer_allowed(s, fd, &pid) ? calloc(1, sizeof(*c)) : NULL;
    if (!c) {
        close(fd);
        return;
    }
    c->s = s;
    c->fd = fd;
    c->pid = pid;
    c->conn = xenstore_conn_new(s->xs, 0, true, &client_ops, c);
    if (!c->conn || host_fd_add(s->loop, fd, EPOLLIN | EPOLLOUT | EPOLLET,
                                on_client, c, &c->h) != 0) {
        if (c->conn)
            xenstore_conn_free(c->conn);
        close(fd);
        free(c);
        return;
    }
    c->next = s->clients;
    s->clients = c;
}

static void on_listen(void *opaque, uint32_t events)
{
    struct xenstore_socket *s = opaque;
    int fd;

    (void)events;
    for (;;) {
        fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0) {
            s->accept_failing = false;
            client_add(s, fd);
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
        /* The one client's trouble (it left, ...): the next one. */
        if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO ||
            errno == EPERM)
            continue;
        accept_pause(s, errno);
        return;
    }
}

/*
 * Feeds the connection, bytes kept from before first, then reads until
 * EAGAIN, or until the connection pauses (what it did not take stays in
 * in[]). Returns false when the client must go.
 */
static bool client_read(struct xs_client *c)
{
    ssize_t n;

    for (;;) {
        if (c->in_len) {
            n = xenstore_conn_input(c->conn, c->in + c->in_off, c->in_len);
            if (n < 0)
                return false;
            c->in_off += (size_t)n;
            c->in_len -= (size_t)n;
            if (c->in_len)
                return true; /* paused: EPOLLOUT resumes it */
        }
        n = recv(c->fd, c->in, sizeof(c->in), MSG_DONTWAIT);
        if (n > 0) {
            c->in_off = 0;
            c->in_len = (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        return n < 0 && errno == EAGAIN; /* else end of stream or error */
    }
}

/* Output room (EPOLLOUT): flushes; a paused client's input goes on. */
static bool client_room(struct xs_client *c)
{
    if (xenstore_conn_flush(c->conn) < 0)
        return false;
    return !c->in_len || client_read(c);
}

static void on_client(void *opaque, uint32_t events)
{
    struct xs_client *c = opaque;

    if ((events & EPOLLOUT) && !client_room(c)) {
        sock_client_close(c->s, c);
        return;
    }
    /* A hang-up ends a paused client too: no one reads replies. */
    if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) &&
        (!client_read(c) || (events & (EPOLLHUP | EPOLLERR))))
        sock_client_close(c->s, c);
}

/*
 * Binds (path). A socket file left by a dead server is replaced; one that
 * answers belongs to a live server and is left alone (EADDRINUSE).
 */
static int bind_path(int fd, const char *path, char *why, size_t wlen)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    bool live = false;
    int probe, rc;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        snprintf(why, wlen, "xenstore socket path %s is longer than %zu bytes",
                 path, sizeof(sa.sun_path) - 1);
        return -ENAMETOOLONG;
    }
    strcpy(sa.sun_path, path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
        return 0;
    rc = -errno;
    struct stat st;
    /* Only a stale socket is replaced: never a user's file. */
    if (rc == -EADDRINUSE && lstat(path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
        snprintf(
            why, wlen,
            "cannot bind the xenstore socket %s: a file that is not a socket is there",
            path);
        return -EEXIST;
    }
    if (rc == -EADDRINUSE) {
        probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        live = probe >= 0 &&
               connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0;
        if (probe >= 0)
            close(probe);
        if (!live && unlink(path) == 0 &&
            bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
            return 0;
        rc = live ? -EADDRINUSE : -errno;
    }
    snprintf(why, wlen, "cannot bind the xenstore socket %s: %s", path,
             live ? "another server listens there" : strerror(-rc));
    return rc;
}

static int socket_setup(struct xenstore_socket *s, char *why, size_t wlen)
{
    int rc;

    s->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    rc = s->lfd < 0 ? -errno
                    : host_timer_new(s->loop, accept_retry, s, &s->retry);
    if (rc) {
        snprintf(why, wlen, "xenstore socket set-up: %s", strerror(-rc));
        return rc;
    }
    /*
     * 0600 whatever the umask. On Linux the file bind makes takes the
     * socket inode's mode (less the umask), so it never exists with more;
     * then it is set exactly.
     */
    if (fchmod(s->lfd, 0600) != 0) {
        rc = -errno;
        snprintf(why, wlen, "xenstore socket set-up: fchmod: %s",
                 strerror(-rc));
        return rc;
    }
    rc = bind_path(s->lfd, s->path, why, wlen);
    if (rc)
        return rc;
    if (chmod(s->path, 0600) != 0) {
        rc = -errno;
        snprintf(why, wlen, "cannot make the xenstore socket %s mode 0600: %s",
                 s->path, strerror(-rc));
        unlink(s->path);
        return rc;
    }
    if (listen(s->lfd, 64) != 0 ||
        (rc = host_fd_add(s->loop, s->lfd, EPOLLIN, on_listen, s, &s->lh))) {
        rc = rc ? rc : -errno;
        snprintf(why, wlen, "cannot listen on the xenstore socket %s: %s",
                 s->path, strerror(-rc));
        unlink(s->path);
        return rc;
    }
    return 0;
}

static void socket_free(struct xenstore_socket *s)
{
    host_timer_free(s->retry);
    if (s->lfd >= 0)
        close(s->lfd);
    pthread_mutex_destroy(&s->log_lock);
    free(s->path);
    free(s);
}

int xenstore_socket_start(struct xenstore *xs, struct host_loop *loop,
                          const char *path, struct xenstore_socket **out,
                          char *why, size_t wlen)
{
    struct xenstore_socket *s = calloc(1, sizeof(*s));
    int rc;

    if (!s || !(s->path = strdup(path))) {
        free(s);
        snprintf(why, wlen, "out of memory");
        return -ENOMEM;
    }
    s->xs = xs;
    s->loop = loop;
    s->lfd = -1;
    pthread_mutex_init(&s->log_lock, NULL);
    rc = socket_setup(s, why, wlen);
    if (rc) {
        socket_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

/* On the loop, or with it stopped: no callback of ours runs meanwhile. */
static void socket_close(void *opaque)
{
    struct xenstore_socket *s = opaque;

    while (s->clients)
        sock_client_close(s, s->clients);
    host_fd_remove(s->lh);
    host_timer_cancel(s->retry);
}

void xenstore_socket_stop(struct xenstore_socket *s)
{
    if (!s)
        return;
    host_loop_run(s->loop, socket_close, s);
    unlink(s->path);
    socket_free(s);
}
