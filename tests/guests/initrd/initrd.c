/* SPDX-License-Identifier: MIT */
/*
 * initrd.c: the domain's <initrd> is module 0 of hvm_start_info, after
 * the kernel, in a reserved part of the memory map, holding the file's
 * bytes: size=N on the command line, and byte i is "pvhv-initrd\n"[i % 12]
 * (what initrd.sh writes).
 */

#include "../testguest.h"

static const char pattern[] = "pvhv-initrd\n";

extern char __image_end[];

int main(void)
{
    unsigned long size = test_option("size", 0);
    const struct hvm_memmap_table_entry *map;
    const struct hvm_modlist_entry *mod;
    const uint8_t *p;
    unsigned int n, i, reserved = 0;

    mod = pvguest_modules(&n);
    check_result("modules in hvm_start_info", n, 1);
    check_result("module 0: size", (long)mod[0].size, (long)size);
    check_result("module 0: no command line", (long)mod[0].cmdline_paddr, 0);
    if (mod[0].paddr % XEN_PAGE_SIZE || mod[0].paddr < (uintptr_t)__image_end ||
        mod[0].paddr + mod[0].size > 0x100000000ULL)
        test_abort("module 0 at 0x%lx: not page-aligned, not after the "
                   "kernel, or not below 4 GiB",
                   (unsigned long)mod[0].paddr);
    p = (const uint8_t *)(uintptr_t)mod[0].paddr;
    for (unsigned long b = 0; b < mod[0].size; b++)
        if (p[b] != (uint8_t)pattern[b % 12])
            test_abort("module 0 byte %lu is 0x%02x, expected 0x%02x", b, p[b],
                       (uint8_t)pattern[b % 12]);
    printf("ok: module 0 holds the initrd's %lu bytes\n", size);
    map = pvguest_memmap(&n);
    for (i = 0; i < n; i++)
        if (map[i].type == XEN_HVM_MEMMAP_TYPE_RESERVED &&
            map[i].addr <= mod[0].paddr &&
            mod[0].paddr + mod[0].size <= map[i].addr + map[i].size)
            reserved = 1;
    check_result("module 0 lies in a reserved memory map entry", reserved, 1);
    puts("SUCCESS");
    return 0;
}
