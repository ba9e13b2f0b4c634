/* SPDX-License-Identifier: MIT */
/* ops.c: operations on nodes (store or transaction), commits, introductions. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xenstore/internal.h"

static struct xs_node **view_root(struct xenstore *xs, struct xs_tx *tx)
{
    return tx ? &tx->root : &xs->root;
}

/* Looks (path) up in the caller's view; a transaction remembers it. */
static int view_get(struct xenstore *xs, struct xs_tx *tx,
                    const struct xs_caller *c, const char *path,
                    struct xs_node **out)
{
    int rc;

    if (tx) {
        rc = xs_tx_note(tx, c, path, false);
        if (rc)
            return rc;
    }
    *out = tree_lookup(*view_root(xs, tx), path);
    return 0;
}

/*
 * A missing node: ENOENT, unless the caller may not read its nearest
 * existing ancestor: then it may not learn what exists there (EACCES).
 */
static int missing(struct xenstore *xs, struct xs_tx *tx,
                   const struct xs_caller *c, const char *path)
{
    size_t matched;
    struct xs_node *a = tree_nearest(*view_root(xs, tx), path, &matched);

    return (xs_perm_get(a, c) & XS_PERM_READ) ? -ENOENT : -EACCES;
}

/* A change is done: a transaction logs it, the store fires watches. */
static int changed(struct xenstore *xs, struct xs_tx *tx, enum xs_op op,
                   const char *path, const void *data, size_t len,
                   const struct xs_node *n)
{
    int rc;

    if (!tx) {
        xs_watch_fire(xs, path, n, op == XS_OP_RM);
        return 0;
    }
    rc = xs_tx_log(tx, op, path, data, len, n->perms, n->nperms);
    if (rc)
        tx->error = -rc; /* its tree holds a change it cannot replay */
    return rc;
}

int xs_op_get(struct xenstore *xs, struct xs_tx *tx, const struct xs_caller *c,
              const char *path, struct xs_node **out)
{
    struct xs_node *n;
    int rc = view_get(xs, tx, c, path, &n);

    if (rc)
        return rc;
    if (!n)
        return missing(xs, tx, c, path);
    if (!(xs_perm_get(n, c) & XS_PERM_READ))
        return -EACCES;
    *out = n;
    return 0;
}

/* Node accounting: the store's domain records, or a transaction's delta. */
static void count_node(struct xenstore *xs, struct xs_tx *tx,
                       const struct xs_caller *c, uint16_t owner, int sign)
{
    if (!tx)
        xs_domain_nodes(xs, owner, sign);
    else if (owner == c->domid)
        tx->node_delta += sign;
}

static int check_node_quota(struct xenstore *xs, struct xs_tx *tx,
                            const struct xs_caller *c, unsigned int more)
{
    struct xs_domain *d;
    long owned;

    if (!c->quota)
        return 0;
    d = xs_domain_get(xs, c->domid, false);
    owned = (d ? (long)d->nodes : 0) + (tx ? tx->node_delta : 0);
    return owned + (long)more > XS_QUOTA_NODES ? -ENOSPC : 0;
}

/* A new child of (parent): its perms, the creator owning it if unprivileged. */
static struct xs_node *new_kid(struct xs_node *parent, const char *name,
                               size_t nlen, const struct xs_caller *c,
                               uint64_t gen)
{
    struct xs_node *k = tree_node_new(name, nlen);

    if (!k)
        return NULL;
    if (tree_set_perms(k, parent->perms, parent->nperms) ||
        tree_kid_add(parent, k)) {
        tree_node_put(k);
        return NULL;
    }
    if (!c->priv && k->nperms)
        k->perms[0].id = c->domid;
    k->gen = k->tgen = gen;
    return k;
}

/* Creates (path) and its missing parents; the last gets the value. */
static int create(struct xenstore *xs, struct xs_tx *tx,
                  const struct xs_caller *c, const char *path, const void *val,
                  size_t len, struct xs_node **out)
{
    struct xs_node **rootp = view_root(xs, tx), *n;
    char anc[XS_PATH_BUF];
    const char *p, *s;
    unsigned int more = 0;
    size_t matched;
    uint64_t gen;
    int rc;

    n = tree_nearest(*rootp, path, &matched);
    memcpy(anc, path, matched);
    anc[matched] = '\0';
    rc = tx ? xs_tx_note(tx, c, anc, false) : 0;
    if (rc)
        return rc;
    if (!(xs_perm_get(n, c) & XS_PERM_WRITE))
        return -EACCES;
    for (p = path + matched; *p; p++)
        more += *p == '/';
    more += matched == 1; /* below the root, the first name has no '/' */
    rc = check_node_quota(xs, tx, c, more);
    if (rc)
        return rc;
    gen = ++xs->gen;
    n = tree_writable(rootp, path, matched, gen);
    if (!n)
        return -ENOMEM;
    n->gen = gen; /* its set of children changes */
    for (p = path + matched; *p;) {
        while (*p == '/')
            p++;
        for (s = p; *p && *p != '/'; p++)
            ;
        n = new_kid(n, s, (size_t)(p - s), c, gen);
        if (!n)
            return -ENOMEM;
        count_node(xs, tx, c, n->perms[0].id, 1);
    }
    *out = n;
    return tree_set_value(n, val, len);
}

int xs_op_write(struct xenstore *xs, struct xs_tx *tx,
                const struct xs_caller *c, const char *path, const void *val,
                size_t len, bool mkdir)
{
    struct xs_node *n;
    uint64_t gen;
    int rc;

    if (c->quota && len > XS_QUOTA_VALUE)
        return -ENOSPC;
    rc = view_get(xs, tx, c, path, &n);
    if (rc)
        return rc;
    if (!n) {
        rc = create(xs, tx, c, path, val, len, &n);
    } else {
        if (!(xs_perm_get(n, c) & XS_PERM_WRITE))
            return -EACCES;
        if (mkdir)
            return 0; /* an existing node stays, and fires nothing */
        gen = ++xs->gen;
        n = tree_writable(view_root(xs, tx), path, strlen(path), gen);
        if (!n)
            return -ENOMEM;
        n->gen = gen;
        rc = tree_set_value(n, val, len);
    }
    if (rc)
        return rc;
    return changed(xs, tx, mkdir ? XS_OP_MKDIR : XS_OP_WRITE, path, val, len,
                   n);
}

/* The parent's path of (path) into (buf) and where its last name starts. */
static const char *split_parent(const char *path, char *buf)
{
    const char *slash = strrchr(path, '/');
    size_t plen = slash == path ? 1 : (size_t)(slash - path);

    memcpy(buf, path, plen);
    buf[plen] = '\0';
    return slash + 1;
}

int xs_op_rm(struct xenstore *xs, struct xs_tx *tx, const struct xs_caller *c,
             const char *path)
{
    char parent[XS_PATH_BUF];
    struct xs_node *n, *p;
    const char *name;
    int rc;

    if (strcmp(path, "/") == 0)
        return -EINVAL;
    name = split_parent(path, parent);
    rc = view_get(xs, tx, c, path, &n);
    if (rc)
        return rc;
    if (!n) {
        /* Xen: removing a missing node is fine if its parent exists. */
        rc = view_get(xs, tx, c, parent, &p);
        if (rc)
            return rc;
        return p ? 0 : missing(xs, tx, c, path);
    }
    if (!(xs_perm_get(n, c) & XS_PERM_WRITE))
        return -EACCES;
    /* The whole subtree goes: any change in it since the start conflicts. */
    rc = tx ? xs_tx_note(tx, c, path, true) : 0;
    if (rc)
        return rc;
    p = tree_writable(view_root(xs, tx), parent, strlen(parent), ++xs->gen);
    if (!p)
        return -ENOMEM;
    p->gen = xs->gen;
    n = tree_kid_take(p, name);
    if (tx)
        tx->node_delta -= (int)tree_count_owned(n, c->domid);
    else
        xs_domain_nodes_tree(xs, n, -1);
    rc = changed(xs, tx, XS_OP_RM, path, NULL, 0, n);
    tree_node_put(n);
    return rc;
}

int xs_op_set_perms(struct xenstore *xs, struct xs_tx *tx,
                    const struct xs_caller *c, const char *path,
                    const struct xs_perm *perms, unsigned int np)
{
    struct xs_node *n;
    uint16_t owner;
    int rc = view_get(xs, tx, c, path, &n);

    if (rc)
        return rc;
    if (!n)
        return missing(xs, tx, c, path);
    if (!(xs_perm_get(n, c) & XS_PERM_WRITE))
        return -EACCES;
    owner = n->perms[0].id;
    if (!c->priv && perms[0].id != owner)
        return -EPERM; /* Xen: an unprivileged domain cannot give away */
    n = tree_writable(view_root(xs, tx), path, strlen(path), ++xs->gen);
    if (!n)
        return -ENOMEM;
    n->gen = xs->gen;
    rc = tree_set_perms(n, perms, np);
    if (rc)
        return rc;
    if (owner != perms[0].id) {
        count_node(xs, tx, c, owner, -1);
        count_node(xs, tx, c, perms[0].id, 1);
    }
    return changed(xs, tx, XS_OP_SET_PERMS, path, NULL, 0, n);
}

/* ---- Domains and transactions ---------------------------------------- */

int xs_op_introduce(struct xenstore *xs, uint16_t domid)
{
    struct xs_domain *d = xs_domain_get(xs, domid, true);

    if (!d)
        return -ENOMEM;
    if (d->introduced)
        return -EEXIST;
    d->introduced = true;
    xs_watch_fire(xs, "@introduceDomain", NULL, false);
    return 0;
}

int xs_op_release(struct xenstore *xs, uint16_t domid)
{
    struct xs_domain *d = xs_domain_get(xs, domid, false);

    if (!d || !d->introduced)
        return -ENOENT;
    d->introduced = false;
    xs_watch_fire(xs, "@releaseDomain", NULL, false);
    return 0;
}

/*
 * The replay cannot fail on permissions (same state) nor on quotas (checked
 * before, and off during it): only on memory, which leaves the store
 * consistent but the commit partial; say so.
 */
static void replay(struct xenstore *xs, struct xenstore_conn *conn,
                   struct xs_tx *tx)
{
    struct xs_caller who = conn->who;
    struct xs_logop *l;
    int rc = 0;

    who.quota = false;
    for (l = tx->log; l; l = l->next) {
        switch (l->op) {
        case XS_OP_WRITE:
        case XS_OP_MKDIR:
            rc = xs_op_write(xs, NULL, &who, l->path, l->data, l->len,
                             l->op == XS_OP_MKDIR);
            break;
        case XS_OP_RM:
            rc = xs_op_rm(xs, NULL, &who, l->path);
            break;
        case XS_OP_SET_PERMS:
            rc = xs_op_set_perms(xs, NULL, &who, l->path, l->perms, l->nperms);
            break;
        }
        if (rc)
            pr_err(
                "xenstore: commit of transaction %u of domain %u: %s failed: %s",
                tx->id, who.domid, l->path, strerror(-rc));
    }
}

int xs_op_tx_end(struct xenstore_conn *conn, struct xs_tx *tx, bool commit)
{
    int rc = xs_tx_close(conn, tx, commit);

    if (commit && !rc)
        replay(conn->xs, conn, tx);
    xs_tx_free(tx);
    return rc;
}
