/* SPDX-License-Identifier: MIT */
/* ata.h: the register model of an ATA channel with a master and a slave. */
#ifndef PVHV_EMULATED_ATA_H
#define PVHV_EMULATED_ATA_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "host/disk_io.h"

#define ATA_PRIMARY_BASE 0x1f0 /* command block: 8 ports */
#define ATA_PRIMARY_CTL 0x3f6  /* alternate status / device control */
#define ATA_PRIMARY_IRQ 14
#define ATA_SECTOR 512
#define ATA_MULTIPLE_MAX 16 /* sectors a DRQ block may hold */
#define ATA_READ_AHEAD 256  /* sectors a PIO read's I/O fetches at most */

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
#define ATA_ST_BSY 0x80
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
#define ATA_IO_IOV 1024  /* buffers a transfer takes (IOV_MAX) */
#define ATA_IO_MAX (ATA_PRD_MAX / ATA_IO_IOV) /* transfers a command makes */

/* One drive: an image descriptor (the domain's <disk>), or absent. */
struct ata_drive {
    bool present, readonly;
    int fd;
    uint64_t sectors;
    unsigned int multiple;        /* SET MULTIPLE; 0: single sector blocks */
    struct disk_io_engine engine; /* moves its data (host/disk_io.h) */
    char engine_why[96];          /* which engine, and why */
};

/* The disk work a command leaves to the channel's worker (ata_serve). */
enum ata_job {
    ATA_JOB_NONE,
    ATA_JOB_PIO_READ,  /* the next DRQ block into buf */
    ATA_JOB_PIO_WRITE, /* buf, the DRQ block the guest filled, out */
    ATA_JOB_DMA,       /* the transfer of io[], to or from guest RAM */
    ATA_JOB_FLUSH,     /* FLUSH CACHE: fdatasync */
};

/*
 * A channel. A command that reads, writes or flushes an image sets BSY
 * and leaves that work to the worker: (kick)(opaque) is called, without
 * (lock), to wake it, and the worker's ata_serve does the I/O (without
 * (lock)) and completes the command: BSY clears, DRQ rises (PIO) or the
 * bus master stops with its interrupt bit (DMA), with the error bits on
 * failure. Without (kick), ata_serve runs in the caller, after (lock) is
 * dropped: the command is done when the access returns. (irq) is told
 * each change of the INTRQ line, with (lock) held: at completion that is
 * on the worker's thread (complete() in ata.c raises IRQ 14 there).
 */
struct ata_channel {
    pthread_mutex_t lock;
    struct ata_drive drive[2];
    void (*kick)(void *opaque);
    /*
     * A status read while BSY waits up to (bsy_wait_ns) for the worker
     * (on (idle), lock dropped), so that a polling guest sees the end of
     * a short transfer in one exit rather than many; 0: it never waits.
     */
    uint64_t bsy_wait_ns;
    pthread_cond_t idle; /* broadcast when a job completes */
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
    unsigned int base;     /* where in buf the current block starts */
    unsigned int pos, len; /* bytes of it done, and in it */
    /*
     * A PIO read fetches up to ATA_READ_AHEAD sectors of its transfer in
     * one job: (ahead) sectors from (ahead_lba) are in buf, and the DRQ
     * blocks within them need no more I/O.
     */
    uint64_t ahead_lba;
    unsigned int ahead;
    /*
     * The job: queued by the exit that needs it (kick_due: (kick) is to
     * be called once (lock) is dropped), taken by ata_serve, active until
     * it completes; a soft reset meanwhile only marks it (aborted), for
     * the I/O cannot be called back. Its transfers io[] and their buffers
     * iov[] are host addresses fixed when it was queued: for DMA, every
     * PRD was read and checked against guest RAM then, so what the guest
     * writes to the table afterwards changes nothing.
     */
    enum ata_job job;
    bool job_queued, job_active, kick_due, aborted;
    unsigned int job_drive, nr_io;
    struct disk_io io[ATA_IO_MAX];
    struct iovec iov[ATA_PRD_MAX];
    uint8_t buf[ATA_READ_AHEAD * ATA_SECTOR];
};

/*
 * ata_serve: the channel worker's function (opaque: the channel): does
 * the queued job, if any, and completes its command. Any thread.
 */
void ata_serve(void *opaque);

/*
 * ata_bm_read, ata_bm_write: the bus-master registers (reg 0 to 7, any
 * width up to 4 bytes within them). A transfer is queued, whole, when
 * both a DMA command is issued and START is set; clearing START while it
 * is in flight does not call it back (ACTIVE stays until it completes).
 */
void ata_bm_read(struct ata_channel *c, unsigned int reg, uint8_t *data,
                 unsigned int len);
void ata_bm_write(struct ata_channel *c, unsigned int reg, const uint8_t *data,
                  unsigned int len);

/*
 * ata_init: a channel without drives; ata_fini frees it and the drives'
 * engines (not the fds), nothing in flight (its worker stopped first).
 */
void ata_init(struct ata_channel *c, void (*irq)(void *, bool), void *opaque);
void ata_fini(struct ata_channel *c);

/*
 * ata_attach: drive (slave) 0 or 1 is image (fd) of (bytes) bytes, its
 * I/O through io_uring unless (force_sync) or io_uring cannot be set up
 * (disk_io_open; the drive's engine_why says which). 0 or -errno.
 */
int ata_attach(struct ata_channel *c, unsigned int slave, int fd,
               uint64_t bytes, bool readonly, bool force_sync);

/*
 * ata_read, ata_write: the guest's access to command block register (reg)
 * (ATA_DATA takes 2 or 4 bytes, others 1); ata_ctl_read, ata_ctl_write:
 * the control block (alternate status, device control). Registers out of
 * range read 0xff; accesses of the wrong width are false (refused). While
 * BSY, writes to the command block are ignored (the ATA rule: the host
 * may not write them then); a soft reset is taken.
 */
bool ata_read(struct ata_channel *c, unsigned int reg, uint8_t *data,
              unsigned int len);
bool ata_write(struct ata_channel *c, unsigned int reg, const uint8_t *data,
               unsigned int len);
uint8_t ata_ctl_read(struct ata_channel *c);
void ata_ctl_write(struct ata_channel *c, uint8_t val);

#endif /* PVHV_EMULATED_ATA_H */
