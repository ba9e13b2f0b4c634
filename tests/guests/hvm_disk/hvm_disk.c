/* SPDX-License-Identifier: MIT */
/*
 * hvm_disk.c: a guest of an hvm domain writes and reads both ATA disks
 * of the primary channel (master, slave) through programmed I/O: it
 * prints the first 8 bytes of each disk's sector 0 (the host put a name
 * there), writes 24 sectors at LBA 8 (master) and 40 (slave) that each
 * start with "<disk> <lba>", flushes, reads them back and compares. The
 * host then finds those sectors in the image files. With the command line
 * "dma" it moves them by bus-master DMA instead, and checks that a PRD
 * pointing past RAM is refused. With "busy" it then reads the master's
 * sectors again one command at a time, polling status from the command
 * on; where it sees BSY it writes the LBA0 register, which the drive
 * must ignore (checked where status still shows BSY after that write:
 * the write certainly came while BSY), and it says how often. Console:
 * COM1.
 */
#include <stddef.h>
#include <stdint.h>

#include <pvabi/start_info.h>

#include "../hw/ata_pio.h"
#include "../hw/com1.h"

#define DEBUG_EXIT_PORT 0xf4
#define N 24

int hvm_main(uint32_t start_info);
void hvm_exit(int code);

static uint8_t out[N * ATA_SECTOR_SIZE], in[N * ATA_SECTOR_SIZE];

#define REG_COUNT 2
#define REG_LBA0 3
#define REG_DEVICE 6
#define REG_STATUS 7
#define ST_BSY 0x80
#define ST_DRQ 0x08
#define ST_ERR 0x01
#define POLLS 1000000

static void insw(uint16_t port, void *buf, unsigned long words)
{
    __asm__ volatile("rep insw"
                     : "+D"(buf), "+c"(words)
                     : "d"(port)
                     : "memory");
}

static int fail(const char *what, int rc);

/* command: (cmd) on one sector at (lba) of the master, LBA28. */
static void command(uint64_t lba, uint8_t cmd)
{
    uint16_t b = ATA_PRIMARY_BASE;

    com1_outb(b + REG_DEVICE, (uint8_t)(0xe0 | ((lba >> 24) & 0x0f)));
    com1_outb(b + REG_COUNT, 1);
    for (int i = 0; i < 3; i++)
        com1_outb((uint16_t)(b + REG_LBA0 + i), (uint8_t)(lba >> (8 * i)));
    com1_outb(b + REG_STATUS, cmd);
}

/*
 * busy: reads back the N sectors at (lba) one READ SECTORS each; (seen)
 * counts those whose first status read showed BSY, (checked) those where
 * a register write came while BSY.
 */
static int busy(uint64_t lba, unsigned int *seen, unsigned int *checked)
{
    for (unsigned int k = 0; k < N; k++) {
        uint16_t b = ATA_PRIMARY_BASE;
        int kept = 0;
        uint8_t st;
        long i = 0;

        command(lba + k, 0x20);
        st = com1_inb(b + REG_STATUS);
        if (st & ST_BSY) {
            (*seen)++;
            com1_outb(b + REG_LBA0, 0x77); /* while BSY: ignored */
            kept = (com1_inb(b + REG_STATUS) & ST_BSY) != 0;
            *checked += (unsigned int)kept;
        }
        while ((st & ST_BSY) && i++ < POLLS)
            st = com1_inb(b + REG_STATUS);
        if ((st & (ST_BSY | ST_DRQ | ST_ERR)) != ST_DRQ)
            return fail("a polled READ SECTORS", -(int)st);
        if (kept && com1_inb(b + REG_LBA0) != (uint8_t)(lba + k))
            return fail("a register written while BSY changed", -1);
        insw(ATA_PRIMARY_BASE, in + k * ATA_SECTOR_SIZE, ATA_SECTOR_SIZE / 2);
    }
    for (size_t i = 0; i < sizeof(in); i++)
        if (in[i] != out[i])
            return fail("comparing the polled reads", -(int)i);
    return 0;
}
void hvm_exit(int code)
{
    com1_outb(DEBUG_EXIT_PORT, (uint8_t)code);
}

static int fail(const char *what, int rc)
{
    com1_puts("ABORT: ");
    com1_puts(what);
    com1_puts(" failed: ");
    com1_put_hex((uint32_t)-rc);
    com1_puts("\n");
    return 1;
}

/* fill: each sector of out starts "m 0000000n" or "s ..." (its LBA). */
static void fill(char who, uint64_t lba)
{
    for (unsigned int k = 0; k < N; k++) {
        uint8_t *p = out + k * ATA_SECTOR_SIZE;
        uint64_t v = lba + k;

        p[0] = (uint8_t)who;
        p[1] = ' ';
        for (int i = 9; i >= 2; i--, v >>= 4)
            p[i] = (uint8_t) "0123456789abcdef"[v & 15];
        for (unsigned int i = 10; i < ATA_SECTOR_SIZE; i++)
            p[i] = (uint8_t)(k + i);
    }
}

static int one(int slave, uint64_t lba, int dma)
{
    struct ata_pio d;
    char name[9];
    int rc = ata_pio_open(&d, ATA_PRIMARY_BASE, ATA_PRIMARY_CTL, slave);

    if (rc < 0)
        return fail("ata_pio_open", rc);
    if ((rc = ata_pio_read(&d, 0, 1, in)) < 0)
        return fail("reading sector 0", rc);
    for (int i = 0; i < 8; i++)
        name[i] = (char)in[i];
    name[8] = '\0';
    com1_puts(slave ? "hvm_disk: slave says " : "hvm_disk: master says ");
    com1_puts(name);
    com1_puts("\n");
    fill(slave ? 's' : 'm', lba);
    if (dma)
        rc = ata_dma_rw(&d, ATA_PRIMARY_BM, lba, N, (uintptr_t)out, 1);
    else
        rc = ata_pio_write(&d, lba, N, out);
    if (rc < 0)
        return fail("writing", rc);
    if ((rc = ata_pio_flush(&d)) < 0)
        return fail("ata_pio_flush", rc);
    if (dma)
        rc = ata_dma_rw(&d, ATA_PRIMARY_BM, lba, N, (uintptr_t)in, 0);
    else
        rc = ata_pio_read(&d, lba, N, in);
    if (rc < 0)
        return fail("reading back", rc);
    /* A PRD that points past RAM: refused, reported, the disk goes on. */
    if (dma && ata_dma_rw(&d, ATA_PRIMARY_BM, 0, 1, 1ULL << 31, 0) != ATA_EIO)
        return fail("a DMA to no RAM was not refused", ATA_EIO);
    for (size_t i = 0; i < sizeof(in); i++)
        if (in[i] != out[i])
            return fail("comparing what was read back", -(int)i);
    return 0;
}

int hvm_main(uint32_t start_info)
{
    const struct hvm_start_info *si =
        (const struct hvm_start_info *)(uintptr_t)start_info;
    const char *cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
    int dma = cmdline && cmdline[0] == 'd';    /* "dma" */
    int polled = cmdline && cmdline[0] == 'b'; /* "busy" */
    unsigned int seen = 0, checked = 0;

    com1_init();
    if (one(0, 8, dma) || (polled && busy(8, &seen, &checked)) ||
        one(1, 40, dma))
        return 1;
    if (dma)
        com1_puts("hvm_disk: by bus-master DMA\n");
    if (polled) {
        com1_puts("hvm_disk: polled reads saw BSY ");
        com1_put_hex(seen);
        com1_puts(" times, wrote a register while BSY ");
        com1_put_hex(checked);
        com1_puts(" times\n");
    }
    com1_puts("hvm_disk: wrote, flushed and read back both disks\nSUCCESS\n");
    return 0;
}
