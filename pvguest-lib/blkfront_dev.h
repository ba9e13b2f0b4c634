/* SPDX-License-Identifier: MIT */
/* blkfront_dev.h: the block frontend's device state, shared by its files. */
#ifndef PVGUEST_BLKFRONT_DEV_H
#define PVGUEST_BLKFRONT_DEV_H

#include <pvabi/io/xenbus.h>
#include <pvguest/blkfront.h>
#include <pvguest/gnttab.h>
#include <pvguest/mm.h>

#include "internal.h"

#define BLKFRONT_MAX_DEVS 4
#define RING_SLOTS __CONST_RING_SIZE(blkif, XEN_PAGE_SIZE)
#define SECTORS_PER_PAGE (XEN_PAGE_SIZE / BLKIF_SECTOR_SIZE)
#define SECTOR_MASK (BLKIF_SECTOR_SIZE - 1)
#define PATH_MAX_LEN 128

/* blk_slot.state: free, or the kind of request the slot holds. */
#define SLOT_FREE 0
/* 1 + op (BLKIF_OP_READ or _WRITE): a request of the fast path (blkfront_io.c).
 */
#define SLOT_FAST(op) (1 + (op))
/*
 * Any other request: segments as nseg, gref[], bounced say. Above
 * SLOT_FAST(255), so that no response's op makes one look fast.
 */
#define SLOT_ANY 0x1000

/*
 * One request in flight, found by the id the backend echoes. Its
 * segments are the caller's own pages (a buffer aligned to a sector) or
 * the slot's bounce pages (any other buffer), never a mix. A fast
 * request has one segment, granted with the slot's own ref (own_ref,
 * reserved when the ring is set up): no free list is touched for it.
 */
struct blk_slot {
    uint32_t state; /* SLOT_*; not a byte, so that storing it aliases less */
    grant_ref_t own_ref;
    struct grant_entry_v1 *own; /* own_ref's entry; NULL: none (left) */
    uint64_t user_id;
    uint8_t raw; /* from blkfront_submit_raw(): no pages */
    uint8_t op;
    uint8_t nseg;
    uint8_t bounced; /* segment i is page[i]: a read copies out */
    unsigned int nsect;
    char *buf; /* the caller's buffer */
    grant_ref_t gref[BLKIF_MAX_SEGMENTS_PER_REQUEST];
    /* Bounce pages, kept with the slot from one request to the next. */
    void *page[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};

struct blkfront_dev {
    int used;
    unsigned int devid;
    char node[PATH_MAX_LEN];    /* device/vbd/<devid> */
    char backend[PATH_MAX_LEN]; /* the backend's directory */
    domid_t backend_id;
    uint64_t sectors;
    unsigned int sector_size;
    unsigned int info;
    int readonly;
    int flush; /* feature-flush-cache */

    struct blkif_sring *sring;
    struct blkif_front_ring ring;
    int ring_ref;       /* -1: not granted */
    evtchn_port_t port; /* 0: none; kept masked (pvg_evtchn_wait) */
    int broken;

    /*
     * Ring entry i's request and slot i, found with one load each: no
     * multiply, fewer emulated instructions on the fast paths.
     */
    struct blkif_request *req_at[RING_SLOTS];
    struct blk_slot *slot_at[RING_SLOTS];
    uint64_t own_word[2]; /* gnttab_entry_word() for a read, a write */
    uint32_t req_head[2]; /* operation, nr_segments 1, handle: as stored */
    struct blk_slot slot[RING_SLOTS];
    unsigned int free_slot[RING_SLOTS];
    unsigned int nr_free;
    unsigned long events_out;
    unsigned long bounced_bytes; /* copied through bounce pages */
    unsigned long state_changes;
};

/* A response's BLKIF_RSP_* (status) as 0 or -errno. */
static inline int blkfront_error_of(int status)
{
    return status == BLKIF_RSP_OKAY         ? 0
           : status == BLKIF_RSP_EOPNOTSUPP ? -XEN_EOPNOTSUPP
                                            : -XEN_EIO;
}

/*
 * blkfront_rw.c: blkfront_io_drain(dev) waits (2 s at most) for the
 * requests in flight, taking their completions.
 */
void blkfront_io_drain(struct blkfront_dev *dev);

/*
 * blkfront_io.c: blkfront_io_free(dev) gives back the slots' bounce
 * pages and own grant refs (teardown).
 */
void blkfront_io_free(struct blkfront_dev *dev);

/*
 * blkfront_io_setup(dev): the slots' own grant refs (none when the table
 * has none to spare: the general path then) and the fast path's
 * precomputed words, once the backend is known (ring set-up step).
 * Returns 0.
 */
int blkfront_io_setup(struct blkfront_dev *dev);

/* blkfront_io_one()'s answers besides 0 and -errno. */
#define BLKFRONT_ONE_UNFIT 1   /* nothing submitted: take the general path */
#define BLKFRONT_ONE_PENDING 2 /* in flight, its response not taken */

/*
 * blkfront_io_one(dev, op, sector, buf, n): a blocking read or write
 * (op) of (n) sectors at (buf) as one fast request (blkfront_io.c), when
 * it fits one and nothing else is in flight: submitted, notified,
 * waited for and taken with no loop, queue or batch around it. Returns
 * the response's status as 0 or -errno, or BLKFRONT_ONE_UNFIT (nothing
 * done) or BLKFRONT_ONE_PENDING (the request is in flight and the
 * general completion must take it: a response other than the one
 * expected, a grant still mapped, a failed wait).
 */
int blkfront_io_one(struct blkfront_dev *dev, unsigned int op, uint64_t sector,
                    void *buf, unsigned int n);

#endif /* PVGUEST_BLKFRONT_DEV_H */
