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
 * A request of whole pages (pages_fit()), op BLKIF_OP_READ or _WRITE:
 * SLOT_FAST(op) plus this, so that a state of neither is told apart
 * with the same compare; its segments are the slot's page refs, nseg.
 */
#define SLOT_PAGES 0x2000
#define SLOT_OP_MASK 0xfff

/*
 * One request in flight, found by the id the backend echoes. Its
 * segments are the caller's own pages (a buffer aligned to a sector) or
 * the slot's bounce pages (any other buffer), never a mix. A fast
 * request has one segment, granted with the slot's own ref (own_ref,
 * reserved when the ring is set up), a pages request one a page, granted
 * with the slot's page refs (own_ref first): no free list is touched for
 * either.
 */
struct blk_slot {
    uint32_t state; /* SLOT_*; not a byte, so that storing it aliases less */
    grant_ref_t own_ref;
    struct grant_entry_v1 *own; /* own_ref's entry; NULL: none (left) */
    uint64_t page_seg; /* seg[0] of a whole page through own_ref, as stored */
    /*
     * A pages request's segment i goes through page_entry[i] (0: own),
     * written as page_seg_of[i]; page_ref[i - 1] are the refs reserved
     * besides own_ref. pages: 1 while every one is usable.
     */
    uint8_t pages;
    uint8_t pages_reserved;
    gnttab_word_t *page_entry[BLKIF_MAX_SEGMENTS_PER_REQUEST];
    uint64_t page_seg_of[BLKIF_MAX_SEGMENTS_PER_REQUEST];
    grant_ref_t page_ref[BLKIF_MAX_SEGMENTS_PER_REQUEST - 1];
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

/*
 * A pages request: a read or write of (n) sectors, 1 to a request's
 * most, at a page-aligned buffer in RAM below the grant window (not page
 * 0): each page a segment granted with one of the slot's page refs.
 */
static inline int pages_fit(unsigned int op, uintptr_t a, uint64_t n)
{
    return op <= BLKIF_OP_WRITE && (a & (XEN_PAGE_SIZE - 1)) == 0 && a != 0 &&
           n - 1 < BLKFRONT_MAX_REQUEST_SECTORS &&
           a <= PVHV_GRANT_WINDOW_BASE - n * BLKIF_SECTOR_SIZE;
}

/*
 * Case (i) + 1 of put_pages()'s switch: segment i's word, then its page's
 * grant, one 8-byte store each; (w) moves to the page before (step:
 * one frame).
 */
#define PUT_PAGE(i)                                                            \
    case (i) + 1:                                                              \
        __builtin_memcpy(&req->seg[i], &sl->page_seg_of[i], sizeof(uint64_t)); \
        __atomic_store_n(sl->page_entry[i], w, __ATOMIC_RELEASE);              \
        w -= step;                                                             \
        __attribute__((fallthrough))

/*
 * Writes pages request (q) for slot (idx), (sl), whose page refs are
 * usable, into ring entry (req): head, id, sector, then from the last
 * page down each prepared segment word and the page's grant (one jump
 * into straight code: no loop), and the last segment's last sector.
 * Each grant is released after the stores before it (a write's data);
 * the backend sees none of it before req_prod moves.
 */
static inline __attribute__((always_inline)) void
put_pages(struct blkfront_dev *dev, struct blkif_request *req, unsigned int idx,
          struct blk_slot *sl, const struct blkfront_io *q)
{
    unsigned int op = q->op, n = q->n,
                 nseg = (n + SECTORS_PER_PAGE - 1) / SECTORS_PER_PAGE;
    uint32_t head = dev->req_head[op] + ((nseg - 1) << 8);
    /* Frame k + 1's word is frame k's plus one in bits 32 on. */
    uint64_t w = dev->own_word[op] + ((uint64_t)(nseg - 1) << 32) +
                 ((uint64_t)(uintptr_t)q->buf << (32 - XEN_PAGE_SHIFT));
    uint64_t step = (uint64_t)1 << 32;

    /* Kept in a register, not made again (10 bytes) for each page. */
    __asm__("" : "+r"(step));

    __builtin_memcpy(req, &head, sizeof(head));
    req->id = idx;
    req->sector_number = q->sector;
    sl->user_id = q->id;
    sl->nseg = (uint8_t)nseg;
    sl->state = SLOT_FAST(op) + SLOT_PAGES;
    switch (nseg) {
        PUT_PAGE(10);
        PUT_PAGE(9);
        PUT_PAGE(8);
        PUT_PAGE(7);
        PUT_PAGE(6);
        PUT_PAGE(5);
        PUT_PAGE(4);
        PUT_PAGE(3);
        PUT_PAGE(2);
        PUT_PAGE(1);
        PUT_PAGE(0);
    default:
        break;
    }
    req->seg[nseg - 1].last_sect = (uint8_t)((n - 1) & (SECTORS_PER_PAGE - 1));
}

/* Case (i) + 1 of end_pages()'s switch: page i's grant ends, or -1. */
#define END_PAGE(i)                                                            \
    case (i) + 1:                                                              \
        if (gnttab_entry_end((struct grant_entry_v1 *)sl->page_entry[i],       \
                             flags) < 0)                                       \
            return -1;                                                         \
        __attribute__((fallthrough))

/*
 * Ends a pages request's grants, whose flags are (flags), last page
 * first, with no loop: 0, or -1 at the first the backend still maps
 * (those after it ended; ending one again is harmless).
 */
static inline __attribute__((always_inline)) int end_pages(struct blk_slot *sl,
                                                           uint16_t flags)
{
    switch (sl->nseg) {
        END_PAGE(10);
        END_PAGE(9);
        END_PAGE(8);
        END_PAGE(7);
        END_PAGE(6);
        END_PAGE(5);
        END_PAGE(4);
        END_PAGE(3);
        END_PAGE(2);
        END_PAGE(1);
        END_PAGE(0);
    default:
        break;
    }
    return 0;
}

#endif /* PVGUEST_BLKFRONT_DEV_H */
