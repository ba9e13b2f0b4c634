/* SPDX-License-Identifier: MIT */
/* start_info.h: struct hvm_start_info, what a PVH kernel finds in %ebx. */
#ifndef PVABI_START_INFO_H
#define PVABI_START_INFO_H

#include <stdint.h>

/*
 * PVH boot state at the XEN_ELFNOTE_PHYS32_ENTRY address:
 *  - 32-bit protected mode, paging off, interrupts off;
 *  - %cs: flat 32-bit code segment, base 0, limit 4 GiB, readable;
 *  - %ds, %es, %ss: flat 32-bit data segments, base 0, limit 4 GiB;
 *  - %tr: a 32-bit TSS, base 0, limit 0x67; %gdtr/%idtr undefined;
 *  - %ebx: guest-physical address of struct hvm_start_info;
 *  - every other general register undefined, %eflags bit 1 only.
 * All addresses below are guest-physical. The start info, the command
 * line, the memory map and every page the hypervisor provides lie outside
 * the loaded image and in XEN_HVM_MEMMAP_TYPE_RESERVED map entries.
 */
#define XEN_HVM_START_MAGIC_VALUE 0x336ec578

struct hvm_start_info {
    uint32_t magic;         /* XEN_HVM_START_MAGIC_VALUE */
    uint32_t version;       /* 1: memmap_* fields are valid */
    uint32_t flags;         /* SIF_* */
    uint32_t nr_modules;    /* entries at modlist_paddr */
    uint64_t modlist_paddr; /* struct hvm_modlist_entry[nr_modules] */
    uint64_t cmdline_paddr; /* NUL-terminated command line, 0 = none */
    uint64_t rsdp_paddr;    /* ACPI RSDP (pvabi/acpi.h), 0 = none */
    uint64_t memmap_paddr;  /* struct hvm_memmap_table_entry[] */
    uint32_t memmap_entries;
    uint32_t reserved;
};

struct hvm_modlist_entry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};

/* One memory map entry, E820-style types. */
struct hvm_memmap_table_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type; /* XEN_HVM_MEMMAP_TYPE_* */
    uint32_t reserved;
};

#define XEN_HVM_MEMMAP_TYPE_RAM 1
#define XEN_HVM_MEMMAP_TYPE_RESERVED 2
#define XEN_HVM_MEMMAP_TYPE_ACPI 3
#define XEN_HVM_MEMMAP_TYPE_NVS 4
#define XEN_HVM_MEMMAP_TYPE_UNUSABLE 5
#define XEN_HVM_MEMMAP_TYPE_DISABLED 6
#define XEN_HVM_MEMMAP_TYPE_PMEM 7

#endif /* PVABI_START_INFO_H */
