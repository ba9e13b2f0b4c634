/* SPDX-License-Identifier: MIT */
/* multiboot.c: the Multiboot v1 header scan and the boot information pvhv
 * writes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/multiboot.h"
#include "pvabi/start_info.h"
#include "core/error.h"

/* Required features (bits 0-15) that pvhv provides: page alignment, memory. */
#define UNDERSTOOD (MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO)

int multiboot_find(const char *path, const uint8_t *buf, size_t len,
                   uint32_t *flags, struct pvhv_error *err)
{
    size_t end = len < MULTIBOOT_SEARCH ? len : MULTIBOOT_SEARCH;

    for (size_t off = 0; off + 12 <= end; off += 4) {
        uint32_t h[3];

        memcpy(h, buf + off, sizeof(h));
        if (h[0] != MULTIBOOT_HEADER_MAGIC || h[0] + h[1] + h[2] != 0)
            continue;
        if (h[1] & MULTIBOOT_AOUT_KLUDGE) {
            snprintf(err->msg, sizeof(err->msg),
                     "%s: Multiboot header at offset 0x%zx asks for a.out "
                     "load addresses (flag 16); allowed: ELF kernels",
                     path, off);
            return -ENOEXEC;
        }
        if (h[1] & 0xffffu & ~UNDERSTOOD) {
            snprintf(err->msg, sizeof(err->msg),
                     "%s: Multiboot header at offset 0x%zx requires features "
                     "0x%x; allowed: page alignment (0x1) and memory "
                     "information (0x2)",
                     path, off, h[1] & 0xffffu & ~UNDERSTOOD);
            return -ENOEXEC;
        }
        *flags = h[1];
        return 1;
    }
    return 0;
}

int multiboot_info_build(const struct guest_ram *ram,
                         const struct boot_layout *layout, uint64_t page)
{
    const struct hvm_memmap_table_entry *map = guest_ram_data(
        ram, layout->memmap, layout->memmap_entries * sizeof(*map));
    uint8_t *p = guest_ram_data(ram, page, GUEST_PAGE_SIZE);
    struct multiboot_info info;
    struct multiboot_mmap_entry *e;
    uint64_t upper = 0;
    unsigned int n = layout->memmap_entries, max;

    if (!p || !map)
        return -EFAULT;
    memset(p, 0, GUEST_PAGE_SIZE);
    memset(&info, 0, sizeof(info));
    e = (struct multiboot_mmap_entry *)(p + sizeof(info));
    max = (GUEST_PAGE_SIZE - sizeof(info)) / sizeof(*e);
    for (unsigned int i = 0; i < n && i < max; i++) {
        struct multiboot_mmap_entry m = {20, map[i].addr, map[i].size,
                                         map[i].type};

        memcpy(&e[i], &m, sizeof(m));
        /* mem_upper: the RAM that runs on from 1 MiB without a hole. */
        if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM &&
            map[i].addr <= 0x100000 + upper * 1024 &&
            map[i].addr + map[i].size > 0x100000 + upper * 1024)
            upper = (map[i].addr + map[i].size - 0x100000) / 1024;
    }
    info.flags = MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_MEM_MAP;
    info.mem_lower = ram->low_size >= 0xa0000 ? 640 : ram->low_size / 1024;
    info.mem_upper = (uint32_t)upper;
    info.mmap_addr = (uint32_t)(page + sizeof(info));
    info.mmap_length = (n < max ? n : max) * (uint32_t)sizeof(*e);
    if (layout->cmdline) {
        info.flags |= MULTIBOOT_INFO_CMDLINE;
        info.cmdline = (uint32_t)layout->cmdline;
    }
    memcpy(p, &info, sizeof(info));
    return 0;
}
