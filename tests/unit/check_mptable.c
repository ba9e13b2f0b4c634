/* SPDX-License-Identifier: MIT */
/* check_mptable.c: the MP tables against the MultiProcessor Specification
 * 1.4: signatures, lengths, checksums, entries. */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "emulated/mptable.h"

#define GPA 0xf0000

static uint8_t buf[8192]; /* 255 CPUs take 5312 bytes */

static uint8_t sum(const uint8_t *p, size_t len)
{
    uint8_t s = 0;

    while (len--)
        s = (uint8_t)(s + *p++);
    return s;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* The configuration table (after the floating pointer), checked. */
static const uint8_t *table(long size)
{
    const uint8_t *mpf = buf, *hdr;

    ck_assert_int_gt(size, MP_FLOATING_SIZE + MP_HEADER_SIZE);
    ck_assert_mem_eq(mpf, "_MP_", 4);
    ck_assert_uint_eq(mpf[8], 1);
    ck_assert_uint_eq(mpf[9], 4);
    ck_assert_uint_eq(sum(mpf, MP_FLOATING_SIZE), 0);
    ck_assert_uint_eq(mpf[11], 0); /* a table follows: no default config */
    ck_assert_uint_eq(get32(mpf + 4), GPA + MP_FLOATING_SIZE);
    hdr = buf + (get32(mpf + 4) - GPA);
    ck_assert_mem_eq(hdr, "PCMP", 4);
    ck_assert_uint_eq(get16(hdr + 4), size - MP_FLOATING_SIZE);
    ck_assert_uint_eq(hdr[6], 4);
    ck_assert_uint_eq(sum(hdr, get16(hdr + 4)), 0);
    ck_assert_uint_eq(get32(hdr + 36), 0xfee00000u);
    ck_assert_uint_eq(get16(hdr + 40), 0); /* no extended table */
    return hdr;
}

/* Walks the entries: counts of each type, and checks each one. */
static void walk(const uint8_t *hdr, unsigned int nr_cpus)
{
    const uint8_t *p = hdr + MP_HEADER_SIZE, *end = hdr + get16(hdr + 4);
    unsigned int n[5] = {0}, entries = 0;
    bool pin[MPTABLE_ISA_IRQS] = {false};

    while (p < end) {
        ck_assert_uint_le(p[0], MP_ENTRY_LINT);
        n[p[0]]++;
        entries++;
        switch (p[0]) {
        case MP_ENTRY_CPU:
            ck_assert_uint_eq(p[1], n[0] - 1);          /* LAPIC ids in order */
            ck_assert_uint_eq(p[3], n[0] == 1 ? 3 : 1); /* EN, BP on 0 */
            p += MP_CPU_SIZE;
            continue;
        case MP_ENTRY_BUS:
            ck_assert_uint_eq(p[1], 0);
            ck_assert_mem_eq(p + 2, "ISA   ", 6);
            break;
        case MP_ENTRY_IOAPIC:
            ck_assert_uint_eq(p[1], nr_cpus);
            ck_assert_uint_eq(p[3], 1);
            ck_assert_uint_eq(get32(p + 4), 0xfec00000u);
            break;
        case MP_ENTRY_IOINT:
            ck_assert_uint_eq(p[1], MP_INT);
            ck_assert_uint_eq(get16(p + 2), 0);
            ck_assert_uint_eq(p[4], 0);       /* the ISA bus */
            ck_assert_uint_eq(p[6], nr_cpus); /* the I/O APIC */
            ck_assert_uint_eq(p[5], p[7]);    /* IRQ n on pin n */
            ck_assert_uint_lt(p[7], MPTABLE_ISA_IRQS);
            ck_assert(!pin[p[7]]);
            pin[p[7]] = true;
            break;
        case MP_ENTRY_LINT:
            ck_assert_uint_eq(p[6], 0xff);
            ck_assert_uint_eq(p[1], p[7] == 0 ? MP_EXTINT : MP_NMI);
            break;
        }
        p += MP_OTHER_SIZE;
    }
    ck_assert_ptr_eq(p, end);
    ck_assert_uint_eq(entries, get16(hdr + 34));
    ck_assert_uint_eq(n[MP_ENTRY_CPU], nr_cpus);
    ck_assert_uint_eq(n[MP_ENTRY_BUS], 1);
    ck_assert_uint_eq(n[MP_ENTRY_IOAPIC], 1);
    ck_assert_uint_eq(n[MP_ENTRY_IOINT], 15);
    ck_assert_uint_eq(n[MP_ENTRY_LINT], 2);
    ck_assert(!pin[2]); /* the cascade has none */
    ck_assert(pin[4] && pin[14] && pin[0]);
}

START_TEST(test_one_cpu)
{
    long size = mptable_build(buf, sizeof(buf), GPA, 1);

    ck_assert_int_eq(size, 16 + 44 + 20 + 19 * 8);
    walk(table(size), 1);
}
END_TEST

START_TEST(test_many_cpus)
{
    for (unsigned int cpus = 2; cpus <= 32; cpus *= 2) {
        long size = mptable_build(buf, sizeof(buf), GPA, cpus);

        ck_assert_int_eq(size, 16 + 44 + 20 * cpus + 19 * 8);
        walk(table(size), cpus);
    }
}
END_TEST

/* A checksum catches any byte changed. */
START_TEST(test_checksums_notice)
{
    long size = mptable_build(buf, sizeof(buf), GPA, 2);

    buf[12] ^= 1; /* a feature byte of the floating pointer */
    ck_assert_uint_ne(sum(buf, MP_FLOATING_SIZE), 0);
    buf[12] ^= 1;
    buf[size - 1] ^= 0x40; /* the last entry */
    ck_assert_uint_ne(
        sum(buf + MP_FLOATING_SIZE, (size_t)size - MP_FLOATING_SIZE), 0);
}
END_TEST

START_TEST(test_refused)
{
    memset(buf, 0xa5, sizeof(buf));
    ck_assert_int_eq(mptable_build(buf, sizeof(buf), GPA, 0), -EINVAL);
    ck_assert_int_eq(mptable_build(buf, sizeof(buf), GPA, 256), -EINVAL);
    ck_assert_int_eq(mptable_build(buf, sizeof(buf), GPA + 8, 1), -EINVAL);
    ck_assert_int_eq(mptable_build(buf, sizeof(buf), 0xfffffff0ULL, 1),
                     -EINVAL);
    ck_assert_int_eq(mptable_build(buf, 100, GPA, 1), -ENOSPC);
    ck_assert_uint_eq(buf[0], 0xa5); /* nothing written */
    ck_assert_int_gt(mptable_build(buf, sizeof(buf), GPA, 255), 0);
    ck_assert_int_eq(mptable_build(buf, 1000, GPA, 255), -ENOSPC);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mptable");
    TCase *tc = tcase_create("tables");

    tcase_add_test(tc, test_one_cpu);
    tcase_add_test(tc, test_many_cpus);
    tcase_add_test(tc, test_checksums_notice);
    tcase_add_test(tc, test_refused);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
