/* SPDX-License-Identifier: MIT */
/* control_serve.c: a checked control request served by the manager. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "control_serve.h"
#include "host.h"

void control_reply_error(struct control_reply *r, unsigned int type, int code,
                         const char *fmt, ...)
{
    va_list ap;
    int n;

    r->type = type | PVHV_CONTROL_REPLY;
    r->status = code;
    va_start(ap, fmt);
    n = vsnprintf((char *)r->payload, PVHV_CONTROL_TEXT_MAX + 1, fmt, ap);
    va_end(ap);
    r->len = n < 0                       ? 0
             : n > PVHV_CONTROL_TEXT_MAX ? PVHV_CONTROL_TEXT_MAX
                                         : (size_t)n;
}

/* find: the domain the request's selector names, or an ENOENT reply. */
static struct mdom *find(struct control_server *srv, const char *sel,
                         unsigned int type, struct control_reply *r)
{
    struct mdom *md = manager_find(srv->m, sel);

    if (!md)
        control_reply_error(r, type, -PVHV_CONTROL_ENOENT,
                            "no domain '%s' (name, id or UUID)", sel);
    return md;
}

static void describe(struct mdom *md, struct control_reply *r)
{
    mdom_describe(md, (struct pvhv_control_domain *)r->payload);
    r->len = sizeof(struct pvhv_control_domain);
}

static void serve_create(struct control_server *srv, struct control_msg *q,
                         struct control_reply *r)
{
    const struct pvhv_control_create *c = (const void *)q->payload;
    struct pvctl_error err = {""};
    struct mdom *md;
    int rc;

    rc = manager_add(srv->m, c, q->fds, q->nfds, srv->own_fds, srv->con, &md,
                     &err);
    q->nfds = 0; /* the record's now, or closed */
    if (rc == 0 && srv->hold) {
        if (srv->nheld < srv->maxheld)
            srv->held[srv->nheld++] = md;
    } else if (rc == 0) {
        rc = manager_start(srv->m, md,
                           (c->flags & PVHV_CONTROL_CREATE_PAUSED) != 0, &err);
    }
    if (rc) {
        control_reply_error(r, PVHV_CONTROL_CREATE, rc, "%s", err.msg);
        return;
    }
    describe(md, r);
    if (c->flags & PVHV_CONTROL_CREATE_CONSOLE)
        r->console = md;
}

struct list_ctx {
    struct pvhv_control_list_reply *l;
    uint32_t last;
};

static bool list_one(void *opaque, struct mdom *md)
{
    struct list_ctx *x = opaque;

    if (x->l->count == PVHV_CONTROL_LIST_MAX) {
        x->l->next = x->last + 1;
        return false;
    }
    mdom_describe(md, &x->l->domains[x->l->count++]);
    x->last = mdom_id(md);
    return true;
}

static void serve_list(struct control_server *srv, struct control_msg *q,
                       struct control_reply *r)
{
    const struct pvhv_control_list *req = (const void *)q->payload;
    struct list_ctx x = {(struct pvhv_control_list_reply *)r->payload, 0};

    _Static_assert(sizeof(struct pvhv_control_list_reply) +
                           PVHV_CONTROL_LIST_MAX *
                               sizeof(struct pvhv_control_domain) <=
                       sizeof(r->payload),
                   "a list page fits in one message");
    x.l->count = 0;
    x.l->next = 0;
    manager_each(srv->m, req->start, list_one, &x);
    r->len = sizeof(*x.l) + x.l->count * sizeof(x.l->domains[0]);
}

static void serve_destroy(struct control_server *srv, struct control_msg *q,
                          struct control_reply *r)
{
    const struct pvhv_control_select *s = (const void *)q->payload;
    struct mdom *md = find(srv, s->domain, q->hdr.type, r);

    if (!md)
        return;
    mdom_destroy(md);
    describe(md, r);
}

static void serve_shutdown(struct control_server *srv, struct control_msg *q,
                           struct control_reply *r)
{
    const struct pvhv_control_shutdown *s = (const void *)q->payload;
    const char *reason =
        s->reason == PVHV_CONTROL_SHUTDOWN_REBOOT ? "reboot" : "poweroff";
    struct mdom *md = find(srv, s->sel.domain, q->hdr.type, r);
    int rc;

    if (!md)
        return;
    rc = mdom_shutdown(md, reason, false);
    if (rc == 0)
        control_reply_error(r, q->hdr.type, -PVHV_CONTROL_ESTATE,
                            "domain '%s' (id %u) is not running: nothing to "
                            "ask to %s",
                            mdom_name(md), mdom_id(md), reason);
    else if (rc == -EOPNOTSUPP)
        control_reply_error(r, q->hdr.type, -PVHV_CONTROL_ENOTSUP,
                            "domain '%s' (id %u) cannot hear a request to %s: "
                            "its guest does not watch control/shutdown (no "
                            "PV control interface, or still booting); 'pvctl "
                            "destroy %s' ends it",
                            mdom_name(md), mdom_id(md), reason, mdom_name(md));
    else if (rc < 0)
        control_reply_error(r, q->hdr.type, -PVHV_CONTROL_EHOST,
                            "domain '%s' (id %u): cannot write its "
                            "control/shutdown: %s",
                            mdom_name(md), mdom_id(md), strerror(-rc));
    else
        describe(md, r);
}

static void serve_pause(struct control_server *srv, struct control_msg *q,
                        struct control_reply *r)
{
    const struct pvhv_control_select *s = (const void *)q->payload;
    struct mdom *md = find(srv, s->domain, q->hdr.type, r);
    bool pause = q->hdr.type == PVHV_CONTROL_PAUSE;

    if (!md)
        return;
    if ((pause ? mdom_pause(md) : mdom_unpause(md)) < 0) {
        struct pvhv_control_domain now;

        mdom_describe(md, &now);
        control_reply_error(r, q->hdr.type, -PVHV_CONTROL_ESTATE,
                            "domain '%s' (id %u) is %s; allowed: a %s domain",
                            now.name, now.domid,
                            now.state == PVHV_CONTROL_STATE_PAUSED ? "paused"
                            : now.state >= PVHV_CONTROL_STATE_SHUTDOWN
                                ? "not running"
                                : "not paused",
                            pause ? "running" : "paused");
        return;
    }
    describe(md, r);
}

static void serve_select(struct control_server *srv, struct control_msg *q,
                         struct control_reply *r)
{
    const struct pvhv_control_select *s = (const void *)q->payload;
    struct mdom *md = find(srv, s->domain, q->hdr.type, r);

    if (!md)
        return;
    describe(md, r);
    if (q->hdr.type == PVHV_CONTROL_CONSOLE)
        r->console = md;
}

static void serve_dmesg(struct control_server *srv, struct control_msg *q,
                        struct control_reply *r)
{
    const struct pvhv_control_select *s = (const void *)q->payload;
    struct mdom *md = find(srv, s->domain, q->hdr.type, r);

    if (md)
        r->len = mdom_dmesg(md, (char *)r->payload, sizeof(r->payload));
}

static void serve_info(struct control_server *srv, struct control_msg *q,
                       struct control_reply *r)
{
    struct pvhv_control_info *i = (void *)r->payload;
    struct host_memory hm;

    (void)q;
    memset(i, 0, sizeof(*i));
    snprintf(i->version, sizeof(i->version), "%s", PACKAGE_VERSION);
    i->pid = (uint32_t)getpid();
    i->domains = manager_count(srv->m);
    if (srv->hv) {
        struct pvhv_native_status st;

        pvhv_native_status(srv->hv, &st);
        i->native_usable = st.usable;
        snprintf(i->native_why, sizeof(i->native_why), "%s", st.why);
    }
    if (host_memory_read(&hm) == 0) {
        i->host_memory = hm.total;
        i->host_free = hm.available;
    }
    r->len = sizeof(*i);
}

/* The handlers, indexed by request type (kvmtool kvm-ipc.c msgs[]). */
static void (*const handlers[PVHV_CONTROL_TYPES])(struct control_server *,
                                                  struct control_msg *,
                                                  struct control_reply *) = {
    [PVHV_CONTROL_CREATE] = serve_create,
    [PVHV_CONTROL_LIST] = serve_list,
    [PVHV_CONTROL_DESTROY] = serve_destroy,
    [PVHV_CONTROL_SHUTDOWN] = serve_shutdown,
    [PVHV_CONTROL_PAUSE] = serve_pause,
    [PVHV_CONTROL_UNPAUSE] = serve_pause,
    [PVHV_CONTROL_CONSOLE] = serve_select,
    [PVHV_CONTROL_DMESG] = serve_dmesg,
    [PVHV_CONTROL_INFO] = serve_info,
    [PVHV_CONTROL_FIND] = serve_select,
};

void control_serve(struct control_server *srv, struct control_msg *req,
                   struct control_reply *r)
{
    unsigned int type = req->hdr.type;

    r->type = type | PVHV_CONTROL_REPLY;
    r->status = 0;
    r->len = 0;
    r->console = NULL;
    if (type >= PVHV_CONTROL_TYPES || !handlers[type])
        control_reply_error(r, type, -PVHV_CONTROL_ETYPE,
                            "message type %u is not served here", type);
    else
        handlers[type](srv, req, r);
    control_msg_close_fds(req);
}
