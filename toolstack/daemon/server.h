/* SPDX-License-Identifier: MIT */
/* server.h: pvhvd's control socket: its loop and the daemon's state. */
#ifndef PVHV_TOOLSTACK_PVHVD_SERVER_H
#define PVHV_TOOLSTACK_PVHVD_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "console.h"
#include "libpvctl/control_serve.h"
#include "libpvctl/manager.h"
#include "loop.h"

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
struct client_ops;

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
    const struct client_ops *client_ops; /* what client.c tells server.c */
    struct consoles consoles;            /* the clients that read a console */
    bool stopping;        /* SIGTERM: domains asked to power off */
    uint64_t deadline_ns; /* CLOCK_MONOTONIC: destroy what still runs */
    bool destroying;
    struct control_msg msg;     /* the request served now (one thread) */
    struct control_reply reply; /* and its reply */
};

/* server_run: the daemon with (o) until it stops; 0 or -errno (logged). */
int server_run(const struct server_opts *o);

#endif /* PVHV_TOOLSTACK_PVHVD_SERVER_H */
