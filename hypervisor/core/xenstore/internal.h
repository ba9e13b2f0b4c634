/* SPDX-License-Identifier: MIT */
/* internal.h: the XenStore service's shared structures, for core/xenstore/
 * only. */
#ifndef PVHV_CORE_XENSTORE_INTERNAL_H
#define PVHV_CORE_XENSTORE_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/log.h"
#include "pvabi/xs_wire.h"
#include "core/xenstore/xenstore.h"

/* Quotas of unprivileged domains, with Xen's C xenstored defaults. */
#define XS_QUOTA_NODES 1000      /* nodes owned per domain: ENOSPC */
#define XS_QUOTA_WATCHES 128     /* watches per domain: E2BIG */
#define XS_QUOTA_TRANSACTIONS 10 /* open per connection: ENOSPC */
#define XS_QUOTA_VALUE 2048      /* bytes per node value: ENOSPC */
#define XS_QUOTA_TX_NODES 1024   /* nodes one transaction touches: ENOSPC */

/* Access bits; a perm entry's letter is n 0, r READ, w WRITE, b both. */
#define XS_PERM_READ 1
#define XS_PERM_WRITE 2
#define XS_PERM_BOTH (XS_PERM_READ | XS_PERM_WRITE)

struct xs_perm {
    uint16_t id;
    uint8_t perm;
};

/*
 * A node. Trees are persistent: a transaction's snapshot shares the nodes
 * of the store's tree, each pointer (parent's kids[] or a root) holding
 * one reference. A node with ref > 1 is shared and is copied before a
 * change (tree_writable).
 */
struct xs_node {
    unsigned int ref;
    uint64_t gen;  /* changes with the value, perms or set of children */
    uint64_t tgen; /* the newest gen in this subtree */
    char *name;    /* last component, "" for the root */
    char *value;
    size_t vlen;
    struct xs_perm *perms;
    unsigned int nperms;
    struct xs_node **kids;
    unsigned int nkids;
};

/* Who is asking: decides permissions and quotas. */
struct xs_caller {
    uint16_t domid;
    bool priv;  /* bypasses permissions */
    bool quota; /* quotas apply (unprivileged, outside commit replay) */
};

/* Per-domain accounting. */
struct xs_domain {
    struct xs_domain *next;
    uint16_t domid;
    bool introduced;
    unsigned int nodes;
    unsigned int watches;
};

struct xs_watch {
    struct xs_watch *next;
    struct xenstore_conn *conn; /* NULL: an in-process callback */
    char *path;                 /* as the client gave it */
    char *abspath;              /* canonical, or the "@" name */
    char *token;
    bool relative;
    xenstore_watch_fn fn; /* in-process only */
    void *opaque;
    unsigned int ref; /* list + queued callbacks, under lock */
    bool dead;
};

enum xs_op { XS_OP_WRITE, XS_OP_MKDIR, XS_OP_RM, XS_OP_SET_PERMS };

/* A node a transaction looked at, as its snapshot had it. */
struct xs_access {
    char *path;
    uint64_t gen; /* 0: absent */
    bool subtree; /* gen is the subtree's tgen */
};

struct xs_logop {
    struct xs_logop *next;
    enum xs_op op;
    char *path;
    char *data;
    size_t len;
    struct xs_perm *perms;
    unsigned int nperms;
};

struct xs_tx {
    struct xs_tx *next;
    uint32_t id;
    struct xs_node *root;  /* its view: the snapshot, changed */
    struct xs_node *base;  /* the snapshot as it started */
    struct xs_access *acc; /* first look at each node */
    unsigned int nacc, acc_cap;
    struct xs_logop *log, **log_tail;
    int node_delta; /* nodes created - removed, own domain */
    int error;      /* sticky: the commit answers it */
};

struct xs_msg {
    struct xs_msg *next;
    size_t len, off;
    char data[];
};

struct xenstore_conn {
    struct xenstore *xs;
    struct xenstore_conn *next; /* xs->conns, under xs->lock */
    struct xs_caller who;
    const struct xenstore_conn_ops *ops;
    void *opaque;
    int ref; /* atomic */
    /* Request parser: the input caller's thread only. */
    struct xsd_sockmsg hdr;
    size_t hdr_got;
    size_t pay_got;
    bool broken;
    char payload[XENSTORE_PAYLOAD_MAX + 1];
    char reply[XENSTORE_PAYLOAD_MAX];
    size_t reply_len;
    /* Under xs->lock. */
    struct xs_tx *txs;
    unsigned int ntx;
    uint32_t next_txid;
    bool flush_queued;
    struct xenstore_conn *flush_next;
    /* Under out_lock (taken inside xs->lock when queueing). */
    pthread_mutex_t out_lock;
    struct xs_msg *out, **out_tail;
    size_t out_bytes;   /* stored atomically: input reads it unlocked */
    bool dead;          /* no more output: peer gone, overflow, freed */
    bool overflowed;    /* stored atomically: input reads it unlocked */
    bool overflow_told; /* ops->overflow ran */
    bool freed;         /* xenstore_conn_free began: no more ops calls */
    struct log_limit log_limit; /* lines this peer causes (xs_conn_log) */
};

/* xs_conn_log: a warning caused by (conn)'s peer, limited per connection. */
#define xs_conn_log(conn, ...)                                                 \
    guest_log_limited(&(conn)->log_limit, (conn)->who.domid, __VA_ARGS__)

struct xs_pending_cb {
    struct xs_pending_cb *next;
    struct xs_watch *w;
    char path[];
};

struct xenstore {
    pthread_mutex_t lock;
    pthread_mutex_t cb_lock; /* recursive; held while fns run */
    struct xs_node *root;
    uint64_t gen;
    struct xs_domain *domains;
    struct xenstore_conn *conns;
    struct xs_watch *watches;    /* oldest first */
    struct xenstore_conn *flush; /* connections with new output */
    struct xs_pending_cb *cbs, **cbs_tail;
};

/*
 * The files of core/xenstore/, each calling only those listed before it:
 * tree.c, perms.c; domains.c, output.c; watch.c, transaction.c; ops.c;
 * wire.c; lock.c; conn.c, store.c (the public API); the transports ring.c
 * and socket.c use the public API only.
 */

/* tree.c */
#define XS_PATH_BUF (XENSTORE_ABS_PATH_MAX + 1)
int xs_path_canon(uint16_t domid, const char *in, bool special, char *out,
                  bool *relative);
bool xs_path_under(const char *path, const char *top);
struct xs_node *tree_node_new(const char *name, size_t nlen);
void tree_node_put(struct xs_node *n);
struct xs_node *tree_lookup(struct xs_node *root, const char *path);
struct xs_node *tree_nearest(struct xs_node *root, const char *path,
                             size_t *matched);
struct xs_node *tree_writable(struct xs_node **rootp, const char *path,
                              size_t plen, uint64_t gen);
int tree_kid_add(struct xs_node *parent, struct xs_node *kid);
struct xs_node *tree_kid_take(struct xs_node *parent, const char *name);
int tree_set_value(struct xs_node *n, const void *val, size_t len);
int tree_set_perms(struct xs_node *n, const struct xs_perm *p, unsigned int np);
unsigned int tree_count_owned(struct xs_node *n, uint16_t domid);

/* perms.c */
unsigned int xs_perm_get(const struct xs_node *n, const struct xs_caller *c);
int xs_perm_parse(const char *s, struct xs_perm *p);
int xs_perm_format(const struct xs_perm *p, char *buf, size_t len);
int xs_perm_list_parse(const char *const *s, unsigned int n,
                       struct xs_perm **out);

/*
 * domains.c: the records, under the store lock. xs_domain_nodes_tree
 * counts (sign) once for the owner of each node of the subtree (n).
 */
struct xs_domain *xs_domain_get(struct xenstore *xs, uint16_t domid,
                                bool create);
bool xs_domain_introduced(struct xenstore *xs, uint16_t domid);
void xs_domain_nodes(struct xenstore *xs, uint16_t domid, int delta);
void xs_domain_nodes_tree(struct xenstore *xs, const struct xs_node *n,
                          int sign);
void xs_domains_free(struct xenstore *xs);

/*
 * output.c (and xenstore_conn_flush, xenstore_conn_pending).
 * xs_conn_queue: appends one message, under the store lock; it leaves at
 * the next xs_unlock. xs_conn_quiet: ops->overflow is not called any
 * more. xs_conn_close_output: drops the output; ops->write is not called
 * any more. xs_conn_put: drops a reference; the last frees (conn).
 */
int xs_conn_queue(struct xenstore_conn *conn, uint32_t type, uint32_t req_id,
                  uint32_t tx_id, const void *data, size_t len);
void xs_conn_flush_later(struct xenstore *xs, struct xenstore_conn *conn);
void xs_conn_quiet(struct xenstore_conn *conn);
void xs_conn_close_output(struct xenstore_conn *conn);
void xs_conn_put(struct xenstore_conn *conn);

/* watch.c */
int xs_watch_add(struct xenstore *xs, struct xenstore_conn *conn,
                 const char *path, const char *token, struct xs_watch **out);
int xs_watch_remove(struct xenstore *xs, struct xenstore_conn *conn,
                    const char *path, const char *token);
void xs_watch_remove_conn(struct xenstore *xs, struct xenstore_conn *conn);
void xs_watch_unlink(struct xenstore *xs, struct xs_watch *w);
void xs_watch_fire_one(struct xenstore *xs, struct xs_watch *w,
                       const char *path);
void xs_watch_fire(struct xenstore *xs, const char *path,
                   const struct xs_node *n, bool recurse);
void xs_watch_put(struct xs_watch *w);

/*
 * transaction.c. xs_tx_close: unlinks (tx) from its connection; with
 * (commit), whether it may commit: 0, its sticky error, -EAGAIN (what it
 * saw changed) or -ENOSPC (over the node quota). Then xs_tx_free.
 */
int xs_tx_start(struct xenstore_conn *conn, uint32_t *id);
struct xs_tx *xs_tx_find(struct xenstore_conn *conn, uint32_t id);
int xs_tx_note(struct xs_tx *tx, const struct xs_caller *c, const char *path,
               bool subtree);
int xs_tx_log(struct xs_tx *tx, enum xs_op op, const char *path,
              const void *data, size_t len, const struct xs_perm *p,
              unsigned int np);
int xs_tx_close(struct xenstore_conn *conn, struct xs_tx *tx, bool commit);
void xs_tx_free(struct xs_tx *tx);
void xs_tx_free_all(struct xenstore_conn *conn);

/*
 * ops.c: the node operations, on the store (tx NULL) or a transaction;
 * introducing and releasing a domain (firing @introduceDomain,
 * @releaseDomain); ending a transaction (xs_op_tx_end: a commit replays
 * its log on the store).
 */
int xs_op_get(struct xenstore *xs, struct xs_tx *tx, const struct xs_caller *c,
              const char *path, struct xs_node **out);
int xs_op_write(struct xenstore *xs, struct xs_tx *tx,
                const struct xs_caller *c, const char *path, const void *val,
                size_t len, bool mkdir);
int xs_op_rm(struct xenstore *xs, struct xs_tx *tx, const struct xs_caller *c,
             const char *path);
int xs_op_set_perms(struct xenstore *xs, struct xs_tx *tx,
                    const struct xs_caller *c, const char *path,
                    const struct xs_perm *p, unsigned int np);
int xs_op_introduce(struct xenstore *xs, uint16_t domid);
int xs_op_release(struct xenstore *xs, uint16_t domid);
int xs_op_tx_end(struct xenstore_conn *conn, struct xs_tx *tx, bool commit);

/* wire.c: serves conn->hdr and conn->payload, under the store lock. */
void xs_wire_dispatch(struct xenstore_conn *conn);

/* lock.c */
void xs_lock(struct xenstore *xs);
void xs_unlock(struct xenstore *xs); /* then flushes output, runs fns */

#endif /* PVHV_CORE_XENSTORE_INTERNAL_H */
