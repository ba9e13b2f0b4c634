/* SPDX-License-Identifier: MIT */
/*
 * blk_rw.c: writes the pattern of blk_pattern.h over sectors start..+count
 * of xvda (command line start=N count=M), flushes, reads them back and
 * checks them; then odd sizes, an unaligned buffer, many requests in
 * flight at once, and zero copy: aligned buffers that the backend reads
 * and writes directly. The host test then checks the image file's bytes.
 */

#include "blk_pattern.h"

#define MAX_SECTORS 1024
#define QD 16
#define PAGE_SECTORS (4096 / BLKIF_SECTOR_SIZE)

static uint8_t buf[MAX_SECTORS * BLKIF_SECTOR_SIZE + 8];
static uint8_t one[QD][BLKIF_SECTOR_SIZE];
static uint8_t pages[4][4096] __attribute__((aligned(4096)));
/* A request's most pages, and one past them that no read may touch. */
static uint8_t big[BLKIF_MAX_SEGMENTS_PER_REQUEST + 1][4096]
    __attribute__((aligned(4096)));

static void range(struct blkfront_dev *dev, uint64_t start, unsigned int n)
{
    int rc;

    blk_fill(buf, start, n);
    check_result("blkfront_write of the range",
                 blkfront_write(dev, start, buf, n), 0);
    rc = blkfront_flush(dev);
    if (rc != 0 && rc != -XEN_EOPNOTSUPP)
        test_abort("blkfront_flush returned %d", rc);
    printf("ok: flush -> %d\n", rc);
    memset(buf, 0, sizeof(buf));
    check_result("blkfront_read of the range",
                 blkfront_read(dev, start, buf, n), 0);
    blk_check(buf, start, n, "range read back");
}

/* Transfers of every awkward size around the segment and request sizes. */
static void sizes(struct blkfront_dev *dev, uint64_t start, unsigned int n)
{
    static const unsigned int counts[] = {1, 7, 8, 9, 87, 88, 89, 177};
    unsigned int i, c;
    uint8_t *odd = buf + 1; /* not even 2-byte aligned */

    for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        c = counts[i] > n ? n : counts[i];
        memset(buf, 0, sizeof(buf));
        if (blkfront_read(dev, start, odd, c) != 0)
            test_abort("read of %u sectors into an odd buffer failed", c);
        blk_check(odd, start, c, "odd-size read");
    }
    printf("ok: reads of 1 to 177 sectors into an unaligned buffer\n");
}

/* QD one-sector reads in flight at once, completed in any order. */
static void queue(struct blkfront_dev *dev, uint64_t start, unsigned int n)
{
    unsigned int i, got = 0, seen = 0, q = n < QD ? n : QD;
    uint64_t id;
    int status, rc;

    for (i = 0; i < q; i++)
        if ((rc = blkfront_submit(dev, BLKIF_OP_READ, start + i, one[i], 1,
                                  100 + i)) < 0)
            test_abort("submit %u of %u returned %d", i, q, rc);
    check_result("requests in flight", blkfront_in_flight(dev), q);
    while (got < q) {
        rc = blkfront_complete(dev, &id, &status);
        if (rc < 0)
            test_abort("blkfront_complete returned %d", rc);
        if (rc == 0) {
            blkfront_wait(dev, 0);
            continue;
        }
        if (id < 100 || id >= 100 + q || (seen & (1U << (id - 100))))
            test_abort("unexpected or repeated id %lu", (unsigned long)id);
        if (status != BLKIF_RSP_OKAY)
            test_abort("read %lu answered %d", (unsigned long)id, status);
        seen |= 1U << (id - 100);
        blk_check(one[id - 100], start + id - 100, 1, "queued read");
        got++;
    }
    printf("ok: %u reads in flight at once, %lu notifications sent\n", q,
           blkfront_notifications(dev));
}

/* Waits for the one request in flight to be answered, not taking it. */
static void wait_answered(struct blkfront_dev *dev)
{
    check_result("blkfront_wait", blkfront_wait(dev, 0), 0);
}

static void take(struct blkfront_dev *dev, uint64_t want_id)
{
    uint64_t id;
    int status, rc;

    while ((rc = blkfront_complete(dev, &id, &status)) == 0)
        blkfront_wait(dev, 0);
    if (rc != 1 || id != want_id || status != BLKIF_RSP_OKAY)
        test_abort("completion: rc %d, id %lu, status %d", rc,
                   (unsigned long)id, status);
}

/*
 * Zero copy: a page-aligned read holds its data once the backend has
 * answered, before blkfront_complete() (nothing is copied then); a
 * sector-aligned buffer inside a page and a write from aligned pages go
 * without bounce pages too; only the odd buffer bounces.
 */
static void zero_copy(struct blkfront_dev *dev, uint64_t start, unsigned int n)
{
    unsigned long before = blkfront_bounced(dev);
    unsigned int k = n < 16 ? n : 16;

    memset(pages, 0, sizeof(pages));
    check_result(
        "submit a page-aligned read",
        blkfront_submit(dev, BLKIF_OP_READ, start, pages[0], k < 8 ? k : 8, 7),
        0);
    wait_answered(dev);
    blk_check(pages[0], start, k < 8 ? k : 8, "data before completion");
    take(dev, 7);
    printf("ok: the backend wrote the caller's page itself\n");

    memset(pages, 0, sizeof(pages));
    check_result("read into a sector-aligned buffer inside a page",
                 blkfront_read(dev, start, pages[0] + 512, k), 0);
    blk_check(pages[0] + 512, start, k, "mid-page read");
    blk_fill(pages[1], start, k < 8 ? k : 8);
    check_result("write from an aligned page",
                 blkfront_write(dev, start, pages[1], k < 8 ? k : 8), 0);
    check_result("bytes bounced by aligned buffers",
                 blkfront_bounced(dev) - before, 0);
    check_result("read into an odd buffer",
                 blkfront_read(dev, start, buf + 1, 1), 0);
    check_result("bytes bounced by it", blkfront_bounced(dev) - before, 512);
}

/* Aborts unless (len) bytes at (p) are all (c). */
static void check_bytes(const uint8_t *p, size_t len, uint8_t c,
                        const char *what)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != c)
            test_abort("%s: byte %lu is 0x%x, expected 0x%x", what,
                       (unsigned long)i, p[i], c);
}

/*
 * Whole pages, one request of up to a request's most segments: zeros
 * written from aligned pages and read back through the odd buffer (the
 * bounce path), then the pattern written back the same way; a read
 * that ends inside its last page leaves the rest of it alone; a read
 * of three pages holds its data before its completion; two in flight
 * at once (blkfront_submit_many()) complete with their ids. Nothing of
 * it bounces.
 */
static void whole_pages(struct blkfront_dev *dev, uint64_t start,
                        unsigned int n)
{
    unsigned int k = n < BLKFRONT_MAX_REQUEST_SECTORS
                         ? n
                         : BLKFRONT_MAX_REQUEST_SECTORS,
                 part = k > PAGE_SECTORS ? k - 4 : k, got = 0, i;
    unsigned int first = k < 40 ? k : 40, rest = k - first;
    unsigned long before = blkfront_bounced(dev), bounced, free_refs;
    struct blkfront_io io[2] = {
        {start, big[0], 21, BLKIF_OP_READ, first},
        {start + first, big[5], 22, BLKIF_OP_READ, rest},
    };
    struct blkfront_done done[2];
    int rc;

    memset(big, 0, sizeof(big));
    check_result("write of zeros from aligned pages",
                 blkfront_write(dev, start, big, k), 0);
    memset(buf, 0xff, sizeof(buf));
    check_result("read of them into an odd buffer",
                 blkfront_read(dev, start, buf + 1, k), 0);
    check_bytes(buf + 1, (size_t)k * BLKIF_SECTOR_SIZE, 0, "zeros read back");
    bounced = blkfront_bounced(dev) - before;
    check_result("bytes bounced by the odd buffer", (long)bounced,
                 (long)k * BLKIF_SECTOR_SIZE);
    blk_fill(big, start, k);
    check_result("write of the pattern from aligned pages",
                 blkfront_write(dev, start, big, k), 0);
    memset(buf, 0, sizeof(buf));
    check_result("read of it into an odd buffer",
                 blkfront_read(dev, start, buf + 1, k), 0);
    blk_check(buf + 1, start, k, "pattern written from aligned pages");
    before = blkfront_bounced(dev);

    memset(big, 0xa5, sizeof(big));
    check_result("read into aligned pages", blkfront_read(dev, start, big, k),
                 0);
    blk_check(big, start, k, "aligned pages read");
    check_bytes(big[0] + (size_t)k * BLKIF_SECTOR_SIZE, 4096, 0xa5,
                "the page after the read");
    memset(big, 0xa5, sizeof(big));
    check_result("read ending inside its last page",
                 blkfront_read(dev, start, big, part), 0);
    blk_check(big, start, part, "read ending inside a page");
    check_bytes(big[0] + (size_t)part * BLKIF_SECTOR_SIZE,
                (size_t)(k - part) * BLKIF_SECTOR_SIZE + 4096, 0xa5,
                "the sectors after it");

    memset(big, 0, sizeof(big));
    free_refs = gnttab_free_count();
    check_result(
        "submit a read of three pages",
        blkfront_submit(dev, BLKIF_OP_READ, start, big, k < 24 ? k : 24, 8), 0);
    /* The slot's own page refs: none taken from the free ones. */
    check_result("grant refs a request of pages takes",
                 (long)free_refs - (long)gnttab_free_count(), 0);
    wait_answered(dev);
    blk_check(big, start, k < 24 ? k : 24, "pages before completion");
    take(dev, 8);

    memset(big, 0, sizeof(big));
    check_result("two requests of pages in flight",
                 blkfront_submit_many(dev, io, rest > 0 ? 2 : 1),
                 rest > 0 ? 2 : 1);
    while (got < (rest > 0 ? 2U : 1U)) {
        rc = blkfront_complete_many(dev, done + got, 2 - got);
        if (rc < 0)
            test_abort("blkfront_complete_many returned %d", rc);
        if (rc == 0)
            blkfront_wait(dev, 0);
        got += (unsigned int)rc;
    }
    for (i = 0; i < got; i++)
        if (done[i].status != BLKIF_RSP_OKAY ||
            done[i].id != io[done[i].id == 22].id ||
            (i == 1 && done[1].id == done[0].id))
            test_abort("completion %u: id %lu, status %d", i,
                       (unsigned long)done[i].id, done[i].status);
    blk_check(big[0], start, first, "first request of pages");
    blk_check(big[5], start + first, rest, "second request of pages");
    check_result("bytes bounced by aligned pages",
                 (long)(blkfront_bounced(dev) - before), 0);
    printf("ok: %u sectors of whole pages read and written in one request, "
           "no copy\n",
           k);
}

int main(void)
{
    uint64_t start = test_option("start", 0), count = test_option("count", 256);
    uint64_t sectors;
    struct blkfront_dev *dev;
    int ro;

    if (count == 0 || count > MAX_SECTORS)
        test_abort("count must be 1 to %u", MAX_SECTORS);
    dev = blk_open(&sectors, &ro);
    if (ro)
        test_abort("xvda is read-only");
    if (start + count > sectors)
        test_abort("range past the end of the disk");
    range(dev, start, (unsigned int)count);
    sizes(dev, start, (unsigned int)count);
    queue(dev, start, (unsigned int)count);
    zero_copy(dev, start, (unsigned int)count);
    whole_pages(dev, start, (unsigned int)count);
    blkfront_close(dev);
    printf("blk_rw: wrote and verified %lu sectors from %lu\n",
           (unsigned long)count, (unsigned long)start);
    puts("SUCCESS");
    return 0;
}
