/* SPDX-License-Identifier: MIT */
/* entry.S: PVH entry point, the switch to long mode, and the boot stack. */

#include <pvabi/elfnote.h>
#include <pvabi/pvhv.h>
#include "arch.h"

#define BOOT_STACK_SIZE 0x10000

/*
 * The PVH entry note. The linker script puts .note.pvh in a PT_NOTE
 * segment, where the hypervisor's loader looks for it. Layout: namesz,
 * descsz, type, then name and descriptor, each padded to 4 bytes. The
 * descriptor is the 32-bit guest-physical address of _start32.
 */
    .section .note.pvh, "a", @note
    .balign 4
    .long 2f - 1f
    .long 4f - 3f
    .long XEN_ELFNOTE_PHYS32_ENTRY
1:  .asciz XEN_ELFNOTE_OWNER
2:  .balign 4
3:  .long _start32
4:  .balign 4

/*
 * PVH entry: 32-bit protected mode, paging off, interrupts off, flat
 * segments, %ebx = guest-physical address of struct hvm_start_info.
 * No stack yet: nothing here may push or call until long mode.
 * %esi keeps the start-info address from here on, since cpuid
 * overwrites %ebx.
 */
    .section .text.boot, "ax", @progbits
    .code32
    .globl _start32
    .type _start32, @function
_start32:
    cld
    movl %ebx, %esi

    /* Long mode present? Otherwise say so on the debug port and stop. */
    movl $0x80000000, %eax
    cpuid
    cmpl $0x80000001, %eax
    jb no_long_mode
    movl $0x80000001, %eax
    cpuid
    testl $CPUID_EXT_LM, %edx
    jz no_long_mode
    movl %edx, %edi                 /* keep the NX bit for below */

    lgdt gdt_desc

    /*
     * The order of the switch is fixed by the architecture: PAE on and
     * CR3 loaded, then EFER.LME, then CR0.PG, which activates long mode
     * (EFER.LMA) in compatibility mode; the far jump then loads a 64-bit
     * code segment. Paging comes on with an identity map, so the next
     * instruction fetch still finds this code at the same address.
     */
    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4

    movl $pml4, %eax
    movl %eax, %cr3

    /* EFER.NXE only where the CPU has NX: setting it otherwise is a #GP. */
    movl $MSR_EFER, %ecx
    rdmsr
    orl $EFER_LME, %eax
    testl $CPUID_EXT_NX, %edi
    jz 1f
    orl $EFER_NXE, %eax
1:  wrmsr

    movl %cr0, %eax
    orl $(CR0_PG | CR0_WP | CR0_PE), %eax
    movl %eax, %cr0

    ljmp $GDT_CODE64, $long_mode

/* Without long mode nothing can run: report on port 0xe9, then end. */
no_long_mode:
    movl $no_long_mode_msg, %esi
1:  lodsb
    testb %al, %al
    jz 2f
    outb %al, $PVHV_DEBUGCON_PORT
    jmp 1b
    /*
     * An empty IDT turns #UD into a triple fault: a crash. ud2, not int3:
     * the instruction emulator of the development machines' KVM cannot
     * emulate a software interrupt outside real mode.
     */
2:  lidt empty_idt_desc
    ud2
    .size _start32, . - _start32

    .code64
long_mode:
    movl $GDT_DATA, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    xorl %eax, %eax
    movl %eax, %fs
    movl %eax, %gs

    /* SSE: gcc uses it freely in C. CR0.EM off, CR0.MP on, OSFXSR. */
    movq %cr0, %rax
    andq $~CR0_EM, %rax
    orq $CR0_MP, %rax
    movq %rax, %cr0
    movq %cr4, %rax
    orq $(CR4_OSFXSR | CR4_OSXMMEXCPT), %rax
    movq %rax, %cr4
    fninit

    /*
     * .bss (the boot stack included) is not cleared here: the loader
     * zeroes every segment beyond its file size, as ELF requires, and
     * the PVH contract repeats it. Clearing it again is not cheap: until
     * the guest reaches the fast mode, the development machines' KVM
     * emulates each guest instruction, and a rep stosb over the 16 MiB
     * .bss of tests/guests/bigbss took 4 s there, against 0.1 s for the
     * whole guest without it. bigbss checks that the loader did zero it.
     */

    /* 32-bit moves zero-extend: %rsp and %rdi get clean upper halves. */
    movl $boot_stack_top, %esp
    xorl %ebp, %ebp
    movl %esi, %edi
    call pvguest_start

    /* pvguest_start does not return; should it, crash the domain. */
    lidt empty_idt_desc
    ud2

    .section .rodata
no_long_mode_msg:
    .asciz "pvguest: this CPU has no long mode\n"

    .balign 8
    .globl empty_idt_desc
empty_idt_desc:                      /* limit 0, base 0: no vector is valid */
    .word 0
    .quad 0

/*
 * GDT: null, 64-bit code (L=1, D=0), flat data. The accessed bits are
 * preset so that loading a selector never writes to the table.
 */
    .balign 8
gdt:
    .quad 0
    .quad 0x00af9b000000ffff        /* GDT_CODE64 */
    .quad 0x00cf93000000ffff        /* GDT_DATA */
gdt_end:

    /* lgdt in 32-bit mode reads the limit and 4 bytes of base only. */
    .balign 8
    .globl gdt_desc                 /* vcpu_entry.S loads it too */
gdt_desc:
    .word gdt_end - gdt - 1
    .quad gdt

/*
 * Identity map of the first 4 GiB with 2 MiB pages: one PML4 entry, four
 * PDPT entries, four page directories of 512 entries. Nothing above 4 GiB
 * is mapped, so any access there page-faults. Static: no code has to
 * build them before paging is on.
 */
    .section .data
    .balign 4096
pml4:
    .quad pdpt + (PTE_P | PTE_RW | PTE_US)
    .fill 511, 8, 0

    .balign 4096
pdpt:
    .quad pd + 0x0000 + (PTE_P | PTE_RW | PTE_US)
    .quad pd + 0x1000 + (PTE_P | PTE_RW | PTE_US)
    .quad pd + 0x2000 + (PTE_P | PTE_RW | PTE_US)
    .quad pd + 0x3000 + (PTE_P | PTE_RW | PTE_US)
    .fill 508, 8, 0

    .balign 4096
pd:
    .set page, 0
    .rept 2048
    .quad page + (PTE_P | PTE_RW | PTE_US | PTE_PS)
    .set page, page + 0x200000
    .endr

    .section .bss
    .balign 16
boot_stack:
    .skip BOOT_STACK_SIZE
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
