/* SPDX-License-Identifier: MIT */
/* check_multiboot.c: the Multiboot v1 header scan and the boot information. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/multiboot.h"
#include "pvabi/start_info.h"
#include "pvhv.h"

static uint8_t image[16384];
static struct pvhv_error err;

static void header_at(size_t off, uint32_t flags, uint32_t sum_fix)
{
    uint32_t h[3] = {MULTIBOOT_HEADER_MAGIC, flags,
                     -(MULTIBOOT_HEADER_MAGIC + flags) + sum_fix};

    memset(image, 0, sizeof(image));
    memcpy(image + off, h, sizeof(h));
}

START_TEST(test_find)
{
    uint32_t flags = 0;

    header_at(0x1000, 3, 0);
    ck_assert_int_eq(multiboot_find("k", image, sizeof(image), &flags, &err),
                     1);
    ck_assert_uint_eq(flags, 3);
    header_at(8192 - 12, 0, 0); /* the last place in the first 8 KiB */
    ck_assert_int_eq(multiboot_find("k", image, sizeof(image), &flags, &err),
                     1);
    header_at(8192, 0, 0); /* beyond it: not a Multiboot kernel */
    ck_assert_int_eq(multiboot_find("k", image, sizeof(image), &flags, &err),
                     0);
    header_at(0x1000, 3, 1); /* a bad checksum */
    ck_assert_int_eq(multiboot_find("k", image, sizeof(image), &flags, &err),
                     0);
    header_at(0x1002, 3, 0); /* not 4-byte aligned */
    ck_assert_int_eq(multiboot_find("k", image, sizeof(image), &flags, &err),
                     0);
    header_at(0, 0, 0); /* a file shorter than a header */
    ck_assert_int_eq(multiboot_find("k", image, 8, &flags, &err), 0);
}
END_TEST

START_TEST(test_refused_features)
{
    uint32_t flags;

    header_at(0x40, MULTIBOOT_AOUT_KLUDGE, 0);
    ck_assert_int_eq(
        multiboot_find("k.elf", image, sizeof(image), &flags, &err), -ENOEXEC);
    ck_assert_str_eq(err.msg, "k.elf: Multiboot header at offset 0x40 asks "
                              "for a.out load addresses (flag 16); allowed: "
                              "ELF kernels");
    header_at(0x40, MULTIBOOT_VIDEO_MODE | 1, 0);
    ck_assert_int_eq(
        multiboot_find("k.elf", image, sizeof(image), &flags, &err), -ENOEXEC);
    ck_assert_str_eq(err.msg,
                     "k.elf: Multiboot header at offset 0x40 requires "
                     "features 0x4; allowed: page alignment (0x1) and memory "
                     "information (0x2)");
    /* Optional bits (16-31, a.out aside) are fine. */
    header_at(0x40, 0x00020000u, 0);
    ck_assert_int_eq(multiboot_find("k", image, sizeof(image), &flags, &err),
                     1);
}
END_TEST

/* The information from a layout: 8 MiB of RAM, a hole for boot data. */
START_TEST(test_info)
{
    static uint8_t mem[8 << 20];
    struct guest_ram ram = {0};
    struct hvm_memmap_table_entry map[3] = {
        {0, 0x9f000, XEN_HVM_MEMMAP_TYPE_RAM, 0},
        {0x9f000, 0x1000, 2, 0},
        {0x100000, 0x700000, XEN_HVM_MEMMAP_TYPE_RAM, 0},
    };
    struct boot_layout layout = {
        .memmap = 0x10000, .memmap_entries = 3, .cmdline = 0x11000};
    struct multiboot_info info;
    struct multiboot_mmap_entry e;

    ram.host = mem;
    ram.size = ram.low_size = sizeof(mem);
    memcpy(mem + 0x10000, map, sizeof(map));
    ck_assert_int_eq(multiboot_info_build(&ram, &layout, 0x12000), 0);
    memcpy(&info, mem + 0x12000, sizeof(info));
    ck_assert_uint_eq(info.flags, MULTIBOOT_INFO_MEMORY |
                                      MULTIBOOT_INFO_CMDLINE |
                                      MULTIBOOT_INFO_MEM_MAP);
    ck_assert_uint_eq(info.mem_lower, 640);
    ck_assert_uint_eq(info.mem_upper, 7 << 10);
    ck_assert_uint_eq(info.cmdline, 0x11000);
    ck_assert_uint_eq(info.mmap_length, 3 * 24);
    memcpy(&e, mem + info.mmap_addr + 24, sizeof(e));
    ck_assert_uint_eq(e.size, 20);
    ck_assert_uint_eq(e.addr, 0x9f000);
    ck_assert_uint_eq(e.type, 2);
    /* A page outside RAM: refused. */
    ck_assert_int_eq(multiboot_info_build(&ram, &layout, 16ULL << 20), -EFAULT);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("multiboot");
    TCase *tc = tcase_create("multiboot");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_find);
    tcase_add_test(tc, test_refused_features);
    tcase_add_test(tc, test_info);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
