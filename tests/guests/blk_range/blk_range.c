/* SPDX-License-Identifier: MIT */
/*
 * blk_range.c: requests that reach past the end of the disk are answered
 * BLKIF_RSP_ERROR, and the device keeps working afterwards.
 */

#include "../blk_rw/blk_pattern.h"

static uint8_t buf[4 * BLKIF_SECTOR_SIZE];

int main(void)
{
    struct blkfront_dev *dev;
    uint64_t sectors, last;
    int ro;

    dev = blk_open(&sectors, &ro);
    if (sectors < 2)
        test_abort("the disk is too small: %lu sectors",
                   (unsigned long)sectors);
    last = sectors - 1;
    blk_fill(buf, last, 1);
    check_result("write the last sector",
                 blk_one(dev, BLKIF_OP_WRITE, last, buf, 1), BLKIF_RSP_OKAY);
    check_result("read the last sector",
                 blk_one(dev, BLKIF_OP_READ, last, buf, 1), BLKIF_RSP_OKAY);
    blk_check(buf, last, 1, "last sector");
    check_result("read one sector past the end",
                 blk_one(dev, BLKIF_OP_READ, sectors, buf, 1), BLKIF_RSP_ERROR);
    check_result("read two sectors across the end",
                 blk_one(dev, BLKIF_OP_READ, last, buf, 2), BLKIF_RSP_ERROR);
    check_result("write across the end",
                 blk_one(dev, BLKIF_OP_WRITE, last, buf, 4), BLKIF_RSP_ERROR);
    check_result("read at sector 2^63",
                 blk_one(dev, BLKIF_OP_READ, 1ULL << 63, buf, 1),
                 BLKIF_RSP_ERROR);
    check_result("read at sector 2^64 - 1 (wraps)",
                 blk_one(dev, BLKIF_OP_READ, ~0ULL, buf, 2), BLKIF_RSP_ERROR);
    check_result("blkfront_read past the end (blocking)",
                 blkfront_read(dev, sectors - 1, buf, 3), -XEN_EIO);
    memset(buf, 0, sizeof(buf));
    check_result("read the last sector again",
                 blk_one(dev, BLKIF_OP_READ, last, buf, 1), BLKIF_RSP_OKAY);
    blk_check(buf, last, 1, "last sector after the errors");
    check_result("read sector 0", blkfront_read(dev, 0, buf, 4), 0);
    blkfront_close(dev);
    puts("SUCCESS");
    return 0;
}
