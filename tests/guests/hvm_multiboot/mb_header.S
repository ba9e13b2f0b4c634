/* SPDX-License-Identifier: MIT */
/* mb_header.S: a Multiboot (v1) header at the start of the image, for hvm_multiboot. */
#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00000003 /* page-aligned modules, memory information */

    .section .text.boot, "ax", @progbits
    .balign 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)
