/* SPDX-License-Identifier: MIT */
/* check_ata.c: the ATA channel model against the ATA-6 register rules. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emulated/ata.h"

#define SECTORS 64

static struct ata_channel c;
static char path[] = "/tmp/check_ata.XXXXXX";
static int fd = -1;
static bool line;

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
    ata_init(&c, irq, NULL);
    ata_attach(&c, 0, fd, SECTORS * ATA_SECTOR, false);
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
    ata_attach(&c, 1, fd, SECTORS * ATA_SECTOR, true);
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
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
