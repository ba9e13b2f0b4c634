/* SPDX-License-Identifier: MIT */
/* blkfront.h: the PV block device frontend (vbd, blkif). */
#ifndef PVGUEST_BLKFRONT_H
#define PVGUEST_BLKFRONT_H

#include <stddef.h>
#include <stdint.h>

#include <pvabi/io/blkif.h>

/*
 * A disk the domain XML gives the domain (<disk> ... <target dev='xvda'
 * bus='xen'/>) appears in XenStore as device/vbd/<devid>. blkfront_open()
 * does the XenbusState handshake with its backend; then I/O goes through
 * one shared ring of 32 requests, each of up to 11 granted pages (88
 * sectors, 44 KiB). Sector numbers and counts are in 512-byte units
 * (blkif's, whatever the disk's sector-size).
 *
 * Zero copy: a buffer aligned to 512 bytes is granted to the backend as
 * it is, no byte copied: each page that holds part of it, whole, for the
 * life of the request (writable for a read, read-only for a write), so
 * the backend may see (or, for a read, change) the rest of those pages
 * too, as with Linux's and Mini-OS's blkfront; the segments name the
 * sectors used. Page-aligned buffers take the fewest segments. Any other
 * buffer goes through bounce pages, copied 8 bytes a step
 * (blkfront_bounced() counts those bytes). The device's event channel is
 * kept masked: the waiting calls sleep in pvg_evtchn_wait(), with no upcall.
 *
 * Two ways to do I/O: the blocking calls blkfront_read/write/flush, which
 * split a transfer into requests and keep several in flight (a transfer
 * that is one request, with nothing else in flight, is sent and waited
 * for without that loop); or
 * blkfront_submit() / blkfront_complete() / blkfront_wait(), to keep many
 * requests in flight yourself, with blkfront_submit_many() and
 * blkfront_complete_many() doing a batch of them in one call
 * (blkfront_read_many(): a batch of reads of one page each). A read or
 * write within one page of a sector-aligned buffer takes a short path:
 * one segment, granted with a ref its ring slot keeps from open to close. Do
 * not mix them on a device while requests are in flight: the blocking calls
 * take every completion they find. Calls are made from normal context (not
 * event handlers), one vCPU at a time per device. Returns are 0 or -XEN_Exxx
 * unless said otherwise.
 */

struct blkfront_dev;

/* Sectors one request carries at most: 11 pages of 8 sectors. */
#define BLKFRONT_MAX_REQUEST_SECTORS                                           \
    (BLKIF_MAX_SEGMENTS_PER_REQUEST * (4096 / BLKIF_SECTOR_SIZE))

/*
 * blkfront_open(name, dev): connects disk (name), any name Xen's
 * toolstack takes ("xvda", "xvdq", "hda", "sdb", "d0p0") or a device id
 * ("51712", "768"): pvabi/io/vbd.h gives the id, as the toolstack and
 * the backend do; and stores its handle in (*dev). Waits up to
 * 10 s for the backend at each step. Returns 0, -XEN_ENOENT when the
 * domain has no such disk, -XEN_ETIMEDOUT, -XEN_ENODEV when the backend
 * closed, or the error of the step that failed (named on the console).
 */
int blkfront_open(const char *name, struct blkfront_dev **dev);

/*
 * blkfront_close(dev): waits for requests in flight, says Closing, waits
 * (bounded) for the backend to close, then frees the ring, the port and
 * the bounce pages.
 */
void blkfront_close(struct blkfront_dev *dev);

/*
 * blkfront_info(dev, sectors, sector_size, readonly): the disk's size in
 * 512-byte sectors, its sector-size in bytes, and 1 if it is read-only
 * (info has VDISK_READONLY or mode is "r"). NULL pointers are skipped.
 */
void blkfront_info(struct blkfront_dev *dev, uint64_t *sectors,
                   unsigned int *sector_size, int *readonly);

/*
 * blkfront_read(dev, sector, buf, n), blkfront_write(...): moves (n)
 * sectors between (buf) (any alignment; see zero copy above) and the
 * disk from (sector).
 * Returns 0, -XEN_EIO when the backend answered BLKIF_RSP_ERROR (a
 * read-only disk, a range past the end, an I/O error), -XEN_EOPNOTSUPP
 * for BLKIF_RSP_EOPNOTSUPP, -XEN_ENOMEM when no bounce page was left.
 * blkfront_flush(dev): BLKIF_OP_FLUSH_DISKCACHE; -XEN_EOPNOTSUPP when
 * the backend does not offer feature-flush-cache.
 */
int blkfront_read(struct blkfront_dev *dev, uint64_t sector, void *buf,
                  size_t n);
int blkfront_write(struct blkfront_dev *dev, uint64_t sector, const void *buf,
                   size_t n);
int blkfront_flush(struct blkfront_dev *dev);

/*
 * blkfront_submit(dev, op, sector, buf, n, id): queues one request,
 * BLKIF_OP_READ, BLKIF_OP_WRITE (at most BLKFRONT_MAX_REQUEST_SECTORS
 * sectors, n >= 1) or BLKIF_OP_FLUSH_DISKCACHE (n = 0), unpublished
 * until blkfront_kick(), blkfront_complete() or blkfront_wait(), so that
 * several go with one notification. (buf) must stay valid, and a read's
 * untouched, until the request completes: the backend reads or writes a
 * sector-aligned buffer directly, a bounced read is copied into it then.
 * (id) is the caller's, handed back by blkfront_complete(). Returns 0,
 * -XEN_EAGAIN when the ring is full (complete some first), -XEN_EINVAL,
 * -XEN_ENOMEM (no bounce page), -XEN_ENOSPC (no grant ref).
 */
int blkfront_submit(struct blkfront_dev *dev, int op, uint64_t sector,
                    void *buf, unsigned int n, uint64_t id);

/*
 * One request of blkfront_submit_many(): op, sector, buf, n and id as
 * blkfront_submit() takes them.
 */
struct blkfront_io {
    uint64_t sector;
    void *buf;
    uint64_t id;
    unsigned int op;
    unsigned int n;
};

/*
 * blkfront_submit_many(dev, io, count): queues the (count) requests
 * (io)[0..count-1] in order, as blkfront_submit() each, then publishes
 * them all with one push and notifies the backend if it went idle
 * (blkfront_kick()). Returns how many it queued, from the first on
 * (fewer than (count) when one failed: submitting that one again tells
 * why), or, when not even the first went, blkfront_submit()'s error.
 */
int blkfront_submit_many(struct blkfront_dev *dev, const struct blkfront_io *io,
                         unsigned int count);

/*
 * blkfront_read_many(dev, sectors, bufs, count, ids): queues (count)
 * reads of one page (8 sectors, 4 KiB) each, read i from sector
 * (sectors)[i] into (bufs)[i] with id (ids)[i], in order, as
 * blkfront_submit(dev, BLKIF_OP_READ, ..., 8, ...) each, then publishes
 * them as blkfront_submit_many() does. Made for many reads of whole
 * pages: one into a page-aligned buffer is a few stores, no checks of
 * op or size; any other buffer takes blkfront_submit()'s way. Returns
 * as blkfront_submit_many().
 */
int blkfront_read_many(struct blkfront_dev *dev, const uint64_t *sectors,
                       void *const *bufs, unsigned int count,
                       const uint64_t *ids);

/*
 * blkfront_kick(dev): publishes the requests submitted so far and
 * notifies the backend if it went idle (RING_PUSH_REQUESTS_AND_CHECK_NOTIFY).
 */
void blkfront_kick(struct blkfront_dev *dev);

/*
 * blkfront_submit_raw(dev, req, id): queues (*req) as it is, except its
 * id field (set to our slot; (id) comes back from blkfront_complete()),
 * for tests of the backend's checks: the caller grants any pages itself.
 * Returns as blkfront_submit().
 */
int blkfront_submit_raw(struct blkfront_dev *dev,
                        const struct blkif_request *req, uint64_t id);

/*
 * blkfront_complete(dev, id, status): kicks, then takes one response, if
 * any: stores its request's (id) and its BLKIF_RSP_* (status), ends the
 * grants and (for a bounced read) copies the data out. A grant the
 * backend still maps after answering makes the status BLKIF_RSP_ERROR.
 * Returns 1 when it took one, 0 when none is there, -XEN_EIO when the
 * backend broke the ring.
 */
int blkfront_complete(struct blkfront_dev *dev, uint64_t *id, int *status);

/* One completion of blkfront_complete_many(). */
struct blkfront_done {
    uint64_t id; /* the request's, as submitted */
    int status;  /* BLKIF_RSP_*, as blkfront_complete() gives it */
};

/*
 * blkfront_complete_many(dev, done, max): kicks, then takes up to (max)
 * responses in one pass, as blkfront_complete() each, into
 * (done)[0..]. Returns how many it took (0 when none is there), or
 * -XEN_EIO when the backend broke the ring before it took any.
 */
int blkfront_complete_many(struct blkfront_dev *dev, struct blkfront_done *done,
                           unsigned int max);

/*
 * blkfront_wait(dev, deadline_ns): kicks, then sleeps (pvg_evtchn_wait())
 * until a response is there or system time (deadline_ns) (0: no
 * deadline). Returns 0 or -XEN_ETIMEDOUT. Re-arms the ring's event index
 * first (RING_FINAL_CHECK_FOR_RESPONSES), so the backend notifies only
 * then.
 */
int blkfront_wait(struct blkfront_dev *dev, uint64_t deadline_ns);

/* blkfront_in_flight(dev): requests submitted and not completed. */
unsigned int blkfront_in_flight(struct blkfront_dev *dev);

/* blkfront_notifications(dev): events we sent the backend so far. */
unsigned long blkfront_notifications(struct blkfront_dev *dev);

/*
 * blkfront_bounced(dev): bytes that went through bounce pages so far
 * (buffers not aligned to a sector); 0 while every buffer was granted
 * as it is.
 */
unsigned long blkfront_bounced(struct blkfront_dev *dev);

#endif /* PVGUEST_BLKFRONT_H */
