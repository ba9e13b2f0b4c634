/* SPDX-License-Identifier: MIT */
/* ata.c: ATA commands, PIO transfers and the task file of one IDE channel. */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emulated/ata.h"

#define LBA28_MAX 0x0fffffffULL
#define DEV_LBA 0x40
#define DEV_SLAVE 0x10

static struct ata_drive *selected(struct ata_channel *c)
{
    return &c->drive[(c->device & DEV_SLAVE) ? 1 : 0];
}

/* update: INTRQ follows a pending interrupt unless nIEN masks it. */
static void update(struct ata_channel *c)
{
    bool level = c->irq_pending && !(c->ctl & ATA_CTL_NIEN);

    if (level != c->irq_level) {
        c->irq_level = level;
        if (c->irq)
            c->irq(c->opaque, level);
    }
}

/*
 * queue: (job) on the selected drive for the worker; BSY until it
 * completes. (io[]) is the caller's to fill, under (lock).
 */
static void queue(struct ata_channel *c, enum ata_job job)
{
    c->job = job;
    c->job_drive = (c->device & DEV_SLAVE) ? 1 : 0;
    c->job_queued = c->job_active = c->kick_due = true;
    c->status = ATA_ST_BSY | ATA_ST_DRDY | ATA_ST_DSC;
}

/* add_buffer: (len) bytes at (p) next in the transfer at image (*off). */
static void add_buffer(struct ata_channel *c, void *p, size_t len,
                       uint64_t *off, unsigned int nth)
{
    struct disk_io *io = c->nr_io ? &c->io[c->nr_io - 1] : NULL;

    if (!io || io->nr_iov == ATA_IO_IOV) {
        io = &c->io[c->nr_io++];
        *io = (struct disk_io){.iov = &c->iov[nth], .off = (off_t)*off};
    }
    io->iov[io->nr_iov++] = (struct iovec){.iov_base = p, .iov_len = len};
    io->len += len;
    *off += len;
}

/*
 * queue_pio: a write of the DRQ block in buf to lba_next, or a read into
 * buf from lba_next of this block and as much of the rest as fits.
 */
static void queue_pio(struct ata_channel *c, bool write)
{
    uint64_t off = c->lba_next * ATA_SECTOR, n = c->block;

    if (!write) {
        n = c->block + c->left < ATA_READ_AHEAD ? c->block + c->left
                                                : ATA_READ_AHEAD;
        c->ahead_lba = c->lba_next;
        c->ahead = (unsigned int)n;
    }
    c->base = 0;
    c->nr_io = 0;
    add_buffer(c, c->buf, (size_t)n * ATA_SECTOR, &off, 0);
    c->io[0].read = !write;
    queue(c, write ? ATA_JOB_PIO_WRITE : ATA_JOB_PIO_READ);
}

static void done(struct ata_channel *c, uint8_t error)
{
    c->error = error;
    c->status = (uint8_t)(ATA_ST_DRDY | ATA_ST_DSC | (error ? ATA_ST_ERR : 0));
    c->len = c->pos = 0;
    c->irq_pending = true;
}

/* The task file's address: LBA48 from both register layers, else LBA28. */
static uint64_t task_lba(const struct ata_channel *c, bool ext)
{
    uint64_t lo = (uint64_t)c->lba[0][0] | (uint64_t)c->lba[1][0] << 8 |
                  (uint64_t)c->lba[2][0] << 16;

    if (!ext)
        return lo | (uint64_t)(c->device & 0x0f) << 24;
    return lo | (uint64_t)c->lba[0][1] << 24 | (uint64_t)c->lba[1][1] << 32 |
           (uint64_t)c->lba[2][1] << 40;
}

static uint32_t task_count(const struct ata_channel *c, bool ext)
{
    uint32_t n = ext ? (uint32_t)c->count[1] << 8 | c->count[0] : c->count[0];

    return n ? n : (ext ? 65536 : 256);
}

/*
 * next_block: the next DRQ block of the transfer; a read not already in
 * buf is queued (DRQ when the worker filled it).
 */
static void next_block(struct ata_channel *c)
{
    c->block = c->left < c->per ? c->left : c->per;
    c->left -= c->block;
    c->len = c->block * ATA_SECTOR;
    c->pos = 0;
    c->base = 0;
    if (!c->writing && (c->lba_next < c->ahead_lba ||
                        c->lba_next + c->block > c->ahead_lba + c->ahead))
        return queue_pio(c, false);
    if (!c->writing) {
        c->base = (unsigned int)(c->lba_next - c->ahead_lba) * ATA_SECTOR;
        c->irq_pending = true; /* reads interrupt for every block */
    }
    c->status = ATA_ST_DRDY | ATA_ST_DSC | ATA_ST_DRQ;
}

/* start_pio: a READ/WRITE SECTORS or MULTIPLE command, range checked. */
static void start_pio(struct ata_channel *c, bool ext, bool write, bool multi)
{
    struct ata_drive *dr = selected(c);
    uint64_t lba = task_lba(c, ext);
    uint32_t n = task_count(c, ext);

    if ((multi && !dr->multiple) || (write && dr->readonly))
        return done(c, ATA_ER_ABRT);
    if (!(c->device & DEV_LBA) || lba >= dr->sectors || n > dr->sectors - lba)
        return done(c, ATA_ER_IDNF);
    c->writing = write;
    c->lba_next = lba;
    c->left = n;
    c->ahead = 0;
    c->per = multi ? dr->multiple : 1;
    /* A write's first block is asked for without an interrupt. */
    next_block(c);
}

/* start_dma: a READ/WRITE DMA command, range checked; queued at START. */
static void run_dma(struct ata_channel *c);

static void start_dma(struct ata_channel *c, bool ext, bool write)
{
    struct ata_drive *dr = selected(c);
    uint64_t lba = task_lba(c, ext);
    uint32_t n = task_count(c, ext);

    if (write && dr->readonly)
        return done(c, ATA_ER_ABRT);
    if (!(c->device & DEV_LBA) || lba >= dr->sectors || n > dr->sectors - lba)
        return done(c, ATA_ER_IDNF);
    c->lba_next = lba;
    c->left = n;
    c->dma_pending = true;
    c->dma_write = write;
    c->status = ATA_ST_DRDY | ATA_ST_DSC | ATA_ST_DRQ;
    if (c->bm_cmd & ATA_BM_START)
        run_dma(c);
}

/* dma_fail: the transfer stops; the guest sees both error bits. */
static void dma_fail(struct ata_channel *c, const char *what, uint64_t gpa,
                     uint32_t len)
{
    if (c->dma_fault)
        c->dma_fault(c->opaque, what, gpa, len);
    c->dma_pending = false;
    c->bm_status = (uint8_t)((c->bm_status & ~ATA_BM_ST_ACTIVE) |
                             ATA_BM_ST_ERROR | ATA_BM_ST_IRQ);
    done(c, ATA_ER_ABRT);
}

/* prd: entry (i) of the PRD table: buffer (gpa), (len) bytes, EOT. */
static bool prd(struct ata_channel *c, unsigned int i, uint32_t *gpa,
                uint32_t *len, bool *eot)
{
    uint64_t at = (uint64_t)(c->bm_prdt & ~3u) + 8ULL * i;
    const uint8_t *e = c->dma ? c->dma(c->opaque, at, 8) : NULL;
    uint32_t w0, w1;

    if (!e) {
        dma_fail(c, "PRD table entry outside guest RAM", at, 8);
        return false;
    }
    memcpy(&w0, e, 4);
    memcpy(&w1, e + 4, 4);
    *gpa = w0 & ~1u;
    *len = (w1 & 0xffff) ? (w1 & 0xfffe) : 0x10000;
    *eot = (w1 & ATA_PRD_EOT) != 0;
    return true;
}

/*
 * run_dma: the whole transfer, queued: the PRD table is walked now, each
 * entry copied and its buffer checked to be guest RAM and turned into a
 * host address; a bad one fails the command before any I/O.
 */
static void run_dma(struct ata_channel *c)
{
    uint64_t bytes = (uint64_t)c->left * ATA_SECTOR,
             off = c->lba_next * ATA_SECTOR;
    bool eot = false;

    c->dma_pending = false;
    c->bm_status |= ATA_BM_ST_ACTIVE;
    c->nr_io = 0;
    for (unsigned int i = 0; bytes > 0; i++) {
        uint32_t gpa, len;
        uint8_t *p;

        if (eot || i == ATA_PRD_MAX)
            return dma_fail(c, "PRD table shorter than the transfer",
                            c->bm_prdt, 8 * i);
        if (!prd(c, i, &gpa, &len, &eot))
            return;
        if (len > bytes)
            len = (uint32_t)bytes;
        p = c->dma(c->opaque, gpa, len);
        if (!p)
            return dma_fail(c, "DMA buffer outside guest RAM", gpa, len);
        add_buffer(c, p, len, &off, i);
        bytes -= len;
    }
    for (unsigned int k = 0; k < c->nr_io; k++)
        c->io[k].read = !c->dma_write;
    queue(c, ATA_JOB_DMA);
}

/* dma_done: the bus master stops; its interrupt bit, error on failure. */
static void dma_done(struct ata_channel *c, bool failed)
{
    c->bm_status = (uint8_t)((c->bm_status & ~ATA_BM_ST_ACTIVE) |
                             ATA_BM_ST_IRQ | (failed ? ATA_BM_ST_ERROR : 0));
    if (!failed)
        c->left = 0;
    done(c, !failed ? 0 : c->dma_write ? ATA_ER_ABRT : ATA_ER_UNC);
}

/*
 * wait_idle: a status read while BSY waits a little for the worker
 * (bsy_wait_ns), so that a guest polling status sees a short transfer end
 * in one exit. Called with (lock) held; the wait drops it.
 */
static void wait_idle(struct ata_channel *c)
{
    struct timespec until;
    uint64_t ns;

    if (!(c->status & ATA_ST_BSY) || !c->job_active || !c->bsy_wait_ns)
        return;
    clock_gettime(CLOCK_MONOTONIC, &until);
    ns = (uint64_t)until.tv_nsec + c->bsy_wait_ns;
    until.tv_sec += (time_t)(ns / 1000000000u);
    until.tv_nsec = (long)(ns % 1000000000u);
    while (c->job_active &&
           pthread_cond_timedwait(&c->idle, &c->lock, &until) == 0)
        ;
}

void ata_bm_read(struct ata_channel *c, unsigned int reg, uint8_t *data,
                 unsigned int len)
{
    uint8_t regs[ATA_BM_REGS] = {0};

    pthread_mutex_lock(&c->lock);
    if (reg <= ATA_BM_STATUS && ATA_BM_STATUS < reg + len)
        wait_idle(c); /* the guest polls ACTIVE as it would BSY */
    regs[ATA_BM_CMD] = c->bm_cmd;
    regs[ATA_BM_STATUS] = c->bm_status;
    memcpy(&regs[ATA_BM_PRDT], &c->bm_prdt, 4);
    for (unsigned int i = 0; i < len; i++)
        data[i] = reg + i < ATA_BM_REGS ? regs[reg + i] : 0xff;
    pthread_mutex_unlock(&c->lock);
}

static void bm_write_byte(struct ata_channel *c, unsigned int reg, uint8_t v)
{
    switch (reg) {
    case ATA_BM_CMD:
        c->bm_cmd = v & (ATA_BM_START | ATA_BM_TO_MEMORY);
        /* A stop: a transfer in flight goes on (it cannot be called back). */
        if (!(v & ATA_BM_START) && !(c->job_active && c->job == ATA_JOB_DMA))
            c->bm_status &= (uint8_t)~ATA_BM_ST_ACTIVE;
        else if ((v & ATA_BM_START) && c->dma_pending)
            run_dma(c);
        break;
    case ATA_BM_STATUS:
        /* Error and interrupt are cleared by writing 1; 5, 6 are kept. */
        c->bm_status =
            (uint8_t)((c->bm_status & ~(v & 0x06) & 0x07) | (v & 0x60));
        break;
    case ATA_BM_PRDT:
    case ATA_BM_PRDT + 1:
    case ATA_BM_PRDT + 2:
    case ATA_BM_PRDT + 3: {
        unsigned int sh = 8 * (reg - ATA_BM_PRDT);

        c->bm_prdt = (c->bm_prdt & ~(0xffu << sh)) | (uint32_t)v << sh;
        c->bm_prdt &= ~3u; /* dword aligned */
        break;
    }
    }
}

/* unlock: drops (lock), then wakes the worker for a job just queued. */
static void unlock(struct ata_channel *c)
{
    bool due = c->kick_due;

    c->kick_due = false;
    pthread_mutex_unlock(&c->lock);
    if (!due)
        return;
    if (c->kick)
        c->kick(c->opaque);
    else
        ata_serve(c);
}

void ata_bm_write(struct ata_channel *c, unsigned int reg, const uint8_t *data,
                  unsigned int len)
{
    pthread_mutex_lock(&c->lock);
    /* PRDT bytes first, so that a 4-byte write is whole before START. */
    for (unsigned int i = len; i-- > 0;)
        if (reg + i < ATA_BM_REGS)
            bm_write_byte(c, reg + i, data[i]);
    update(c);
    unlock(c);
}

static void put_string(uint16_t *id, int first, int words, const char *s)
{
    size_t n = strlen(s);

    for (int i = 0; i < words * 2; i++) {
        char ch = (size_t)i < n ? s[i] : ' ';

        /* The first character of a pair is the high byte of its word. */
        id[first + i / 2] |= (uint16_t)((uint8_t)ch << (i % 2 ? 0 : 8));
    }
}

/* identify: IDENTIFY DEVICE data (ATA-6 words) for the selected drive. */
static void identify(struct ata_channel *c)
{
    struct ata_drive *dr = selected(c);
    uint16_t id[256];
    uint64_t s = dr->sectors, s28 = s > LBA28_MAX ? LBA28_MAX : s;

    memset(id, 0, sizeof(id));
    id[0] = 0x0040; /* fixed disk */
    id[1] = 16383;
    id[3] = 16;
    id[6] = 63;
    put_string(id, 10, 10, c->device & DEV_SLAVE ? "PVHV-ATA-1" : "PVHV-ATA-0");
    put_string(id, 23, 4, "1.0");
    put_string(id, 27, 20, "pvhv ATA disk");
    id[47] = 0x8000 | ATA_MULTIPLE_MAX;
    id[49] = 0x0300; /* LBA, DMA */
    id[53] = 0x0006;
    id[59] = (uint16_t)(dr->multiple ? 0x100 | dr->multiple : 0);
    id[60] = (uint16_t)s28;
    id[61] = (uint16_t)(s28 >> 16);
    id[80] = 0x007e; /* ATA-1 to ATA-6 */
    id[82] = 0x4000;
    id[83] = 0x4000 | 1 << 13 | 1 << 12 | 1 << 10; /* FLUSH EXT, FLUSH, 48 */
    id[84] = 0x4000;
    id[85] = 0x4000;
    id[86] = 1 << 13 | 1 << 12 | 1 << 10;
    id[87] = 0x4000;
    for (int i = 0; i < 4; i++)
        id[100 + i] = (uint16_t)(s >> (16 * i));
    memcpy(c->buf, id, sizeof(id));
    c->base = c->ahead = 0;
    c->writing = false;
    c->left = 0;
    c->per = c->block = 1;
    c->len = ATA_SECTOR;
    c->pos = 0;
    c->status = ATA_ST_DRDY | ATA_ST_DSC | ATA_ST_DRQ;
    c->irq_pending = true;
}

static void set_multiple(struct ata_channel *c)
{
    unsigned int n = c->count[0];

    /* 0 turns READ/WRITE MULTIPLE off; else a power of two up to 16. */
    if (n > ATA_MULTIPLE_MAX || (n & (n - 1)))
        return done(c, ATA_ER_ABRT);
    selected(c)->multiple = n;
    done(c, 0);
}

static void flush(struct ata_channel *c)
{
    c->nr_io = 0;
    queue(c, ATA_JOB_FLUSH);
}

static void command(struct ata_channel *c, uint8_t cmd)
{
    if (!selected(c)->present)
        return; /* no drive answers: the command is lost */
    c->error = 0;
    switch (cmd) {
    case 0xec:
        return identify(c);
    case 0x20:
    case 0x21:
        return start_pio(c, false, false, false);
    case 0x24:
        return start_pio(c, true, false, false);
    case 0xc4:
        return start_pio(c, false, false, true);
    case 0x29:
        return start_pio(c, true, false, true);
    case 0x30:
    case 0x31:
        return start_pio(c, false, true, false);
    case 0x34:
        return start_pio(c, true, true, false);
    case 0xc5:
        return start_pio(c, false, true, true);
    case 0x39:
        return start_pio(c, true, true, true);
    case 0xc8: /* READ DMA */
    case 0xc9:
        return start_dma(c, false, false);
    case 0x25:
        return start_dma(c, true, false);
    case 0xca: /* WRITE DMA */
    case 0xcb:
        return start_dma(c, false, true);
    case 0x35:
        return start_dma(c, true, true);
    case 0xc6:
        return set_multiple(c);
    case 0xe7:
    case 0xea:
        return flush(c);
    case 0xef:
    case 0x91:
    case 0x10:
    case 0xe0:
    case 0xe1:
    case 0xe5:
        return done(c, 0); /* features, geometry, power: nothing to do */
    default:
        return done(c, ATA_ER_ABRT);
    }
}

/* data_done: a DRQ block moved; writes go to the image, then the next. */
static void data_done(struct ata_channel *c)
{
    if (c->writing)
        return queue_pio(c, true); /* goes on when it is written */
    c->lba_next += c->block;
    if (c->left == 0) {
        /* The last block of a read was taken: no interrupt for that. */
        c->status = ATA_ST_DRDY | ATA_ST_DSC;
        c->len = c->pos = 0;
        return;
    }
    next_block(c);
}

static void data(struct ata_channel *c, uint8_t *p, unsigned int len,
                 bool is_write)
{
    if (!(c->status & ATA_ST_DRQ) || c->writing != is_write) {
        if (!is_write)
            memset(p, 0xff, len);
        return; /* no transfer in that direction: ignored */
    }
    if (len > c->len - c->pos)
        len = c->len - c->pos;
    if (is_write)
        memcpy(c->buf + c->base + c->pos, p, len);
    else
        memcpy(p, c->buf + c->base + c->pos, len);
    c->pos += len;
    if (c->pos == c->len)
        data_done(c);
}

/* push: a task file write keeps the previous value for LBA48 (HOB). */
static void push(uint8_t r[2], uint8_t v)
{
    r[1] = r[0];
    r[0] = v;
}

static uint8_t read_reg(struct ata_channel *c, unsigned int reg)
{
    unsigned int h = (c->ctl & ATA_CTL_HOB) ? 1 : 0;

    if (!selected(c)->present && reg != ATA_DEVICE)
        return 0; /* nothing answers for an absent drive */
    switch (reg) {
    case ATA_ERROR_FEATURES:
        return c->error;
    case ATA_COUNT:
        return c->count[h];
    case ATA_LBA0:
    case ATA_LBA1:
    case ATA_LBA2:
        return c->lba[reg - ATA_LBA0][h];
    case ATA_DEVICE:
        return (uint8_t)(c->device | 0xa0);
    case ATA_STATUS_COMMAND:
        wait_idle(c);
        c->irq_pending = false; /* reading status acknowledges INTRQ */
        return c->status;
    }
    return 0xff;
}

static void write_reg(struct ata_channel *c, unsigned int reg, uint8_t v)
{
    if (c->status & ATA_ST_BSY)
        return; /* the command block is the drive's while BSY */
    switch (reg) {
    case ATA_ERROR_FEATURES:
        c->features = v;
        break;
    case ATA_COUNT:
        push(c->count, v);
        break;
    case ATA_LBA0:
    case ATA_LBA1:
    case ATA_LBA2:
        push(c->lba[reg - ATA_LBA0], v);
        break;
    case ATA_DEVICE:
        c->device = v & 0x5f;
        break;
    case ATA_STATUS_COMMAND:
        command(c, v);
        break;
    }
}

bool ata_read(struct ata_channel *c, unsigned int reg, uint8_t *data_,
              unsigned int len)
{
    if (reg == ATA_DATA ? (len != 2 && len != 4) : len != 1)
        return false;
    pthread_mutex_lock(&c->lock);
    if (reg == ATA_DATA)
        data(c, data_, len, false);
    else
        data_[0] = read_reg(c, reg);
    update(c);
    unlock(c);
    return true;
}

bool ata_write(struct ata_channel *c, unsigned int reg, const uint8_t *data_,
               unsigned int len)
{
    if (reg == ATA_DATA ? (len != 2 && len != 4) : len != 1)
        return false;
    pthread_mutex_lock(&c->lock);
    if (reg == ATA_DATA)
        data(c, (uint8_t *)data_, len, true);
    else
        write_reg(c, reg, data_[0]);
    update(c);
    unlock(c);
    return true;
}

uint8_t ata_ctl_read(struct ata_channel *c)
{
    uint8_t v;

    pthread_mutex_lock(&c->lock);
    wait_idle(c);
    v = selected(c)->present ? c->status : 0; /* no acknowledge here */
    pthread_mutex_unlock(&c->lock);
    return v;
}

void ata_ctl_write(struct ata_channel *c, uint8_t val)
{
    pthread_mutex_lock(&c->lock);
    /* SRST: the drives end what they did and show the ATA signature. */
    if ((val & ATA_CTL_SRST) && !(c->ctl & ATA_CTL_SRST)) {
        c->device = 0;
        c->count[0] = c->lba[0][0] = 1;
        c->lba[1][0] = c->lba[2][0] = 0;
        c->error = 1; /* diagnostic: no error */
        c->len = c->pos = 0;
        c->ahead = 0;
        c->irq_pending = false;
        c->dma_pending = false;
        /* A job in flight cannot be called back: BSY until it ends. */
        c->aborted = c->job_active;
        c->status = c->job_active ? ATA_ST_BSY : ATA_ST_DRDY | ATA_ST_DSC;
    }
    c->ctl = val;
    update(c);
    pthread_mutex_unlock(&c->lock);
}

void ata_init(struct ata_channel *c, void (*irq)(void *, bool), void *opaque)
{
    pthread_condattr_t a;

    memset(c, 0, sizeof(*c));
    pthread_mutex_init(&c->lock, NULL);
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&c->idle, &a);
    pthread_condattr_destroy(&a);
    c->irq = irq;
    c->opaque = opaque;
    c->status = ATA_ST_DRDY | ATA_ST_DSC;
    for (int i = 0; i < 2; i++)
        c->drive[i].fd = -1;
}

void ata_fini(struct ata_channel *c)
{
    for (int i = 0; i < 2; i++)
        disk_io_close(&c->drive[i].engine);
    pthread_cond_destroy(&c->idle);
    pthread_mutex_destroy(&c->lock);
}

int ata_attach(struct ata_channel *c, unsigned int slave, int fd,
               uint64_t bytes, bool readonly, bool force_sync)
{
    struct ata_drive *dr = &c->drive[slave ? 1 : 0];
    int rc;

    disk_io_close(&dr->engine);
    rc = disk_io_open(&dr->engine, fd, ATA_IO_MAX, force_sync, dr->engine_why,
                      sizeof(dr->engine_why));
    if (rc < 0)
        return rc;
    dr->present = true;
    dr->fd = fd;
    dr->sectors = bytes / ATA_SECTOR;
    dr->readonly = readonly;
    dr->multiple = 0;
    return 0;
}

/* run_job: the I/O of (job) on (dr), without the lock; 0 or -EIO. */
static int run_job(struct ata_drive *dr, enum ata_job job, struct disk_io *io,
                   unsigned int nr)
{
    struct disk_io_engine *e = &dr->engine;
    int rc = 0;

    if (job == ATA_JOB_FLUSH)
        return fdatasync(dr->fd) == 0 || errno == EINVAL ? 0 : -EIO;
    for (unsigned int i = 0; i < nr; i++)
        e->ops->submit(e, &io[i]);
    while (e->in_flight > 0) {
        struct disk_io *d = e->ops->reap(e, true);

        if (!d)
            return -EIO; /* the ring failed: not a success */
        if (d->res != (int)d->len)
            rc = -EIO;
    }
    return rc;
}

/*
 * complete: the job ended (failed: with an error); the command goes on or
 * ends. update() after it raises IRQ 14 where the command asks for it.
 */
static void complete(struct ata_channel *c, enum ata_job job, bool failed)
{
    c->job_active = false;
    if (c->aborted) { /* a soft reset came meanwhile: its state stands */
        c->aborted = false;
        c->ahead = 0;
        c->status = ATA_ST_DRDY | ATA_ST_DSC;
        c->bm_status &= (uint8_t)~ATA_BM_ST_ACTIVE;
        return;
    }
    switch (job) {
    case ATA_JOB_PIO_READ:
        if (failed) {
            c->ahead = 0;
            return done(c, ATA_ER_UNC);
        }
        c->status = ATA_ST_DRDY | ATA_ST_DSC | ATA_ST_DRQ;
        c->irq_pending = true; /* reads interrupt for every block */
        return;
    case ATA_JOB_PIO_WRITE:
        if (failed)
            return done(c, ATA_ER_ABRT);
        c->irq_pending = true; /* each block written interrupts */
        c->lba_next += c->block;
        if (c->left == 0)
            return done(c, 0);
        return next_block(c);
    case ATA_JOB_DMA:
        return dma_done(c, failed);
    case ATA_JOB_FLUSH:
        return done(c, failed ? ATA_ER_ABRT : 0);
    case ATA_JOB_NONE:
        return;
    }
}

void ata_serve(void *opaque)
{
    struct ata_channel *c = opaque;
    enum ata_job job;
    unsigned int drive, nr;
    int rc;

    pthread_mutex_lock(&c->lock);
    if (!c->job_queued) {
        pthread_mutex_unlock(&c->lock);
        return;
    }
    c->job_queued = false;
    job = c->job;
    drive = c->job_drive;
    nr = c->nr_io;
    pthread_mutex_unlock(&c->lock);
    /* io[] and buf are left alone meanwhile: BSY keeps the guest out. */
    rc = run_job(&c->drive[drive], job, c->io, nr);
    pthread_mutex_lock(&c->lock);
    complete(c, job, rc < 0);
    update(c); /* INTRQ: the place IRQ 14 is raised, on this thread */
    pthread_cond_broadcast(&c->idle);
    pthread_mutex_unlock(&c->lock);
}
