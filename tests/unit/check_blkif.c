/* SPDX-License-Identifier: MIT */
/* check_blkif.c: blkback request checks, vdev ids, the xenbus table. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/blkback.h"
#include "pvabi/io/blkif.h"
#include "pvabi/io/vbd.h"

#define DISK_SECTORS 2048ULL /* a 1 MiB disk */
#define HANDLE 51712

static const struct blkback_geom rw = {DISK_SECTORS, HANDLE, false};
static const struct blkback_geom ro = {DISK_SECTORS, HANDLE, true};

/* A valid read: 3 segments, 8 + 1 + 4 sectors from sector 100. */
static struct blkif_request good(uint8_t op)
{
    struct blkif_request r;

    memset(&r, 0, sizeof(r));
    r.operation = op;
    r.nr_segments = 3;
    r.handle = HANDLE;
    r.id = 0x1122334455667788ULL;
    r.sector_number = 100;
    r.seg[0] = (struct blkif_request_segment){8, 0, 7};
    r.seg[1] = (struct blkif_request_segment){9, 3, 3};
    r.seg[2] = (struct blkif_request_segment){10, 4, 7};
    return r;
}

static int check(const struct blkif_request *r, const struct blkback_geom *g)
{
    uint64_t n = 0;

    return blkback_check(r, g, &n);
}

START_TEST(test_good)
{
    struct blkif_request r = good(BLKIF_OP_READ);
    uint64_t n = 0;

    ck_assert_int_eq(blkback_check(&r, &rw, &n), BLKIF_RSP_OKAY);
    ck_assert_uint_eq(n, 13);
    ck_assert_int_eq(check(&r, &ro), BLKIF_RSP_OKAY);
    r = good(BLKIF_OP_WRITE);
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_OKAY);
    r = good(BLKIF_OP_WRITE_BARRIER);
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_OKAY);
    /* 11 full segments, ending at the last sector. */
    r = good(BLKIF_OP_READ);
    r.nr_segments = BLKIF_MAX_SEGMENTS_PER_REQUEST;
    for (unsigned int i = 0; i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++)
        r.seg[i] = (struct blkif_request_segment){i, 0, 7};
    r.sector_number = DISK_SECTORS - 88;
    ck_assert_int_eq(blkback_check(&r, &rw, &n), BLKIF_RSP_OKAY);
    ck_assert_uint_eq(n, 88);
    /* A pure flush has no segments, even on a read-only disk. */
    memset(&r, 0, sizeof(r));
    r.operation = BLKIF_OP_FLUSH_DISKCACHE;
    r.handle = HANDLE;
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_OKAY);
    ck_assert_int_eq(check(&r, &ro), BLKIF_RSP_OKAY);
}
END_TEST

START_TEST(test_bad_fields)
{
    struct blkif_request r;

    r = good(BLKIF_OP_READ);
    r.operation = 7;
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
    r.operation = 0xff;
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
    r.operation = BLKIF_OP_INDIRECT;
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_EOPNOTSUPP);
    r.operation = BLKIF_OP_RESERVED_1;
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_EOPNOTSUPP);

    r = good(BLKIF_OP_READ);
    r.nr_segments = 0;
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
    r.nr_segments = 12;
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
    r.nr_segments = 255;
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
    r = good(BLKIF_OP_WRITE_BARRIER);
    r.nr_segments = 0;
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);

    r = good(BLKIF_OP_READ);
    r.handle = HANDLE + 16;
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
    r.handle = 0;
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);

    r = good(BLKIF_OP_READ);
    r.seg[1].first_sect = 4; /* first > last */
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
    r = good(BLKIF_OP_READ);
    r.seg[2].last_sect = 8; /* past the page */
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
    r = good(BLKIF_OP_READ);
    r.seg[0].first_sect = 8;
    r.seg[0].last_sect = 8;
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
    r = good(BLKIF_OP_READ);
    r.seg[2] = (struct blkif_request_segment){0, 255, 255};
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
}
END_TEST

START_TEST(test_range)
{
    struct blkif_request r = good(BLKIF_OP_READ); /* 13 sectors */

    r.sector_number = DISK_SECTORS - 13;
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_OKAY);
    r.sector_number = DISK_SECTORS - 12;
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
    r.sector_number = DISK_SECTORS;
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
    /* sector + count wrapping 2^64 must not look small. */
    r.sector_number = UINT64_MAX - 5;
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
    r.sector_number = UINT64_MAX;
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
    r.sector_number = (UINT64_MAX / 512) + 1; /* byte offset overflows */
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
}
END_TEST

START_TEST(test_readonly)
{
    struct blkif_request r = good(BLKIF_OP_WRITE);

    ck_assert_int_eq(check(&r, &ro), BLKIF_RSP_ERROR);
    r.operation = BLKIF_OP_WRITE_BARRIER;
    ck_assert_int_eq(check(&r, &ro), BLKIF_RSP_ERROR);
    r.operation = BLKIF_OP_FLUSH_DISKCACHE; /* with data: a write */
    ck_assert_int_eq(check(&r, &ro), BLKIF_RSP_ERROR);
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_OKAY);
}
END_TEST

START_TEST(test_discard)
{
    struct blkif_request_discard d;
    struct blkif_request r;
    uint64_t n = 0;

    memset(&d, 0, sizeof(d));
    d.operation = BLKIF_OP_DISCARD;
    d.handle = HANDLE;
    d.sector_number = 8;
    d.nr_sectors = DISK_SECTORS - 8;
    memset(&r, 0, sizeof(r));
    memcpy(&r, &d, sizeof(d));
    ck_assert_int_eq(blkback_check(&r, &rw, &n), BLKIF_RSP_OKAY);
    ck_assert_uint_eq(n, DISK_SECTORS - 8);
    ck_assert_int_eq(check(&r, &ro), BLKIF_RSP_ERROR);
    d.nr_sectors = DISK_SECTORS - 7;
    memcpy(&r, &d, sizeof(d));
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
    d.nr_sectors = UINT64_MAX;
    memcpy(&r, &d, sizeof(d));
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
    d.nr_sectors = 1;
    d.handle = 1;
    memcpy(&r, &d, sizeof(d));
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
}
END_TEST

/* pvabi/io/vbd.h: libxl's numbering of disk names (vbd-interface.txt). */
START_TEST(test_devid)
{
    static const struct {
        const char *name;
        int32_t id;
    } ok[] = {
        {"xvda", 51712},
        {"xvdb", 51728},
        {"xvdp", (202 << 8) | (15 << 4)},
        {"xvdq", (1 << 28) | (16 << 8)},
        {"xvdz", (1 << 28) | (25 << 8)},
        {"xvdaa", (1 << 28) | (26 << 8)},
        {"xvdzz", (1 << 28) | (701 << 8)},
        {"xvdaaa", (1 << 28) | (702 << 8)},
        {"xvda1", 51713},
        {"xvda15", 51727},
        {"xvda16", (1 << 28) | 16},
        {"xvdb255", (1 << 28) | (1 << 8) | 255},
        {"xvdq1", (1 << 28) | (16 << 8) | 1},
        {"d0p0", 51712},
        {"d0p1", 51713},
        {"d15p15", 51712 + 15 * 16 + 15},
        {"d16p0", (1 << 28) | (16 << 8)},
        {"d1048575p255", (1 << 28) | (1048575 << 8) | 255},
        {"hda", 768},
        {"hdb", 832},
        {"hdc", 5632},
        {"hdd", 5696},
        {"hda1", 769},
        {"hdb63", 832 + 63},
        {"sda", 2048},
        {"sdb", 2064},
        {"sdp", 2048 + 15 * 16},
        {"sda15", 2063},
        {"51712", 51712},
        {"768", 768},
        {"0", 0},
        {"0x300", 768},
        {"0X300", 768},
        {"01400", 768},
        {"2147483647", 2147483647},
    };
    static const char *const bad[] = {
        "",     "xvd",        "xvdA",      "xvda0",  "xvda01",     "xvda256",
        "Xvda", "xvda-1",     "xvd1",      "xvda1x", "hde",        "hda64",
        "hda0", "sdq",        "sda16",     "sd",     "hd",         "d0",
        "d0p",  "dp0",        "d00p0",     "d0p256", "d1048576p0", "d-1p0",
        "12x",  "2147483648", "0x",        "08",     "-1",         "+1",
        " 1",   "vda",        "xvdaaaaaa",
    };

    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        ck_assert_msg(pvabi_vbd_devid(ok[i].name) == ok[i].id,
                      "%s: %d, want %d", ok[i].name,
                      (int)pvabi_vbd_devid(ok[i].name), (int)ok[i].id);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(pvabi_vbd_devid(bad[i]) == -1, "'%s' accepted: %d",
                      bad[i], (int)pvabi_vbd_devid(bad[i]));
    ck_assert_int_eq(pvabi_vbd_devid(NULL), -1);
}
END_TEST

/* The handshake table: what the backend does on each frontend state. */
START_TEST(test_xenbus_table)
{
    enum xenbus_action a;
    enum xenbus_state n;

    ck_assert(!xenbus_next_state(XenbusStateInitWait, XenbusStateInitialising,
                                 &a, &n));
    ck_assert(
        xenbus_next_state(XenbusStateInitWait, XenbusStateInitialised, &a, &n));
    ck_assert_int_eq(a, XB_CONNECT);
    ck_assert_int_eq(n, XenbusStateConnected);
    ck_assert(
        xenbus_next_state(XenbusStateInitWait, XenbusStateConnected, &a, &n));
    ck_assert_int_eq(a, XB_CONNECT);
    ck_assert(
        !xenbus_next_state(XenbusStateConnected, XenbusStateConnected, &a, &n));
    ck_assert(!xenbus_next_state(XenbusStateConnected, XenbusStateInitialised,
                                 &a, &n));
    ck_assert(
        xenbus_next_state(XenbusStateConnected, XenbusStateClosing, &a, &n));
    ck_assert_int_eq(a, XB_DISCONNECT);
    ck_assert_int_eq(n, XenbusStateClosing);
    ck_assert(xenbus_next_state(XenbusStateClosing, XenbusStateClosed, &a, &n));
    ck_assert_int_eq(n, XenbusStateClosed);
    ck_assert(!xenbus_next_state(XenbusStateClosed, XenbusStateClosed, &a, &n));
    ck_assert(
        xenbus_next_state(XenbusStateConnected, XenbusStateUnknown, &a, &n));
    ck_assert_int_eq(a, XB_DISCONNECT);
    ck_assert_int_eq(n, XenbusStateClosed);
    ck_assert(
        xenbus_next_state(XenbusStateClosed, XenbusStateInitialising, &a, &n));
    ck_assert_int_eq(a, XB_NONE);
    ck_assert_int_eq(n, XenbusStateInitWait);
    ck_assert(!xenbus_next_state(XenbusStateInitWait, XenbusStateReconfiguring,
                                 &a, &n));
}
END_TEST

static Suite *blkif_suite(void)
{
    Suite *s = suite_create("blkif");
    TCase *req = tcase_create("requests"), *dev = tcase_create("devices");

    tcase_add_test(req, test_good);
    tcase_add_test(req, test_bad_fields);
    tcase_add_test(req, test_range);
    tcase_add_test(req, test_readonly);
    tcase_add_test(req, test_discard);
    suite_add_tcase(s, req);
    tcase_add_test(dev, test_devid);
    tcase_add_test(dev, test_xenbus_table);
    suite_add_tcase(s, dev);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(blkif_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
