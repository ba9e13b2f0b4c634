/* SPDX-License-Identifier: MIT */
/* xenbus.h: the XenStore client: nodes, permissions, watches, transactions. */
#ifndef PVGUEST_XENBUS_H
#define PVGUEST_XENBUS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Requests go over the domain's store ring (HVM_PARAM_STORE_PFN) one at
 * a time: each call sends its request and sleeps (wait_until()) until the
 * reply with its req_id arrives. Calls are made from vCPU 0 in normal
 * context, never from an event handler. Paths are absolute
 * ("/local/domain/1/name") or relative to this domain's home
 * ("data/x" is "/local/domain/<domid>/data/x").
 *
 * Every call returns 0 (or a count, as said) on success, or a negative
 * error: the store's error name turned into -XEN_Exxx (-XEN_ENOENT,
 * -XEN_EACCES, -XEN_EAGAIN, ...), -XEN_E2BIG for a request over
 * XENSTORE_PAYLOAD_MAX, -XEN_ENOSYS when the hypervisor offered no store
 * at boot, -XEN_EIO when the ring broke.
 */

/* A transaction id; XBT_NIL: outside any transaction. */
typedef uint32_t xenbus_transaction_t;
#define XBT_NIL 0

/*
 * xenbus_read(t, path, buf, len): the value of (path), NUL-terminated in
 * (buf) of (len) bytes. Returns its length, or -XEN_ENOSPC when it does
 * not fit (buf then holds a truncated copy).
 */
int xenbus_read(xenbus_transaction_t t, const char *path, char *buf,
                size_t len);

/*
 * xenbus_read_ulong(t, path, value): reads (path) as a decimal number.
 * -XEN_EINVAL when it is not one.
 */
int xenbus_read_ulong(xenbus_transaction_t t, const char *path,
                      unsigned long *value);

/* xenbus_write(t, path, value): sets (path) to the string (value). */
int xenbus_write(xenbus_transaction_t t, const char *path, const char *value);

/*
 * xenbus_write_ulong(t, dir, key, value): sets (dir)/(key) to (value) in
 * decimal, as frontends publish ring-ref and event-channel. -XEN_E2BIG
 * when the path is too long.
 */
int xenbus_write_ulong(xenbus_transaction_t t, const char *dir, const char *key,
                       unsigned long value);

/*
 * xenbus_directory(t, path, buf, len): the children of (path), each a
 * NUL-terminated name, one after the other in (buf). Returns how many,
 * or -XEN_ENOSPC when (len) bytes cannot hold them.
 */
int xenbus_directory(xenbus_transaction_t t, const char *path, char *buf,
                     size_t len);

/* xenbus_rm(t, path): removes (path) and everything below it. */
int xenbus_rm(xenbus_transaction_t t, const char *path);

/* xenbus_mkdir(t, path): creates (path) with an empty value. */
int xenbus_mkdir(xenbus_transaction_t t, const char *path);

/*
 * xenbus_set_perms(t, path, perms, n): sets the (n) permission entries
 * (perms), each "<n|r|w|b><domid>", the first naming the owner and the
 * access of every domain not listed, e.g. { "n1", "r2" }.
 */
int xenbus_set_perms(xenbus_transaction_t t, const char *path,
                     const char *const *perms, unsigned int n);

/*
 * xenbus_watch(path, token, fn, data): asks the store to report changes
 * to (path) and below; the store reports (path) itself once at once.
 * (fn)(changed_path, token, data) runs for each report, never from an
 * event handler: reports are queued as they arrive and the callbacks run
 * from xenbus_poll(), which wait_until() and sleep_ns() call. (token)
 * (at most 63 characters) must be unique: -XEN_EEXIST otherwise;
 * -XEN_ENOSPC when the local table of watches is full.
 * xenbus_unwatch(path, token): cancels it; its queued reports are
 * dropped.
 */
typedef void (*xenbus_watch_fn)(const char *path, const char *token,
                                void *data);
int xenbus_watch(const char *path, const char *token, xenbus_watch_fn fn,
                 void *data);
int xenbus_unwatch(const char *path, const char *token);

/*
 * xenbus_poll(): reads what the store sent and runs the queued watch
 * callbacks. Does nothing inside a XenStore call or a watch callback
 * (callbacks never nest), nor before boot connected the store.
 */
void xenbus_poll(void);

/*
 * xenbus_transaction_start(t): starts a transaction, its id in (*t).
 * xenbus_transaction_end(t, abort): commits (abort 0) or drops it.
 * Commit returns -XEN_EAGAIN when a node it used changed meanwhile:
 * nothing was written; start again.
 */
int xenbus_transaction_start(xenbus_transaction_t *t);
int xenbus_transaction_end(xenbus_transaction_t t, int abort);

/*
 * xenbus_transaction_run(body, arg): runs (body)(t, arg) in a new
 * transaction and commits it, starting over (at most 32 times) while
 * the commit answers -XEN_EAGAIN. A negative return from (body) aborts
 * the transaction and is returned. Returns 0, or the error.
 */
int xenbus_transaction_run(int (*body)(xenbus_transaction_t t, void *arg),
                           void *arg);

/*
 * xenbus_find_domain(name, deadline_ns): the domid of the domain whose
 * /local/domain/<id>/name is (name), waiting for it to appear until
 * system time (deadline_ns) (0: forever). Returns the domid,
 * -XEN_ETIMEDOUT, or the store's error.
 */
int xenbus_find_domain(const char *name, uint64_t deadline_ns);

/* xenbus_ready(): 1 once the store is connected (boot step), else 0. */
int xenbus_ready(void);

#endif /* PVGUEST_XENBUS_H */
