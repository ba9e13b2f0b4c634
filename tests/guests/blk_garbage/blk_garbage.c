/* SPDX-License-Identifier: MIT */
/*
 * blk_garbage.c: raw blkif requests with garbage in each field; the
 * backend must answer each with BLKIF_RSP_ERROR (echoing the id), or
 * BLKIF_RSP_EOPNOTSUPP for the operations blkif defines that it does not
 * serve; and a normal read must still work after all of them.
 */

#include "../blk_rw/blk_pattern.h"

#define XVDA 51712

static uint8_t page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));
static uint8_t ro_page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));
static grant_ref_t gref, ro_gref;

/* A good one-page read of sector 0, to spoil one field of. */
static struct blkif_request good(void)
{
    struct blkif_request r = {
        .operation = BLKIF_OP_READ,
        .nr_segments = 1,
        .handle = XVDA,
        .sector_number = 0,
    };

    r.seg[0].gref = gref;
    r.seg[0].first_sect = 0;
    r.seg[0].last_sect = 7;
    return r;
}

static int raw(struct blkfront_dev *dev, const struct blkif_request *r)
{
    uint64_t id = 0;
    int status = 0, rc = blkfront_submit_raw(dev, r, 0xbad);

    if (rc < 0)
        test_abort("blkfront_submit_raw returned %d", rc);
    while ((rc = blkfront_complete(dev, &id, &status)) == 0)
        blkfront_wait(dev, 0);
    if (rc < 0)
        test_abort("blkfront_complete returned %d", rc);
    if (id != 0xbad)
        test_abort("the response's id is %lu, not ours", (unsigned long)id);
    return status;
}

static void grant_pages(void)
{
    int rc = gnttab_grant_access(0, (uintptr_t)page >> XEN_PAGE_SHIFT, 0);

    if (rc < 0)
        test_abort("gnttab_grant_access returned %d", rc);
    gref = (grant_ref_t)rc;
    rc = gnttab_grant_access(0, (uintptr_t)ro_page >> XEN_PAGE_SHIFT, 1);
    if (rc < 0)
        test_abort("gnttab_grant_access (read-only) returned %d", rc);
    ro_gref = (grant_ref_t)rc;
}

static void garbage(struct blkfront_dev *dev, uint64_t sectors)
{
    struct blkif_request r;

#define EXPECT_ERROR(what, stmt)                                               \
    do {                                                                       \
        r = good();                                                            \
        stmt;                                                                  \
        check_result(what, raw(dev, &r), BLKIF_RSP_ERROR);                     \
    } while (0)

    EXPECT_ERROR("operation 99", r.operation = 99);
    EXPECT_ERROR("operation 255", r.operation = 255);
    EXPECT_ERROR("handle 0x1234 (not this disk)", r.handle = 0x1234);
    EXPECT_ERROR("read with nr_segments 0", r.nr_segments = 0);
    EXPECT_ERROR("read with nr_segments 12", r.nr_segments = 12);
    EXPECT_ERROR("read with nr_segments 255", r.nr_segments = 255);
    EXPECT_ERROR("first_sect 5 > last_sect 3",
                 (r.seg[0].first_sect = 5, r.seg[0].last_sect = 3));
    EXPECT_ERROR("last_sect 8", r.seg[0].last_sect = 8);
    EXPECT_ERROR("first_sect 200, last_sect 255",
                 (r.seg[0].first_sect = 200, r.seg[0].last_sect = 255));
    EXPECT_ERROR("gref 0xdeadbeef", r.seg[0].gref = 0xdeadbeef);
    EXPECT_ERROR("gref of an unused entry", r.seg[0].gref = gref + 100);
    /* Refs 0 and 1 are the console and store rings, granted by the tools. */
    EXPECT_ERROR("gref 7 (reserved, unused)", r.seg[0].gref = 7);
    EXPECT_ERROR("read into a read-only grant", r.seg[0].gref = ro_gref);
    EXPECT_ERROR("sector 2^63", r.sector_number = 1ULL << 63);
    EXPECT_ERROR("sector past the end", r.sector_number = sectors);
    EXPECT_ERROR("write with nr_segments 0",
                 (r.operation = BLKIF_OP_WRITE, r.nr_segments = 0));
    EXPECT_ERROR("second segment with a bad gref",
                 (r.nr_segments = 2, r.seg[1].gref = 0xffffff,
                  r.seg[1].first_sect = 0, r.seg[1].last_sect = 7));
#undef EXPECT_ERROR
    /* Operations blkif defines but this backend does not serve. */
    r = good();
    r.operation = BLKIF_OP_RESERVED_1;
    check_result("BLKIF_OP_RESERVED_1", raw(dev, &r), BLKIF_RSP_EOPNOTSUPP);
    r = good();
    r.operation = BLKIF_OP_INDIRECT;
    check_result("BLKIF_OP_INDIRECT", raw(dev, &r), BLKIF_RSP_EOPNOTSUPP);
}

int main(void)
{
    struct blkfront_dev *dev;
    struct blkif_request r;
    uint64_t sectors;
    int ro;

    dev = blk_open(&sectors, &ro);
    grant_pages();
    blk_fill(page, 0, 8);
    r = good();
    r.operation = BLKIF_OP_WRITE;
    check_result("a good raw write of sector 0-7", raw(dev, &r),
                 BLKIF_RSP_OKAY);
    garbage(dev, sectors);
    memset(page, 0, sizeof(page));
    r = good();
    check_result("a good raw read after the garbage", raw(dev, &r),
                 BLKIF_RSP_OKAY);
    blk_check(page, 0, 8, "raw read");
    check_result("blkfront_read after the garbage",
                 blkfront_read(dev, 0, page, 8), 0);
    blk_check(page, 0, 8, "blocking read");
    check_result("gnttab_end_access", gnttab_end_access(gref), 0);
    check_result("gnttab_end_access (read-only)", gnttab_end_access(ro_gref),
                 0);
    blkfront_close(dev);
    puts("SUCCESS");
    return 0;
}
