/* SPDX-License-Identifier: MIT */
/*
 * blk_readonly.c: on a <readonly/> disk, reads work and writes are
 * answered BLKIF_RSP_ERROR. The host test puts "pvhv-readonly-disk" at
 * the start of the image and checks afterwards that nothing changed.
 */

#include "../blk_rw/blk_pattern.h"

#define MARK "pvhv-readonly-disk"

static uint8_t sector[BLKIF_SECTOR_SIZE];
static uint8_t big[16 * BLKIF_SECTOR_SIZE];

static void expect_mark(struct blkfront_dev *dev, const char *when)
{
    memset(sector, 0, sizeof(sector));
    check_result(when, blk_one(dev, BLKIF_OP_READ, 0, sector, 1),
                 BLKIF_RSP_OKAY);
    if (memcmp(sector, MARK, strlen(MARK)) != 0)
        test_abort("%s: sector 0 does not start with \"%s\"", when, MARK);
}

int main(void)
{
    struct blkfront_dev *dev;
    uint64_t sectors;
    int ro;

    dev = blk_open(&sectors, &ro);
    check_result("blkfront_info says read-only", ro, 1);
    expect_mark(dev, "read sector 0");
    memset(sector, 0xaa, sizeof(sector));
    check_result("write sector 0", blk_one(dev, BLKIF_OP_WRITE, 0, sector, 1),
                 BLKIF_RSP_ERROR);
    check_result("write 16 sectors at 8",
                 blk_one(dev, BLKIF_OP_WRITE, 8, big, 16), BLKIF_RSP_ERROR);
    check_result("blkfront_write (blocking)", blkfront_write(dev, 1, sector, 1),
                 -XEN_EIO);
    expect_mark(dev, "read sector 0 after the writes");
    check_result("read 16 sectors", blkfront_read(dev, 0, big, 16), 0);
    blkfront_close(dev);
    puts("SUCCESS");
    return 0;
}
