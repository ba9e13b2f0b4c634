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
/*
 * A request of the fast path (blkfront_io.c), op BLKIF_OP_READ or _WRITE:
 * its grant's flags (own_flags()), odd, so that a response's op checked
 * against the state gives the flags to end the grant with.
 */
#define SLOT_FAST(op) (GTF_permit_access + (op)*GTF_readonly)
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
    uint64_t page_seg; /* seg[0] of a whole page through own_ref, as stored */
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
     * multiply, fewer emulated instructions on the fast paths. req_at
     * goes round twice: a batch from any entry on indexes it straight.
     */
    struct blkif_request *req_at[2 * RING_SLOTS];
    struct blk_slot *slot_at[RING_SLOTS];
    uint64_t own_word[2]; /* gnttab_entry_word() for a read, a write */
    uint32_t req_head[2]; /* operation, nr_segments 1, handle: as stored */
    struct blk_slot slot[RING_SLOTS];
    unsigned int free_slot[RING_SLOTS];
    unsigned int nr_free;
    unsigned int no_own; /* slots without an own ref (blkfront_read_many) */
    unsigned long events_out;
    unsigned long bounced_bytes; /* copied through bounce pages */
    unsigned long state_changes;
};

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

/*
 * The fast path's request (blkfront_io.c's submissions, blkfront_rw.c's
 * one-request transfer): a read or write within one page of a
 * sector-aligned buffer (a 4 KiB page-aligned one, say): one segment,
 * granted with the slot's own ref, no copy, no loop, no free list. Any
 * other goes to submit_any(), which also answers the errors.
 */
static inline int fast_fits(unsigned int op, uintptr_t a, uint64_t n)
{
    uint64_t first = (a >> 9) & (SECTORS_PER_PAGE - 1), n1 = n - 1;

    /* 1 <= n and first + n - 1 < 8 (n = 0 makes n1 huge) in one test. */
    return op <= BLKIF_OP_WRITE && (a & SECTOR_MASK) == 0 &&
           a < PVHV_GRANT_WINDOW_BASE && (n1 | (first + n1)) < SECTORS_PER_PAGE;
}

/*
 * The flags of a fast request's grant: a read lets the backend write our
 * page, a write only read it (BLKIF_OP_WRITE is 1, GTF_readonly 4).
 */
static inline uint16_t own_flags(unsigned int op)
{
    return (uint16_t)SLOT_FAST(op);
}

/*
 * Writes fast request (q) for slot (idx), (sl), into ring entry (req):
 * the request's head, id, sector and segment in four stores
 * (blkif_request's layout on x86-64), the grant in one, last: it may
 * alias anything, and nothing is read after it.
 */
static inline __attribute__((always_inline)) void
put_fast(struct blkfront_dev *dev, struct blkif_request *req, unsigned int idx,
         struct blk_slot *sl, const struct blkfront_io *q)
{
    uintptr_t a = (uintptr_t)q->buf;
    uint64_t first = (a >> 9) & (SECTORS_PER_PAGE - 1);
    uint16_t sects = (uint16_t)(first | (first + (uint64_t)q->n - 1) << 8);
    unsigned int op = q->op;

    __builtin_memcpy(req, &dev->req_head[op], sizeof(dev->req_head[op]));
    req->id = idx;
    req->sector_number = q->sector;
    req->seg[0].gref = sl->own_ref;
    __builtin_memcpy(&req->seg[0].first_sect, &sects, sizeof(sects));
    sl->user_id = q->id;
    sl->state = SLOT_FAST(op);
    gnttab_entry_grant(sl->own, dev->own_word[op], a >> XEN_PAGE_SHIFT);
}

#endif /* PVGUEST_BLKFRONT_DEV_H */
