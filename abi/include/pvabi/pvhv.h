/* SPDX-License-Identifier: MIT */
/* pvhv.h: what pvhv adds to the Xen ABI, and the version it reports. */
#ifndef PVABI_PVHV_H
#define PVABI_PVHV_H

/* The Xen interface version pvhv implements, reported by XENVER_version. */
#define PVHV_XEN_MAJOR 4
#define PVHV_XEN_MINOR 17
#define PVHV_XEN_EXTRAVERSION "-pvhv"

/* MSR a guest writes a hypercall page's address to (CPUID leaf +2 EBX). */
#define PVHV_HYPERCALL_MSR 0x40000000

/*
 * How a hypercall stub reaches the hypervisor. KVM handles `vmcall`
 * itself, so each 32-byte stub in the hypercall page is
 *     mov $nr, %eax ; out %eax, $PVHV_HYPERCALL_PORT ; ret
 * Guests must not depend on this: they call hypercall_page + nr * 32.
 */
#define PVHV_HYPERCALL_PORT 0x9e

/*
 * Debug console: bytes written to this port go to the domain's console,
 * as with Xen's and Bochs' port 0xe9. Usable before the hypercall page is
 * set up, e.g. in the first instructions of a kernel being ported.
 */
#define PVHV_DEBUGCON_PORT 0xe9

/*
 * Boot marker: a write of 1, 2 or 4 bytes (a value of the guest's
 * choosing) records the domain's system time (ns since it was made,
 * pauses left out), as Firecracker's boot-timer port does; pvbench
 * measures boot time with it. Every domain has it, PV and hvm. Reads
 * return all ones.
 */
#define PVHV_BOOT_MARKER_PORT 0xea

/*
 * The grant window: guest-physical addresses outside RAM where a domain
 * maps other domains' grants (GNTTABOP_map_grant_ref host_addr), so that
 * it need not give up RAM pages for them. It is in the memory map as
 * reserved. A grant may also be mapped over a RAM page, which then reads
 * as the granted page until unmapped.
 */
#define PVHV_GRANT_WINDOW_BASE 0xE0000000ULL
#define PVHV_GRANT_WINDOW_SIZE (64ULL << 20)

#endif /* PVABI_PVHV_H */
