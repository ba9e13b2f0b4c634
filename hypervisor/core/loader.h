/* SPDX-License-Identifier: MIT */
/* loader.h: PVH kernel images: validate the ELF, load it, build the boot state.
 */
#ifndef PVHV_CORE_LOADER_H
#define PVHV_CORE_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "core/guest_memory.h"

struct pvhv_error;

/* A validated image: where it goes and where it starts. */
#define LOADER_MAX_SEGMENTS 16
struct elf_image {
    uint64_t entry; /* XEN_ELFNOTE_PHYS32_ENTRY */
    unsigned int nr_segments;
    struct {
        uint64_t offset, filesz; /* in the file */
        uint64_t paddr, memsz;   /* in guest-physical memory */
    } seg[LOADER_MAX_SEGMENTS];
    uint64_t lowest, highest; /* [lowest, highest) covers all segments */
    bool guest_os_linux;      /* XEN_ELFNOTE_GUEST_OS says "linux" */
};

/*
 * elf_parse: validates the ELF image (buf, len) named (path) against guest
 * RAM (ram): ELF32 or ELF64, little-endian, x86 machine, program headers
 * and segments inside the file, segments inside RAM, a PHYS32_ENTRY note
 * (from PT_NOTE headers, else SHT_NOTE sections). Returns 0 and (img), or
 * -EINVAL / -ENOEXEC / -E2BIG with err naming the file and the bad value.
 */
int elf_parse(const char *path, const uint8_t *buf, size_t len,
              const struct guest_ram *ram, struct elf_image *img,
              struct pvhv_error *err);

/* elf_load: copies the segments into guest RAM and zeroes their bss. */
/*
 * elf_parse_multiboot: as elf_parse, for a Multiboot kernel (a Multiboot
 * header, core/multiboot.h): the entry is the ELF header's e_entry, which
 * must lie in a loaded segment; no note is needed.
 */
int elf_parse_multiboot(const char *path, const uint8_t *buf, size_t len,
                        const struct guest_ram *ram, struct elf_image *img,
                        struct pvhv_error *err);

void elf_load(const struct elf_image *img, const uint8_t *buf,
              const struct guest_ram *ram);

/* The hypervisor-provided region: start info, command line, memory map. */
struct boot_layout {
    uint64_t base, size; /* reserved guest-physical range */
    uint64_t start_info; /* struct hvm_start_info */
    uint64_t memmap;     /* struct hvm_memmap_table_entry[] */
    uint32_t memmap_entries;
    uint64_t cmdline;             /* 0 when there is none */
    uint64_t extra;               /* the first of the extra pages */
    uint64_t module, module_size; /* module 0 (the initrd); size 0: none */
};

/* A boot module (the initrd), loaded after the extra pages. */
struct boot_module {
    const uint8_t *data;
    uint64_t len;
    const char *name; /* for messages: its file */
};

#define BOOT_CMDLINE_MAX PVHV_CMDLINE_MAX

/*
 * boot_build: chooses a page-aligned region of RAM clear of (img) for the
 * boot data (and `extra_pages` further pages the hypervisor provides,
 * which follow them), writes struct hvm_start_info, the command line and
 * the memory map (RAM minus that region, which is marked reserved), and
 * fills (out). Returns 0, or -ENOMEM / -E2BIG with err saying why.
 */
int boot_build(const struct elf_image *img, const struct guest_ram *ram,
               const char *cmdline, unsigned int extra_pages,
               struct boot_layout *out, struct pvhv_error *err);

/*
 * boot_build_module: boot_build, and (mod) (if not NULL and not empty)
 * copied into the region after the extra pages, page-aligned, as module
 * 0 of hvm_start_info (nr_modules 1, modlist_paddr, its entry's paddr and
 * size; no command line), reserved in the memory map with the rest of
 * the region. -ENOMEM naming (mod)'s file when it does not fit in RAM.
 */
int boot_build_module(const struct elf_image *img, const struct guest_ram *ram,
                      const char *cmdline, unsigned int extra_pages,
                      const struct boot_module *mod, struct boot_layout *out,
                      struct pvhv_error *err);

#endif /* PVHV_CORE_LOADER_H */
