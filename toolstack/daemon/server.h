/* SPDX-License-Identifier: MIT */
/* server.h: pvhvd's control socket: its loop, clients and consoles. */
#ifndef PVHV_TOOLSTACK_PVHVD_SERVER_H
#define PVHV_TOOLSTACK_PVHVD_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "libpvctl/control_serve.h"
#include "libpvctl/manager.h"

struct server_opts {
    const char *socket;  /* path to listen on */
    const char *group;   /* who may connect, besides root */
    unsigned long grace; /* s between control/shutdown and destroy */
    unsigned int max_clients;
    unsigned long max_restarts;
    size_t console_buffer; /* kept console output per domain */
    bool notify;           /* tell systemd (sd_notify) */
};

struct client;
struct watch;

/* What an epoll event is about. */
enum tag_kind { TAG_LISTEN, TAG_SIGNAL, TAG_WAKE, TAG_CLIENT, TAG_WATCH };
struct tag {
    enum tag_kind kind;
    void *ptr;
};

struct server {
    struct server_opts o;
    struct pvhv *hv;
    struct manager *m;
    struct control_server srv;
    int epfd, listen_fd, sig_fd, wake_fd;
    struct tag t_listen, t_signal, t_wake;
    gid_t gid; /* of o.group; (gid_t)-1: none, root only */
    struct client *clients;
    unsigned int nclients;
    struct watch *watches; /* one per domain with a console reader */
    bool stopping;         /* SIGTERM: domains asked to power off */
    uint64_t deadline_ns;  /* CLOCK_MONOTONIC: destroy what still runs */
    bool destroying;
    struct control_msg msg;     /* the request served now (one thread) */
    struct control_reply reply; /* and its reply */
};

/* server.c */
int server_run(const struct server_opts *o);
uint64_t server_now_ns(void);

/* server_reap: frees the records that ended and that no console reads. */
void server_reap(struct server *sv);

/* server_watch: adds (fd) to the loop for (events) with (t); -errno. */
int server_watch(struct server *sv, int fd, uint32_t events, struct tag *t);

/* server_log: a line of the daemon's own, to stderr or syslog. */
void server_log(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* client.c */
void client_accept(struct server *sv, int fd);
void client_event(struct server *sv, struct client *c, uint32_t events);
void client_close(struct server *sv, struct client *c);
void client_tick(struct server *sv, uint64_t now);

/* console.c: clients that carry a domain's console. */
/*
 * console_attach, console_pump: false when (c) must be closed (the caller
 * does it: nothing here frees a client under its caller).
 */
bool console_attach(struct server *sv, struct client *c, struct mdom *md);
void console_detach(struct server *sv, struct client *c);
bool console_pump(struct server *sv, struct client *c);
void console_watch_event(struct server *sv, struct watch *w);
void console_changed(struct server *sv);
bool console_readers(struct server *sv, struct mdom *md);
void console_input(struct server *sv, struct client *c, const char *buf,
                   size_t len);

#endif /* PVHV_TOOLSTACK_PVHVD_SERVER_H */
