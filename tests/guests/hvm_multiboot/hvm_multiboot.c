/* SPDX-License-Identifier: MIT */
/*
 * hvm_multiboot.c: a Multiboot (v1) kernel, without a PVH note, booted by
 * an hvm domain: it checks %eax (0x2badb002) and the boot information
 * (memory, memory map, command line) and prints them on COM1. Entry:
 * hw/hvm_entry.S built without its note, after mb_header.S.
 */
#include <stddef.h>
#include <stdint.h>

#include "../hw/hw.h"

struct mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
    uint32_t mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_mmap {
    uint32_t size;
    uint64_t addr, len;
    uint32_t type;
} __attribute__((packed));

int hvm_main(uint32_t info, uint32_t magic);
void hvm_exit(int code);

void hvm_exit(int code)
{
    hw_exit_to(code);
}

int hvm_main(uint32_t info, uint32_t magic)
{
    const struct mb_info *mb = (const struct mb_info *)(uintptr_t)info;
    uint64_t ram = 0;

    com1_init();
    com1_puts("hvm_multiboot: eax ");
    com1_put_hex(magic);
    com1_puts("\n");
    if (magic != 0x2badb002)
        return hw_fail("not entered by a Multiboot loader");
    if ((mb->flags & 0x45) != 0x45)
        return hw_fail("no memory, command line or memory map flag");
    com1_puts("hvm_multiboot: mem_lower ");
    hw_put_dec(mb->mem_lower);
    com1_puts(" KiB, mem_upper ");
    hw_put_dec(mb->mem_upper);
    com1_puts(" KiB\n");
    for (uint32_t off = 0; off < mb->mmap_length;) {
        const struct mb_mmap *e =
            (const struct mb_mmap *)(uintptr_t)(mb->mmap_addr + off);

        if (e->type == 1)
            ram += e->len;
        off += e->size + 4;
    }
    com1_puts("hvm_multiboot: memory map RAM ");
    hw_put_dec(ram >> 10);
    com1_puts(" KiB\nhvm_multiboot: cmdline '");
    com1_puts((const char *)(uintptr_t)mb->cmdline);
    com1_puts("'\nSUCCESS\n");
    return 0;
}
