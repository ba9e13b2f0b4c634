/* SPDX-License-Identifier: MIT */
/* ata.c: ATA commands, PIO transfers and the task file of one IDE channel. */
#include <errno.h>
#include <string.h>
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

/* next_block: the next DRQ block of the transfer; reads fill buf. */
static void next_block(struct ata_channel *c)
{
    ssize_t n;

    c->block = c->left < c->per ? c->left : c->per;
    c->left -= c->block;
    c->len = c->block * ATA_SECTOR;
    c->pos = 0;
    if (!c->writing) {
        n = pread(selected(c)->fd, c->buf, c->len,
                  (off_t)(c->lba_next * ATA_SECTOR));
        if (n != (ssize_t)c->len)
            return done(c, ATA_ER_UNC);
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
    c->per = multi ? dr->multiple : 1;
    /* A write's first block is asked for without an interrupt. */
    next_block(c);
}

/* start_dma: a READ/WRITE DMA command, range checked; runs at START. */
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
 * run_dma: the whole transfer, through the PRD table, sector by sector
 * between the image and guest RAM (each buffer checked to be RAM).
 */
static void run_dma(struct ata_channel *c)
{
    int fd = selected(c)->fd;
    uint64_t bytes = (uint64_t)c->left * ATA_SECTOR,
             off = c->lba_next * ATA_SECTOR;
    bool eot = false;

    c->dma_pending = false;
    c->bm_status |= ATA_BM_ST_ACTIVE;
    for (unsigned int i = 0; bytes > 0; i++) {
        uint32_t gpa, len;
        uint8_t *p;
        ssize_t n;

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
        n = c->dma_write ? pwrite(fd, p, len, (off_t)off)
                         : pread(fd, p, len, (off_t)off);
        if (n != (ssize_t)len) {
            c->bm_status = (uint8_t)((c->bm_status & ~ATA_BM_ST_ACTIVE) |
                                     ATA_BM_ST_ERROR | ATA_BM_ST_IRQ);
            return done(c, c->dma_write ? ATA_ER_ABRT : ATA_ER_UNC);
        }
        off += len;
        bytes -= len;
    }
    c->left = 0;
    c->bm_status =
        (uint8_t)((c->bm_status & ~ATA_BM_ST_ACTIVE) | ATA_BM_ST_IRQ);
    done(c, 0);
}

void ata_bm_read(struct ata_channel *c, unsigned int reg, uint8_t *data,
                 unsigned int len)
{
    uint8_t regs[ATA_BM_REGS] = {0};

    pthread_mutex_lock(&c->lock);
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
        if (!(v & ATA_BM_START))
            c->bm_status &= (uint8_t)~ATA_BM_ST_ACTIVE; /* stop */
        else if (c->dma_pending)
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

void ata_bm_write(struct ata_channel *c, unsigned int reg, const uint8_t *data,
                  unsigned int len)
{
    pthread_mutex_lock(&c->lock);
    /* PRDT bytes first, so that a 4-byte write is whole before START. */
    for (unsigned int i = len; i-- > 0;)
        if (reg + i < ATA_BM_REGS)
            bm_write_byte(c, reg + i, data[i]);
    update(c);
    pthread_mutex_unlock(&c->lock);
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
    done(c,
         fdatasync(selected(c)->fd) == 0 || errno == EINVAL ? 0 : ATA_ER_ABRT);
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
    if (c->writing) {
        ssize_t n = pwrite(selected(c)->fd, c->buf, c->len,
                           (off_t)(c->lba_next * ATA_SECTOR));

        if (n != (ssize_t)c->len)
            return done(c, ATA_ER_ABRT);
        c->irq_pending = true; /* each block written interrupts */
    }
    c->lba_next += c->block;
    if (c->left == 0 && c->writing)
        return done(c, 0);
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
        memcpy(c->buf + c->pos, p, len);
    else
        memcpy(p, c->buf + c->pos, len);
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
        c->irq_pending = false; /* reading status acknowledges INTRQ */
        return c->status;
    }
    return 0xff;
}

static void write_reg(struct ata_channel *c, unsigned int reg, uint8_t v)
{
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
    pthread_mutex_unlock(&c->lock);
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
    pthread_mutex_unlock(&c->lock);
    return true;
}

uint8_t ata_ctl_read(struct ata_channel *c)
{
    uint8_t v;

    pthread_mutex_lock(&c->lock);
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
        c->status = ATA_ST_DRDY | ATA_ST_DSC;
        c->len = c->pos = 0;
        c->irq_pending = false;
        c->dma_pending = false;
    }
    c->ctl = val;
    update(c);
    pthread_mutex_unlock(&c->lock);
}

void ata_init(struct ata_channel *c, void (*irq)(void *, bool), void *opaque)
{
    memset(c, 0, sizeof(*c));
    pthread_mutex_init(&c->lock, NULL);
    c->irq = irq;
    c->opaque = opaque;
    c->status = ATA_ST_DRDY | ATA_ST_DSC;
    for (int i = 0; i < 2; i++)
        c->drive[i].fd = -1;
}

void ata_fini(struct ata_channel *c)
{
    pthread_mutex_destroy(&c->lock);
}

void ata_attach(struct ata_channel *c, unsigned int slave, int fd,
                uint64_t bytes, bool readonly)
{
    struct ata_drive *dr = &c->drive[slave ? 1 : 0];

    dr->present = true;
    dr->fd = fd;
    dr->sectors = bytes / ATA_SECTOR;
    dr->readonly = readonly;
    dr->multiple = 0;
}
