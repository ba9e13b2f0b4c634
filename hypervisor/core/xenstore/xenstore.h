/* SPDX-License-Identifier: MIT */
/* xenstore.h: the XenStore service: the store, its connections, in-process use.
 */
#ifndef PVHV_CORE_XENSTORE_XENSTORE_H
#define PVHV_CORE_XENSTORE_XENSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct host_loop;
struct xenstore;
struct xenstore_conn;
struct xenstore_socket;
struct xenstore_watch;

/*
 * One store serves every domain of a hypervisor. It knows nothing of
 * transports: a transport (a guest's store ring, ring.c; the UNIX socket
 * of dom0 tools, socket.c) makes a connection, feeds it the bytes it
 * receives and sends what the connection gives it through its ops. Every
 * function here is thread-safe; the store is guarded by one mutex, never held
 * while a transport's write or an in-process watch callback runs.
 */

/*
 * xenstore_create: makes an empty store in (xs), holding "/", "/local",
 * "/local/domain", "/local/domain/0" (name "Domain-0") and "/vm", all owned
 * by domain 0. Returns 0 or -ENOMEM.
 */
int xenstore_create(struct xenstore **xs);

/*
 * xenstore_destroy: frees the store. Every connection must have been freed
 * by its transport before (the socket stopped: xenstore_socket_stop).
 */
void xenstore_destroy(struct xenstore *xs);

/*
 * Output a connection holds for a peer that does not read it, replies and
 * watch events alike, on every connection (ring or socket, privileged or
 * not), as xenstored's quotas bound what a domain leaves unread: past
 * XENSTORE_OUTPUT_PAUSE no further request of the connection is read
 * (xenstore_conn_input takes no more); past XENSTORE_OUTPUT_MAX (which
 * only watch events can reach, fired by other connections' changes) the
 * connection is closed: its output is dropped and ops->overflow says so.
 */
#define XENSTORE_OUTPUT_PAUSE (64 * 1024)
#define XENSTORE_OUTPUT_MAX (256 * 1024)

/* How a connection's output leaves. */
struct xenstore_conn_ops {
    /*
     * write: sends (len) bytes at (buf) to the peer (opaque). Returns how
     * many it took, 0 ... len (the rest is offered again at the next
     * xenstore_conn_flush), or -errno when the peer is gone (the output is
     * then dropped). Never called concurrently for one connection, nor
     * with the store locked; it must not call into the store.
     */
    ssize_t (*write)(void *opaque, const void *buf, size_t len);
    /*
     * overflow (optional): the output went over XENSTORE_OUTPUT_MAX; it
     * was dropped, and the connection takes no more input. The transport
     * closes its end (and frees the connection later, from its own
     * thread). Called once, from a thread flushing the connection, as
     * write is called; never after xenstore_conn_free.
     */
    void (*overflow)(void *opaque);
};

/*
 * xenstore_conn_new: a connection for domain (domid). (privileged) lets it
 * bypass permissions and quotas and use the toolstack messages (dom0's
 * tools). (ops) and (opaque) are kept until xenstore_conn_free. Returns
 * the connection, or NULL when out of memory.
 */
struct xenstore_conn *xenstore_conn_new(struct xenstore *xs, uint16_t domid,
                                        bool privileged,
                                        const struct xenstore_conn_ops *ops,
                                        void *opaque);

/*
 * xenstore_conn_input: feeds (len) bytes received from the peer; messages
 * may be split anywhere. Complete requests are served and their replies
 * written through ops->write before this returns, unless the peer takes
 * them only partly. Before each new request it checks the output waiting
 * for the peer: past XENSTORE_OUTPUT_PAUSE it stops there (a request
 * begun is always finished). The transport keeps the bytes not taken and
 * offers them again once the peer read some output (after a successful
 * xenstore_conn_flush); meanwhile it reads no more from the peer, so a
 * peer that reads nothing is left waiting, not served. Not to be called
 * concurrently for one connection. Returns the bytes taken (len unless
 * paused), or -errno: -ENOBUFS once the output overflowed (see
 * ops->overflow), -E2BIG or -EPROTO when the peer broke the protocol (a
 * payload over XENSTORE_PAYLOAD_MAX); the transport must then drop the
 * connection.
 */
ssize_t xenstore_conn_input(struct xenstore_conn *conn, const void *buf,
                            size_t len);

/*
 * xenstore_conn_flush: offers the pending output again (after the peer
 * made room). Returns the bytes still pending, or -errno when the peer
 * is gone.
 */
ssize_t xenstore_conn_flush(struct xenstore_conn *conn);

/* xenstore_conn_pending: bytes of output waiting for the peer. */
size_t xenstore_conn_pending(struct xenstore_conn *conn);

/*
 * xenstore_conn_free: drops the connection's watches and open
 * transactions. After it returns, ops->write is never called again.
 */
void xenstore_conn_free(struct xenstore_conn *conn);

/*
 * xenstore_domain_introduce: what the toolstack does for a new domain
 * (domid, name, uuid): creates /local/domain/<domid> (owned by dom0,
 * readable by the domain) with name, domid, vm = "/vm/<uuid>", control/
 * (control/shutdown, control/sysrq and control/feature-* owned by the
 * domain, so it can acknowledge requests), data/ (owned by the domain),
 * device/, and /vm/<uuid> with name and uuid; marks the domain introduced
 * and fires "@introduceDomain". Returns 0, -EEXIST if it already is, or
 * -errno.
 */
int xenstore_domain_introduce(struct xenstore *xs, uint16_t domid,
                              const char *name, const uint8_t uuid[16]);

/*
 * xenstore_domain_release: undoes xenstore_domain_introduce for (domid):
 * removes /local/domain/<domid> and its /vm/<uuid>, fires
 * "@releaseDomain". Returns 0 or -ENOENT if it was not introduced.
 */
int xenstore_domain_release(struct xenstore *xs, uint16_t domid);

/* xenstore_domain_introduced: whether (domid) is introduced (0 always is). */
bool xenstore_domain_introduced(struct xenstore *xs, uint16_t domid);

/*
 * xenstore_domain_watches: whether a connection of (domid) watches the
 * absolute (path): a watch on it or on a node above it. How the
 * toolstack knows a guest would hear a request written there.
 */
bool xenstore_domain_watches(struct xenstore *xs, uint16_t domid,
                             const char *path);

/*
 * In-process access, as dom0 (privileged), outside transactions. Paths are
 * absolute. Each returns 0 or a negative errno, as the wire would answer.
 *
 * xenstore_read: the value of (path) in (*value), malloc'd, with a NUL
 * added after its (*len) bytes (len may be NULL). The caller frees it.
 */
int xenstore_read(struct xenstore *xs, const char *path, char **value,
                  size_t *len);
/* xenstore_write: sets (path) to the string (value), creating parents. */
int xenstore_write(struct xenstore *xs, const char *path, const char *value);
/* xenstore_mkdir / xenstore_rm: XS_MKDIR / XS_RM on (path). */
int xenstore_mkdir(struct xenstore *xs, const char *path);
int xenstore_rm(struct xenstore *xs, const char *path);
/*
 * xenstore_set_perms: sets (path)'s permissions to the (n) entries of
 * (perms), each as on the wire ("n0", "r5", ...).
 */
int xenstore_set_perms(struct xenstore *xs, const char *path,
                       const char *const *perms, unsigned int n);

/*
 * A hypervisor-internal watch: fn(opaque, path) runs for (path) at once,
 * then for each change to (path) or below it (path = the changed node), in
 * order, from the thread that made the change, after it dropped the store
 * lock. fn may use the functions above and xenstore_unwatch_cb.
 */
typedef void (*xenstore_watch_fn)(void *opaque, const char *path);

/*
 * xenstore_watch_cb: registers (fn, opaque) on the absolute or "@" path
 * (path); the handle comes back in (*w). Returns 0 or -errno.
 */
int xenstore_watch_cb(struct xenstore *xs, const char *path,
                      xenstore_watch_fn fn, void *opaque,
                      struct xenstore_watch **w);

/*
 * xenstore_unwatch_cb: removes (w). Once it returns, its fn is not
 * running and will not run again.
 */
void xenstore_unwatch_cb(struct xenstore *xs, struct xenstore_watch *w);

/*
 * xenstore_socket_start: serves (xs) on the UNIX stream socket (path) (an
 * existing socket nobody listens on is replaced), from (loop). Clients are
 * domain 0, privileged; only peers running as root or as this process's
 * user are accepted. Returns 0 and the socket in (sock), or -errno with
 * (why), (why_len) bytes, saying why.
 */
int xenstore_socket_start(struct xenstore *xs, struct host_loop *loop,
                          const char *path, struct xenstore_socket **sock,
                          char *why, size_t why_len);

/*
 * xenstore_socket_stop: closes every client and the socket (on its loop,
 * or here once the loop stopped), unlinks it and frees (sock). NULL: does
 * nothing.
 */
void xenstore_socket_stop(struct xenstore_socket *sock);

#endif /* PVHV_CORE_XENSTORE_XENSTORE_H */
