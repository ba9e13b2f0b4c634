/* SPDX-License-Identifier: MIT */
/* check_ata.c: the ATA channel model against the ATA-6 register rules. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emulated/ata.h"
#include "host/worker.h"

#define SECTORS 64

static struct ata_channel c;
static char path[] = "/tmp/check_ata.XXXXXX";
static int fd = -1;
static bool line;
static bool use_uring; /* the fixture's engine: io_uring, else sync */
static unsigned int kicks;

/* A kick that only counts: the test plays the worker (ata_serve). */
static void count_kick(void *opaque)
{
    (void)opaque;
    kicks++;
}

static void irq(void *opaque, bool level)
{
    (void)opaque;
    line = level;
}

static void setup(void)
{
    uint8_t sector[ATA_SECTOR];

    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    for (unsigned int s = 0; s < SECTORS; s++) {
        memset(sector, (int)s, sizeof(sector));
        ck_assert_int_eq(write(fd, sector, sizeof(sector)), ATA_SECTOR);
    }
    line = false;
    kicks = 0;
    ata_init(&c, irq, NULL);
    ck_assert_int_eq(
        ata_attach(&c, 0, fd, SECTORS * ATA_SECTOR, false, !use_uring), 0);
}

/* The io_uring fixture, where the host allows io_uring (else sync). */
static void setup_uring(void)
{
    use_uring = true;
    setup();
    use_uring = false;
    if (c.drive[0].engine.ops != &disk_io_uring)
        printf("io_uring cases run synchronously: %s\n", c.drive[0].engine_why);
}

static void teardown(void)
{
    ata_fini(&c);
    close(fd);
    unlink(path);
    strcpy(path, "/tmp/check_ata.XXXXXX");
}

static uint8_t rd(unsigned int reg)
{
    uint8_t v = 0;

    ck_assert(ata_read(&c, reg, &v, 1));
    return v;
}

static void wr(unsigned int reg, uint8_t v)
{
    ck_assert(ata_write(&c, reg, &v, 1));
}

static uint16_t word(void)
{
    uint16_t w = 0;

    ck_assert(ata_read(&c, ATA_DATA, (uint8_t *)&w, 2));
    return w;
}

/* task: LBA28 (lba), (n) sectors, command (cmd) on drive (slave). */
static void task(unsigned int slave, uint32_t lba, uint8_t n, uint8_t cmd)
{
    wr(ATA_DEVICE, (uint8_t)(0xe0 | slave << 4 | (lba >> 24 & 0x0f)));
    wr(ATA_COUNT, n);
    wr(ATA_LBA0, (uint8_t)lba);
    wr(ATA_LBA1, (uint8_t)(lba >> 8));
    wr(ATA_LBA2, (uint8_t)(lba >> 16));
    wr(ATA_STATUS_COMMAND, cmd);
}

START_TEST(test_identify)
{
    uint16_t id[256];

    task(0, 0, 0, 0xec);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) & (ATA_ST_DRQ | ATA_ST_ERR),
                      ATA_ST_DRQ);
    for (int i = 0; i < 256; i++)
        id[i] = word();
    ck_assert_uint_eq(id[0], 0x0040);
    ck_assert_uint_eq(id[60] | (uint32_t)id[61] << 16, SECTORS);
    ck_assert_uint_eq(id[100], SECTORS);
    ck_assert_uint_eq(id[83] & (1 << 10), 1 << 10); /* LBA48 */
    ck_assert_uint_eq(id[47] & 0xff, ATA_MULTIPLE_MAX);
    ck_assert_uint_eq(id[27], 'p' << 8 | 'v'); /* "pvhv ATA disk" */
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) & ATA_ST_DRQ, 0);
}
END_TEST

/* No slave: everything reads 0, as a floating-low bus ide drivers test. */
START_TEST(test_absent_slave)
{
    task(1, 0, 1, 0xec);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND), 0);
    ck_assert_uint_eq(ata_ctl_read(&c), 0);
}
END_TEST

START_TEST(test_read_sectors)
{
    task(0, 5, 2, 0x20);
    for (unsigned int s = 5; s < 7; s++) {
        ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) & ATA_ST_DRQ, ATA_ST_DRQ);
        for (int i = 0; i < ATA_SECTOR / 2; i++)
            ck_assert_uint_eq(word(), s | s << 8);
    }
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND),
                      ATA_ST_DRDY | 0x10); /* done, DSC */
    /* No transfer: the data port floats. */
    ck_assert_uint_eq(word(), 0xffff);
}
END_TEST

START_TEST(test_write_multiple_and_flush)
{
    uint8_t back[ATA_SECTOR * 4];
    uint16_t w = 0xabcd;

    wr(ATA_COUNT, 4);
    wr(ATA_STATUS_COMMAND, 0xc6); /* SET MULTIPLE 4 */
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) & ATA_ST_ERR, 0);
    task(0, 10, 4, 0xc5);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) & ATA_ST_DRQ, ATA_ST_DRQ);
    ck_assert(!line); /* a write's first block comes without INTRQ */
    for (int i = 0; i < 4 * ATA_SECTOR / 2; i++)
        ck_assert(ata_write(&c, ATA_DATA, (uint8_t *)&w, 2));
    ck_assert(line); /* the block written */
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) & (ATA_ST_DRQ | ATA_ST_ERR), 0);
    ck_assert(!line);
    wr(ATA_STATUS_COMMAND, 0xe7);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) & ATA_ST_ERR, 0);
    ck_assert_int_eq(pread(fd, back, sizeof(back), 10 * ATA_SECTOR),
                     (ssize_t)sizeof(back));
    for (size_t i = 0; i < sizeof(back); i += 2)
        ck_assert_uint_eq(back[i] | back[i + 1] << 8, 0xabcd);
    ck_assert_int_eq(pread(fd, back, 1, 14 * ATA_SECTOR), 1);
    ck_assert_uint_eq(back[0], 14); /* the next sector untouched */
}
END_TEST

/* Bad values: past the end, unknown commands, bad multiples, CHS. */
START_TEST(test_bad_commands)
{
    task(0, SECTORS - 1, 2, 0x20);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) & ATA_ST_ERR, ATA_ST_ERR);
    ck_assert_uint_eq(rd(ATA_ERROR_FEATURES), ATA_ER_IDNF);
    task(0, 0, 1, 0x77);
    ck_assert_uint_eq(rd(ATA_ERROR_FEATURES), ATA_ER_ABRT);
    wr(ATA_COUNT, 3);
    wr(ATA_STATUS_COMMAND, 0xc6);
    ck_assert_uint_eq(rd(ATA_ERROR_FEATURES), ATA_ER_ABRT);
    task(0, 0, 1, 0xc4); /* READ MULTIPLE before SET MULTIPLE */
    ck_assert_uint_eq(rd(ATA_ERROR_FEATURES), ATA_ER_ABRT);
    wr(ATA_DEVICE, 0xa0); /* CHS addressing: not served */
    wr(ATA_STATUS_COMMAND, 0x20);
    ck_assert_uint_eq(rd(ATA_ERROR_FEATURES), ATA_ER_IDNF);
    /* Wrong widths are refused (the unclaimed policy takes them). */
    uint8_t v[4] = {0};
    ck_assert(!ata_read(&c, ATA_STATUS_COMMAND, v, 2));
    ck_assert(!ata_read(&c, ATA_DATA, v, 1));
}
END_TEST

START_TEST(test_readonly)
{
    ck_assert_int_eq(ata_attach(&c, 1, fd, SECTORS * ATA_SECTOR, true, true),
                     0);
    task(1, 0, 1, 0x30);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) & (ATA_ST_ERR | ATA_ST_DRQ),
                      ATA_ST_ERR);
    ck_assert_uint_eq(rd(ATA_ERROR_FEATURES), ATA_ER_ABRT);
}
END_TEST

/* LBA48: each register keeps its previous value, read back with HOB. */
START_TEST(test_lba48_hob)
{
    wr(ATA_DEVICE, 0x40);
    wr(ATA_COUNT, 0);
    wr(ATA_LBA0, 0);
    wr(ATA_COUNT, 1);
    wr(ATA_LBA0, 33);
    wr(ATA_LBA1, 0);
    wr(ATA_LBA2, 0);
    ata_ctl_write(&c, ATA_CTL_HOB);
    ck_assert_uint_eq(rd(ATA_COUNT), 0);
    ata_ctl_write(&c, 0);
    ck_assert_uint_eq(rd(ATA_LBA0), 33);
    wr(ATA_STATUS_COMMAND, 0x24); /* READ SECTORS EXT */
    ck_assert_uint_eq(word(), 33 | 33 << 8);
}
END_TEST

/* nIEN masks INTRQ; reading status acknowledges it, alt status does not. */
START_TEST(test_interrupt)
{
    task(0, 1, 1, 0x20);
    ck_assert(line);
    (void)ata_ctl_read(&c);
    ck_assert(line);
    ata_ctl_write(&c, ATA_CTL_NIEN);
    ck_assert(!line);
    ata_ctl_write(&c, 0);
    ck_assert(line);
    (void)rd(ATA_STATUS_COMMAND);
    ck_assert(!line);
    /* SRST: the ATA signature, nothing pending. */
    ata_ctl_write(&c, ATA_CTL_SRST);
    ata_ctl_write(&c, 0);
    ck_assert_uint_eq(rd(ATA_COUNT), 1);
    ck_assert_uint_eq(rd(ATA_LBA1), 0);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) & ATA_ST_DRQ, 0);
}
END_TEST

/* DMA: a fake guest RAM of 64 KiB at 0; anything above is not RAM. */
#define RAM_SIZE 0x10000
static uint8_t ram[RAM_SIZE];
static unsigned int faults;

static void *dma(void *opaque, uint64_t gpa, uint32_t len)
{
    (void)opaque;
    return gpa < RAM_SIZE && len <= RAM_SIZE - gpa ? ram + gpa : NULL;
}

static void fault(void *opaque, const char *what, uint64_t gpa, uint32_t len)
{
    (void)opaque, (void)what, (void)gpa, (void)len;
    faults++;
}

static void prd_at(unsigned int i, uint32_t gpa, uint32_t len, bool eot)
{
    uint32_t w[2] = {gpa, (len & 0xffff) | (eot ? ATA_PRD_EOT : 0)};

    memcpy(ram + 0x1000 + 8 * i, w, 8);
}

static void bm(unsigned int reg, uint32_t v, unsigned int len)
{
    ata_bm_write(&c, reg, (const uint8_t *)&v, len);
}

static uint8_t bm_status(void)
{
    uint8_t v;

    ata_bm_read(&c, ATA_BM_STATUS, &v, 1);
    return v;
}

static void dma_setup(void)
{
    memset(ram, 0, sizeof(ram));
    faults = 0;
    c.dma = dma;
    c.dma_fault = fault;
    bm(ATA_BM_PRDT, 0x1000, 4);
}

START_TEST(test_dma_read)
{
    uint32_t prdt;

    dma_setup();
    ata_bm_read(&c, ATA_BM_PRDT, (uint8_t *)&prdt, 4);
    ck_assert_uint_eq(prdt, 0x1000);
    prd_at(0, 0x2000, 512, false);
    prd_at(1, 0x3000, 512, true);
    task(0, 3, 2, 0xc8); /* READ DMA: waits for START */
    ck_assert_uint_eq(ram[0x2000], 0);
    bm(ATA_BM_CMD, ATA_BM_START | ATA_BM_TO_MEMORY, 1);
    ck_assert_uint_eq(ram[0x2000], 3);
    ck_assert_uint_eq(ram[0x21ff], 3);
    ck_assert_uint_eq(ram[0x3000], 4);
    ck_assert_uint_eq(ram[0x3200], 0); /* nothing past the transfer */
    ck_assert_uint_eq(bm_status() & 7, ATA_BM_ST_IRQ);
    ck_assert(line);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) & (ATA_ST_ERR | ATA_ST_DRQ), 0);
    bm(ATA_BM_STATUS, ATA_BM_ST_IRQ, 1); /* write 1 to clear */
    ck_assert_uint_eq(bm_status() & 7, 0);
    ck_assert_uint_eq(faults, 0);
}
END_TEST

START_TEST(test_dma_write_start_first)
{
    uint8_t back[ATA_SECTOR];

    dma_setup();
    memset(ram + 0x4000, 0xee, ATA_SECTOR);
    prd_at(0, 0x4000, 0x1000, true); /* larger than the transfer: fine */
    bm(ATA_BM_CMD, ATA_BM_START, 1);
    task(0, 20, 1, 0xca); /* WRITE DMA, START already set */
    ck_assert_uint_eq(bm_status() & 7, ATA_BM_ST_IRQ);
    ck_assert_int_eq(pread(fd, back, sizeof(back), 20 * ATA_SECTOR),
                     ATA_SECTOR);
    ck_assert_uint_eq(back[0], 0xee);
    ck_assert_uint_eq(back[511], 0xee);
}
END_TEST

/* Bad PRDs: refused and reported, never a host access outside RAM. */
START_TEST(test_dma_bad_prds)
{
    uint8_t back[ATA_SECTOR];

    dma_setup();
    prd_at(0, RAM_SIZE - 256, 512, true); /* runs off the end of RAM */
    bm(ATA_BM_CMD, ATA_BM_START, 1);
    task(0, 30, 1, 0xca);
    ck_assert_uint_eq(faults, 1);
    ck_assert_uint_eq(bm_status() & 7, ATA_BM_ST_ERROR | ATA_BM_ST_IRQ);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) & ATA_ST_ERR, ATA_ST_ERR);
    ck_assert_uint_eq(rd(ATA_ERROR_FEATURES), ATA_ER_ABRT);
    ck_assert_int_eq(pread(fd, back, 1, 30 * ATA_SECTOR), 1);
    ck_assert_uint_eq(back[0], 30); /* the disk untouched */
    /* A table that ends before the transfer does. */
    bm(ATA_BM_STATUS, 6, 1);
    prd_at(0, 0x2000, 512, true);
    task(0, 0, 2, 0xc8);
    ck_assert_uint_eq(faults, 2);
    ck_assert_uint_eq(bm_status() & ATA_BM_ST_ERROR, ATA_BM_ST_ERROR);
    /* The table itself outside RAM. */
    bm(ATA_BM_STATUS, 6, 1);
    bm(ATA_BM_PRDT, 0xfffffff0u, 4);
    task(0, 0, 1, 0xc8);
    ck_assert_uint_eq(faults, 3);
    ck_assert_uint_eq(bm_status() & ATA_BM_ST_ERROR, ATA_BM_ST_ERROR);
    /* Past the disk: IDNF before any DMA. */
    bm(ATA_BM_PRDT, 0x1000, 4);
    task(0, SECTORS, 1, 0xc8);
    ck_assert_uint_eq(rd(ATA_ERROR_FEATURES), ATA_ER_IDNF);
    ck_assert_uint_eq(faults, 3);
}
END_TEST

/*
 * A DMA in flight: the guest rewrites its PRD table (to point outside
 * RAM) and the table's address, and stops the bus master: the transfer
 * still goes where the table said when it was issued, ACTIVE until done.
 */
START_TEST(test_async_dma_prds_changed)
{
    dma_setup();
    c.kick = count_kick;
    prd_at(0, 0x2000, 512, true);
    bm(ATA_BM_CMD, ATA_BM_START | ATA_BM_TO_MEMORY, 1);
    task(0, 6, 1, 0xc8);
    ck_assert_uint_eq(kicks, 1);
    ck_assert_uint_eq(bm_status() & 7, ATA_BM_ST_ACTIVE);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) & ATA_ST_BSY, ATA_ST_BSY);
    prd_at(0, RAM_SIZE + 0x1000, 512, true);
    bm(ATA_BM_PRDT, 0xfffffff0u, 4);
    bm(ATA_BM_CMD, 0, 1);
    ck_assert_uint_eq(bm_status() & 7, ATA_BM_ST_ACTIVE);
    task(0, 7, 1, 0xc8); /* ignored: BSY */
    ck_assert_uint_eq(kicks, 1);
    ck_assert_uint_eq(ram[0x2000], 0);
    ata_serve(&c);
    ck_assert_uint_eq(ram[0x2000], 6);
    ck_assert_uint_eq(ram[0x21ff], 6);
    ck_assert_uint_eq(faults, 0);
    ck_assert_uint_eq(bm_status() & 7, ATA_BM_ST_IRQ);
    ck_assert(line);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) & (ATA_ST_BSY | ATA_ST_ERR), 0);
}
END_TEST

/* Many small PRDs: more than one transfer's worth of buffers (IOV_MAX). */
START_TEST(test_dma_many_prds)
{
    unsigned int n = 1536; /* 2-byte pieces: 3072 bytes, 6 sectors */

    dma_setup();
    for (unsigned int i = 0; i < n; i++)
        prd_at(i, 0x8000 + 4 * i, 2, i == n - 1);
    bm(ATA_BM_CMD, ATA_BM_START | ATA_BM_TO_MEMORY, 1);
    task(0, 16, 6, 0xc8);
    ck_assert_uint_eq(c.nr_io, 2);
    ck_assert_uint_eq(faults, 0);
    ck_assert_uint_eq(bm_status() & 7, ATA_BM_ST_IRQ);
    for (unsigned int i = 0; i < n; i++) {
        ck_assert_uint_eq(ram[0x8000 + 4 * i], 16 + 2 * i / ATA_SECTOR);
        ck_assert_uint_eq(ram[0x8000 + 4 * i + 2], 0);
    }
}
END_TEST

/* PIO READ: BSY until the worker did the read; then DRQ and the data. */
START_TEST(test_async_pio_read)
{
    c.kick = count_kick;
    task(0, 9, 2, 0x20);
    ck_assert_uint_eq(kicks, 1);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND), ATA_ST_BSY | ATA_ST_DRDY | 0x10);
    ck_assert_uint_eq(ata_ctl_read(&c) & (ATA_ST_BSY | ATA_ST_DRQ), ATA_ST_BSY);
    ck_assert(!line);
    ck_assert_uint_eq(word(), 0xffff); /* no data while BSY */
    /* Writes to the command block while BSY are ignored. */
    task(0, 40, 1, 0x30);
    ck_assert_uint_eq(kicks, 1);
    ck_assert_uint_eq(rd(ATA_LBA0), 9);
    ata_serve(&c);
    ck_assert(line);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) & (ATA_ST_BSY | ATA_ST_DRQ),
                      ATA_ST_DRQ);
    for (int i = 0; i < ATA_SECTOR / 2; i++)
        ck_assert_uint_eq(word(), 9 | 9 << 8);
    /* The second sector came with the first: no second job. */
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) & (ATA_ST_BSY | ATA_ST_DRQ),
                      ATA_ST_DRQ);
    ata_serve(&c); /* a pass with nothing queued changes nothing */
    for (int i = 0; i < ATA_SECTOR / 2; i++)
        ck_assert_uint_eq(word(), 10 | 10 << 8);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND), ATA_ST_DRDY | 0x10);
    ck_assert_uint_eq(kicks, 1);
}
END_TEST

/*
 * A PIO read longer than the read-ahead (ATA_READ_AHEAD sectors): one job
 * for each buffer's worth, the DRQ blocks in between served from it.
 */
START_TEST(test_async_read_ahead)
{
    char big[] = "/tmp/check_ata_big.XXXXXX";
    uint8_t sector[ATA_SECTOR];
    unsigned int n = ATA_READ_AHEAD + 44;
    int bfd = mkstemp(big);

    ck_assert_int_ge(bfd, 0);
    unlink(big);
    for (unsigned int s = 0; s < n + 10; s++) {
        memset(sector, (int)(s & 0xff), sizeof(sector));
        ck_assert_int_eq(write(bfd, sector, sizeof(sector)), ATA_SECTOR);
    }
    ck_assert_int_eq(
        ata_attach(&c, 1, bfd, (n + 10) * ATA_SECTOR, false, !use_uring), 0);
    c.kick = count_kick;
    wr(ATA_DEVICE, 0x50); /* LBA, slave */
    wr(ATA_COUNT, (uint8_t)(n >> 8));
    wr(ATA_LBA0, 0);
    wr(ATA_COUNT, (uint8_t)n);
    wr(ATA_LBA0, 5);
    wr(ATA_LBA1, 0);
    wr(ATA_LBA2, 0);
    wr(ATA_STATUS_COMMAND, 0x24); /* READ SECTORS EXT */
    for (unsigned int s = 5; s < 5 + n; s++) {
        unsigned int want = (s - 5) < ATA_READ_AHEAD ? 1 : 2;

        if (rd(ATA_STATUS_COMMAND) & ATA_ST_BSY)
            ata_serve(&c);
        ck_assert_uint_eq(kicks, want);
        ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) & ATA_ST_DRQ, ATA_ST_DRQ);
        for (int i = 0; i < ATA_SECTOR / 2; i++)
            ck_assert_uint_eq(word(), (s & 0xff) | (s & 0xff) << 8);
    }
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND), ATA_ST_DRDY | 0x10);
    ck_assert_uint_eq(kicks, 2);
    c.kick = NULL;
    ata_fini(&c); /* its engine, before the file goes */
    ata_init(&c, irq, NULL);
    close(bfd);
    ck_assert_int_eq(
        ata_attach(&c, 0, fd, SECTORS * ATA_SECTOR, false, !use_uring), 0);
}
END_TEST

/* PIO WRITE and FLUSH: BSY after the block, until written, flushed. */
START_TEST(test_async_pio_write_flush)
{
    uint16_t w = 0x5a5a;
    uint8_t back[ATA_SECTOR];

    c.kick = count_kick;
    task(0, 12, 1, 0x30);
    ck_assert_uint_eq(kicks, 0); /* the first block needs no I/O */
    for (int i = 0; i < ATA_SECTOR / 2; i++)
        ck_assert(ata_write(&c, ATA_DATA, (uint8_t *)&w, 2));
    ck_assert_uint_eq(kicks, 1);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) & (ATA_ST_BSY | ATA_ST_DRQ),
                      ATA_ST_BSY);
    ck_assert_int_eq(pread(fd, back, 1, 12 * ATA_SECTOR), 1);
    ck_assert_uint_eq(back[0], 12); /* not yet written */
    ata_serve(&c);
    ck_assert(line);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND), ATA_ST_DRDY | 0x10);
    ck_assert_int_eq(pread(fd, back, 2, 12 * ATA_SECTOR), 2);
    ck_assert_uint_eq(back[0] | back[1] << 8, 0x5a5a);
    wr(ATA_STATUS_COMMAND, 0xe7);
    ck_assert_uint_eq(kicks, 2);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) & ATA_ST_BSY, ATA_ST_BSY);
    ata_serve(&c);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND), ATA_ST_DRDY | 0x10);
}
END_TEST

/* A read past the image's end (a drive larger than its file): UNC. */
START_TEST(test_async_read_error)
{
    ck_assert_int_eq(
        ata_attach(&c, 1, fd, 2 * SECTORS * ATA_SECTOR, false, !use_uring), 0);
    task(1, SECTORS + 1, 1, 0x20);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND) &
                          (ATA_ST_ERR | ATA_ST_DRQ | ATA_ST_BSY),
                      ATA_ST_ERR);
    ck_assert_uint_eq(rd(ATA_ERROR_FEATURES), ATA_ER_UNC);
}
END_TEST

/* SRST while BSY: the I/O ends, the reset's state stands, no DRQ. */
START_TEST(test_async_reset_while_busy)
{
    c.kick = count_kick;
    task(0, 3, 1, 0x20);
    ata_ctl_write(&c, ATA_CTL_SRST);
    ata_ctl_write(&c, 0);
    ck_assert_uint_eq(ata_ctl_read(&c), ATA_ST_BSY);
    ata_serve(&c);
    ck_assert_uint_eq(rd(ATA_STATUS_COMMAND), ATA_ST_DRDY | 0x10);
    ck_assert_uint_eq(rd(ATA_COUNT), 1); /* the signature */
    ck_assert_uint_eq(word(), 0xffff);
    ck_assert(!line);
    /* The channel takes commands again. */
    c.kick = NULL;
    task(0, 4, 1, 0x20);
    ck_assert_uint_eq(word(), 4 | 4 << 8);
}
END_TEST

/* With a real worker and the status wait, a polling guest's view. */
START_TEST(test_async_worker)
{
    struct worker w;
    unsigned int polls = 0;

    ck_assert_int_eq(worker_start(&w, NULL, "check-ata", ata_serve, &c), 0);
    c.kick = worker_kick;
    c.opaque = &w;
    c.bsy_wait_ns = 2000000000ull; /* generous: the test must not race */
    for (uint32_t lba = 0; lba < SECTORS; lba += 7) {
        task(0, lba, 1, 0x20);
        while (rd(ATA_STATUS_COMMAND) & ATA_ST_BSY)
            polls++;
        ck_assert_uint_eq(ata_ctl_read(&c) & (ATA_ST_DRQ | ATA_ST_ERR),
                          ATA_ST_DRQ);
        for (int i = 0; i < ATA_SECTOR / 2; i++)
            ck_assert_uint_eq(word(), lba | lba << 8);
    }
    ck_assert_uint_eq(polls, 0); /* each status read waited it out */
    worker_stop(&w);
    c.kick = NULL;
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ata");
    TCase *tc = tcase_create("registers");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_identify);
    tcase_add_test(tc, test_absent_slave);
    tcase_add_test(tc, test_read_sectors);
    tcase_add_test(tc, test_write_multiple_and_flush);
    tcase_add_test(tc, test_bad_commands);
    tcase_add_test(tc, test_readonly);
    tcase_add_test(tc, test_lba48_hob);
    tcase_add_test(tc, test_interrupt);
    tcase_add_test(tc, test_dma_read);
    tcase_add_test(tc, test_dma_write_start_first);
    tcase_add_test(tc, test_dma_bad_prds);
    tcase_add_test(tc, test_dma_many_prds);
    tcase_add_test(tc, test_async_pio_read);
    tcase_add_test(tc, test_async_read_ahead);
    tcase_add_test(tc, test_async_pio_write_flush);
    tcase_add_test(tc, test_async_read_error);
    tcase_add_test(tc, test_async_reset_while_busy);
    tcase_add_test(tc, test_async_dma_prds_changed);
    tcase_add_test(tc, test_async_worker);
    suite_add_tcase(s, tc);
    /* The transfers again through io_uring. */
    tc = tcase_create("io_uring");
    tcase_add_checked_fixture(tc, setup_uring, teardown);
    tcase_add_test(tc, test_read_sectors);
    tcase_add_test(tc, test_write_multiple_and_flush);
    tcase_add_test(tc, test_dma_read);
    tcase_add_test(tc, test_dma_write_start_first);
    tcase_add_test(tc, test_dma_many_prds);
    tcase_add_test(tc, test_async_read_ahead);
    tcase_add_test(tc, test_async_read_error);
    tcase_add_test(tc, test_async_dma_prds_changed);
    tcase_add_test(tc, test_async_worker);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
