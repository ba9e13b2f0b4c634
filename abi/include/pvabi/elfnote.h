/* SPDX-License-Identifier: MIT */
/* elfnote.h: ELF note types a guest kernel image carries (owner "Xen"). */
#ifndef PVABI_ELFNOTE_H
#define PVABI_ELFNOTE_H

#define XEN_ELFNOTE_INFO 0
#define XEN_ELFNOTE_ENTRY 1 /* PV entry (virtual address) */
#define XEN_ELFNOTE_HYPERCALL_PAGE 2
#define XEN_ELFNOTE_VIRT_BASE 3
#define XEN_ELFNOTE_PADDR_OFFSET 4
#define XEN_ELFNOTE_XEN_VERSION 5
#define XEN_ELFNOTE_GUEST_OS 6
#define XEN_ELFNOTE_GUEST_VERSION 7
#define XEN_ELFNOTE_LOADER 8
#define XEN_ELFNOTE_PAE_MODE 9
#define XEN_ELFNOTE_FEATURES 10
#define XEN_ELFNOTE_BSD_SYMTAB 11
#define XEN_ELFNOTE_HV_START_LOW 12
#define XEN_ELFNOTE_L1_MFN_VALID 13
#define XEN_ELFNOTE_SUSPEND_CANCEL 14
#define XEN_ELFNOTE_INIT_P2M 15
#define XEN_ELFNOTE_MOD_START_PFN 16
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17

/*
 * XEN_ELFNOTE_PHYS32_ENTRY: the PVH entry point, a 32-bit (or 64-bit)
 * guest-physical address. It is entered in 32-bit protected mode, paging
 * off, with %ebx holding the guest-physical address of struct
 * hvm_start_info (see start_info.h).
 */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

/* The owner name of every note above, NUL included. */
#define XEN_ELFNOTE_OWNER "Xen"

#endif /* PVABI_ELFNOTE_H */
