/* SPDX-License-Identifier: MIT */
/* transaction.c: transactions: snapshots, what they saw and did, conflicts. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/xenstore/internal.h"

/*
 * A transaction starts with a reference to the store's tree (O(1): trees
 * are copy-on-write) and works on its own copy. It remembers, for every
 * node it looks at, the generation the snapshot had (xs_tx_note), and logs
 * every change it makes. Commit checks that each of those nodes still has
 * that generation in the store (else EAGAIN: someone changed what the
 * transaction saw, xs_tx_close), then replays the log on the store (ops.c,
 * xs_op_tx_end): same state, same results, and watches fire in order,
 * only now.
 */

int xs_tx_start(struct xenstore_conn *conn, uint32_t *id)
{
    struct xenstore *xs = conn->xs;
    struct xs_tx *tx;

    if (conn->who.quota && conn->ntx >= XS_QUOTA_TRANSACTIONS)
        return -ENOSPC;
    tx = calloc(1, sizeof(*tx));
    if (!tx)
        return -ENOMEM;
    do
        tx->id = ++conn->next_txid;
    while (tx->id == 0 || xs_tx_find(conn, tx->id));
    tx->root = tx->base = xs->root;
    xs->root->ref += 2;
    tx->log_tail = &tx->log;
    tx->next = conn->txs;
    conn->txs = tx;
    conn->ntx++;
    *id = tx->id;
    return 0;
}

struct xs_tx *xs_tx_find(struct xenstore_conn *conn, uint32_t id)
{
    struct xs_tx *tx;

    for (tx = conn->txs; tx; tx = tx->next)
        if (tx->id == id)
            return tx;
    return NULL;
}

int xs_tx_note(struct xs_tx *tx, const struct xs_caller *c, const char *path,
               bool subtree)
{
    struct xs_access *a;
    struct xs_node *n;
    unsigned int i;

    for (i = 0; i < tx->nacc; i++)
        if (tx->acc[i].subtree == subtree && !strcmp(tx->acc[i].path, path))
            return 0;
    if (c->quota && tx->nacc >= XS_QUOTA_TX_NODES) {
        tx->error = ENOSPC;
        return -ENOSPC;
    }
    if (tx->nacc == tx->acc_cap) {
        unsigned int cap = tx->acc_cap ? tx->acc_cap * 2 : 16;

        a = realloc(tx->acc, cap * sizeof(*a));
        if (!a)
            return -ENOMEM;
        tx->acc = a;
        tx->acc_cap = cap;
    }
    a = &tx->acc[tx->nacc];
    a->path = strdup(path);
    if (!a->path)
        return -ENOMEM;
    n = tree_lookup(tx->base, path);
    a->gen = n ? (subtree ? n->tgen : n->gen) : 0;
    a->subtree = subtree;
    tx->nacc++;
    return 0;
}

int xs_tx_log(struct xs_tx *tx, enum xs_op op, const char *path,
              const void *data, size_t len, const struct xs_perm *p,
              unsigned int np)
{
    struct xs_logop *l = calloc(1, sizeof(*l));

    if (!l)
        return -ENOMEM;
    l->op = op;
    l->path = strdup(path);
    l->data = malloc(len + 1);
    l->perms = np ? malloc(np * sizeof(*p)) : NULL;
    if (!l->path || !l->data || (np && !l->perms)) {
        free(l->path);
        free(l->data);
        free(l->perms);
        free(l);
        return -ENOMEM;
    }
    if (len)
        memcpy(l->data, data, len);
    l->len = len;
    if (np)
        memcpy(l->perms, p, np * sizeof(*p));
    l->nperms = np;
    *tx->log_tail = l;
    tx->log_tail = &l->next;
    return 0;
}

/* Whether every node the transaction saw is as its snapshot had it. */
static bool unchanged(struct xenstore *xs, const struct xs_tx *tx)
{
    const struct xs_access *a;
    struct xs_node *n;
    unsigned int i;

    for (i = 0; i < tx->nacc; i++) {
        a = &tx->acc[i];
        n = tree_lookup(xs->root, a->path);
        if ((n ? (a->subtree ? n->tgen : n->gen) : 0) != a->gen)
            return false;
    }
    return true;
}

void xs_tx_free(struct xs_tx *tx)
{
    struct xs_logop *l, *next;
    unsigned int i;

    for (l = tx->log; l; l = next) {
        next = l->next;
        free(l->path);
        free(l->data);
        free(l->perms);
        free(l);
    }
    for (i = 0; i < tx->nacc; i++)
        free(tx->acc[i].path);
    free(tx->acc);
    tree_node_put(tx->root);
    tree_node_put(tx->base);
    free(tx);
}

static void tx_unlink(struct xenstore_conn *conn, struct xs_tx *tx)
{
    struct xs_tx **pp;

    for (pp = &conn->txs; *pp; pp = &(*pp)->next) {
        if (*pp == tx) {
            *pp = tx->next;
            conn->ntx--;
            return;
        }
    }
}

int xs_tx_close(struct xenstore_conn *conn, struct xs_tx *tx, bool commit)
{
    struct xenstore *xs = conn->xs;
    struct xs_domain *d;

    tx_unlink(conn, tx);
    if (!commit)
        return 0;
    d = xs_domain_get(xs, conn->who.domid, false);
    if (tx->error)
        return -tx->error;
    if (!unchanged(xs, tx))
        return -EAGAIN;
    if (conn->who.quota &&
        (d ? (long)d->nodes : 0) + tx->node_delta > XS_QUOTA_NODES)
        return -ENOSPC;
    return 0;
}

void xs_tx_free_all(struct xenstore_conn *conn)
{
    struct xs_tx *tx;

    while ((tx = conn->txs)) {
        conn->txs = tx->next;
        xs_tx_free(tx);
    }
    conn->ntx = 0;
}
