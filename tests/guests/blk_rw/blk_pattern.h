/* SPDX-License-Identifier: MIT */
/* blk_pattern.h: what the block test guests write, and opening xvda. */
#ifndef PVHV_TESTS_GUESTS_BLK_PATTERN_H
#define PVHV_TESTS_GUESTS_BLK_PATTERN_H

#include "../testguest.h"

/*
 * Every 8-byte little-endian word of sector s holds BLK_TAG + s: on the
 * host, `od -An -tx4 -w8 -v` prints each word as "<s in hex> 626c6b72".
 */
#define BLK_TAG 0x626c6b7200000000ULL /* "blkr" in the high 32 bits */
#define BLK_WORDS (BLKIF_SECTOR_SIZE / 8)

static inline void blk_fill(void *buf, uint64_t first, unsigned int n)
{
    uint64_t *w = buf;
    unsigned int s, i;

    for (s = 0; s < n; s++)
        for (i = 0; i < BLK_WORDS; i++)
            memcpy(&w[s * BLK_WORDS + i], &(uint64_t){BLK_TAG + first + s}, 8);
}

/* Aborts the test at the first word that differs. */
static inline void blk_check(const void *buf, uint64_t first, unsigned int n,
                             const char *what)
{
    const uint8_t *p = buf;
    unsigned int s, i;
    uint64_t got;

    for (s = 0; s < n; s++)
        for (i = 0; i < BLK_WORDS; i++) {
            memcpy(&got, p + (s * BLK_WORDS + i) * 8, 8);
            if (got != BLK_TAG + first + s)
                test_abort("%s: sector %lu word %u reads 0x%lx, expected "
                           "0x%lx",
                           what, (unsigned long)(first + s), i,
                           (unsigned long)got,
                           (unsigned long)(BLK_TAG + first + s));
        }
}

/* Opens xvda and prints its size; aborts on failure. */
static inline struct blkfront_dev *blk_open(uint64_t *sectors, int *ro)
{
    struct blkfront_dev *dev;
    unsigned int size;
    char name[24] = "xvda";
    int rc;

    /* vdev=NAME on the command line: the disk's name or device id. */
    if (pvguest_cmdline_get("vdev", name, sizeof(name)) < 0)
        memcpy(name, "xvda", sizeof("xvda"));
    rc = blkfront_open(name, &dev);
    if (rc < 0)
        test_abort("blkfront_open(%s) returned %d", name, rc);
    blkfront_info(dev, sectors, &size, ro);
    printf("ok: %s: %lu sectors, sector-size %u%s\n", name,
           (unsigned long)*sectors, size, *ro ? ", read-only" : "");
    return dev;
}

/* One request through the async API; returns its BLKIF_RSP_* status. */
static inline int blk_one(struct blkfront_dev *dev, int op, uint64_t sector,
                          void *buf, unsigned int n)
{
    uint64_t id = 0;
    int status = 0, rc;

    rc = blkfront_submit(dev, op, sector, buf, n, 0x5eed);
    if (rc < 0)
        test_abort("blkfront_submit(op %d, sector %lu, %u) returned %d", op,
                   (unsigned long)sector, n, rc);
    while ((rc = blkfront_complete(dev, &id, &status)) == 0)
        blkfront_wait(dev, 0);
    if (rc < 0)
        test_abort("blkfront_complete returned %d", rc);
    if (id != 0x5eed)
        test_abort("response id %lu, expected %u", (unsigned long)id, 0x5eed);
    return status;
}

#endif /* PVHV_TESTS_GUESTS_BLK_PATTERN_H */
