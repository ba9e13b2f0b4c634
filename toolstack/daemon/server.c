/* SPDX-License-Identifier: MIT */
/* server.c: pvhvd's loop: the control socket, signals, domains' ends. */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "client.h"
#include "log.h"
#include "loop.h"
#include "server.h"

/* say: the manager's lines (a domain's boots and ends), in the log. */
static void say(void *opaque, bool status, const char *text)
{
    const char *nl;

    (void)opaque;
    /* A crash's registers: a line each, as syslog wants them. */
    for (; (nl = strchr(text, '\n')) != NULL; text = nl + 1)
        log_say(status ? LOG_INFO : LOG_WARNING, "%.*s", (int)(nl - text),
                text);
    log_say(status ? LOG_INFO : LOG_WARNING, "%s", text);
}

/* changed: a boot began or ended, on a record's thread: wake the loop. */
static void changed(void *opaque, struct mdom *md)
{
    struct server *sv = opaque;
    uint64_t one = 1;

    (void)md;
    if (write(sv->wake_fd, &one, sizeof(one)) < 0)
        return; /* EAGAIN: it is awake already */
}

/*
 * listen_on: the control socket at (path), mode 0660 and owned by the
 * group, so that the file system lets only root and the group connect
 * (SO_PEERCRED checks again). A stale socket there is replaced; anything
 * else is left alone.
 */
static int listen_on(struct server *sv, const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    struct stat st;
    int fd;

    if (strlen(path) >= sizeof(a.sun_path)) {
        log_say(LOG_ERR, "--socket %s: longer than %zu bytes", path,
                sizeof(a.sun_path) - 1);
        return -ENAMETOOLONG;
    }
    if (lstat(path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
        log_say(LOG_ERR, "--socket %s: exists and is not a socket", path);
        return -EEXIST;
    }
    memcpy(a.sun_path, path, strlen(path) + 1);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    /* Another daemon listening there must not be robbed of its socket. */
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
        log_say(LOG_ERR, "--socket %s: another pvhvd listens there", path);
        close(fd);
        return -EADDRINUSE;
    }
    unlink(path);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        chmod(path, 0660) != 0 ||
        (sv->gid != (gid_t)-1 && chown(path, 0, sv->gid) != 0 &&
         errno != EPERM) ||
        listen(fd, 128) != 0) {
        int e = errno;

        log_say(LOG_ERR, "--socket %s: %s", path, strerror(e));
        close(fd);
        return -e;
    }
    sv->listen_fd = fd;
    return 0;
}

static int signals(struct server *sv)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGPIPE);
    if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
        return -EINVAL;
    sigdelset(&set, SIGPIPE);
    sv->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    return sv->sig_fd < 0 ? -errno : 0;
}

/* stop_domains: SIGTERM: every domain asked to power off, none restarted. */
static void stop_domains(struct server *sv);

static bool ask_one(void *ctx, struct mdom *md)
{
    unsigned int *count = ctx;
    int rc = mdom_shutdown(md, "poweroff", true);

    if (rc < 0)
        mdom_destroy(md); /* it cannot hear the request */
    *count += rc > 0;
    if (rc > 0)
        log_say(LOG_INFO, "domain '%s' (id %u): asked to power off",
                mdom_name(md), mdom_id(md));
    return true;
}

static bool destroy_one(void *ctx, struct mdom *md)
{
    unsigned int *count = ctx;

    *count += (unsigned int)mdom_destroy(md);
    return true;
}

static void stop_domains(struct server *sv)
{
    unsigned int count = 0;

    if (sv->stopping) {
        manager_each(sv->m, 0, destroy_one, &count);
        sv->destroying = true;
        log_say(LOG_WARNING, "second signal: destroying %u domain(s)", count);
        return;
    }
    sv->stopping = true;
    if (sv->o.notify)
        sd_notify(0, "STOPPING=1");
    manager_each(sv->m, 0, ask_one, &count);
    sv->deadline_ns = loop_now_ns() + sv->o.grace * 1000000000ULL;
    log_say(LOG_INFO, "stopping: asked %u domain(s) to power off (grace %lu s)",
            count, sv->o.grace);
}

static void on_signal(struct server *sv)
{
    struct signalfd_siginfo si;

    while (read(sv->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
        if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
            stop_domains(sv);
}

struct reap_ctx {
    struct server *sv;
};

/* reap_one: frees (md) once its thread ended and no console reads it. */
static bool reap_one(void *ctx, struct mdom *md)
{
    struct server *sv = ((struct reap_ctx *)ctx)->sv;

    /* Kept while a console reader finishes its output. */
    if (!mdom_done(md) || console_readers(&sv->consoles, md))
        return true;
    log_say(LOG_INFO, "domain '%s' (id %u): %s", mdom_name(md), mdom_id(md),
            mdom_summary(md)[0] ? mdom_summary(md) : "ended");
    manager_remove(sv->m, md);
    return true;
}

/* reap: frees the records that ended and that no console reads. */
static void reap(struct server *sv)
{
    struct reap_ctx x = {sv};

    manager_each(sv->m, 0, reap_one, &x);
}

static void on_wake(struct server *sv)
{
    uint64_t n;

    if (read(sv->wake_fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
        return;
    console_changed(&sv->consoles);
    reap(sv);
}

/* timeout_ms: until the next second's tick, or the grace's end. */
static int timeout_ms(struct server *sv)
{
    uint64_t now = loop_now_ns();

    if (console_pending(&sv->consoles))
        return 0;
    if (sv->stopping && !sv->destroying && sv->deadline_ns > now &&
        sv->deadline_ns - now < 1000000000ULL)
        return (int)((sv->deadline_ns - now) / 1000000) + 1;
    return 1000;
}

static void tick(struct server *sv)
{
    uint64_t now = loop_now_ns();
    unsigned int count = 0;

    client_tick(sv, now);
    if (sv->stopping && !sv->destroying && now >= sv->deadline_ns) {
        manager_each(sv->m, 0, destroy_one, &count);
        sv->destroying = true;
        log_say(LOG_WARNING, "grace of %lu s over: destroying %u domain(s)",
                sv->o.grace, count);
    }
}

static void dispatch(struct server *sv, struct epoll_event *ev)
{
    struct tag *t = ev->data.ptr;

    switch (t->kind) {
    case TAG_LISTEN:
        for (;;) {
            int fd = accept4(sv->listen_fd, NULL, NULL,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0)
                break;
            client_accept(sv, fd);
        }
        break;
    case TAG_SIGNAL:
        on_signal(sv);
        break;
    case TAG_WAKE:
        on_wake(sv);
        break;
    case TAG_CLIENT:
        client_event(sv, t->ptr, ev->events);
        break;
    case TAG_WATCH:
        console_watch_event(&sv->consoles, t->ptr);
        break;
    }
}

static int loop(struct server *sv)
{
    struct epoll_event ev[64];

    while (!sv->stopping || manager_count(sv->m) > 0) {
        int n = epoll_wait(sv->epfd, ev, 64, timeout_ms(sv));

        if (n < 0 && errno != EINTR)
            return -errno;
        for (int i = 0; i < n; i++)
            dispatch(sv, &ev[i]);
        /* Consoles that had more to read than one round took. */
        console_repump(&sv->consoles);
        tick(sv);
    }
    return 0;
}

static int open_group(struct server *sv)
{
    struct group *g = getgrnam(sv->o.group);

    sv->gid = g ? g->gr_gid : (gid_t)-1;
    if (!g)
        log_say(LOG_WARNING,
                "group '%s' does not exist: only root may connect "
                "(groupadd --system %s, or --group NAME)",
                sv->o.group, sv->o.group);
    return 0;
}

static int setup(struct server *sv)
{
    struct manager_opts mo = {
        .hv = sv->hv,
        .max_restarts = sv->o.max_restarts,
        .console_buffer = sv->o.console_buffer,
        .log_buffer = 16384,
        .say = say,
        .changed = changed,
        .opaque = sv,
    };
    int rc;

    sv->m = manager_new(&mo);
    if (!sv->m)
        return -ENOMEM;
    sv->srv.m = sv->m;
    sv->srv.own_fds = true;
    sv->srv.hv = sv->hv;
    sv->epfd = epoll_create1(EPOLL_CLOEXEC);
    sv->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (sv->epfd < 0 || sv->wake_fd < 0)
        return -errno;
    console_init(&sv->consoles, sv->epfd);
    rc = open_group(sv);
    if (rc == 0)
        rc = listen_on(sv, sv->o.socket);
    sv->t_listen = (struct tag){TAG_LISTEN, NULL};
    sv->t_signal = (struct tag){TAG_SIGNAL, NULL};
    sv->t_wake = (struct tag){TAG_WAKE, NULL};
    if (rc == 0)
        rc = loop_watch(sv->epfd, sv->listen_fd, EPOLLIN, &sv->t_listen);
    if (rc == 0)
        rc = loop_watch(sv->epfd, sv->sig_fd, EPOLLIN, &sv->t_signal);
    if (rc == 0)
        rc = loop_watch(sv->epfd, sv->wake_fd, EPOLLIN, &sv->t_wake);
    return rc;
}

static void teardown(struct server *sv)
{
    while (sv->clients)
        client_close(sv, sv->clients);
    if (sv->listen_fd >= 0) {
        close(sv->listen_fd);
        unlink(sv->o.socket);
    }
    if (sv->m)
        manager_free(sv->m);
    if (sv->hv)
        pvhv_close(sv->hv);
    if (sv->wake_fd >= 0)
        close(sv->wake_fd);
    if (sv->epfd >= 0)
        close(sv->epfd);
    if (sv->sig_fd >= 0)
        close(sv->sig_fd);
}

/* What the clients tell the server. */
static const struct client_ops client_ops = {
    .closed = reap,
};

int server_run(const struct server_opts *o)
{
    struct server sv = {.o = *o,
                        .epfd = -1,
                        .listen_fd = -1,
                        .sig_fd = -1,
                        .wake_fd = -1,
                        .client_ops = &client_ops};
    struct pvhv_error err = {""};
    int rc;

    /* Before any thread starts: they all inherit the blocked signals. */
    rc = signals(&sv);
    if (rc == 0 && pvhv_open(&sv.hv, &err) != 0) {
        log_say(LOG_ERR, "%s", err.msg);
        rc = -ENODEV;
    }
    if (rc == 0)
        rc = setup(&sv);
    if (rc == 0) {
        log_say(LOG_INFO, "listening on %s (pid %d)", o->socket, (int)getpid());
        if (o->notify)
            sd_notifyf(0, "READY=1\nSTATUS=listening on %s\nMAINPID=%d",
                       o->socket, (int)getpid());
        rc = loop(&sv);
        log_say(LOG_INFO, "stopped");
    }
    teardown(&sv);
    return rc;
}
