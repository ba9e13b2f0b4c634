/* SPDX-License-Identifier: MIT */
/* xs_wire.h: the XenStore protocol: messages, errors, the guest store ring. */
#ifndef PVABI_XS_WIRE_H
#define PVABI_XS_WIRE_H

#include <stdint.h>

/*
 * A client (dom0 tools over a UNIX socket, a guest over its store ring)
 * sends requests; the store answers each one in order, and sends watch
 * events whenever they fire. Every message is a header then `len` payload
 * bytes:
 *
 *   struct xsd_sockmsg { type, req_id, tx_id, len }   16 bytes
 *   payload                                           len <= 4096 bytes
 *
 * A reply carries the request's type, req_id and tx_id, or the type
 * XS_ERROR with the payload "<errno name>\0" (XSD_ERRORS below). A request
 * with len > XENSTORE_PAYLOAD_MAX ends the connection. Unless said below,
 * success answers "OK\0". Arguments are strings, each ended by a NUL.
 *
 * Paths: absolute ("/local/domain/1/name", at most XENSTORE_ABS_PATH_MAX
 * bytes) or relative to the client's home "/local/domain/<domid>" (at most
 * XENSTORE_REL_PATH_MAX bytes); characters [A-Za-z0-9-/_@]; no "//", no
 * trailing "/" (but "/" itself). Paths starting with "@" name events, not
 * nodes: "@introduceDomain", "@releaseDomain" (watches only). A bad path
 * answers EINVAL.
 *
 * Permissions: a node has a list "<p><domid>" where <p> is n (none),
 * r (read), w (write) or b (both). The first entry names the owner, who may
 * do everything, and gives the access of domains not listed later. A
 * privileged client (dom0) may do everything. A new node inherits its
 * parent's list; an unprivileged creator becomes its owner.
 *
 * `enum xsd_sockmsg_type` (XS_* => request payload -> reply payload):
 */
enum xsd_sockmsg_type {
    /*
     * XS_CONTROL: "<command>\0<args>\0..." -> "OK\0". Privileged only.
     * "print\0<text>\0" writes <text> to the hypervisor's log. Unknown
     * command: EINVAL.
     */
    XS_CONTROL = 0,
    /*
     * XS_DIRECTORY: "<path>\0" -> "<child>\0" for each child (no payload
     * for none). Needs read access. E2BIG when the list exceeds 4096 bytes
     * (then use XS_DIRECTORY_PART). ENOENT, EACCES.
     */
    XS_DIRECTORY = 1,
    /* XS_READ: "<path>\0" -> value, without a trailing NUL. ENOENT, EACCES. */
    XS_READ = 2,
    /* XS_GET_PERMS: "<path>\0" -> "<perm>\0" per entry, e.g. "n0\0r1\0". */
    XS_GET_PERMS = 3,
    /*
     * XS_WATCH: "<path>\0<token>\0" -> "OK\0", then at once one
     * XS_WATCH_EVENT with <path> itself. Later, every change to <path> or
     * below it sends XS_WATCH_EVENT "<changed path>\0<token>\0" (relative
     * if <path> was relative), in the order the changes were made; a
     * transaction's changes fire when it commits. EEXIST for the same path
     * and token twice; E2BIG past the watch quota.
     */
    XS_WATCH = 4,
    /* XS_UNWATCH: "<path>\0<token>\0" -> "OK\0". ENOENT if no such watch. */
    XS_UNWATCH = 5,
    /*
     * XS_TRANSACTION_START: "\0" -> "<id>\0", the id in decimal. Put <id>
     * in tx_id of later requests to work on a private snapshot of the
     * store. ENOSPC past the quota; EBUSY when tx_id is not 0.
     */
    XS_TRANSACTION_START = 6,
    /*
     * XS_TRANSACTION_END: "T\0" commits, "F\0" aborts the transaction of
     * tx_id; either ends it. EAGAIN: a node the transaction read or
     * wrote changed meanwhile, nothing was committed, try again. ENOENT:
     * no such transaction.
     */
    XS_TRANSACTION_END = 7,
    /*
     * XS_INTRODUCE: "<domid>\0<gfn>\0<port>\0" -> "OK\0": the toolstack
     * announces a domain's store ring; fires "@introduceDomain".
     * Privileged only (EACCES).
     */
    XS_INTRODUCE = 8,
    /* XS_RELEASE: "<domid>\0" -> "OK\0"; fires "@releaseDomain". ENOENT. */
    XS_RELEASE = 9,
    /* XS_GET_DOMAIN_PATH: "<domid>\0" -> "/local/domain/<domid>\0". */
    XS_GET_DOMAIN_PATH = 10,
    /*
     * XS_WRITE: "<path>\0<value>" (the value runs to the end of the
     * payload, no NUL) -> "OK\0". Creates missing parents. Needs write
     * access on the node, or on its nearest existing ancestor. ENOSPC past
     * the node quota or for a value over 2048 bytes (unprivileged).
     */
    XS_WRITE = 11,
    /* XS_MKDIR: "<path>\0" -> "OK\0"; an existing node is left as it is. */
    XS_MKDIR = 12,
    /*
     * XS_RM: "<path>\0" -> "OK\0": removes the node and everything below.
     * A missing node whose parent exists is fine; otherwise ENOENT.
     */
    XS_RM = 13,
    /*
     * XS_SET_PERMS: "<path>\0<perm>\0..." (at least one) -> "OK\0". Needs
     * write access; an unprivileged client cannot give the node away
     * (EPERM). A malformed entry: EINVAL.
     */
    XS_SET_PERMS = 14,
    /* XS_WATCH_EVENT: from the store only, see XS_WATCH. req_id is 0. */
    XS_WATCH_EVENT = 15,
    /* XS_ERROR: from the store only: "<errno name>\0". */
    XS_ERROR = 16,
    /* XS_IS_DOMAIN_INTRODUCED: "<domid>\0" -> "T\0" or "F\0". Privileged. */
    XS_IS_DOMAIN_INTRODUCED = 17,
    /* XS_RESUME: "<domid>\0" -> "OK\0". Privileged. ENOENT. */
    XS_RESUME = 18,
    /* XS_SET_TARGET: "<domid>\0<target>\0". Not served: ENOSYS. */
    XS_SET_TARGET = 19,
    /* 20 was XS_RESTRICT, removed. */
    /*
     * XS_RESET_WATCHES: "\0" -> "OK\0": drops all the client's watches and
     * transactions.
     */
    XS_RESET_WATCHES = 21,
    /*
     * XS_DIRECTORY_PART: "<path>\0<offset>\0" -> "<generation>\0" then the
     * children list from byte <offset>, whole names only, ending with one
     * more "\0" when the list is complete. A client restarts from offset 0
     * when <generation> changes between parts.
     */
    XS_DIRECTORY_PART = 22,
    XS_TYPE_COUNT,
    XS_INVALID = 0xffff
};

/* Message header, 16 bytes, host byte order. */
struct xsd_sockmsg {
    uint32_t type;   /* XS_* */
    uint32_t req_id; /* chosen by the client, echoed in the reply */
    uint32_t tx_id;  /* transaction id, 0 for none */
    uint32_t len;    /* payload bytes following */
};

#define XENSTORE_PAYLOAD_MAX 4096
#define XENSTORE_ABS_PATH_MAX 3072
#define XENSTORE_REL_PATH_MAX 2048

/*
 * Error payloads: the name of the errno value, NUL-terminated. The numbers
 * are Xen's (abi/include/pvabi/errno.h). A store error without a name here
 * is sent as "EINVAL". Instantiate with
 *   static const struct xsd_errors errs[] = XSD_ERRORS_INIT;
 */
struct xsd_errors {
    int errnum;
    const char *errstring;
};
#define XSD_ERRORS_INIT                                                        \
    {                                                                          \
        {22, "EINVAL"}, {13, "EACCES"}, {17, "EEXIST"}, {21, "EISDIR"},        \
            {2, "ENOENT"}, {12, "ENOMEM"}, {28, "ENOSPC"}, {5, "EIO"},         \
            {39, "ENOTEMPTY"}, {38, "ENOSYS"}, {30, "EROFS"}, {16, "EBUSY"},   \
            {11, "EAGAIN"}, {106, "EISCONN"}, {7, "E2BIG"}, {1, "EPERM"},      \
    }

/* Watch event payload: the changed path, then the token. */
enum xs_watch_type { XS_WATCH_PATH = 0, XS_WATCH_TOKEN };

/*
 * The guest's store ring: one page shared by the guest and the store, 2080
 * bytes used. Requests flow in req[] (guest produces, store consumes),
 * replies and events in rsp[]. Indexes run freely; MASK_XENSTORE_IDX gives
 * the byte offset. A writer:
 *   1. copies bytes at prod, without passing cons + XENSTORE_RING_SIZE
 *   2. write barrier
 *   3. advances prod, then notifies the peer's event channel
 * A reader reads prod, read barrier, copies, full barrier, advances cons.
 */
#define XENSTORE_RING_SIZE 1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE]; /* [GST] requests to the store */
    char rsp[XENSTORE_RING_SIZE]; /* [HV] replies and watch events */
    XENSTORE_RING_IDX req_cons;   /* [HV] */
    XENSTORE_RING_IDX req_prod;   /* [GST] */
    XENSTORE_RING_IDX rsp_cons;   /* [GST] */
    XENSTORE_RING_IDX rsp_prod;   /* [HV] */
    uint32_t server_features;     /* [HV] XENSTORE_SERVER_FEATURE_* */
    uint32_t connection;          /* XENSTORE_CONNECTED / _RECONNECT */
    uint32_t error;               /* [HV] XENSTORE_ERROR_* */
    uint32_t evtchn_port;         /* [HV] the store's event channel */
};

/* server_features bits. */
#define XENSTORE_SERVER_FEATURE_RECONNECTION 1 /* `connection` is honoured */
#define XENSTORE_SERVER_FEATURE_ERROR 2        /* `error` is reported */

/*
 * connection: the guest writes XENSTORE_RECONNECT to ask for a reset of
 * its connection (watches and transactions dropped, ring emptied); the
 * store writes XENSTORE_CONNECTED when done.
 */
#define XENSTORE_CONNECTED 0
#define XENSTORE_RECONNECT 1

/* error: why the store stopped serving the ring. */
#define XENSTORE_ERROR_NONE 0
#define XENSTORE_ERROR_COMM 1    /* generic communication error */
#define XENSTORE_ERROR_RINGIDX 2 /* indexes out of range */
#define XENSTORE_ERROR_PROTO 3   /* malformed message */

#endif /* PVABI_XS_WIRE_H */
