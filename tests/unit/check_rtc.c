/* SPDX-License-Identifier: MIT */
/* check_rtc.c: the CMOS RTC model against the MC146818A's register rules,
 * over a clock the test sets. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "emulated/emulated.h"
#include "emulated/rtc.h"

#define NS 1000000000ULL
/* 2026-12-02 15:20:34 UTC, a Wednesday (RTC weekday 4) */
#define T0 1796224834ULL

static struct cmos_rtc r;
static uint64_t clock_ns;

static uint64_t fake_now(void *opaque)
{
    (void)opaque;
    return clock_ns;
}

static void setup(void)
{
    clock_ns = T0 * NS + NS / 2;
    cmos_rtc_init(&r, fake_now, NULL);
}

static void teardown(void)
{
    cmos_rtc_fini(&r);
}

static uint8_t get(uint8_t idx)
{
    cmos_rtc_write(&r, RTC_PORT_INDEX, idx);
    return cmos_rtc_read(&r, RTC_PORT_DATA);
}

static void put(uint8_t idx, uint8_t val)
{
    cmos_rtc_write(&r, RTC_PORT_INDEX, idx);
    cmos_rtc_write(&r, RTC_PORT_DATA, val);
}

START_TEST(test_power_on_state)
{
    ck_assert_uint_eq(get(RTC_REG_A), 0x26);
    ck_assert_uint_eq(get(RTC_REG_B), RTC_B_24H);
    ck_assert_uint_eq(get(RTC_REG_C), 0); /* no update since init */
    ck_assert_uint_eq(get(RTC_REG_D), RTC_D_VRT);
    for (unsigned int i = RTC_NVRAM; i < RTC_REGS; i++)
        if (i != RTC_CENTURY)
            ck_assert_uint_eq(get((uint8_t)i), 0);
}
END_TEST

START_TEST(test_bcd_24h_time)
{
    ck_assert_uint_eq(get(RTC_SECONDS), 0x34);
    ck_assert_uint_eq(get(RTC_MINUTES), 0x20);
    ck_assert_uint_eq(get(RTC_HOURS), 0x15);
    ck_assert_uint_eq(get(RTC_WEEKDAY), 4);
    ck_assert_uint_eq(get(RTC_DAY), 0x02);
    ck_assert_uint_eq(get(RTC_MONTH), 0x12);
    ck_assert_uint_eq(get(RTC_YEAR), 0x26);
    ck_assert_uint_eq(get(RTC_CENTURY), 0x20);
    clock_ns += 27 * NS; /* 15:21:01 */
    ck_assert_uint_eq(get(RTC_SECONDS), 0x01);
    ck_assert_uint_eq(get(RTC_MINUTES), 0x21);
}
END_TEST

START_TEST(test_binary_and_12h)
{
    put(RTC_REG_B, RTC_B_DM | RTC_B_24H);
    ck_assert_uint_eq(get(RTC_SECONDS), 34);
    ck_assert_uint_eq(get(RTC_HOURS), 15);
    ck_assert_uint_eq(get(RTC_MONTH), 12);
    ck_assert_uint_eq(get(RTC_CENTURY), 20);
    put(RTC_REG_B, RTC_B_DM); /* binary, 12-hour: 3 PM */
    ck_assert_uint_eq(get(RTC_HOURS), 0x80 | 3);
    put(RTC_REG_B, 0); /* BCD, 12-hour */
    ck_assert_uint_eq(get(RTC_HOURS), 0x83);
    /* Midnight is 12 AM, noon 12 PM; written in 12-hour form. */
    put(RTC_HOURS, 0x12);
    ck_assert_uint_eq(get(RTC_HOURS), 0x12);
    put(RTC_REG_B, RTC_B_24H);
    ck_assert_uint_eq(get(RTC_HOURS), 0x00);
    put(RTC_REG_B, 0);
    put(RTC_HOURS, 0x92);
    put(RTC_REG_B, RTC_B_24H);
    ck_assert_uint_eq(get(RTC_HOURS), 0x12);
    ck_assert_uint_eq(get(RTC_MINUTES), 0x20); /* the rest kept */
}
END_TEST

START_TEST(test_set_stops_updates)
{
    put(RTC_REG_B, RTC_B_SET | RTC_B_24H);
    clock_ns += 5 * NS;
    ck_assert_uint_eq(get(RTC_SECONDS), 0x34); /* held */
    put(RTC_MINUTES, 0x45);
    put(RTC_YEAR, 0x99);
    put(RTC_MONTH, 0x01);
    clock_ns += 3 * NS;
    ck_assert_uint_eq(get(RTC_MINUTES), 0x45);
    ck_assert_uint_eq(get(RTC_REG_C), 0); /* no updates while SET */
    put(RTC_REG_B, RTC_B_24H);            /* runs on from here */
    clock_ns += 2 * NS;
    ck_assert_uint_eq(get(RTC_SECONDS), 0x36);
    ck_assert_uint_eq(get(RTC_MINUTES), 0x45);
    ck_assert_uint_eq(get(RTC_MONTH), 0x01);
    ck_assert_uint_eq(get(RTC_YEAR), 0x99);
    ck_assert_uint_eq(get(RTC_CENTURY), 0x20);
    ck_assert_uint_eq(get(RTC_WEEKDAY), 6); /* 2099-01-02: a Friday */
    /* The century on its own: 1999. */
    put(RTC_CENTURY, 0x19);
    ck_assert_uint_eq(get(RTC_YEAR), 0x99);
    ck_assert_uint_eq(get(RTC_CENTURY), 0x19);
}
END_TEST

START_TEST(test_write_while_running)
{
    put(RTC_HOURS, 0x01);
    ck_assert_uint_eq(get(RTC_HOURS), 0x01);
    clock_ns += NS;
    ck_assert_uint_eq(get(RTC_SECONDS), 0x35);
    ck_assert_uint_eq(get(RTC_HOURS), 0x01);
    ck_assert_uint_eq(get(RTC_DAY), 0x02);
    /* The weekday follows the date: a write to it changes nothing. */
    put(RTC_WEEKDAY, 1);
    ck_assert_uint_eq(get(RTC_WEEKDAY), 4);
}
END_TEST

/* A value no BCD digit can hold carries over; reads stay valid BCD. */
START_TEST(test_bad_values)
{
    static const uint8_t regs[] = {RTC_SECONDS, RTC_MINUTES, RTC_HOURS,
                                   RTC_DAY,     RTC_MONTH,   RTC_YEAR,
                                   RTC_CENTURY};

    for (unsigned int i = 0; i < sizeof(regs); i++)
        put(regs[i], 0xff);
    put(RTC_MONTH, 0x00); /* month 0: December of the year before */
    for (unsigned int i = 0; i < sizeof(regs); i++) {
        uint8_t v = get(regs[i]);

        ck_assert_msg((v & 0x0f) <= 9 && (v >> 4) <= 9,
                      "register 0x%02x reads 0x%02x", regs[i], v);
    }
    ck_assert_uint_eq(get(RTC_MONTH), 0x12);
}
END_TEST

START_TEST(test_uip)
{
    clock_ns = T0 * NS + NS - RTC_UIP_NS; /* the last 244 us */
    ck_assert_uint_eq(get(RTC_REG_A), RTC_A_UIP | 0x26);
    clock_ns = T0 * NS + NS - RTC_UIP_NS - 1;
    ck_assert_uint_eq(get(RTC_REG_A), 0x26);
    /* Not while SET stops updates, nor with the divider held. */
    clock_ns = T0 * NS + NS - 1;
    put(RTC_REG_B, RTC_B_SET | RTC_B_24H);
    ck_assert_uint_eq(get(RTC_REG_A), 0x26);
    put(RTC_REG_B, RTC_B_24H);
    put(RTC_REG_A, 0x76);
    ck_assert_uint_eq(get(RTC_REG_A), 0x76);
    /* UIP cannot be written. */
    clock_ns = T0 * NS + NS / 2;
    put(RTC_REG_A, 0xa6);
    ck_assert_uint_eq(get(RTC_REG_A), 0x26);
}
END_TEST

START_TEST(test_reg_c_and_d)
{
    clock_ns += NS;
    ck_assert_uint_eq(get(RTC_REG_C), RTC_C_UF);
    ck_assert_uint_eq(get(RTC_REG_C), 0); /* cleared by reading */
    put(RTC_REG_B, RTC_B_UIE | RTC_B_24H);
    clock_ns += 3 * NS;
    ck_assert_uint_eq(get(RTC_REG_C), RTC_C_IRQF | RTC_C_UF);
    put(RTC_REG_C, 0xff); /* read-only */
    put(RTC_REG_D, 0x00);
    ck_assert_uint_eq(get(RTC_REG_C), 0);
    ck_assert_uint_eq(get(RTC_REG_D), RTC_D_VRT);
}
END_TEST

START_TEST(test_nvram_and_indexes)
{
    unsigned int n = 0;

    for (unsigned int i = RTC_NVRAM; i < RTC_REGS; i++)
        if (i != RTC_CENTURY) {
            put((uint8_t)i, (uint8_t)(i * 7 + 1));
            n++;
        }
    ck_assert_uint_eq(n + 1, 114); /* the century is one of the 114 */
    for (unsigned int i = RTC_NVRAM; i < RTC_REGS; i++)
        if (i != RTC_CENTURY)
            ck_assert_uint_eq(get((uint8_t)i), (uint8_t)(i * 7 + 1));
    /* Bit 7 of the index (NMI disable) is ignored: 0x8e is 0x0e. */
    ck_assert_uint_eq(get(0x80 | RTC_NVRAM), RTC_NVRAM * 7 + 1);
    ck_assert_uint_eq(get(0x80 | RTC_SECONDS), 0x34);
    put(0xff, 0x5a);
    ck_assert_uint_eq(get(0x7f), 0x5a);
    /* The alarm registers keep what is written. */
    put(RTC_SECONDS_ALARM, 0x59);
    ck_assert_uint_eq(get(RTC_SECONDS_ALARM), 0x59);
    /* The index port is write-only; other ports are nothing. */
    ck_assert_uint_eq(cmos_rtc_read(&r, RTC_PORT_INDEX), 0xff);
    ck_assert_uint_eq(cmos_rtc_read(&r, 0x72), 0xff);
    cmos_rtc_write(&r, 0x72, 0x00);
    ck_assert_uint_eq(get(0x7f), 0x5a);
}
END_TEST

/* Through the device's access: bytes only. */
START_TEST(test_device_access)
{
    struct emulated *e = calloc(1, sizeof(*e));
    uint8_t b[2] = {RTC_MONTH, 0};

    ck_assert_ptr_nonnull(e);
    cmos_rtc_init(&e->rtc, fake_now, NULL);
    ck_assert_uint_eq(cmos_rtc_device.base, RTC_PORT_INDEX);
    ck_assert_uint_eq(cmos_rtc_device.len, 2);
    ck_assert(cmos_rtc_device.access(NULL, RTC_PORT_INDEX, b, 1, true, e));
    ck_assert(cmos_rtc_device.access(NULL, RTC_PORT_DATA, b, 1, false, e));
    ck_assert_uint_eq(b[0], 0x12);
    ck_assert(!cmos_rtc_device.access(NULL, RTC_PORT_INDEX, b, 2, false, e));
    cmos_rtc_fini(&e->rtc);
    free(e);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rtc");
    TCase *tc = tcase_create("registers");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_power_on_state);
    tcase_add_test(tc, test_bcd_24h_time);
    tcase_add_test(tc, test_binary_and_12h);
    tcase_add_test(tc, test_set_stops_updates);
    tcase_add_test(tc, test_write_while_running);
    tcase_add_test(tc, test_bad_values);
    tcase_add_test(tc, test_uip);
    tcase_add_test(tc, test_reg_c_and_d);
    tcase_add_test(tc, test_nvram_and_indexes);
    tcase_add_test(tc, test_device_access);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
