/* SPDX-License-Identifier: MIT */
/* ata.h: the register model of an ATA channel with a master and a slave. */
#ifndef PVHV_EMULATED_ATA_H
#define PVHV_EMULATED_ATA_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define ATA_PRIMARY_BASE 0x1f0 /* command block: 8 ports */
#define ATA_PRIMARY_CTL 0x3f6  /* alternate status / device control */
#define ATA_PRIMARY_IRQ 14
#define ATA_SECTOR 512
#define ATA_MULTIPLE_MAX 16 /* sectors a DRQ block may hold */

/* Command block registers, from the base port. */
enum ata_reg {
    ATA_DATA = 0,
    ATA_ERROR_FEATURES = 1,
    ATA_COUNT = 2,
    ATA_LBA0 = 3,
    ATA_LBA1 = 4,
    ATA_LBA2 = 5,
    ATA_DEVICE = 6,
    ATA_STATUS_COMMAND = 7,
};

#define ATA_ST_ERR 0x01
#define ATA_ST_DRQ 0x08
#define ATA_ST_DSC 0x10
#define ATA_ST_DRDY 0x40
#define ATA_ER_ABRT 0x04
#define ATA_ER_IDNF 0x10
#define ATA_ER_UNC 0x40
#define ATA_CTL_NIEN 0x02
#define ATA_CTL_SRST 0x04
#define ATA_CTL_HOB 0x80

/*
 * Bus-master IDE (SFF-8038i) registers of the primary channel. No PCI
 * bus is emulated, so they sit at a fixed port, PIIX's usual BAR4.
 */
#define ATA_BM_BASE 0xc000
#define ATA_BM_REGS 8
#define ATA_BM_CMD 0    /* bit 0 start, bit 3 direction: 1 = to memory */
#define ATA_BM_STATUS 2 /* bit 0 active, 1 error, 2 interrupt (W1C) */
#define ATA_BM_PRDT 4   /* 32-bit address of the PRD table */
#define ATA_BM_START 0x01
#define ATA_BM_TO_MEMORY 0x08
#define ATA_BM_ST_ACTIVE 0x01
#define ATA_BM_ST_ERROR 0x02
#define ATA_BM_ST_IRQ 0x04
#define ATA_PRD_EOT 0x80000000u
#define ATA_PRD_MAX 4096 /* entries walked before a table is refused */

/* One drive: an image descriptor (the domain's <disk>), or absent. */
struct ata_drive {
    bool present, readonly;
    int fd;
    uint64_t sectors;
    unsigned int multiple; /* SET MULTIPLE; 0: single sector blocks */
};

/*
 * A channel. Commands complete at once (the image is read or written in
 * the exit that issues them), so BSY is never seen. (irq) is told each
 * change of the INTRQ line, with (lock) held.
 */
struct ata_channel {
    pthread_mutex_t lock;
    struct ata_drive drive[2];
    void (*irq)(void *opaque, bool level);
    /*
     * (dma) gives the host address of (len) bytes of guest RAM at (gpa),
     * or NULL where they are not all RAM: the transfer then stops with
     * the bus master's error bit and ERR+ABRT, and (dma_fault) is told
     * (for a rate-limited warning). Called with (lock) held.
     */
    void *(*dma)(void *opaque, uint64_t gpa, uint32_t len);
    void (*dma_fault)(void *opaque, const char *what, uint64_t gpa,
                      uint32_t len);
    void *opaque;
    uint8_t bm_cmd, bm_status;
    uint32_t bm_prdt;
    bool dma_pending;  /* a READ/WRITE DMA command waits for START */
    uint8_t dma_write; /* that command writes the disk */
    uint8_t features, device, status, error, ctl;
    uint8_t count[2],
        lba[3][2]; /* [0] last written, [1] the one before (HOB) */
    bool irq_level, irq_pending;
    /* The PIO transfer in progress. */
    bool writing;
    uint64_t lba_next;     /* the next sector to read or write */
    uint32_t left;         /* sectors still to transfer after this block */
    unsigned int per;      /* sectors a DRQ block holds in this transfer */
    unsigned int block;    /* sectors in the current DRQ block */
    unsigned int pos, len; /* bytes of buf done, and in this block */
    uint8_t buf[ATA_MULTIPLE_MAX * ATA_SECTOR];
};

/*
 * ata_bm_read, ata_bm_write: the bus-master registers (reg 0 to 7, any
 * width up to 4 bytes within them). A transfer runs, whole, when both
 * a DMA command is issued and START is set.
 */
void ata_bm_read(struct ata_channel *c, unsigned int reg, uint8_t *data,
                 unsigned int len);
void ata_bm_write(struct ata_channel *c, unsigned int reg, const uint8_t *data,
                  unsigned int len);

/* ata_init: a channel without drives; ata_fini frees it (not the fds). */
void ata_init(struct ata_channel *c, void (*irq)(void *, bool), void *opaque);
void ata_fini(struct ata_channel *c);

/* ata_attach: drive (slave) 0 or 1 is image (fd) of (bytes) bytes. */
void ata_attach(struct ata_channel *c, unsigned int slave, int fd,
                uint64_t bytes, bool readonly);

/*
 * ata_read, ata_write: the guest's access to command block register (reg)
 * (ATA_DATA takes 2 or 4 bytes, others 1); ata_ctl_read, ata_ctl_write:
 * the control block (alternate status, device control). Registers out of
 * range read 0xff; accesses of the wrong width are false (refused).
 */
bool ata_read(struct ata_channel *c, unsigned int reg, uint8_t *data,
              unsigned int len);
bool ata_write(struct ata_channel *c, unsigned int reg, const uint8_t *data,
               unsigned int len);
uint8_t ata_ctl_read(struct ata_channel *c);
void ata_ctl_write(struct ata_channel *c, uint8_t val);

#endif /* PVHV_EMULATED_ATA_H */
