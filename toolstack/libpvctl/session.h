/* SPDX-License-Identifier: MIT */
/* session.h: pvctl's way to a hypervisor: embedded, or pvhvd's socket. */
#ifndef PVHV_TOOLSTACK_SESSION_H
#define PVHV_TOOLSTACK_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "control_serve.h"
#include "control_wire.h"
#include "manager.h"
#include "pvctl_error.h"

/*
 * A session carries control requests (abi/include/pvabi/control.h) to a
 * manager of domains: one in this process (embedded: `pvctl run`), or
 * pvhvd's over its UNIX socket. The verbs speak requests only, so both
 * kinds behave alike: the embedded session serves each request with
 * control_serve, exactly as pvhvd serves what its socket reads.
 */
struct pvctl_session;

/* The daemon could not be reached, or the connection broke. */
#define PVCTL_SESSION_EDAEMON 100

/*
 * pvctl_session_embedded: a session serving requests with (srv) in this
 * process (srv and its manager outlive it). Returns 0 or -ENOMEM.
 */
int pvctl_session_embedded(struct pvctl_session **s,
                           struct control_server *srv);

/*
 * pvctl_session_connect: a session with the daemon listening at (path),
 * once it has greeted (HELLO) in a version we speak. Returns 0,
 * -PVCTL_SESSION_EDAEMON (no daemon there: err says so and how to start
 * one), -PVHV_CONTROL_EACCES (refused: err has the daemon's words), or
 * -PVHV_CONTROL_EVERSION / -PVHV_CONTROL_EPROTO.
 */
int pvctl_session_connect(struct pvctl_session **s, const char *path,
                          struct pvctl_error *err);

void pvctl_session_close(struct pvctl_session *s);

/*
 * pvctl_session_call: sends request (type) with (len) bytes of (req) and
 * (nfds) descriptors (fds, still the caller's) and gets its reply into
 * (reply). Returns 0, the reply's -PVHV_CONTROL_E* (err has its message),
 * or -PVCTL_SESSION_EDAEMON.
 */
int pvctl_session_call(struct pvctl_session *s, unsigned int type,
                       const void *req, size_t len, const int *fds,
                       unsigned int nfds, struct control_msg *reply,
                       struct pvctl_error *err);

/*
 * pvctl_session_domain: a call whose reply is one domain (create, find,
 * destroy, pause, unpause, console, shutdown), into (out).
 */
int pvctl_session_domain(struct pvctl_session *s, unsigned int type,
                         const void *req, size_t len, const int *fds,
                         unsigned int nfds, struct pvhv_control_domain *out,
                         struct pvctl_error *err);

/*
 * pvctl_session_list: every domain, in id order, page by page, to (fn);
 * stops early when (fn) returns false. Returns 0 or a call's error.
 */
int pvctl_session_list(struct pvctl_session *s,
                       bool (*fn)(void *ctx,
                                  const struct pvhv_control_domain *d),
                       void *ctx, struct pvctl_error *err);

/*
 * pvctl_session_socket: the socket of a daemon session (for the console
 * stream that follows a CONSOLE reply), -1 when embedded.
 */
int pvctl_session_socket(struct pvctl_session *s);

#endif /* PVHV_TOOLSTACK_SESSION_H */
