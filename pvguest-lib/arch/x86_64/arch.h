/* SPDX-License-Identifier: MIT */
/* arch.h: x86-64 constants shared by the assembly and C of libpvguest. */
#ifndef PVGUEST_ARCH_X86_64_ARCH_H
#define PVGUEST_ARCH_X86_64_ARCH_H

/* Only #defines here: entry.S and trap_entry.S include this file. */

/* Selectors of the GDT built in entry.S. */
#define GDT_CODE64 0x08
#define GDT_DATA 0x10

#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)

#define CR4_PAE (1 << 5)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)

#define MSR_EFER 0xc0000080
#define MSR_GS_BASE 0xc0000101
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)

/* CPUID 0x80000001 EDX bits. */
#define CPUID_EXT_NX (1 << 20)
#define CPUID_EXT_LM (1 << 29)

/*
 * Page-table entry bits. Every present entry also has PTE_US: the code
 * runs at CPL 0 so the bit changes nothing for it, but the fast execution
 * mode of the development machines' KVM requires it at every level (see
 * the KVM notes in the design reference).
 */
#define PTE_P 0x001
#define PTE_RW 0x002
#define PTE_US 0x004
#define PTE_PS 0x080 /* in a page-directory entry: a 2 MiB page */

/* Page-fault error code bits. */
#define PF_PRESENT (1 << 0)
#define PF_WRITE (1 << 1)
#define PF_USER (1 << 2)
#define PF_RESERVED (1 << 3)
#define PF_FETCH (1 << 4)

#define VEC_PF 14

#endif /* PVGUEST_ARCH_X86_64_ARCH_H */
