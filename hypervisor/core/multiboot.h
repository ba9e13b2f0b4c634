/* SPDX-License-Identifier: MIT */
/* multiboot.h: booting Multiboot (version 1) kernels: header and boot
 * information. */
#ifndef PVHV_CORE_MULTIBOOT_H
#define PVHV_CORE_MULTIBOOT_H

#include <stddef.h>
#include <stdint.h>

#include "core/guest_memory.h"
#include "core/loader.h"

#define MULTIBOOT_HEADER_MAGIC 0x1badb002u
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2badb002u /* in %eax at entry */
#define MULTIBOOT_SEARCH 8192 /* the header lies in the file's first 8 KiB */
#define MULTIBOOT_PAGE_ALIGN 0x00000001u
#define MULTIBOOT_MEMORY_INFO 0x00000002u
#define MULTIBOOT_VIDEO_MODE 0x00000004u
#define MULTIBOOT_AOUT_KLUDGE 0x00010000u
#define MULTIBOOT_INFO_MEMORY 0x00000001u
#define MULTIBOOT_INFO_CMDLINE 0x00000004u
#define MULTIBOOT_INFO_MEM_MAP 0x00000040u

/* The boot information structure (the part pvhv fills), at %ebx. */
struct multiboot_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper; /* KiB below 1 MiB, KiB above 1 MiB */
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

/* One memory map entry; (size) counts the bytes after itself (20). */
struct multiboot_mmap_entry {
    uint32_t size;
    uint64_t addr, len;
    uint32_t type; /* 1 RAM, 2 reserved: as the hvm memmap's types */
} __attribute__((packed));

/*
 * multiboot_find: looks for a Multiboot header in the first 8 KiB of
 * (buf, len), 4-byte aligned, whose magic, flags and checksum sum to 0.
 * Returns 1 (its flags in (*flags)), 0 when there is none, -ENOEXEC with
 * (err) naming (path) when it asks for what pvhv cannot give (a video
 * mode, a.out load addresses, an unknown required feature).
 */
int multiboot_find(const char *path, const uint8_t *buf, size_t len,
                   uint32_t *flags, struct pvhv_error *err);

/*
 * multiboot_info_build: writes the boot information into the guest page
 * at (page) from what boot_build wrote (layout: its memory map and command
 * line): mem_lower/mem_upper, the memory map, the command line. Returns
 * 0, or -EFAULT when (page) is not RAM.
 */
int multiboot_info_build(const struct guest_ram *ram,
                         const struct boot_layout *layout, uint64_t page);

#endif /* PVHV_CORE_MULTIBOOT_H */
