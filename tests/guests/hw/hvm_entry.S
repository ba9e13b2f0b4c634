/* SPDX-License-Identifier: MIT */
/* hvm_entry.S: PVH entry of a guest on emulated hardware: long mode, then C. */

#include <pvabi/elfnote.h>

/*
 * For guests that drive hardware (port I/O) rather than hypercalls, such
 * as under QEMU: no hypervisor interface is assumed. Entered the
 * PVH way (QEMU's -kernel loads an ELF with this note): 32-bit protected
 * mode, paging off, %ebx = struct hvm_start_info. Long mode only, no SSE:
 * the development machines' KVM emulates neither SSE nor `int n`.
 */
#define HVM_CODE64 0x08
#define HVM_DATA 0x10
#define HVM_STACK_SIZE 0x4000

/*
 * The note's descriptor is 8 bytes, as Linux writes it for a 64-bit
 * image: QEMU reads a host word there for an ELF64 file. A Multiboot
 * guest (mb_header.S) builds without it (HVM_NO_PVH_NOTE) and is entered
 * the same way, with %eax = 0x2badb002 and %ebx = its information.
 */
#ifndef HVM_NO_PVH_NOTE
    .section .note.pvh, "a", @note
    .balign 4
    .long 2f - 1f
    .long 4f - 3f
    .long XEN_ELFNOTE_PHYS32_ENTRY
1:  .asciz XEN_ELFNOTE_OWNER
2:  .balign 4
3:  .quad _start32
4:  .balign 4
#endif

    .section .text.boot, "ax", @progbits
    .code32
    .globl _start32
_start32:
    cld
    movl %ebx, %esi                 /* start info, kept for main() */
    movl %eax, %ebp                 /* Multiboot's magic, for main() */
    lgdt hvm_gdt_desc
    movl %cr4, %eax
    orl $0x20, %eax                 /* PAE */
    movl %eax, %cr4
    movl $hvm_pml4, %eax
    movl %eax, %cr3
    movl $0xc0000080, %ecx          /* EFER.LME */
    rdmsr
    orl $0x100, %eax
    wrmsr
    movl %cr0, %eax
    orl $0x80000001, %eax           /* PG, PE */
    movl %eax, %cr0
    ljmp $HVM_CODE64, $hvm_long_mode

    .code64
hvm_long_mode:
    movl $HVM_DATA, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    movl $hvm_stack_top, %esp
    /* The NMI gate's offset, split as the gate format wants it. */
    movq $hvm_nmi, %rax
    movw %ax, hvm_idt + 2 * 16
    shrq $16, %rax
    movw %ax, hvm_idt + 2 * 16 + 6
    shrq $16, %rax
    movl %eax, hvm_idt + 2 * 16 + 8
    lidt hvm_idt_desc
    movl %esi, %edi
    movl %ebp, %esi
    call hvm_main
    /* hvm_main's value is the exit status: isa-debug-exit ends QEMU. */
    movl %eax, %edi
    call hvm_exit
1:  cli
    hlt
    jmp 1b

/*
 * An NMI wakes a `cli; hlt` (hvm_pause) and returns to it; every other
 * vector is absent, so any exception ends as a triple fault.
 */
hvm_nmi:
    iretq

    .section .rodata
    .balign 8
hvm_gdt:
    .quad 0
    .quad 0x00af9b000000ffff        /* 64-bit code */
    .quad 0x00cf93000000ffff        /* flat data */
hvm_gdt_end:
hvm_gdt_desc:
    .word hvm_gdt_end - hvm_gdt - 1
    .quad hvm_gdt

    .balign 8
hvm_idt_desc:
    .word hvm_idt_end - hvm_idt - 1
    .quad hvm_idt

    .section .data
/* Vectors 0-2: only the NMI gate is present; its offset is set above. */
    .balign 16
hvm_idt:
    .fill 4, 8, 0
    .word 0
    .word HVM_CODE64
    .byte 0, 0x8e                   /* present, DPL 0, interrupt gate */
    .word 0
    .long 0
    .long 0
hvm_idt_end:

/*
 * Identity map of the first 1 GiB in 2 MiB pages. Every level has U/S
 * set, as the native execution mode of some software KVM hosts requires
 * (README "Execution modes"); it changes nothing for this kernel.
 */
    .balign 4096
hvm_pml4:
    .quad hvm_pdpt + 0x7
    .fill 511, 8, 0
    .balign 4096
hvm_pdpt:
    .quad hvm_pd + 0x7
    .fill 511, 8, 0
    .balign 4096
hvm_pd:
    .set page, 0
    .rept 512
    .quad page + 0x87
    .set page, page + 0x200000
    .endr

    .section .bss
    .balign 16
    .skip HVM_STACK_SIZE
hvm_stack_top:

    .section .note.GNU-stack, "", @progbits
