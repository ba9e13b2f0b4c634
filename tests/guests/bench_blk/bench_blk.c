/* SPDX-License-Identifier: MIT */
/*
 * bench_blk.c: block reads for pvbench. Command line: op=seq|rand qd=N
 * n=M [size=S]: M reads of S sectors (default 8: 4 KiB), sequential or at
 * random S-aligned places, with N in flight (1 to 32). The timed part
 * lies between the "BENCH start" and "BENCH end" lines.
 */

#include "../blk_rw/blk_pattern.h"

#define MAX_QD 32

/*
 * Buffer i % qd per read: reads only, so an overlap would be harmless.
 * Page-aligned, as a kernel's page cache is: blkfront grants them as
 * they are, no copy.
 */
static uint8_t bufs[MAX_QD][BLKFRONT_MAX_REQUEST_SECTORS * BLKIF_SECTOR_SIZE]
    __attribute__((aligned(4096)));

static uint64_t next_sector(int rand, uint64_t *state, uint64_t i,
                            uint64_t slots, unsigned int size)
{
    uint64_t x = *state;

    if (!rand)
        return (i % slots) * size;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return (x % slots) * size;
}

int main(void)
{
    char op[8] = "seq";
    unsigned long qd = test_option("qd", 1), n = test_option("n", 1000);
    unsigned long size = test_option("size", 8), submitted = 0, done = 0;
    uint64_t sectors, slots, state = 88172645463325252ULL, id;
    struct blkfront_dev *dev;
    unsigned long got;
    int ro, rnd, status, rc;

    pvguest_cmdline_get("op", op, sizeof(op));
    rnd = strcmp(op, "rand") == 0;
    if (!rnd && strcmp(op, "seq") != 0)
        test_abort("op must be seq or rand, not %s", op);
    if (qd < 1 || qd > MAX_QD || size < 1 ||
        size > BLKFRONT_MAX_REQUEST_SECTORS)
        test_abort("qd must be 1 to %u, size 1 to %u", MAX_QD,
                   BLKFRONT_MAX_REQUEST_SECTORS);
    dev = blk_open(&sectors, &ro);
    slots = sectors / size;
    if (slots == 0)
        test_abort("the disk is smaller than one read");
    printf("bench_blk: %s qd=%lu n=%lu size=%lu\n", op, qd, n, size);
    bench_start();
    while (done < n) {
        while (submitted < n && submitted - done < qd) {
            rc = blkfront_submit(
                dev, BLKIF_OP_READ,
                next_sector(rnd, &state, submitted, slots, (unsigned int)size),
                bufs[submitted % qd], (unsigned int)size, submitted);
            if (rc < 0)
                test_abort("submit %lu returned %d", submitted, rc);
            submitted++;
        }
        /* Every response there is, before refilling: one batch each time. */
        got = 0;
        while ((rc = blkfront_complete(dev, &id, &status)) == 1) {
            if (status != BLKIF_RSP_OKAY)
                test_abort("read %lu answered %d", (unsigned long)id, status);
            got++;
        }
        if (rc < 0)
            test_abort("blkfront_complete returned %d", rc);
        done += got;
        if (got == 0)
            blkfront_wait(dev, 0);
    }
    bench_end();
    printf("bench_blk: %lu reads of %lu sectors done, %lu notifications\n",
           done, size, blkfront_notifications(dev));
    blkfront_close(dev);
    puts("SUCCESS");
    return 0;
}
