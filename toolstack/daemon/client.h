/* SPDX-License-Identifier: MIT */
/* client.h: the clients of pvhvd's control socket. */
#ifndef PVHV_TOOLSTACK_PVHVD_CLIENT_H
#define PVHV_TOOLSTACK_PVHVD_CLIENT_H

#include "console.h"
#include "loop.h"
#include "server.h"

/*
 * client_ops: what client.c tells the owner of the clients, which hands
 * them down in struct server (client_ops) before the first client.
 *  closed: a client is gone; the domains only its console kept may go.
 */
struct client_ops {
    void (*closed)(struct server *sv);
};

struct client {
    struct client *next, *prev;
    int fd;
    struct tag tag;
    uint32_t events;
    pid_t pid;
    uid_t uid;

    /* The request coming in: header, payload (malloc'd once its length
     * is known), descriptors; a deadline from its first byte. */
    struct pvhv_control_hdr hdr;
    size_t hdr_got;
    uint8_t *payload;
    size_t got;
    int fds[PVHV_CONTROL_FDS_MAX];
    unsigned int nfds;
    bool fd_overflow;
    uint64_t deadline;

    /* One message going out, at most. */
    uint8_t *out;
    size_t out_len, out_off;
    bool close_after;

    /* Carrying a domain's console (console.c): con.md set. */
    struct console_reader con;
};

/* client_accept: (fd), just accepted, is a client: hello or refusal. */
void client_accept(struct server *sv, int fd);

/* client_event: (events) of (c)'s socket; (c) may be closed after. */
void client_event(struct server *sv, struct client *c, uint32_t events);

/* client_close: (c) ends: its socket, request and console reader. */
void client_close(struct server *sv, struct client *c);

/* client_tick: clients whose request is unfinished at (now) are closed. */
void client_tick(struct server *sv, uint64_t now);

#endif /* PVHV_TOOLSTACK_PVHVD_CLIENT_H */
