/* SPDX-License-Identifier: MIT */
/* wire.c: the XenStore protocol: the message table, argument checks, replies.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvabi/xen.h"
#include "core/log.h"
#include "core/xenstore/internal.h"

#define XS_ARGS_MAX 64

/* One request being served. */
struct xs_req {
    struct xenstore_conn *conn;
    struct xenstore *xs;
    const struct xsd_sockmsg *hdr;
    const char *data;
    size_t len;
    struct xs_tx *tx;
    bool replied;
};

typedef int (*xs_handler)(struct xs_req *rq);

struct xs_wire_op {
    const char *name;
    xs_handler fn;
    unsigned int flags;
};
#define XS_F_PRIV 1 /* privileged only, else EACCES */
#define XS_F_TX 2   /* honours tx_id: ENOENT when no such transaction */

static void reply(struct xs_req *rq, const void *data, size_t len)
{
    xs_conn_queue(rq->conn, rq->hdr->type, rq->hdr->req_id, rq->hdr->tx_id,
                  data, len);
    rq->replied = true;
}

static void reply_error(struct xs_req *rq, int err)
{
    static const struct xsd_errors names[] = XSD_ERRORS_INIT;
    const char *name = "EINVAL";
    unsigned int i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].errnum == err)
            name = names[i].errstring;
    xs_conn_queue(rq->conn, XS_ERROR, rq->hdr->req_id, rq->hdr->tx_id, name,
                  strlen(name) + 1);
}

/*
 * Splits the payload into NUL-ended strings. Every argument must end with
 * a NUL (a payload not ending with one is malformed: EINVAL). Returns the
 * count, or -EINVAL.
 */
static int split(const struct xs_req *rq, const char **argv, unsigned int max)
{
    unsigned int n = 0;
    size_t off = 0;

    if (rq->len == 0 || rq->data[rq->len - 1] != '\0')
        return -EINVAL;
    while (off < rq->len && n < max) {
        argv[n++] = rq->data + off;
        off += strlen(rq->data + off) + 1;
    }
    return (int)n;
}

/* Exactly one string: "<arg>\0" and nothing after it. */
static int one_arg(const struct xs_req *rq, const char **arg)
{
    if (rq->len == 0 || strlen(rq->data) != rq->len - 1)
        return -EINVAL;
    *arg = rq->data;
    return 0;
}

static int node_path(const struct xs_req *rq, const char *in, char *out)
{
    bool rel;

    return xs_path_canon(rq->conn->who.domid, in, false, out, &rel);
}

/* The one argument, a node path, canonical in (out). */
static int path_arg(const struct xs_req *rq, char *out)
{
    const char *arg;
    int rc = one_arg(rq, &arg);

    return rc ? rc : node_path(rq, arg, out);
}

/* A domain id below DOMID_FIRST_RESERVED, in decimal. */
static int parse_domid(const char *s, uint16_t *domid)
{
    unsigned long v = 0;

    if (!*s)
        return -EINVAL;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -EINVAL;
        v = v * 10 + (unsigned long)(*s - '0');
        if (v >= DOMID_FIRST_RESERVED)
            return -EINVAL;
    }
    *domid = (uint16_t)v;
    return 0;
}

static int domid_arg(const struct xs_req *rq, uint16_t *domid)
{
    const char *arg;
    int rc = one_arg(rq, &arg);

    return rc ? rc : parse_domid(arg, domid);
}

static int do_control(struct xs_req *rq)
{
    const char *argv[2];
    int n = split(rq, argv, 2);

    if (n < 0)
        return n;
    if (strcmp(argv[0], "print") != 0 || n < 2)
        return -EINVAL;
    pr_info("xenstore: domain %u: %s", rq->conn->who.domid, argv[1]);
    return 0;
}

static int do_directory(struct xs_req *rq)
{
    char path[XS_PATH_BUF], *out = rq->conn->reply;
    struct xs_node *n;
    size_t len = 0, l;
    unsigned int i;
    int rc = path_arg(rq, path);

    rc = rc ? rc : xs_op_get(rq->xs, rq->tx, &rq->conn->who, path, &n);
    if (rc)
        return rc;
    for (i = 0; i < n->nkids; i++) {
        l = strlen(n->kids[i]->name) + 1;
        if (len + l > XENSTORE_PAYLOAD_MAX)
            return -E2BIG; /* the client goes on with DIRECTORY_PART */
        memcpy(out + len, n->kids[i]->name, l);
        len += l;
    }
    reply(rq, out, len);
    return 0;
}

static int do_read(struct xs_req *rq)
{
    char path[XS_PATH_BUF];
    struct xs_node *n;
    int rc = path_arg(rq, path);

    rc = rc ? rc : xs_op_get(rq->xs, rq->tx, &rq->conn->who, path, &n);
    if (rc)
        return rc;
    reply(rq, n->value, n->vlen);
    return 0;
}

static int do_get_perms(struct xs_req *rq)
{
    char path[XS_PATH_BUF], *out = rq->conn->reply;
    struct xs_node *n;
    size_t len = 0;
    unsigned int i;
    int rc = path_arg(rq, path);

    rc = rc ? rc : xs_op_get(rq->xs, rq->tx, &rq->conn->who, path, &n);
    if (rc)
        return rc;
    for (i = 0; i < n->nperms; i++) {
        rc =
            xs_perm_format(&n->perms[i], out + len, XENSTORE_PAYLOAD_MAX - len);
        if (rc < 0)
            return rc;
        len += (size_t)rc;
    }
    reply(rq, out, len);
    return 0;
}

static int do_watch(struct xs_req *rq)
{
    const char *argv[3];
    struct xs_watch *w;
    int rc = split(rq, argv, 3);

    if (rc < 0)
        return rc;
    if (rc < 2)
        return -EINVAL;
    /* A third argument (depth) is accepted and ignored. */
    rc = xs_watch_add(rq->xs, rq->conn, argv[0], argv[1], &w);
    if (rc)
        return rc;
    reply(rq, "OK", 3);
    /* Xen: the acknowledgement first, then the watch fires once. */
    xs_watch_fire_one(rq->xs, w, argv[0]);
    return 0;
}

static int do_unwatch(struct xs_req *rq)
{
    const char *argv[2];
    int rc = split(rq, argv, 2);

    if (rc < 0)
        return rc;
    if (rc < 2)
        return -EINVAL;
    return xs_watch_remove(rq->xs, rq->conn, argv[0], argv[1]);
}

static int do_transaction_start(struct xs_req *rq)
{
    char id[16];
    uint32_t txid;
    int rc;

    if (rq->hdr->tx_id)
        return -EBUSY; /* transactions do not nest */
    rc = xs_tx_start(rq->conn, &txid);
    if (rc)
        return rc;
    reply(rq, id, (size_t)snprintf(id, sizeof(id), "%u", txid) + 1);
    return 0;
}

static int do_transaction_end(struct xs_req *rq)
{
    const char *arg;
    int rc = one_arg(rq, &arg);

    if (rc)
        return rc;
    if (strcmp(arg, "T") != 0 && strcmp(arg, "F") != 0)
        return -EINVAL;
    return xs_op_tx_end(rq->conn, rq->tx, arg[0] == 'T');
}

static int do_introduce(struct xs_req *rq)
{
    const char *argv[3];
    uint16_t domid;
    int rc = split(rq, argv, 3);

    if (rc >= 0 && rc < 3)
        rc = -EINVAL;
    if (rc < 0 || (rc = parse_domid(argv[0], &domid)))
        return rc;
    /* The ring (gfn argv[1], port argv[2]) is the transport's business. */
    rc = xs_op_introduce(rq->xs, domid);
    return rc == -EEXIST ? 0 : rc;
}

static int do_release(struct xs_req *rq)
{
    uint16_t domid;
    int rc = domid_arg(rq, &domid);

    if (rc)
        return rc;
    if (domid == 0)
        return -EINVAL; /* domain 0 cannot go */
    return xs_op_release(rq->xs, domid);
}

static int do_get_domain_path(struct xs_req *rq)
{
    char path[32];
    uint16_t domid;
    int rc = domid_arg(rq, &domid);

    if (rc)
        return rc;
    reply(rq, path,
          (size_t)snprintf(path, sizeof(path), "/local/domain/%u", domid) + 1);
    return 0;
}

static int do_write(struct xs_req *rq)
{
    char path[XS_PATH_BUF];
    size_t plen = strnlen(rq->data, rq->len);
    int rc;

    if (plen == rq->len)
        return -EINVAL; /* no NUL after the path */
    rc = node_path(rq, rq->data, path);
    if (rc)
        return rc;
    return xs_op_write(rq->xs, rq->tx, &rq->conn->who, path,
                       rq->data + plen + 1, rq->len - plen - 1, false);
}

static int do_mkdir(struct xs_req *rq)
{
    char path[XS_PATH_BUF];
    int rc = path_arg(rq, path);

    return rc ? rc
              : xs_op_write(rq->xs, rq->tx, &rq->conn->who, path, "", 0, true);
}

static int do_rm(struct xs_req *rq)
{
    char path[XS_PATH_BUF];
    int rc = path_arg(rq, path);

    return rc ? rc : xs_op_rm(rq->xs, rq->tx, &rq->conn->who, path);
}

static int do_set_perms(struct xs_req *rq)
{
    const char *argv[XS_ARGS_MAX];
    char path[XS_PATH_BUF];
    struct xs_perm *p;
    int n = split(rq, argv, XS_ARGS_MAX), rc;

    if (n >= 0 && n < 2)
        n = -EINVAL;
    if (n < 0)
        return n;
    rc = node_path(rq, argv[0], path);
    rc = rc ? rc : xs_perm_list_parse(argv + 1, (unsigned int)n - 1, &p);
    if (rc)
        return rc;
    rc = xs_op_set_perms(rq->xs, rq->tx, &rq->conn->who, path, p,
                         (unsigned int)n - 1);
    free(p);
    return rc;
}

static int do_is_domain_introduced(struct xs_req *rq)
{
    struct xs_domain *d;
    uint16_t domid;
    int rc = domid_arg(rq, &domid);

    if (rc)
        return rc;
    d = xs_domain_get(rq->xs, domid, false);
    reply(rq, d && d->introduced ? "T" : "F", 2);
    return 0;
}

static int do_resume(struct xs_req *rq)
{
    struct xs_domain *d;
    uint16_t domid;
    int rc = domid_arg(rq, &domid);

    if (rc)
        return rc;
    d = xs_domain_get(rq->xs, domid, false);
    return d && d->introduced ? 0 : -ENOENT;
}

static int do_reset_watches(struct xs_req *rq)
{
    xs_watch_remove_conn(rq->xs, rq->conn);
    xs_tx_free_all(rq->conn);
    return 0;
}

/*
 * "<gen>\0" then whole children names from byte (offset) of the list, as
 * many as fit; one more NUL when the list ends here (libxenstore stops at
 * a part whose last two bytes are NUL).
 */
static int do_directory_part(struct xs_req *rq)
{
    char path[XS_PATH_BUF], *out = rq->conn->reply;
    const char *argv[2], *name;
    unsigned long offset;
    struct xs_node *n;
    size_t len, pos = 0, l;
    unsigned int i;
    char *end;
    int rc = split(rq, argv, 2);

    if (rc >= 0 && rc < 2)
        rc = -EINVAL;
    if (rc < 0 || (rc = node_path(rq, argv[0], path)))
        return rc;
    offset = strtoul(argv[1], &end, 10);
    if (!argv[1][0] || *end)
        return -EINVAL;
    rc = xs_op_get(rq->xs, rq->tx, &rq->conn->who, path, &n);
    if (rc)
        return rc;
    len = (size_t)snprintf(out, 32, "%llu", (unsigned long long)n->gen) + 1;
    for (i = 0; i < n->nkids; i++, pos += l) {
        name = n->kids[i]->name;
        l = strlen(name) + 1;
        if (pos < offset)
            continue;
        if (len + l + 1 > XENSTORE_PAYLOAD_MAX)
            break; /* keep a byte for the end marker */
        memcpy(out + len, name, l);
        len += l;
    }
    if (i == n->nkids)
        out[len++] = '\0';
    reply(rq, out, len);
    return 0;
}

/* Every message type, by number; a row without a handler is ENOSYS. */
static const struct xs_wire_op wire_ops[XS_TYPE_COUNT] = {
    [XS_CONTROL] = {"CONTROL", do_control, XS_F_PRIV},
    [XS_DIRECTORY] = {"DIRECTORY", do_directory, XS_F_TX},
    [XS_READ] = {"READ", do_read, XS_F_TX},
    [XS_GET_PERMS] = {"GET_PERMS", do_get_perms, XS_F_TX},
    [XS_WATCH] = {"WATCH", do_watch, 0},
    [XS_UNWATCH] = {"UNWATCH", do_unwatch, 0},
    [XS_TRANSACTION_START] = {"TRANSACTION_START", do_transaction_start, 0},
    [XS_TRANSACTION_END] = {"TRANSACTION_END", do_transaction_end, XS_F_TX},
    [XS_INTRODUCE] = {"INTRODUCE", do_introduce, XS_F_PRIV},
    [XS_RELEASE] = {"RELEASE", do_release, XS_F_PRIV},
    [XS_GET_DOMAIN_PATH] = {"GET_DOMAIN_PATH", do_get_domain_path, 0},
    [XS_WRITE] = {"WRITE", do_write, XS_F_TX},
    [XS_MKDIR] = {"MKDIR", do_mkdir, XS_F_TX},
    [XS_RM] = {"RM", do_rm, XS_F_TX},
    [XS_SET_PERMS] = {"SET_PERMS", do_set_perms, XS_F_TX},
    [XS_WATCH_EVENT] = {"WATCH_EVENT", NULL, 0},
    [XS_ERROR] = {"ERROR", NULL, 0},
    [XS_IS_DOMAIN_INTRODUCED] = {"IS_DOMAIN_INTRODUCED",
                                 do_is_domain_introduced, XS_F_PRIV},
    [XS_RESUME] = {"RESUME", do_resume, XS_F_PRIV},
    [XS_SET_TARGET] = {"SET_TARGET", NULL, XS_F_PRIV},
    [XS_RESET_WATCHES] = {"RESET_WATCHES", do_reset_watches, 0},
    [XS_DIRECTORY_PART] = {"DIRECTORY_PART", do_directory_part, XS_F_TX},
};

void xs_wire_dispatch(struct xenstore_conn *conn)
{
    struct xs_req rq = {.conn = conn,
                        .xs = conn->xs,
                        .hdr = &conn->hdr,
                        .data = conn->payload,
                        .len = conn->hdr.len};
    const struct xs_wire_op *op = NULL;
    int rc;

    if (conn->hdr.type < XS_TYPE_COUNT && wire_ops[conn->hdr.type].fn)
        op = &wire_ops[conn->hdr.type];
    if (!op) {
        xs_conn_log(conn, "xenstore: unknown message type %u", conn->hdr.type);
        rc = -ENOSYS;
    } else if ((op->flags & XS_F_PRIV) && !conn->who.priv) {
        rc = -EACCES;
    } else if ((op->flags & XS_F_TX) && conn->hdr.tx_id &&
               !(rq.tx = xs_tx_find(conn, conn->hdr.tx_id))) {
        rc = -ENOENT;
    } else if (op->fn == do_transaction_end && !rq.tx) {
        rc = -ENOENT; /* ending "no transaction" */
    } else {
        rc = op->fn(&rq);
    }
    if (rc < 0)
        reply_error(&rq, -rc);
    else if (!rq.replied)
        reply(&rq, "OK", 3);
}
