/* SPDX-License-Identifier: MIT */
/*
 * bench_blk.c: block reads for pvbench. Command line: op=seq|rand qd=N
 * n=M [size=S]: M reads of S sectors (default 8: 4 KiB), sequential or at
 * random S-aligned places, with N in flight (1 to 32; 1: blocking
 * blkfront_read() calls). The timed part lies between the "BENCH start"
 * and "BENCH end" lines.
 */

#include "../blk_rw/blk_pattern.h"

#define MAX_QD 32
#define PAGE_SECTORS (4096 / BLKIF_SECTOR_SIZE) /* blkfront_read_many()'s */

/*
 * Buffer j for the j-th read of each batch (io[j], set once): reads
 * only, so an overlap would be harmless. Page-aligned, as a kernel's
 * page cache is: blkfront grants them as they are, no copy.
 */
static uint8_t bufs[MAX_QD][BLKFRONT_MAX_REQUEST_SECTORS * BLKIF_SECTOR_SIZE]
    __attribute__((aligned(4096)));

/*
 * Where the reads go: sequential (wrapping at the end), or xorshift64
 * random (the sequence of pvbench's host floor), reduced to a slot with
 * a mask when the slot count is a power of two: a division is one more
 * emulated instruction, and both give the same slot then.
 */
struct places {
    int rand;
    uint64_t x, slots, mask, size, next;
};

static inline uint64_t xorshift(uint64_t x)
{
    x ^= x << 13;
    x ^= x >> 7;
    return x ^ x << 17;
}

static uint64_t next_sector(struct places *p)
{
    uint64_t s;

    if (!p->rand) {
        s = p->next;
        p->next = s + 1 == p->slots ? 0 : s + 1;
        return s * p->size;
    }
    p->x = xorshift(p->x);
    return (p->mask ? p->x & p->mask : p->x % p->slots) * p->size;
}

/*
 * Read j of a batch: io[j] (any size) or sector_of[j], buf_of[j] (one
 * page: blkfront_read_many()), id j, the buffer's number, set once.
 */
static struct blkfront_io io[MAX_QD];
static struct blkfront_done res[MAX_QD];
static uint64_t sector_of[MAX_QD], id_of[MAX_QD];
static void *buf_of[MAX_QD];

/*
 * The places of the next (k) reads, into sector_of[] (pages) or io[].
 * Random places with a mask have their own loop, out of line so that
 * all it needs stays in registers: no test per read for what never
 * changes.
 */
static void __attribute__((noinline))
fill(struct places *p, unsigned long k, int pages)
{
    uint64_t x = p->x, mask = p->mask, size = p->size, *s = sector_of;
    unsigned long j;

    if (pages && p->rand && mask) {
        for (j = 0; j < k; j++) {
            x = xorshift(x);
            s[j] = (x & mask) * size;
        }
        p->x = x;
        return;
    }
    for (j = 0; j < k; j++) {
        if (pages)
            s[j] = next_sector(p);
        else
            io[j].sector = next_sector(p);
    }
}

/* Submits the (k) reads fill() made ready; how many went. */
static int submit(struct blkfront_dev *dev, unsigned long k, int pages)
{
    if (pages)
        return blkfront_read_many(dev, sector_of, buf_of, (unsigned int)k,
                                  id_of);
    return blkfront_submit_many(dev, io, (unsigned int)k);
}

/*
 * QD1 as a synchronous reader does it: one blkfront_read() after the
 * other, each waited for.
 */
static unsigned long run_sync(struct blkfront_dev *dev, struct places *p,
                              unsigned long n)
{
    unsigned long done;
    int rc;

    for (done = 0; done < n; done++)
        if ((rc = blkfront_read(dev, next_sector(p), bufs[0], p->size)) < 0)
            test_abort("read %lu returned %d", done, rc);
    return done;
}

/*
 * Aborts unless res[0..n-1] are all BLKIF_RSP_OKAY, 0: their OR is, one
 * instruction a read fewer than a test each.
 */
static void check_statuses(int n)
{
    const struct blkfront_done *d;
    int any = 0;

    for (d = res; d < res + n; d++)
        any |= d->status;
    if (any == BLKIF_RSP_OKAY)
        return;
    for (d = res; d < res + n; d++)
        if (d->status != BLKIF_RSP_OKAY)
            test_abort("read into buffer %lu answered %d", (unsigned long)d->id,
                       d->status);
}

/*
 * Keeps (qd) reads in flight: tops the queue up with one
 * blkfront_read_many() (reads of one page) or blkfront_submit_many()
 * (any other size), takes every response there is with one
 * blkfront_complete_many(), and waits only when none was there.
 */
static unsigned long run(struct blkfront_dev *dev, struct places *p,
                         unsigned long qd, unsigned long n)
{
    unsigned long submitted = 0, done = 0, k;
    int pages = p->size == PAGE_SECTORS, rc;

    while (done < n) {
        k = qd - (submitted - done);
        if (k > n - submitted)
            k = n - submitted;
        fill(p, k, pages);
        if (k > 0 && (rc = submit(dev, k, pages)) != (int)k)
            test_abort("submit of %lu from %lu returned %d", k, submitted, rc);
        submitted += k;
        rc = blkfront_complete_many(dev, res, MAX_QD);
        if (rc < 0)
            test_abort("blkfront_complete_many returned %d", rc);
        check_statuses(rc);
        done += (unsigned long)rc;
        if (rc == 0)
            blkfront_wait(dev, 0);
    }
    return done;
}

int main(void)
{
    char op[8] = "seq";
    unsigned long qd = test_option("qd", 1), n = test_option("n", 1000);
    unsigned long size = test_option("size", 8), done, j;
    struct places p = {.x = 88172645463325252ULL};
    struct blkfront_dev *dev;
    uint64_t sectors;
    int ro;

    pvguest_cmdline_get("op", op, sizeof(op));
    p.rand = strcmp(op, "rand") == 0;
    if (!p.rand && strcmp(op, "seq") != 0)
        test_abort("op must be seq or rand, not %s", op);
    if (qd < 1 || qd > MAX_QD || size < 1 ||
        size > BLKFRONT_MAX_REQUEST_SECTORS)
        test_abort("qd must be 1 to %u, size 1 to %u", MAX_QD,
                   BLKFRONT_MAX_REQUEST_SECTORS);
    dev = blk_open(&sectors, &ro);
    p.size = size;
    p.slots = sectors / size;
    if (p.slots == 0)
        test_abort("the disk is smaller than one read");
    if ((p.slots & (p.slots - 1)) == 0)
        p.mask = p.slots - 1;
    for (j = 0; j < MAX_QD; j++) {
        io[j].op = BLKIF_OP_READ;
        io[j].n = (unsigned int)size;
        io[j].buf = bufs[j];
        io[j].id = j;
        buf_of[j] = bufs[j];
        id_of[j] = j;
    }
    printf("bench_blk: %s qd=%lu n=%lu size=%lu\n", op, qd, n, size);
    bench_start();
    done = qd == 1 ? run_sync(dev, &p, n) : run(dev, &p, qd, n);
    bench_end();
    printf("bench_blk: %lu reads of %lu sectors done, %lu notifications\n",
           done, size, blkfront_notifications(dev));
    blkfront_close(dev);
    puts("SUCCESS");
    return 0;
}
