/* SPDX-License-Identifier: MIT */
/* store.c: the store as a whole, and the toolstack's and in-process API. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xenstore/internal.h"

/* In-process users act as domain 0. */
static const struct xs_caller dom0 = {.domid = 0, .priv = true};

/* Writes (path) = (value) and sets its perms, as domain 0. */
static int put_node(struct xenstore *xs, const char *path, const char *value,
                    const struct xs_perm *p, unsigned int np)
{
    int rc = xs_op_write(xs, NULL, &dom0, path, value, strlen(value), false);

    return rc ? rc : xs_op_set_perms(xs, NULL, &dom0, path, p, np);
}

int xenstore_create(struct xenstore **out)
{
    static const char *const base[] = {"/local", "/local/domain", "/vm"};
    static const struct xs_perm n0 = {0, 0};
    /* Domains find each other by name: the list and names are public. */
    static const struct xs_perm r0 = {0, XS_PERM_READ};
    pthread_mutexattr_t attr;
    struct xenstore *xs = calloc(1, sizeof(*xs));
    unsigned int i;
    int rc = -ENOMEM;

    if (!xs)
        return -ENOMEM;
    pthread_mutex_init(&xs->lock, NULL);
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&xs->cb_lock, &attr);
    pthread_mutexattr_destroy(&attr);
    xs->cbs_tail = &xs->cbs;
    xs->root = tree_node_new("", 0);
    if (!xs->root || tree_set_perms(xs->root, &n0, 1))
        goto fail;
    for (i = 0; i < sizeof(base) / sizeof(base[0]); i++)
        if ((rc = put_node(xs, base[i], "", i < 2 ? &r0 : &n0, 1)))
            goto fail;
    if ((rc = put_node(xs, "/local/domain/0", "", &n0, 1)) ||
        (rc = put_node(xs, "/local/domain/0/name", "Domain-0", &n0, 1)) ||
        (rc = put_node(xs, "/local/domain/0/domid", "0", &n0, 1)) ||
        (rc = xs_op_introduce(xs, 0)))
        goto fail;
    *out = xs;
    return 0;
fail:
    xenstore_destroy(xs);
    return rc;
}

void xenstore_destroy(struct xenstore *xs)
{
    struct xs_watch *w;

    if (!xs)
        return;
    if (xs->conns)
        pr_err("xenstore: destroyed with connections still open");
    while ((w = xs->watches)) {
        xs->watches = w->next;
        w->ref = 1;
        xs_watch_put(w);
    }
    xs_domains_free(xs);
    tree_node_put(xs->root);
    pthread_mutex_destroy(&xs->cb_lock);
    pthread_mutex_destroy(&xs->lock);
    free(xs);
}

/* A domain's nodes: n0 + r<id> (it reads them), or n<id> (it owns them). */
struct intro_node {
    const char *fmt; /* %u: domid, %s: uuid for /vm paths */
    int value;       /* 0 "", 1 name, 2 domid, 3 vm path, 4 uuid */
    bool own;        /* owned by the domain */
    bool vm;
    bool public; /* readable by every domain (lookup by name) */
};

static const struct intro_node intro_nodes[] = {
    {"/local/domain/%u", 0, false, false, true},
    {"/local/domain/%u/name", 1, false, false, true},
    {"/local/domain/%u/domid", 2, false, false, true},
    {"/local/domain/%u/vm", 3, false, false, false},
    {"/local/domain/%u/control", 0, false, false, false},
    /* Guest-writable, as libxl makes them: it acknowledges and advertises. */
    {"/local/domain/%u/control/shutdown", 0, true, false, false},
    {"/local/domain/%u/control/sysrq", 0, true, false, false},
    {"/local/domain/%u/control/feature-poweroff", 0, true, false, false},
    {"/local/domain/%u/control/feature-reboot", 0, true, false, false},
    {"/local/domain/%u/control/feature-suspend", 0, true, false, false},
    {"/local/domain/%u/data", 0, true, false, false},
    {"/local/domain/%u/device", 0, false, false, false},
    {"/vm/%s", 0, false, true, false},
    {"/vm/%s/name", 1, false, true, false},
    {"/vm/%s/uuid", 4, false, true, false},
};

static int introduce_nodes(struct xenstore *xs, uint16_t domid,
                           const char *name, const char *uuid)
{
    struct xs_perm ro[2] = {{0, 0}, {domid, XS_PERM_READ}};
    struct xs_perm rw[1] = {{domid, 0}};
    struct xs_perm pub[1] = {{0, XS_PERM_READ}};
    char path[128], val[64];
    const char *v;
    unsigned int i;
    int rc;

    for (i = 0; i < sizeof(intro_nodes) / sizeof(intro_nodes[0]); i++) {
        const struct intro_node *in = &intro_nodes[i];

        if (in->vm)
            snprintf(path, sizeof(path), in->fmt, uuid);
        else
            snprintf(path, sizeof(path), in->fmt, domid);
        if (in->value == 2)
            snprintf(val, sizeof(val), "%u", domid);
        else
            snprintf(val, sizeof(val), "/vm/%s", uuid);
        v = in->value == 0   ? ""
            : in->value == 1 ? name
            : in->value == 4 ? uuid
                             : val;
        if (in->public)
            rc = put_node(xs, path, v, pub, 1);
        else
            rc = put_node(xs, path, v, in->own ? rw : ro, in->own ? 1 : 2);
        if (rc)
            return rc;
    }
    return 0;
}

int xenstore_domain_introduce(struct xenstore *xs, uint16_t domid,
                              const char *name, const uint8_t u[16])
{
    char uuid[37], home[32];
    int rc;

    snprintf(
        uuid, sizeof(uuid),
        "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
        u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10],
        u[11], u[12], u[13], u[14], u[15]);
    snprintf(home, sizeof(home), "/local/domain/%u", domid);
    xs_lock(xs);
    if (xs_domain_introduced(xs, domid)) {
        rc = -EEXIST;
    } else {
        /* A stale home (a domain that died unreleased) goes first. */
        rc = xs_op_rm(xs, NULL, &dom0, home);
        rc = rc ? rc : introduce_nodes(xs, domid, name, uuid);
        rc = rc ? rc : xs_op_introduce(xs, domid);
    }
    xs_unlock(xs);
    return rc;
}

int xenstore_domain_release(struct xenstore *xs, uint16_t domid)
{
    char home[64];
    struct xs_node *n;
    int rc;

    snprintf(home, sizeof(home), "/local/domain/%u/vm", domid);
    xs_lock(xs);
    if (!xs_domain_introduced(xs, domid) || domid == 0) {
        xs_unlock(xs);
        return -ENOENT;
    }
    /* Its /vm/<uuid>, as its home names it; only a /vm/ path is trusted. */
    n = tree_lookup(xs->root, home);
    if (n && strncmp(n->value, "/vm/", 4) == 0 && n->vlen < XS_PATH_BUF &&
        strlen(n->value) == n->vlen && !strchr(n->value + 4, '/')) {
        char vm[XS_PATH_BUF];
        bool rel;

        if (!xs_path_canon(0, n->value, false, vm, &rel))
            xs_op_rm(xs, NULL, &dom0, vm);
    }
    home[strlen(home) - 3] = '\0';
    rc = xs_op_rm(xs, NULL, &dom0, home);
    if (!rc)
        rc = xs_op_release(xs, domid);
    xs_unlock(xs);
    return rc;
}

bool xenstore_domain_introduced(struct xenstore *xs, uint16_t domid)
{
    bool yes;

    xs_lock(xs);
    yes = xs_domain_introduced(xs, domid);
    xs_unlock(xs);
    return yes;
}

int xenstore_read(struct xenstore *xs, const char *path, char **value,
                  size_t *len)
{
    char abs[XS_PATH_BUF];
    struct xs_node *n;
    bool rel;
    int rc = xs_path_canon(0, path, false, abs, &rel);

    if (rc)
        return rc;
    xs_lock(xs);
    rc = xs_op_get(xs, NULL, &dom0, abs, &n);
    if (!rc) {
        *value = malloc(n->vlen + 1);
        if (*value) {
            memcpy(*value, n->value, n->vlen + 1);
            if (len)
                *len = n->vlen;
        } else {
            rc = -ENOMEM;
        }
    }
    xs_unlock(xs);
    return rc;
}

/* One change as domain 0: XS_OP_WRITE, XS_OP_MKDIR or XS_OP_RM. */
static int change(struct xenstore *xs, enum xs_op op, const char *path,
                  const char *value)
{
    char abs[XS_PATH_BUF];
    bool rel;
    int rc = xs_path_canon(0, path, false, abs, &rel);

    if (rc)
        return rc;
    xs_lock(xs);
    if (op == XS_OP_RM)
        rc = xs_op_rm(xs, NULL, &dom0, abs);
    else
        rc = xs_op_write(xs, NULL, &dom0, abs, value, strlen(value),
                         op == XS_OP_MKDIR);
    xs_unlock(xs);
    return rc;
}

int xenstore_write(struct xenstore *xs, const char *path, const char *value)
{
    return change(xs, XS_OP_WRITE, path, value);
}

int xenstore_mkdir(struct xenstore *xs, const char *path)
{
    return change(xs, XS_OP_MKDIR, path, "");
}

int xenstore_rm(struct xenstore *xs, const char *path)
{
    return change(xs, XS_OP_RM, path, NULL);
}

int xenstore_set_perms(struct xenstore *xs, const char *path,
                       const char *const *perms, unsigned int n)
{
    char abs[XS_PATH_BUF];
    struct xs_perm *p;
    bool rel;
    int rc = xs_path_canon(0, path, false, abs, &rel);

    if (rc)
        return rc;
    rc = xs_perm_list_parse(perms, n, &p);
    if (rc)
        return rc;
    xs_lock(xs);
    rc = xs_op_set_perms(xs, NULL, &dom0, abs, p, n);
    xs_unlock(xs);
    free(p);
    return rc;
}

int xenstore_watch_cb(struct xenstore *xs, const char *path,
                      xenstore_watch_fn fn, void *opaque,
                      struct xenstore_watch **out)
{
    struct xs_watch *w;
    char token[32];
    int rc;

    snprintf(token, sizeof(token), "%p", (void *)opaque);
    xs_lock(xs);
    rc = xs_watch_add(xs, NULL, path, token, &w);
    if (!rc) {
        w->fn = fn;
        w->opaque = opaque;
        xs_watch_fire_one(xs, w, path);
        *out = (struct xenstore_watch *)w;
    }
    xs_unlock(xs);
    return rc;
}

void xenstore_unwatch_cb(struct xenstore *xs, struct xenstore_watch *handle)
{
    struct xs_watch *w = (struct xs_watch *)handle;

    /* cb_lock: a callback of w running in another thread ends first. */
    pthread_mutex_lock(&xs->cb_lock);
    xs_lock(xs);
    if (!w->dead)
        xs_watch_unlink(xs, w);
    xs_unlock(xs);
    pthread_mutex_unlock(&xs->cb_lock);
}
