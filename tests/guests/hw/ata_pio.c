/* SPDX-License-Identifier: MIT */
/* ata_pio.c: an ATA disk on a legacy IDE channel, through programmed I/O. */

#include "ata_pio.h"

/* Command block registers, from the channel's base port. */
#define REG_DATA 0
#define REG_COUNT 2
#define REG_LBA0 3
#define REG_LBA1 4
#define REG_LBA2 5
#define REG_DEVICE 6
#define REG_STATUS 7  /* read */
#define REG_COMMAND 7 /* write */

#define ST_ERR 0x01
#define ST_DRQ 0x08
#define ST_DF 0x20
#define ST_BSY 0x80

#define CTL_NIEN 0x02 /* no interrupts: we poll */
#define DEV_LBA 0xe0  /* LBA addressing (bits 7 and 5 are set by tradition) */

#define CMD_READ_SECTORS 0x20
#define CMD_READ_SECTORS_EXT 0x24
#define CMD_READ_MULTIPLE_EXT 0x29
#define CMD_READ_MULTIPLE 0xc4
#define CMD_SET_MULTIPLE 0xc6
#define CMD_IDENTIFY 0xec
#define CMD_WRITE_SECTORS 0x30
#define CMD_WRITE_SECTORS_EXT 0x34
#define CMD_WRITE_MULTIPLE_EXT 0x39
#define CMD_WRITE_MULTIPLE 0xc5
#define CMD_FLUSH_CACHE 0xe7

/* Status reads (each an exit to the VMM) before a drive is given up. */
#define POLL_LIMIT 1000000

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* (words) 16-bit reads of the data port into (buf): one rep insw. */
static inline void insw(uint16_t port, void *buf, unsigned long words)
{
    __asm__ volatile("rep insw"
                     : "+D"(buf), "+c"(words)
                     : "d"(port)
                     : "memory");
}

/* Waits until BSY clears; the last status, or ATA_ETIMEDOUT. */
static int wait_idle(const struct ata_pio *d)
{
    for (long i = 0; i < POLL_LIMIT; i++) {
        uint8_t st = inb(d->base + REG_STATUS);

        if (!(st & ST_BSY))
            return st;
    }
    return ATA_ETIMEDOUT;
}

/* Waits for a data block: 0 with DRQ set, ATA_EIO on ERR or DF. */
static int wait_data(const struct ata_pio *d)
{
    int st = wait_idle(d);

    if (st < 0)
        return st;
    if (st & (ST_ERR | ST_DF))
        return ATA_EIO;
    return st & ST_DRQ ? 0 : ATA_EIO;
}

static uint64_t id_words(const uint16_t *id, int first, int n)
{
    uint64_t v = 0;

    while (n-- > 0)
        v = v << 16 | id[first + n];
    return v;
}

int ata_pio_open(struct ata_pio *d, uint16_t base, uint16_t ctl, int slave)
{
    uint16_t id[256];
    int st;

    d->base = base;
    d->ctl = ctl;
    d->slave = (uint8_t)(slave != 0);
    outb(ctl, CTL_NIEN);
    outb(base + REG_DEVICE, (uint8_t)(0xa0 | d->slave << 4));
    inb(ctl); /* the drive's 400 ns after a select: one slow read */
    outb(base + REG_COMMAND, CMD_IDENTIFY);
    /* Floating bus (0xff) or 0: nothing there; LBA1/2 set: not ATA. */
    st = inb(base + REG_STATUS);
    if (st == 0 || st == 0xff)
        return ATA_ENODEV;
    if ((st = wait_idle(d)) < 0 || inb(base + REG_LBA1) ||
        inb(base + REG_LBA2) || wait_data(d) < 0)
        return ATA_ENODEV;
    insw(base + REG_DATA, id, 256);
    d->lba48 = (id[83] >> 10) & 1;
    d->sectors = d->lba48 ? id_words(id, 100, 4) : id_words(id, 60, 2);
    d->multiple = id[47] & 0xff;
    if (d->multiple > 16)
        d->multiple = 16;
    if (d->multiple > 1) {
        outb(base + REG_COUNT, (uint8_t)d->multiple);
        outb(base + REG_COMMAND, CMD_SET_MULTIPLE);
        st = wait_idle(d);
        if (st < 0 || (st & ST_ERR))
            d->multiple = 1;
    }
    if (d->multiple == 0)
        d->multiple = 1;
    return d->sectors ? 0 : ATA_ENODEV;
}

/* (words) 16-bit writes of (buf) to the data port: one rep outsw. */
static inline void outsw(uint16_t port, const void *buf, unsigned long words)
{
    __asm__ volatile("rep outsw"
                     : "+S"(buf), "+c"(words)
                     : "d"(port)
                     : "memory");
}

/* What issue() sends: PIO read, PIO write, DMA read, DMA write. */
enum { OP_READ, OP_WRITE, OP_DMA_READ, OP_DMA_WRITE };

/* The command of (op), [LBA48][READ/WRITE MULTIPLE] (DMA has no multiple). */
static const uint8_t op_command[4][2][2] = {
    [OP_READ] = {{CMD_READ_SECTORS, CMD_READ_MULTIPLE},
                 {CMD_READ_SECTORS_EXT, CMD_READ_MULTIPLE_EXT}},
    [OP_WRITE] = {{CMD_WRITE_SECTORS, CMD_WRITE_MULTIPLE},
                  {CMD_WRITE_SECTORS_EXT, CMD_WRITE_MULTIPLE_EXT}},
    [OP_DMA_READ] = {{0xc8, 0xc8}, {0x25, 0x25}},
    [OP_DMA_WRITE] = {{0xca, 0xca}, {0x35, 0x35}},
};

/* Writes the task file for (n) sectors at (lba) and the command of (op). */
static void issue(const struct ata_pio *d, uint64_t lba, unsigned int n, int op)
{
    uint16_t b = d->base;
    int ext = lba + n > (1ULL << 28) || n > 256;
    int multi = d->multiple > 1;

    if (ext) {
        outb(b + REG_DEVICE, (uint8_t)(DEV_LBA | d->slave << 4));
        /* The high bytes first: each register keeps the last two. */
        outb(b + REG_COUNT, (uint8_t)(n >> 8));
        outb(b + REG_LBA0, (uint8_t)(lba >> 24));
        outb(b + REG_LBA1, (uint8_t)(lba >> 32));
        outb(b + REG_LBA2, (uint8_t)(lba >> 40));
    } else {
        outb(b + REG_DEVICE,
             (uint8_t)(DEV_LBA | d->slave << 4 | ((lba >> 24) & 0x0f)));
    }
    outb(b + REG_COUNT, (uint8_t)n); /* 0 means 256 */
    outb(b + REG_LBA0, (uint8_t)lba);
    outb(b + REG_LBA1, (uint8_t)(lba >> 8));
    outb(b + REG_LBA2, (uint8_t)(lba >> 16));
    outb(b + REG_COMMAND, op_command[op][ext][multi]);
}

int ata_pio_read(struct ata_pio *d, uint64_t lba, unsigned int n, void *buf)
{
    uint8_t *p = buf;
    unsigned int k;
    int rc;

    if (n == 0 || n > 256 || lba + n > d->sectors)
        return ATA_EINVAL;
    if ((rc = wait_idle(d)) < 0)
        return rc;
    issue(d, lba, n, OP_READ);
    /* One DRQ block of up to `multiple` sectors per status wait. */
    while (n > 0) {
        if ((rc = wait_data(d)) < 0)
            return rc;
        k = n < d->multiple ? n : d->multiple;
        insw(d->base + REG_DATA, p, (unsigned long)k * ATA_SECTOR_SIZE / 2);
        p += k * ATA_SECTOR_SIZE;
        n -= k;
    }
    return 0;
}

int ata_pio_write(struct ata_pio *d, uint64_t lba, unsigned int n,
                  const void *buf)
{
    const uint8_t *p = buf;
    unsigned int k;
    int rc;

    if (n == 0 || n > 256 || lba + n > d->sectors)
        return ATA_EINVAL;
    if ((rc = wait_idle(d)) < 0)
        return rc;
    issue(d, lba, n, OP_WRITE);
    while (n > 0) {
        if ((rc = wait_data(d)) < 0)
            return rc;
        k = n < d->multiple ? n : d->multiple;
        outsw(d->base + REG_DATA, p, (unsigned long)k * ATA_SECTOR_SIZE / 2);
        p += k * ATA_SECTOR_SIZE;
        n -= k;
    }
    rc = wait_idle(d);
    return rc < 0 ? rc : (rc & (ST_ERR | ST_DF)) ? ATA_EIO : 0;
}

int ata_pio_flush(struct ata_pio *d)
{
    int rc = wait_idle(d);

    if (rc < 0)
        return rc;
    outb(d->base + REG_DEVICE, (uint8_t)(DEV_LBA | d->slave << 4));
    outb(d->base + REG_COMMAND, CMD_FLUSH_CACHE);
    rc = wait_idle(d);
    return rc < 0 ? rc : (rc & (ST_ERR | ST_DF)) ? ATA_EIO : 0;
}

/* Bus-master IDE of the primary channel (pvhv's fixed place; PCI BAR4). */
#define BM_CMD 0
#define BM_STATUS 2
#define BM_PRDT 4
#define BM_START 0x01
#define BM_TO_MEMORY 0x08
#define BM_ACTIVE 0x01
#define BM_ERROR 0x02
#define BM_IRQ 0x04
#define PRD_EOT 0x80000000u
#define PRD_MAX 16

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

/* The PRD table: dword aligned, within one 64 KiB page. */
static uint32_t prdt[2 * PRD_MAX] __attribute__((aligned(128)));

int ata_dma_rw(struct ata_pio *d, uint16_t bm, uint64_t lba, unsigned int n,
               uint64_t gpa, int write)
{
    uint64_t bytes = (uint64_t)n * ATA_SECTOR_SIZE, at = gpa;
    unsigned int i = 0;
    int rc, st;

    if (n == 0 || n > 256 || lba + n > d->sectors)
        return ATA_EINVAL;
    /* One entry per piece that does not cross a 64 KiB boundary. */
    while (bytes > 0 && i < PRD_MAX) {
        uint64_t room = 0x10000 - (at & 0xffff);
        uint64_t k = bytes < room ? bytes : room;

        prdt[2 * i] = (uint32_t)at;
        prdt[2 * i + 1] = (uint32_t)(k & 0xffff);
        at += k;
        bytes -= k;
        i++;
    }
    if (bytes > 0)
        return ATA_EINVAL;
    prdt[2 * i - 1] |= PRD_EOT;
    if ((rc = wait_idle(d)) < 0)
        return rc;
    outl(bm + BM_PRDT, (uint32_t)(uintptr_t)prdt);
    outb(bm + BM_STATUS, BM_ERROR | BM_IRQ);
    outb(bm + BM_CMD, write ? 0 : BM_TO_MEMORY);
    issue(d, lba, n, write ? OP_DMA_WRITE : OP_DMA_READ);
    outb(bm + BM_CMD, (uint8_t)((write ? 0 : BM_TO_MEMORY) | BM_START));
    for (long k = 0; (inb(bm + BM_STATUS) & BM_ACTIVE); k++)
        if (k == POLL_LIMIT)
            return ATA_ETIMEDOUT;
    st = inb(bm + BM_STATUS);
    outb(bm + BM_CMD, 0);
    rc = wait_idle(d);
    if (rc < 0)
        return rc;
    return (st & BM_ERROR) || (rc & (ST_ERR | ST_DF)) ? ATA_EIO : 0;
}
