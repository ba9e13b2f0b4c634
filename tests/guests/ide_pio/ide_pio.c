/* SPDX-License-Identifier: MIT */
/*
 * ide_pio.c: random reads from an IDE disk by programmed I/O, timed by
 * pvbench on emulated hardware (QEMU's pc machine): the peer of bench_blk.
 * Command line: n=M size=S [hold=1] [check=1] [dma=1] [seq=1]: M reads
 * of S sectors (default 8: 4 KiB) at the places bench_blk's op=rand picks
 * (with seq=1 one after another from LBA 0, wrapping, as op=seq), one at
 * a time (IDE has no queue); with dma=1 by bus-master DMA at pvhv's
 * fixed ports (ATA_PRIMARY_BM: QEMU's are on PCI, so not there). Console on the
 * debug port (0xe9); the "BENCH start" and "BENCH end" lines bound the timed
 * part. It ends through isa-debug-exit (port 0xf4), or with hold=1 halts for
 * good after "SUCCESS", so that the host reads the vCPU's counters while
 * nothing runs: two runs that differ only in M then give the counts per read.
 * Output does not depend on M, so the two runs print (and exit for) the same
 * bytes. With check=1 every sector read must start with the word 0x626c6b72 <<
 * 32 | its number (the block tests' pattern), or the guest aborts.
 */

#include <pvabi/start_info.h>
#include <stddef.h>

#include "../hw/ata_pio.h"
#include "../hw/hw.h"

#define DEBUGCON_PORT 0xe9
#define DEBUG_EXIT_PORT 0xf4
#define MAX_SECTORS 88

int hvm_main(uint32_t start_info);
void hvm_exit(int code);

static uint8_t buf[MAX_SECTORS * ATA_SECTOR_SIZE] __attribute__((aligned(16)));

static void put(const char *s)
{
    for (; *s; s++)
        __asm__ volatile("outb %0, %1" : : "a"(*s), "Nd"(DEBUGCON_PORT));
}

static void put_ulong(unsigned long v)
{
    char digits[24], *p = digits + sizeof(digits) - 1;

    *p = '\0';
    do
        *--p = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    put(p);
}

void hvm_exit(int code)
{
    __asm__ volatile("outb %0, %1"
                     :
                     : "a"((uint8_t)code), "Nd"(DEBUG_EXIT_PORT));
}

/* Halts for good: the host reads the counters, then ends QEMU. */
static void hvm_hold(void)
{
    for (;;)
        __asm__ volatile("cli; hlt" : : : "memory");
}

static void put_hex(uint64_t v)
{
    char digits[17];

    for (int i = 15; i >= 0; i--, v >>= 4)
        digits[i] = "0123456789abcdef"[v & 15];
    digits[16] = '\0';
    put(digits);
}

/* bench_blk's op=rand places: xorshift64, one slot of (size) sectors. */
static uint64_t next_slot(uint64_t *state, uint64_t slots)
{
    uint64_t x = *state;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x % slots;
}

/* Each sector of buf starts with its tag: 0 or ATA_EIO. */
static int check_tags(uint64_t lba, unsigned long size)
{
    for (unsigned long k = 0; k < size; k++) {
        const uint8_t *p = buf + k * ATA_SECTOR_SIZE;
        uint64_t w = 0;

        for (int b = 7; b >= 0; b--)
            w = w << 8 | p[b];
        if (w != (0x626c6b72ULL << 32 | (lba + k)))
            return ATA_EIO;
    }
    return 0;
}

static int fail(const char *what, int rc)
{
    put("ABORT: ");
    put(what);
    put(" failed: ");
    put_ulong((unsigned long)-rc);
    put("\n");
    return 1;
}

int hvm_main(uint32_t start_info)
{
    const struct hvm_start_info *si =
        (const struct hvm_start_info *)(uintptr_t)start_info;
    const char *cmdline = NULL;
    struct ata_pio disk;
    uint64_t state = 88172645463325252ULL, slots;
    unsigned long n, size, hold, check, dma, seq, sum = 0;
    int rc;

    if (si->magic == XEN_HVM_START_MAGIC_VALUE && si->cmdline_paddr)
        cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
    n = hw_option(cmdline, "n", 500);
    size = hw_option(cmdline, "size", 8);
    hold = hw_option(cmdline, "hold", 0);
    dma = hw_option(cmdline, "dma", 0);
    check = hw_option(cmdline, "check", 0);
    seq = hw_option(cmdline, "seq", 0);
    if (size < 1 || size > MAX_SECTORS)
        return fail("size 1 to 88", -ATA_EINVAL);
    rc = ata_pio_open(&disk, ATA_PRIMARY_BASE, ATA_PRIMARY_CTL, 0);
    if (rc < 0)
        return fail("ata_pio_open", rc);
    slots = disk.sectors / size;
    put("ide_pio: ");
    put_ulong(disk.sectors);
    put(" sectors, ");
    put_ulong(disk.multiple);
    put(" a DRQ block\nBENCH start\n");
    for (unsigned long i = 0; i < n; i++) {
        uint64_t lba = (seq ? i % slots : next_slot(&state, slots)) * size;

        rc = dma ? ata_dma_rw(&disk, ATA_PRIMARY_BM, lba, (unsigned int)size,
                              (uintptr_t)buf, 0)
                 : ata_pio_read(&disk, lba, (unsigned int)size, buf);
        if (rc < 0)
            return fail("ata_pio_read", rc);
        sum += buf[0];
        if (check && (rc = check_tags(lba, size)) < 0)
            return fail("the sector tags", rc);
    }
    put("BENCH end\nide_pio: sum of first bytes ");
    put_hex(sum);
    put("\nSUCCESS\n");
    if (hold)
        hvm_hold();
    return 0;
}
