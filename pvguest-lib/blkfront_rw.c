/* SPDX-License-Identifier: MIT */
/*
 * blkfront_rw.c: the PV block frontend's blocking calls (read, write,
 * flush) and the drain at close, built on submit / complete / wait.
 */

#include "blkfront_dev.h"

#define CLOSE_TIMEOUT_NS (2 * NSEC_PER_SEC)

/* Takes every response there is; the first error goes to (*err). */
static unsigned int reap(struct blkfront_dev *dev, int *err)
{
    unsigned int got = 0;
    uint64_t id;
    int status, rc;

    while ((rc = blkfront_complete(dev, &id, &status)) == 1) {
        got++;
        if (status != BLKIF_RSP_OKAY && *err == 0)
            *err = blkfront_error_of(status);
    }
    if (rc < 0 && *err == 0)
        *err = rc;
    return got;
}

/*
 * Sectors the next request of a transfer takes at (buf): as many as one
 * request carries, fewer for a sector-aligned buffer that starts inside
 * a page, so that it still fits the segments and goes without a copy.
 */
static unsigned int chunk_of(const char *buf, size_t n)
{
    uintptr_t a = (uintptr_t)buf;
    unsigned int max = BLKFRONT_MAX_REQUEST_SECTORS;

    if ((a & SECTOR_MASK) == 0)
        max -= (unsigned int)(a & (XEN_PAGE_SIZE - 1)) / BLKIF_SECTOR_SIZE;
    return n > max ? max : (unsigned int)n;
}

/*
 * The blocking calls' general path: as many requests in flight as the
 * ring takes, refilled as responses come; (inflight) are in flight
 * already (blkfront_io_one()'s). An error stops new submissions; what is
 * in flight is still waited for.
 */
static int __attribute__((noinline))
transfer(struct blkfront_dev *dev, int op, uint64_t sector, char *buf, size_t n,
         unsigned int inflight)
{
    unsigned int chunk;
    int err = 0, rc;

    while ((n > 0 && err == 0) || inflight > 0) {
        while (n > 0 && err == 0) {
            chunk = chunk_of(buf, n);
            rc = blkfront_submit(dev, op, sector, buf, chunk, 0);
            if (rc == -XEN_EAGAIN && inflight > 0)
                break;
            if (rc < 0) {
                err = rc;
                break;
            }
            inflight++;
            sector += chunk;
            buf += (size_t)chunk * BLKIF_SECTOR_SIZE;
            n -= chunk;
        }
        if (inflight == 0)
            break;
        inflight -= reap(dev, &err);
        if (inflight > 0 &&
            (n == 0 || err || blkfront_in_flight(dev) == RING_SLOTS))
            blkfront_wait(dev, 0);
        if (dev->broken)
            return -XEN_EIO;
    }
    return err;
}

/*
 * A transfer within one page, with nothing else in flight, is one fast
 * request (blkfront_io_one); what it leaves in flight, or any other
 * transfer, takes the general path.
 */
static inline __attribute__((always_inline)) int
blocking(struct blkfront_dev *dev, int op, uint64_t sector, char *buf, size_t n)
{
    int rc = BLKFRONT_ONE_UNFIT;

    if (n <= SECTORS_PER_PAGE) {
        rc = blkfront_io_one(dev, (unsigned int)op, sector, buf,
                             (unsigned int)n);
        if (rc <= 0)
            return rc;
    }
    if (rc == BLKFRONT_ONE_PENDING)
        return transfer(dev, op, sector, buf, 0, 1);
    return transfer(dev, op, sector, buf, n, 0);
}

int blkfront_read(struct blkfront_dev *dev, uint64_t sector, void *buf,
                  size_t n)
{
    return blocking(dev, BLKIF_OP_READ, sector, buf, n);
}

int blkfront_write(struct blkfront_dev *dev, uint64_t sector, const void *buf,
                   size_t n)
{
    /* The buffer is only read: the cast does not let anyone write it. */
    return blocking(dev, BLKIF_OP_WRITE, sector, (char *)buf, n);
}

int blkfront_flush(struct blkfront_dev *dev)
{
    uint64_t id;
    int status, rc;

    if (!dev->flush)
        return -XEN_EOPNOTSUPP;
    while ((rc = blkfront_submit(dev, BLKIF_OP_FLUSH_DISKCACHE, 0, NULL, 0,
                                 0)) == -XEN_EAGAIN)
        blkfront_wait(dev, 0);
    if (rc < 0)
        return rc;
    /* Requests already in flight complete too; ours is among them. */
    while (blkfront_in_flight(dev) > 0) {
        while ((rc = blkfront_complete(dev, &id, &status)) == 1)
            if (status != BLKIF_RSP_OKAY)
                return blkfront_error_of(status);
        if (rc < 0)
            return rc;
        if (blkfront_in_flight(dev) > 0)
            blkfront_wait(dev, 0);
    }
    return 0;
}

void blkfront_io_drain(struct blkfront_dev *dev)
{
    int err = 0;

    while (blkfront_in_flight(dev) > 0 && !dev->broken) {
        reap(dev, &err);
        if (blkfront_in_flight(dev) > 0 &&
            blkfront_wait(dev, monotonic_ns() + CLOSE_TIMEOUT_NS) < 0)
            break;
    }
}
