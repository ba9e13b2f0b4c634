/* SPDX-License-Identifier: MIT */
/* ata_pio.h: an ATA disk on a legacy IDE channel, through programmed I/O. */
#ifndef PVHV_TESTS_GUESTS_HW_ATA_PIO_H
#define PVHV_TESTS_GUESTS_HW_ATA_PIO_H

#include <stdint.h>

/*
 * For guests on emulated hardware (hvm domains, QEMU's pc machine): no
 * interrupts (nIEN set), no DMA; the CPU moves every word with rep insw.
 * 64-bit long mode; no SSE, no software interrupts. Functions return 0
 * or a negative ATA_E* code.
 */
#define ATA_PRIMARY_BASE 0x1f0 /* command block of the first channel */
#define ATA_PRIMARY_CTL 0x3f6  /* its control block (alternate status) */
#define ATA_SECTOR_SIZE 512

#define ATA_ENODEV (-1)    /* no ATA disk there (IDENTIFY failed) */
#define ATA_EIO (-2)       /* the drive set ERR or DF */
#define ATA_ETIMEDOUT (-3) /* BSY or no DRQ for too long */
#define ATA_EINVAL (-4)    /* a range past the disk, or 0 sectors */

struct ata_pio {
    uint16_t base, ctl; /* the channel's two port blocks */
    uint8_t slave;      /* 0: master, 1: slave */
    uint8_t lba48;      /* the disk takes 48-bit commands */
    uint16_t multiple;  /* sectors per DRQ block (READ MULTIPLE), or 1 */
    uint64_t sectors;   /* the disk's size */
};

/*
 * ata_pio_open(d, base, ctl, slave): IDENTIFY DEVICE on that drive; fills
 * (d) with the disk's size and features, and sets READ MULTIPLE to the
 * largest block the drive offers (up to 16 sectors). ATA_ENODEV when no
 * ATA disk answers.
 */
int ata_pio_open(struct ata_pio *d, uint16_t base, uint16_t ctl, int slave);

/*
 * ata_pio_read(d, lba, n, buf): reads (n) sectors (1 to 256) from (lba)
 * into (buf) (any alignment; 2-byte aligned is fastest).
 */
int ata_pio_read(struct ata_pio *d, uint64_t lba, unsigned int n, void *buf);

/*
 * ata_pio_write(d, lba, n, buf): writes (n) sectors (1 to 256) of (buf) at
 * (lba) (WRITE SECTORS or MULTIPLE, rep outsw); ata_pio_flush(d): FLUSH
 * CACHE. 0 or ATA_E*.
 */
int ata_pio_write(struct ata_pio *d, uint64_t lba, unsigned int n,
                  const void *buf);
int ata_pio_flush(struct ata_pio *d);

#define ATA_PRIMARY_BM 0xc000 /* pvhv's bus-master registers (no PCI) */

/*
 * ata_dma_rw(d, bm, lba, n, gpa, write): READ DMA (or WRITE DMA when
 * (write)) of (n) sectors (1 to 256) at (lba) to (from) guest-physical
 * (gpa), through the bus-master registers at (bm) and a PRD table; 0, or
 * ATA_EIO when the drive or the bus master reports an error.
 */
int ata_dma_rw(struct ata_pio *d, uint16_t bm, uint64_t lba, unsigned int n,
               uint64_t gpa, int write);

#endif /* PVHV_TESTS_GUESTS_HW_ATA_PIO_H */
