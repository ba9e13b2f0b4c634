/* SPDX-License-Identifier: MIT */
/* check_guest_memory.c: core/guest_memory.c on hand-built page tables. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "pvabi/errno.h"
#include "core/guest_memory.h"

#define MiB (1ULL << 20)
#define RAM_SIZE (8 * MiB)

#define CR0_PG (1ULL << 31)
#define CR0_WP (1ULL << 16)
#define CR4_PSE (1ULL << 4)
#define CR4_PAE (1ULL << 5)
#define EFER_LMA (1ULL << 10)
#define P 0x1ULL
#define RW 0x2ULL
#define PS 0x80ULL

static struct guest_ram ram;

static void setup(void)
{
    ram.host = aligned_alloc(4096, RAM_SIZE);
    ck_assert_ptr_nonnull(ram.host);
    memset(ram.host, 0, RAM_SIZE);
    ram.size = RAM_SIZE;
    ram.low_size = RAM_SIZE;
}

static void teardown(void)
{
    free(ram.host);
}

static void set64(gpa_t table, unsigned int idx, uint64_t val)
{
    memcpy(ram.host + table + idx * 8, &val, 8);
}

static void set32(gpa_t table, unsigned int idx, uint32_t val)
{
    memcpy(ram.host + table + idx * 4, &val, 4);
}

/*
 * Long mode tables: PML4 0x1000, PDPT 0x2000, PD 0x3000, PT 0x4000.
 *   va 0x400000 + 4K*i -> PT[i]; PT[0] -> 0x10000 RW, PT[1] -> 0x20000 RO,
 *   PT[2] -> 0x12000 RW (not next to PT[0]'s page), PT[3] not present;
 *   va 0x600000 (PD[3]) 2 MiB page -> 0x200000;
 *   va 0x40000000 (PDPT[1]) 1 GiB page -> 0;
 *   va 0xffff800000000000 (PML4[256]) shares the PDPT.
 */
static struct guest_paging long_mode(void)
{
    struct guest_paging pg = {.cr0 = CR0_PG | CR0_WP | 1,
                              .cr3 = 0x1000,
                              .cr4 = CR4_PAE,
                              .efer = EFER_LMA | 0x100};

    set64(0x1000, 0, 0x2000 | P | RW);
    set64(0x1000, 256, 0x2000 | P | RW);
    set64(0x2000, 0, 0x3000 | P | RW);
    set64(0x2000, 1, 0x0 | P | RW | PS);
    set64(0x3000, 2, 0x4000 | P | RW);
    set64(0x3000, 3, 0x200000 | P | RW | PS);
    set64(0x4000, 0, 0x10000 | P | RW);
    set64(0x4000, 1, 0x20000 | P);
    set64(0x4000, 2, 0x12000 | P | RW);
    return pg;
}

static gpa_t xlate(const struct guest_paging *pg, gva_t va, bool write)
{
    gpa_t gpa = 0xdead;

    ck_assert_int_eq(guest_translate(&ram, pg, va, write, &gpa), 0);
    return gpa;
}

static void no_xlate(const struct guest_paging *pg, gva_t va, bool write)
{
    gpa_t gpa;

    ck_assert_int_eq(guest_translate(&ram, pg, va, write, &gpa), -XEN_EFAULT);
}

START_TEST(test_ram_ptr)
{
    struct guest_ram split = {
        .host = ram.host, .size = RAM_SIZE, .low_size = 4 * MiB};

    ck_assert_ptr_eq(guest_ram_ptr(&ram, 0, RAM_SIZE), ram.host);
    ck_assert_ptr_eq(guest_ram_ptr(&ram, RAM_SIZE, 0), ram.host + RAM_SIZE);
    ck_assert_ptr_null(guest_ram_ptr(&ram, RAM_SIZE - 1, 2));
    ck_assert_ptr_null(guest_ram_ptr(&ram, UINT64_MAX - 1, 4));
    ck_assert_ptr_null(guest_ram_ptr(&ram, 16, UINT64_MAX));
    /* Split RAM: [0, 4 MiB) low, [4 GiB, 4 GiB + 4 MiB) high. */
    ck_assert_ptr_eq(guest_ram_ptr(&split, 4 * MiB - 8, 8),
                     ram.host + 4 * MiB - 8);
    ck_assert_ptr_null(guest_ram_ptr(&split, 4 * MiB - 8, 16));
    ck_assert_ptr_null(guest_ram_ptr(&split, 4 * MiB, 1));
    ck_assert_ptr_null(guest_ram_ptr(&split, GUEST_4G - 1, 2));
    ck_assert_ptr_eq(guest_ram_ptr(&split, GUEST_4G, 4 * MiB),
                     ram.host + 4 * MiB);
    ck_assert_ptr_null(guest_ram_ptr(&split, GUEST_4G + 1, 4 * MiB));
}
END_TEST

START_TEST(test_paging_off)
{
    struct guest_paging pg = {0};
    char buf[8];

    ck_assert_uint_eq(xlate(&pg, 0x123456, true), 0x123456);
    ck_assert_int_eq(copy_to_guest(&ram, &pg, 0x5000, "abcdefg", 8), 0);
    ck_assert_int_eq(copy_from_guest(&ram, &pg, buf, 0x5000, 8), 0);
    ck_assert_str_eq(buf, "abcdefg");
    ck_assert_int_eq(copy_from_guest(&ram, &pg, buf, RAM_SIZE - 4, 8),
                     -XEN_EFAULT);
}
END_TEST

START_TEST(test_long_mode_pages)
{
    struct guest_paging pg = long_mode();

    ck_assert_uint_eq(xlate(&pg, 0x400123, false), 0x10123);
    ck_assert_uint_eq(xlate(&pg, 0x402fff, true), 0x12fff);
    ck_assert_uint_eq(xlate(&pg, 0x601234, true), 0x201234);
    ck_assert_uint_eq(xlate(&pg, 0x7fffff, false), 0x3fffff);
    ck_assert_uint_eq(xlate(&pg, 0x40005678, false), 0x5678);
    ck_assert_uint_eq(xlate(&pg, 0x7fffffff, false), 0x3fffffff);
    ck_assert_uint_eq(xlate(&pg, 0xffff800000400010ULL, false), 0x10010);
}
END_TEST

START_TEST(test_long_mode_faults)
{
    struct guest_paging pg = long_mode();

    no_xlate(&pg, 0x403000, false);              /* PT[3] not present */
    no_xlate(&pg, 0x800000, false);              /* PD[4] not present */
    no_xlate(&pg, 0x8000000000ULL, false);       /* PML4[1] not present */
    no_xlate(&pg, 0x0000800000000000ULL, false); /* non-canonical */
    no_xlate(&pg, 0xfff0000000000000ULL, false); /* canonical, unmapped */
    no_xlate(&pg, 0x7fff800000400000ULL, false); /* non-canonical */
    /* Read-only: reads pass, supervisor writes fault only with CR0.WP. */
    ck_assert_uint_eq(xlate(&pg, 0x401000, false), 0x20000);
    no_xlate(&pg, 0x401000, true);
    pg.cr0 &= ~CR0_WP;
    ck_assert_uint_eq(xlate(&pg, 0x401000, true), 0x20000);
    pg.cr0 |= CR0_WP;
    /* R/W clear at an upper level protects everything below it. */
    set64(0x3000, 2, 0x4000 | P);
    no_xlate(&pg, 0x400000, true);
    ck_assert_uint_eq(xlate(&pg, 0x400000, false), 0x10000);
}
END_TEST

START_TEST(test_tables_outside_ram)
{
    struct guest_paging pg = long_mode();

    set64(0x3000, 5, 0x40000000 | P | RW); /* PT beyond 8 MiB */
    no_xlate(&pg, 0xa00000, false);
    set64(0x2000, 2, 0xfffffffff000ULL | P | RW); /* PD far away */
    no_xlate(&pg, 0x80000000, false);
    pg.cr3 = RAM_SIZE; /* PML4 itself outside */
    no_xlate(&pg, 0x400000, false);
    pg.cr3 = RAM_SIZE - 8; /* masked to a page: in RAM */
    no_xlate(&pg, 0x400000, false);
}
END_TEST

/*
 * PAE: PDPT at 0x5020 (32-byte aligned), PD 0x6000, PT 0x7000.
 *   PDPTE[0] -> PD; PD[0] -> PT; PT[5] -> 0x9000; PD[1] 2 MiB -> 0x400000.
 */
START_TEST(test_pae)
{
    struct guest_paging pg = {
        .cr0 = CR0_PG | CR0_WP | 1, .cr3 = 0x5020, .cr4 = CR4_PAE};

    set64(0x5020, 0, 0x6000 | P);
    set64(0x6000, 0, 0x7000 | P | RW);
    set64(0x6000, 1, 0x400000 | P | RW | PS);
    set64(0x7000, 5, 0x9000 | P | RW);
    set64(0x7000, 6, 0xa000 | P);
    ck_assert_uint_eq(xlate(&pg, 0x5abc, true), 0x9abc);
    ck_assert_uint_eq(xlate(&pg, 0x3fffff, false), 0x5fffff);
    ck_assert_uint_eq(xlate(&pg, 0x6000, false), 0xa000);
    no_xlate(&pg, 0x6000, true);
    no_xlate(&pg, 0x4000, false);         /* PT[4] not present */
    no_xlate(&pg, 0x40000000, false);     /* PDPTE[1] not present */
    no_xlate(&pg, 0x100000000ULL, false); /* beyond 32 bits */
}
END_TEST

/*
 * 2-level: PD 0x8000, PT 0xb000; PDE[0] -> PT, PT[3] -> 0xc000;
 * PDE[1] 4 MiB page -> 0x400000 (only with CR4.PSE).
 */
START_TEST(test_2level)
{
    struct guest_paging pg = {
        .cr0 = CR0_PG | CR0_WP | 1, .cr3 = 0x8000, .cr4 = CR4_PSE};

    set32(0x8000, 0, 0xb000 | P | RW);
    set32(0x8000, 1, 0x400000 | P | RW | PS);
    set32(0xb000, 3, 0xc000 | P | RW);
    set32(0xb000, 4, 0xd000 | P);
    ck_assert_uint_eq(xlate(&pg, 0x3123, true), 0xc123);
    ck_assert_uint_eq(xlate(&pg, 0x4abcde, true), 0x4abcde);
    ck_assert_uint_eq(xlate(&pg, 0x4010, false), 0xd010);
    no_xlate(&pg, 0x4010, true);
    no_xlate(&pg, 0x5000, false);
    no_xlate(&pg, 0x800000, false);
    no_xlate(&pg, 0x100003123ULL, false);
    /* Without CR4.PSE the PS bit is ignored: the entry names a table. */
    pg.cr4 = 0;
    no_xlate(&pg, 0x4abcde, false);
}
END_TEST

START_TEST(test_cross_page_copy)
{
    struct guest_paging pg = long_mode();
    uint8_t out[300], in[300];
    unsigned int i;

    for (i = 0; i < sizeof(out); i++)
        out[i] = (uint8_t)i;
    /* va 0x402f00.. spans PT[2] (-> 0x12000) and PT[3] (not present). */
    ck_assert_int_eq(copy_to_guest(&ram, &pg, 0x402f00, out, 300), -XEN_EFAULT);
    /* va 0x400f00.. spans PT[0] (-> 0x10000) and PT[1] (-> 0x20000, RO). */
    ck_assert_int_eq(copy_to_guest(&ram, &pg, 0x400f00, out, 300), -XEN_EFAULT);
    set64(0x4000, 1, 0x20000 | P | RW);
    ck_assert_int_eq(copy_to_guest(&ram, &pg, 0x400f00, out, 300), 0);
    ck_assert_mem_eq(ram.host + 0x10f00, out, 256);
    ck_assert_mem_eq(ram.host + 0x20000, out + 256, 44);
    ck_assert_int_eq(copy_from_guest(&ram, &pg, in, 0x400f00, 300), 0);
    ck_assert_mem_eq(in, out, 300);
    ck_assert_int_eq(copy_from_guest(&ram, &pg, in, 0x400000, 0), 0);
}
END_TEST

START_TEST(test_top_of_address_space)
{
    struct guest_paging off = {0};
    struct guest_paging pg = long_mode();
    uint8_t buf[64];

    ck_assert_int_eq(copy_from_guest(&ram, &off, buf, UINT64_MAX - 10, 64),
                     -XEN_EFAULT);
    ck_assert_int_eq(copy_to_guest(&ram, &off, UINT64_MAX, buf, 2),
                     -XEN_EFAULT);
    ck_assert_int_eq(copy_from_guest(&ram, &pg, buf, UINT64_MAX - 10, 64),
                     -XEN_EFAULT);
    ck_assert_int_eq(copy_from_guest(&ram, &pg, buf, 0x400000, SIZE_MAX),
                     -XEN_EFAULT);
}
END_TEST

static Suite *guest_memory_suite(void)
{
    Suite *s = suite_create("guest_memory");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_ram_ptr);
    tcase_add_test(tc, test_paging_off);
    tcase_add_test(tc, test_long_mode_pages);
    tcase_add_test(tc, test_long_mode_faults);
    tcase_add_test(tc, test_tables_outside_ram);
    tcase_add_test(tc, test_pae);
    tcase_add_test(tc, test_2level);
    tcase_add_test(tc, test_cross_page_copy);
    tcase_add_test(tc, test_top_of_address_space);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(guest_memory_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
