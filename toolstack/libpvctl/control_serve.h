/* SPDX-License-Identifier: MIT */
/* control_serve.h: a checked control request served by the manager. */
#ifndef PVHV_TOOLSTACK_CONTROL_SERVE_H
#define PVHV_TOOLSTACK_CONTROL_SERVE_H

#include <stdbool.h>

#include "control_wire.h"
#include "manager.h"

/* Where a request is served: its manager and what comes with the request. */
struct control_server {
    struct manager *m;
    struct pvhv *hv; /* for INFO: native execution's verdict */
    bool own_fds;    /* created records own the request's descriptors */
    bool hold;       /* made domains are not started (control_serve_release) */
    const struct mdom_console *con; /* the console of created records */
    struct mdom **held;             /* hold: the records made, in order */
    unsigned int nheld, maxheld;
};

/* The reply, built by control_serve. */
struct control_reply {
    unsigned int type; /* the request's | PVHV_CONTROL_REPLY */
    int status;        /* 0 or -PVHV_CONTROL_E* */
    size_t len;
    _Alignas(8)
        uint8_t payload[PVHV_CONTROL_MSG_MAX - sizeof(struct pvhv_control_hdr)];
    struct mdom *console; /* not NULL: the connection carries its console */
};

/*
 * control_serve: serves (req), which control_request_check passed, with
 * (srv): one call of the handler its type indexes in a bounds-checked
 * table. The request's descriptors are consumed (given to the record
 * made, or closed). Fills (r): a payload, or an error and its message.
 */
void control_serve(struct control_server *srv, struct control_msg *req,
                   struct control_reply *r);

/*
 * control_reply_error: (r) becomes an error reply (code), with the
 * message (fmt) (cut to PVHV_CONTROL_TEXT_MAX).
 */
void control_reply_error(struct control_reply *r, unsigned int type, int code,
                         const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif /* PVHV_TOOLSTACK_CONTROL_SERVE_H */
