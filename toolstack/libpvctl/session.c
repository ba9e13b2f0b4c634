/* SPDX-License-Identifier: MIT */
/* session.c: pvctl's way to a hypervisor: embedded, or pvhvd's socket. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "session.h"
#include "host.h"

struct pvctl_session {
    struct control_server *srv; /* embedded */
    int sock;                   /* daemon: -1 when embedded */
    struct control_msg *msg;    /* the request, built here (64 KiB) */
    struct control_reply *out;  /* embedded: the reply */
};

static struct pvctl_session *session_new(void)
{
    struct pvctl_session *s = calloc(1, sizeof(*s));

    if (!s)
        return NULL;
    s->sock = -1;
    s->msg = malloc(sizeof(*s->msg));
    if (!s->msg) {
        free(s);
        return NULL;
    }
    return s;
}

int pvctl_session_embedded(struct pvctl_session **sp,
                           struct control_server *srv)
{
    struct pvctl_session *s = session_new();

    if (!s)
        return -ENOMEM;
    s->srv = srv;
    s->out = malloc(sizeof(*s->out));
    if (!s->out) {
        pvctl_session_close(s);
        return -ENOMEM;
    }
    *sp = s;
    return 0;
}

/* greet: the daemon's HELLO, or its refusal. */
static int greet(struct pvctl_session *s, const char *path,
                 struct pvctl_error *err)
{
    const struct pvhv_control_hello *h = (const void *)s->msg->payload;
    struct pvctl_error why = {""};
    int rc = control_recv(s->sock, s->msg, &why);

    if (rc < 0) {
        pvctl_error_set(err,
                        "%s: the daemon closed the connection before "
                        "its greeting%s%s",
                        path, why.msg[0] ? ": " : "", why.msg);
        return -PVCTL_SESSION_EDAEMON;
    }
    if (s->msg->hdr.type == PVHV_CONTROL_HELLO && s->msg->hdr.status < 0) {
        pvctl_error_set(err, "%s: refused by the daemon: %.*s", path,
                        (int)s->msg->hdr.length, (char *)s->msg->payload);
        return s->msg->hdr.status;
    }
    if (s->msg->hdr.type != PVHV_CONTROL_HELLO ||
        s->msg->hdr.length != sizeof(*h) ||
        h->version != PVHV_CONTROL_VERSION) {
        pvctl_error_set(err,
                        "%s: the daemon speaks control protocol version "
                        "%u; this pvctl speaks %d",
                        path, s->msg->hdr.length == sizeof(*h) ? h->version : 0,
                        PVHV_CONTROL_VERSION);
        return -PVHV_CONTROL_EVERSION;
    }
    return 0;
}

int pvctl_session_connect(struct pvctl_session **sp, const char *path,
                          struct pvctl_error *err)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    struct pvctl_session *s;
    int rc;

    if (strlen(path) >= sizeof(a.sun_path)) {
        pvctl_error_set(err, "%s: socket path too long (at most %zu bytes)",
                        path, sizeof(a.sun_path) - 1);
        return -PVCTL_SESSION_EDAEMON;
    }
    s = session_new();
    if (!s) {
        pvctl_error_set(err, "out of memory");
        return -PVCTL_SESSION_EDAEMON;
    }
    memcpy(a.sun_path, path, strlen(path) + 1);
    s->sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    rc = s->sock < 0                                          ? -errno
         : connect(s->sock, (struct sockaddr *)&a, sizeof(a)) ? -errno
                                                              : 0;
    if (rc == -EACCES) {
        pvctl_error_set(err,
                        "%s: permission denied: root and the members of the "
                        "daemon's group (pvhvd --group, '" PVHV_CONTROL_GROUP
                        "' by default) may connect",
                        path);
        pvctl_session_close(s);
        return -PVHV_CONTROL_EACCES;
    }
    if (rc) {
        pvctl_error_set(err,
                        "no pvhv daemon at %s: %s; start one with 'pvhvd' "
                        "(or 'systemctl start pvhvd'), or name its socket "
                        "with --socket or PVHV_SOCKET",
                        path, strerror(-rc));
        pvctl_session_close(s);
        return -PVCTL_SESSION_EDAEMON;
    }
    rc = greet(s, path, err);
    if (rc) {
        pvctl_session_close(s);
        return rc;
    }
    *sp = s;
    return 0;
}

void pvctl_session_close(struct pvctl_session *s)
{
    if (!s)
        return;
    if (s->sock >= 0)
        close(s->sock);
    free(s->out);
    free(s->msg);
    free(s);
}

int pvctl_session_socket(struct pvctl_session *s)
{
    return s->sock;
}

/* embedded_call: the request served here, as pvhvd would serve it. */
static int embedded_call(struct pvctl_session *s, const int *fds,
                         unsigned int nfds, struct control_msg *reply,
                         struct pvctl_error *err)
{
    struct control_msg *q = s->msg;
    struct control_reply *r = s->out;
    int rc;

    /* The caller keeps its descriptors: the request gets duplicates. */
    for (q->nfds = 0; q->nfds < nfds; q->nfds++) {
        q->fds[q->nfds] = fcntl(fds[q->nfds], F_DUPFD_CLOEXEC, 0);
        if (q->fds[q->nfds] < 0) {
            char why[256];

            pvctl_error_set(err, "cannot duplicate descriptor %d: %s",
                            fds[q->nfds],
                            host_strerror(errno, why, sizeof(why)));
            control_msg_close_fds(q);
            return -PVHV_CONTROL_EHOST;
        }
    }
    rc = control_request_check(q, false, err);
    if (rc) {
        control_msg_close_fds(q);
        return rc;
    }
    control_serve(s->srv, q, r);
    reply->hdr = control_header(r->type, r->status, r->len);
    memcpy(reply->payload, r->payload, r->len);
    reply->nfds = 0;
    return 0;
}

/* daemon_call: the request over the socket, and its reply. */
static int daemon_call(struct pvctl_session *s, unsigned int type,
                       const int *fds, unsigned int nfds,
                       struct control_msg *reply, struct pvctl_error *err)
{
    struct pvctl_error why = {""};
    int rc = control_send(s->sock, type, 0, s->msg->payload, s->msg->hdr.length,
                          fds, nfds);

    /* A refusal may be waiting even when the write failed. */
    if (control_recv(s->sock, reply, &why) < 0) {
        pvctl_error_set(err, "the daemon closed the connection%s%s%s%s",
                        rc ? " (" : "", rc ? strerror(-rc) : "", rc ? ")" : "",
                        why.msg[0] ? ": " : "");
        pvctl_error_append(err, "%s", why.msg);
        return -PVCTL_SESSION_EDAEMON;
    }
    rc = control_reply_check(reply, type, false, &why);
    if (rc) {
        control_msg_close_fds(reply);
        pvctl_error_set(err, "a bad reply from the daemon: %s", why.msg);
        return -PVCTL_SESSION_EDAEMON;
    }
    return 0;
}

int pvctl_session_call(struct pvctl_session *s, unsigned int type,
                       const void *req, size_t len, const int *fds,
                       unsigned int nfds, struct control_msg *reply,
                       struct pvctl_error *err)
{
    int rc;

    if (len > sizeof(s->msg->payload) || nfds > PVHV_CONTROL_FDS_MAX) {
        pvctl_error_set(err, "request too large");
        return -PVHV_CONTROL_ETOOBIG;
    }
    s->msg->hdr = control_header(type, 0, len);
    if (len)
        memcpy(s->msg->payload, req, len);
    rc = s->srv ? embedded_call(s, fds, nfds, reply, err)
                : daemon_call(s, type, fds, nfds, reply, err);
    if (rc)
        return rc;
    if (reply->hdr.status < 0) {
        pvctl_error_set(err, "%.*s", (int)reply->hdr.length,
                        (const char *)reply->payload);
        return reply->hdr.status;
    }
    return 0;
}

int pvctl_session_domain(struct pvctl_session *s, unsigned int type,
                         const void *req, size_t len, const int *fds,
                         unsigned int nfds, struct pvhv_control_domain *out,
                         struct pvctl_error *err)
{
    struct control_msg *reply = malloc(sizeof(*reply));
    int rc;

    if (!reply) {
        pvctl_error_set(err, "out of memory");
        return -PVHV_CONTROL_EHOST;
    }
    rc = pvctl_session_call(s, type, req, len, fds, nfds, reply, err);
    if (rc == 0 && out)
        memcpy(out, reply->payload, sizeof(*out));
    free(reply);
    return rc;
}

int pvctl_session_list(struct pvctl_session *s,
                       bool (*fn)(void *ctx,
                                  const struct pvhv_control_domain *d),
                       void *ctx, struct pvctl_error *err)
{
    struct control_msg *reply = malloc(sizeof(*reply));
    struct pvhv_control_list req = {0, 0};
    int rc = 0;

    if (!reply) {
        pvctl_error_set(err, "out of memory");
        return -PVHV_CONTROL_EHOST;
    }
    do {
        const struct pvhv_control_list_reply *l = (const void *)reply->payload;
        bool more = true;

        rc = pvctl_session_call(s, PVHV_CONTROL_LIST, &req, sizeof(req), NULL,
                                0, reply, err);
        for (uint32_t i = 0; rc == 0 && more && i < l->count; i++)
            more = fn(ctx, &l->domains[i]);
        req.start = rc == 0 && more ? l->next : 0;
    } while (req.start != 0);
    free(reply);
    return rc;
}
