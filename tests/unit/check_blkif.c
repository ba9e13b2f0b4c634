/* SPDX-License-Identifier: MIT */
/* check_blkif.c: blkback request checks, vdev ids, the xenbus table. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/blkback.h"
#include "pvabi/io/blkif.h"

#define DISK_SECTORS 2048ULL   /* a 1 MiB disk */
#define HANDLE 51712

static const struct blkback_geom rw = { DISK_SECTORS, HANDLE, false };
static const struct blkback_geom ro = { DISK_SECTORS, HANDLE, true };

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
    r.seg[0] = (struct blkif_request_segment){ 8, 0, 7 };
    r.seg[1] = (struct blkif_request_segment){ 9, 3, 3 };
    r.seg[2] = (struct blkif_request_segment){ 10, 4, 7 };
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
        r.seg[i] = (struct blkif_request_segment){ i, 0, 7 };
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
    r.seg[1].first_sect = 4;            /* first > last */
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
    r = good(BLKIF_OP_READ);
    r.seg[2].last_sect = 8;             /* past the page */
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
    r = good(BLKIF_OP_READ);
    r.seg[0].first_sect = 8;
    r.seg[0].last_sect = 8;
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
    r = good(BLKIF_OP_READ);
    r.seg[2] = (struct blkif_request_segment){ 0, 255, 255 };
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
}
END_TEST

START_TEST(test_range)
{
    struct blkif_request r = good(BLKIF_OP_READ);   /* 13 sectors */

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
    r.sector_number = (UINT64_MAX / 512) + 1;   /* byte offset overflows */
    ck_assert_int_eq(check(&r, &rw), BLKIF_RSP_ERROR);
}
END_TEST

START_TEST(test_readonly)
{
    struct blkif_request r = good(BLKIF_OP_WRITE);

    ck_assert_int_eq(check(&r, &ro), BLKIF_RSP_ERROR);
    r.operation = BLKIF_OP_WRITE_BARRIER;
    ck_assert_int_eq(check(&r, &ro), BLKIF_RSP_ERROR);
    r.operation = BLKIF_OP_FLUSH_DISKCACHE;     /* with data: a write */
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

START_TEST(test_devid)
{
    ck_assert_int_eq(blkback_devid("xvda"), 51712);
    ck_assert_int_eq(blkback_devid("xvdb"), 51728);
    ck_assert_int_eq(blkback_devid("xvdp"), (202 << 8) | (15 << 4));
    ck_assert_int_eq(blkback_devid("xvdq"), (1 << 28) | (16 << 8));
    ck_assert_int_eq(blkback_devid("xvdaa"), (1 << 28) | (26 << 8));
    ck_assert_int_eq(blkback_devid("51712"), 51712);
    ck_assert_int_eq(blkback_devid("xvd"), -1);
    ck_assert_int_eq(blkback_devid("xvdA"), -1);
    ck_assert_int_eq(blkback_devid("sda"), -1);
    ck_assert_int_eq(blkback_devid("xvda1"), -1);
    ck_assert_int_eq(blkback_devid("0"), -1);
    ck_assert_int_eq(blkback_devid("12x"), -1);
}
END_TEST

/* The handshake table: what the backend does on each frontend state. */
START_TEST(test_xenbus_table)
{
    enum xenbus_action a;
    enum xenbus_state n;

    ck_assert(!xenbus_next_state(XenbusStateInitWait, XenbusStateInitialising,
                                 &a, &n));
    ck_assert(xenbus_next_state(XenbusStateInitWait, XenbusStateInitialised,
                                &a, &n));
    ck_assert_int_eq(a, XB_CONNECT);
    ck_assert_int_eq(n, XenbusStateConnected);
    ck_assert(xenbus_next_state(XenbusStateInitWait, XenbusStateConnected,
                                &a, &n));
    ck_assert_int_eq(a, XB_CONNECT);
    ck_assert(!xenbus_next_state(XenbusStateConnected, XenbusStateConnected,
                                 &a, &n));
    ck_assert(!xenbus_next_state(XenbusStateConnected, XenbusStateInitialised,
                                 &a, &n));
    ck_assert(xenbus_next_state(XenbusStateConnected, XenbusStateClosing,
                                &a, &n));
    ck_assert_int_eq(a, XB_DISCONNECT);
    ck_assert_int_eq(n, XenbusStateClosing);
    ck_assert(xenbus_next_state(XenbusStateClosing, XenbusStateClosed, &a, &n));
    ck_assert_int_eq(n, XenbusStateClosed);
    ck_assert(!xenbus_next_state(XenbusStateClosed, XenbusStateClosed, &a, &n));
    ck_assert(xenbus_next_state(XenbusStateConnected, XenbusStateUnknown,
                                &a, &n));
    ck_assert_int_eq(a, XB_DISCONNECT);
    ck_assert_int_eq(n, XenbusStateClosed);
    ck_assert(xenbus_next_state(XenbusStateClosed, XenbusStateInitialising,
                                &a, &n));
    ck_assert_int_eq(a, XB_NONE);
    ck_assert_int_eq(n, XenbusStateInitWait);
    ck_assert(!xenbus_next_state(XenbusStateInitWait,
                                 XenbusStateReconfiguring, &a, &n));
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
