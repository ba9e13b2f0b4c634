/* SPDX-License-Identifier: MIT */
/* control_wire.h: pvhvd's control messages: framing, checks, transfer. */
#ifndef PVHV_TOOLSTACK_CONTROL_WIRE_H
#define PVHV_TOOLSTACK_CONTROL_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvabi/control.h"
#include "pvctl_error.h"

/*
 * A message as received: its header, its payload (up to
 * PVHV_CONTROL_MSG_MAX - header), the descriptors that came with it.
 */
struct control_msg {
    struct pvhv_control_hdr hdr;
    _Alignas(8)
        uint8_t payload[PVHV_CONTROL_MSG_MAX - sizeof(struct pvhv_control_hdr)];
    int fds[PVHV_CONTROL_FDS_MAX];
    unsigned int nfds;
};

/* control_type_name: "create", "list", ...; "unknown" out of range. */
const char *control_type_name(unsigned int type);

/* control_error_name: the string of PVHV_CONTROL_E* (code), or "unknown". */
const char *control_error_name(int code);

/*
 * control_header_check: whether (h), just received, can be read on:
 * magic, then length. Returns 0, or -PVHV_CONTROL_EPROTO (bad magic: no
 * reply can be framed, close) or -PVHV_CONTROL_ETOOBIG, with (err) set.
 */
int control_header_check(const struct pvhv_control_hdr *h,
                         struct pvctl_error *err);

/*
 * control_request_check: whether the whole request (m) may be served
 * now: version, a request type (not a reply), one that is known, its
 * payload's exact size, terminated strings, values in range, the
 * descriptors it must carry (CREATE: 1 + nr_disks, none for others).
 * (console) says the connection carries a console (only CONSOLE_DATA is
 * in order then). Returns 0 or -PVHV_CONTROL_E* with (err) set.
 */
int control_request_check(const struct control_msg *m, bool console,
                          struct pvctl_error *err);

/*
 * control_create_check: the values of a CREATE request's payload (c)
 * (also what the embedded session passes). Returns 0 or
 * -PVHV_CONTROL_EPROTO with (err) naming the field and value.
 */
int control_create_check(const struct pvhv_control_create *c,
                         struct pvctl_error *err);

/*
 * control_reply_check: whether (m), read by a client that sent (type),
 * is its reply: version, type, a status of 0 or -PVHV_CONTROL_E*, the
 * payload's size for status 0, a message of at most PVHV_CONTROL_TEXT_MAX
 * for an error. A CONSOLE_DATA or CONSOLE_END is fine when (console).
 * Returns 0 or -PVHV_CONTROL_EPROTO with (err) set.
 */
int control_reply_check(const struct control_msg *m, unsigned int type,
                        bool console, struct pvctl_error *err);

/* control_header: a header for (type), (status), (length) bytes. */
struct pvhv_control_hdr control_header(unsigned int type, int status,
                                       size_t length);

/*
 * control_send: writes one message, (type) with (status) and (len) bytes
 * of (payload), and (nfds) descriptors (fds) on its first byte, to the
 * blocking socket (sock), whole. Returns 0 or -errno.
 */
int control_send(int sock, unsigned int type, int status, const void *payload,
                 size_t len, const int *fds, unsigned int nfds);

/*
 * control_recv: reads one whole message into (m) from the blocking
 * socket (sock), with the descriptors that came (at most
 * PVHV_CONTROL_FDS_MAX; more are closed and make it -EPROTO). Returns 0,
 * -ECONNRESET at a clean end of stream, -EPROTO (framing; err says why),
 * or -errno. On error no descriptor stays open.
 */
int control_recv(int sock, struct control_msg *m, struct pvctl_error *err);

/* control_msg_close_fds: closes the descriptors (m) holds. */
void control_msg_close_fds(struct control_msg *m);

/*
 * control_cstr: whether (s) of (size) bytes holds a NUL (a terminated
 * string).
 */
bool control_cstr(const char *s, size_t size);

#endif /* PVHV_TOOLSTACK_CONTROL_WIRE_H */
