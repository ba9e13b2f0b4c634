/* SPDX-License-Identifier: MIT */
/* client.h: one client of pvhvd's control socket. */
#ifndef PVHV_TOOLSTACK_PVHVD_CLIENT_H
#define PVHV_TOOLSTACK_PVHVD_CLIENT_H

#include "server.h"

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

    /* Carrying a domain's console (console.c). */
    struct mdom *md;
    unsigned int boot;
    uint64_t pos;
    uint64_t lost;
    bool repump; /* more output waits: pump again after this round */
};

/*
 * client_queue: (c)'s one outgoing message; written now as far as the
 * socket takes. False when the client is gone (the caller closes it).
 */
bool client_queue(struct server *sv, struct client *c, unsigned int type,
                  int status, const void *payload, size_t len);

#endif /* PVHV_TOOLSTACK_PVHVD_CLIENT_H */
