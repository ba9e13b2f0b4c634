/* SPDX-License-Identifier: MIT */
/* vchan.h: a byte stream between two domains over one shared page. */
#ifndef PVGUEST_VCHAN_H
#define PVGUEST_VCHAN_H

#include <stddef.h>
#include <stdint.h>

#include <pvabi/xen.h>

/*
 * In the manner of Xen's libxenvchan: the server allocates a page (two
 * byte rings, 2048 bytes server to client and 1024 bytes back, with their
 * indexes), grants it to the client, allocates an unbound event channel
 * for it and publishes both in XenStore:
 *     /local/domain/<server>/data/vchan/<name>/ring-ref
 *     /local/domain/<server>/data/vchan/<name>/event-channel
 * (readable by the client only). The client maps the page into its grant
 * window and binds the channel. Each side notifies the other only when
 * the other said it waits (an event index per direction, as in io/ring.h).
 * The channel stays masked on both sides: a side that waits sleeps in
 * pvg_evtchn_wait() on it, with no upcall.
 *
 * Calls are made from normal context (they sleep), one vCPU at a time per
 * vchan. They return a count or 0, or -XEN_Exxx.
 */

struct vchan;

/*
 * vchan_server_open(name, client, v): offers vchan (name) to domain
 * (client) and stores it in (*v). Returns at once: the client connects
 * when it likes; writes wait for room meanwhile.
 */
int vchan_server_open(const char *name, domid_t client, struct vchan **v);

/*
 * vchan_client_open(server, name, deadline_ns, v): connects to vchan
 * (name) of domain (server), waiting for the server to publish it until
 * system time (deadline_ns) (0: forever). Returns 0, -XEN_ETIMEDOUT, the
 * map's GNTST_* status made -XEN_EACCES, or the failing call's error.
 */
int vchan_client_open(domid_t server, const char *name, uint64_t deadline_ns,
                      struct vchan **v);

/*
 * vchan_write(v, buf, len): writes all (len) bytes, waiting for room.
 * Returns (len), -XEN_ENOTCONN when the peer closed, -XEN_EIO when the
 * peer broke the indexes.
 */
long vchan_write(struct vchan *v, const void *buf, size_t len);

/*
 * vchan_read(v, buf, len): waits for at least one byte, then reads what
 * is there, at most (len). Returns the count, 0 when the peer closed
 * and nothing is left, -XEN_EIO when the peer broke the indexes.
 */
long vchan_read(struct vchan *v, void *buf, size_t len);

/* vchan_read_all(v, buf, len): vchan_read() until (len) bytes came. */
long vchan_read_all(struct vchan *v, void *buf, size_t len);

/*
 * vchan_close(v): tells the peer, unmaps or withdraws the page (a page
 * the client still maps stays allocated) and closes the port.
 */
void vchan_close(struct vchan *v);

/* vchan_notifications(v): events this side sent so far. */
unsigned long vchan_notifications(struct vchan *v);

#endif /* PVGUEST_VCHAN_H */
