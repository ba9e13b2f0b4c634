/* SPDX-License-Identifier: MIT */
/*
 * blk_batch.c: the batch calls, blkfront_submit_many() and
 * blkfront_complete_many(). Writes the pattern of blk_pattern.h over
 * sectors start..+320 (command line start=N) in batches larger than
 * the ring, with buffers that take the fast path (page-aligned, or
 * inside one page) and others (two pages, unaligned) in the same batch;
 * flushes; reads it all back in batches taken a few at a time; then a
 * batch that stops at a bad request, and one with a read past the end;
 * the same once more with blkfront_read_many(), reads of one page each.
 * The host test checks the image's bytes.
 */

#include "../blk_rw/blk_pattern.h"

#define NREQ 41     /* more than the ring's 32 slots */
#define SLOTS 32    /* the ring's */
#define SPLIT 9     /* request 9 is two of 4 sectors: 9 and NREQ - 1 */
#define TWO_PAGES 7 /* request 7 spans two pages (no fast path) */
#define UNALIGNED 3 /* request 3 is bounced */
#define RANGE (8 * (NREQ - 1)) /* sectors written: 320 */
#define NPAGES (RANGE / 8)     /* pages of them blkfront_read_many() reads */

static uint8_t pages[NREQ][4096] __attribute__((aligned(4096)));
static uint8_t span[3][4096] __attribute__((aligned(4096)));
static uint8_t odd[8 * BLKIF_SECTOR_SIZE + 8];
static struct blkfront_io io[NREQ];
static struct blkfront_done done[NREQ];

/* Request i's place, size and buffer (see the defines above). */
static void layout(uint64_t start, unsigned int op)
{
    unsigned int i;

    for (i = 0; i < NREQ; i++) {
        io[i] = (struct blkfront_io){.sector = start + 8 * i,
                                     .buf = pages[i],
                                     .id = 1000 + i,
                                     .op = op,
                                     .n = 8};
        if (i == UNALIGNED)
            io[i].buf = odd + 1;
        if (i == TWO_PAGES)
            io[i].buf = span[0] + 4096 - 2 * BLKIF_SECTOR_SIZE;
    }
    /* Two halves of one 4 KiB piece: the second half mid-page. */
    io[SPLIT].n = 4;
    io[NREQ - 1].sector = start + 8 * SPLIT + 4;
    io[NREQ - 1].buf = pages[NREQ - 1] + 4 * BLKIF_SECTOR_SIZE;
    io[NREQ - 1].n = 4;
}

/*
 * Takes completions (max) at a time until (want) came, each id once,
 * each status (status) (BLKIF_RSP_OKAY) unless it is (bad_id)'s.
 */
static void reap(struct blkfront_dev *dev, unsigned int want, unsigned int max,
                 uint64_t bad_id)
{
    static uint8_t seen[NREQ + 8];
    unsigned int got = 0, i;
    int rc;

    memset(seen, 0, sizeof(seen));
    while (got < want) {
        rc = blkfront_complete_many(dev, done, max);
        if (rc < 0)
            test_abort("blkfront_complete_many returned %d", rc);
        if ((unsigned int)rc > max)
            test_abort("blkfront_complete_many took %d, max %u", rc, max);
        if (rc == 0)
            blkfront_wait(dev, 0);
        for (i = 0; i < (unsigned int)rc; i++) {
            uint64_t k = done[i].id - 1000;
            int want_st =
                done[i].id == bad_id ? BLKIF_RSP_ERROR : BLKIF_RSP_OKAY;

            if (done[i].id < 1000 || k >= NREQ + 8 || seen[k])
                test_abort("unexpected or repeated id %lu",
                           (unsigned long)done[i].id);
            if (done[i].status != want_st)
                test_abort("request %lu answered %d, expected %d",
                           (unsigned long)done[i].id, done[i].status, want_st);
            seen[k] = 1;
        }
        got += (unsigned int)rc;
    }
    check_result("requests left in flight", blkfront_in_flight(dev), 0);
}

/*
 * All NREQ requests: the first call queues what the ring takes, the rest
 * after those completed.
 */
static void batches(struct blkfront_dev *dev, unsigned int max)
{
    int rc = blkfront_submit_many(dev, io, NREQ);

    check_result("blkfront_submit_many of 41 requests", rc, SLOTS);
    check_result("requests in flight", blkfront_in_flight(dev), SLOTS);
    reap(dev, SLOTS, max, 0);
    check_result("blkfront_submit_many of the rest",
                 blkfront_submit_many(dev, io + SLOTS, NREQ - SLOTS),
                 NREQ - SLOTS);
    reap(dev, NREQ - SLOTS, max, 0);
}

static void write_all(struct blkfront_dev *dev, uint64_t start)
{
    unsigned int i;
    int rc;

    layout(start, BLKIF_OP_WRITE);
    for (i = 0; i < NREQ; i++)
        blk_fill(io[i].buf, io[i].sector, io[i].n);
    batches(dev, NREQ);
    rc = blkfront_flush(dev);
    if (rc != 0 && rc != -XEN_EOPNOTSUPP)
        test_abort("blkfront_flush returned %d", rc);
    printf("ok: %u writes in batches, flush -> %d\n", NREQ, rc);
}

static void read_all(struct blkfront_dev *dev, uint64_t start)
{
    unsigned int i;

    layout(start, BLKIF_OP_READ);
    for (i = 0; i < NREQ; i++)
        memset(io[i].buf, 0, io[i].n * BLKIF_SECTOR_SIZE);
    batches(dev, 5);
    for (i = 0; i < NREQ; i++)
        blk_check(io[i].buf, io[i].sector, io[i].n, "batch read");
    printf("ok: %u reads in batches, taken 5 at a time, data checked\n", NREQ);
}

/*
 * blkfront_read_many(): the 40 pages written, in a call larger than the
 * ring (32 go, the rest after those completed), with the unaligned
 * buffer and the one across two pages among page-aligned ones; data
 * checked. A NULL buffer stops a call where it is; a read past the end
 * fails alone.
 */
static void read_pages(struct blkfront_dev *dev, uint64_t start,
                       uint64_t sectors)
{
    static uint64_t sector_of[NPAGES], id_of[NPAGES];
    static void *buf_of[NPAGES];
    unsigned int i, refs = gnttab_free_count();

    for (i = 0; i < NPAGES; i++) {
        sector_of[i] = start + 8 * i;
        id_of[i] = 1000 + i;
        buf_of[i] = pages[i];
    }
    buf_of[UNALIGNED] = odd + 1;
    buf_of[TWO_PAGES] = span[0] + 4096 - 2 * BLKIF_SECTOR_SIZE;
    for (i = 0; i < NPAGES; i++)
        memset(buf_of[i], 0, 8 * BLKIF_SECTOR_SIZE);
    check_result("blkfront_read_many of 40 pages",
                 blkfront_read_many(dev, sector_of, buf_of, NPAGES, id_of),
                 SLOTS);
    check_result("pages in flight", blkfront_in_flight(dev), SLOTS);
    reap(dev, SLOTS, NREQ, 0);
    check_result("blkfront_read_many of the other pages",
                 blkfront_read_many(dev, sector_of + SLOTS, buf_of + SLOTS,
                                    NPAGES - SLOTS, id_of + SLOTS),
                 NPAGES - SLOTS);
    reap(dev, NPAGES - SLOTS, 5, 0);
    for (i = 0; i < NPAGES; i++)
        blk_check(buf_of[i], sector_of[i], 8, "page read");
    printf("ok: %u page reads in two calls, data checked\n", NPAGES);

    buf_of[2] = NULL;
    check_result("page reads with a NULL buffer third",
                 blkfront_read_many(dev, sector_of, buf_of, 4, id_of), 2);
    check_result(
        "page reads from the NULL buffer",
        blkfront_read_many(dev, sector_of + 2, buf_of + 2, 2, id_of + 2),
        -XEN_EINVAL);
    reap(dev, 2, NREQ, 0);
    buf_of[2] = pages[2];
    sector_of[1] = sectors;
    check_result("page reads with one past the end",
                 blkfront_read_many(dev, sector_of, buf_of, 3, id_of), 3);
    reap(dev, 3, NREQ, 1001);
    check_result("grant refs free as before the page reads",
                 gnttab_free_count(), refs);
}

/*
 * A bad request stops the batch where it is: the ones before it go, the
 * call that starts with it says why. A read past the end fails alone.
 */
static void errors(struct blkfront_dev *dev, uint64_t start, uint64_t sectors)
{
    unsigned int refs = gnttab_free_count();

    layout(start, BLKIF_OP_READ);
    io[2].op = 7;
    check_result("a batch with a bad op third",
                 blkfront_submit_many(dev, io, 4), 2);
    check_result("the batch from the bad op",
                 blkfront_submit_many(dev, io + 2, 2), -XEN_EINVAL);
    reap(dev, 2, NREQ, 0);
    io[2].op = BLKIF_OP_READ;
    io[1].sector = sectors;
    check_result("a batch with a read past the end",
                 blkfront_submit_many(dev, io, 3), 3);
    reap(dev, 3, NREQ, 1001);
    check_result("grant refs free as before", gnttab_free_count(), refs);
}

int main(void)
{
    uint64_t start = test_option("start", 0), sectors;
    struct blkfront_dev *dev;
    int ro;

    dev = blk_open(&sectors, &ro);
    if (ro)
        test_abort("xvda is read-only");
    if (start + RANGE > sectors)
        test_abort("range past the end of the disk");
    write_all(dev, start);
    read_all(dev, start);
    errors(dev, start, sectors);
    read_pages(dev, start, sectors);
    blkfront_close(dev);
    printf("blk_batch: wrote and verified %u sectors from %lu\n", RANGE,
           (unsigned long)start);
    puts("SUCCESS");
    return 0;
}
