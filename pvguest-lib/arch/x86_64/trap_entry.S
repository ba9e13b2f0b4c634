/* SPDX-License-Identifier: MIT */
/* trap_entry.S: exception stubs and the common path into trap_handler(). */

#include "arch.h"

/*
 * trap_stubs: 32 stubs, one per exception vector, each at
 * trap_stubs + vector * TRAP_STUB_SIZE (16). Vectors for which the CPU
 * pushes no error code push a 0 in its place, so every frame has the same
 * layout: the CPU's (ss, rsp, rflags, cs, rip), the error code, then the
 * vector. Layout matches struct trap_frame in traps.c.
 */
    .text
    .code64
    .balign 16
    .globl trap_stubs
trap_stubs:
    .set vec, 0
    .rept 32
    /* .org fails the build if the previous stub outgrew its 16 bytes. */
    .org trap_stubs + vec * 16, 0xcc
    /* #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX push an error code. */
    .set has_error, (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17)
    .set has_error, has_error || (vec == 21) || (vec == 29) || (vec == 30)
    .if has_error == 0
    pushq $0
    .endif
    pushq $vec
    jmp trap_common
    .set vec, vec + 1
    .endr
    .org trap_stubs + 32 * 16, 0xcc

/*
 * The CPU aligned %rsp to 16 bytes before pushing its 5 words; with the
 * error code, the vector and 15 registers the frame is 22 words, so %rsp
 * is 16-byte aligned again at the call, as the C ABI requires.
 */
trap_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    movq %rsp, %rdi
    call trap_handler
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    addq $16, %rsp                  /* vector and error code */
    iretq

/*
 * upcall_entry: the event callback vector (EVTCHN_CALLBACK_VECTOR), an
 * interrupt gate, so interrupts are off until the iretq. It saves only
 * the registers the C ABI lets evtchn_do_upcall() clobber: the callee
 * saves the rest. No error code. The CPU aligned %rsp to 16 bytes and
 * pushed 5 words; with the 9 below %rsp is 16-byte aligned at the call.
 * No EOI: the hypervisor injects the vector without a local APIC.
 */
    .globl upcall_entry
    .balign 16
upcall_entry:
    pushq %rax
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    cld
    call evtchn_do_upcall
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rax
    iretq

    .section .note.GNU-stack, "", @progbits
