/* SPDX-License-Identifier: MIT */
/* vcpu_entry.S: where a secondary vCPU starts: our GDT, segments, then C. */

#include "arch.h"

/*
 * VCPUOP_initialise starts the vCPU here in 64-bit mode with our CR3,
 * but with the hypervisor's flat segments and no GDT or IDT of ours.
 * %rsp is the top of its stack minus 16, and (%rsp) holds its id:
 * written there by pvguest_vcpu_up(), so nothing depends on which other
 * registers the hypervisor sets. lretq reloads %cs from our GDT; the
 * far return pops what it pushed, so %rsp is 16-byte aligned again at
 * the call, as the C ABI wants.
 */
    .text
    .code64
    .globl vcpu_trampoline
    .balign 16
vcpu_trampoline:
    cli
    cld
    lgdt gdt_desc(%rip)
    movl $GDT_DATA, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    xorl %eax, %eax
    movl %eax, %fs
    movl %eax, %gs
    leaq 1f(%rip), %rax
    pushq $GDT_CODE64
    pushq %rax
    lretq
1:  movq (%rsp), %rdi
    xorl %ebp, %ebp
    call vcpu_secondary_start
    /* It does not return; should it, crash the domain. */
    lidt empty_idt_desc(%rip)
    ud2

    .section .note.GNU-stack, "", @progbits
