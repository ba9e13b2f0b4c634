/* SPDX-License-Identifier: MIT */
/*
 * disk.c: writes a pattern over a range of sectors of disk xvda, flushes,
 * reads the range back and checks it.
 *
 * Command line: start=N count=M (defaults 0 and 256), in 512-byte sectors.
 * The pattern: every 8-byte little-endian word of sector s is
 * DISK_TAG + s, so the host can check the image file byte for byte
 * (disk.xml says how). Prints "disk: wrote and verified M sectors from N"
 * and "SUCCESS", or "ABORT: <why>" and crashes.
 */

#include <pvguest/pvguest.h>

#define DISK_TAG 0x6469736b00000000ULL /* "disk" in the high 32 bits */
#define WORDS_PER_SECTOR (BLKIF_SECTOR_SIZE / 8)
/* Sectors per blocking call: several requests in flight at once. */
#define CHUNK 512

static uint64_t buf[CHUNK * WORDS_PER_SECTOR];

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
    va_list ap;

    printf("ABORT: ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    exit(1);
}

static uint64_t arg(const char *key, uint64_t dflt)
{
    char v[24];

    return pvguest_cmdline_get(key, v, sizeof(v)) > 0 ? strtoul(v, NULL, 0)
                                                      : dflt;
}

static void fill(uint64_t first, unsigned int n)
{
    unsigned int s, w;

    for (s = 0; s < n; s++)
        for (w = 0; w < WORDS_PER_SECTOR; w++)
            buf[s * WORDS_PER_SECTOR + w] = DISK_TAG + first + s;
}

static void check(uint64_t first, unsigned int n)
{
    unsigned int s, w;
    uint64_t got;

    for (s = 0; s < n; s++)
        for (w = 0; w < WORDS_PER_SECTOR; w++) {
            got = buf[s * WORDS_PER_SECTOR + w];
            if (got != DISK_TAG + first + s)
                fail("sector %lu word %u reads 0x%lx, wrote 0x%lx",
                     (unsigned long)(first + s), w, (unsigned long)got,
                     (unsigned long)(DISK_TAG + first + s));
        }
}

int main(void)
{
    uint64_t start = arg("start", 0), count = arg("count", 256), sectors, s;
    struct blkfront_dev *dev;
    unsigned int size, n;
    int ro, rc;

    if ((rc = blkfront_open("xvda", &dev)) < 0)
        fail("opening xvda: %d", rc);
    blkfront_info(dev, &sectors, &size, &ro);
    printf("disk: xvda: %lu sectors, sector-size %u%s\n",
           (unsigned long)sectors, size, ro ? ", read-only" : "");
    if (start + count > sectors || start + count < start)
        fail("range %lu+%lu is past the end of the disk (%lu sectors)",
             (unsigned long)start, (unsigned long)count,
             (unsigned long)sectors);
    for (s = start; s < start + count; s += n) {
        n = start + count - s > CHUNK ? CHUNK
                                      : (unsigned int)(start + count - s);
        fill(s, n);
        if ((rc = blkfront_write(dev, s, buf, n)) < 0)
            fail("writing %u sectors at %lu: %d", n, (unsigned long)s, rc);
    }
    rc = blkfront_flush(dev);
    if (rc == -XEN_EOPNOTSUPP)
        printf("disk: the backend offers no flush; writes are already "
               "durable\n");
    else if (rc < 0)
        fail("flush: %d", rc);
    for (s = start; s < start + count; s += n) {
        n = start + count - s > CHUNK ? CHUNK
                                      : (unsigned int)(start + count - s);
        memset(buf, 0, sizeof(buf));
        if ((rc = blkfront_read(dev, s, buf, n)) < 0)
            fail("reading %u sectors at %lu: %d", n, (unsigned long)s, rc);
        check(s, n);
    }
    blkfront_close(dev);
    printf("disk: wrote and verified %lu sectors from %lu\n",
           (unsigned long)count, (unsigned long)start);
    printf("SUCCESS\n");
    return 0;
}
