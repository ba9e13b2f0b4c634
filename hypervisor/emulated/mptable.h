/* SPDX-License-Identifier: MIT */
/* mptable.h: the Intel MultiProcessor Specification (1.4) tables of an hvm
 * domain: how its guest finds its CPUs, I/O APIC and ISA interrupts. */
#ifndef PVHV_EMULATED_MPTABLE_H
#define PVHV_EMULATED_MPTABLE_H

#include <stddef.h>
#include <stdint.h>

struct domain;

#define MPTABLE_GPA 0xf0000 /* in the BIOS area, where guests search */
#define MPTABLE_LAPIC 0xfee00000u
#define MPTABLE_IOAPIC 0xfec00000u
#define MPTABLE_ISA_IRQS 16
#define MPTABLE_MAX_CPUS 255 /* LAPIC ids 0 ... n - 1; the I/O APIC's is n */

/* Entry types and their sizes (MP spec 4.3). */
#define MP_ENTRY_CPU 0
#define MP_ENTRY_BUS 1
#define MP_ENTRY_IOAPIC 2
#define MP_ENTRY_IOINT 3
#define MP_ENTRY_LINT 4
#define MP_CPU_SIZE 20
#define MP_OTHER_SIZE 8
#define MP_FLOATING_SIZE 16
#define MP_HEADER_SIZE 44
#define MP_CPU_EN 0x01
#define MP_CPU_BP 0x02
#define MP_INT 0 /* vectored interrupt (I/O APIC) */
#define MP_NMI 1
#define MP_EXTINT 3 /* from the 8259s */

/*
 * mptable_build: writes, for a guest that sees them at guest-physical
 * (gpa), the floating pointer (16 bytes, "_MP_", spec 1.4, virtual-wire
 * mode) and right after it the configuration table ("PCMP"): (nr_cpus)
 * processors (LAPIC ids 0 ... nr_cpus - 1, 0 the bootstrap one), an ISA
 * bus, the I/O APIC (id nr_cpus) at MPTABLE_IOAPIC, ISA lines 0-15 but 2
 * (the cascade) on its pins of the same numbers (KVM's routing), and
 * LINT0 as ExtINT and LINT1 as NMI on every LAPIC; each with its
 * checksum. Returns the bytes written, -EINVAL for 0 or more than
 * MPTABLE_MAX_CPUS CPUs or a (gpa) that is not 16-byte aligned below
 * 4 GiB, -ENOSPC when (len) bytes cannot hold them (nothing written).
 */
long mptable_build(uint8_t *buf, size_t len, uint64_t gpa,
                   unsigned int nr_cpus);

/*
 * mptable_write: the tables of hvm domain (d) at MPTABLE_GPA in its RAM.
 * Returns 0, or -ENOSPC where those bytes are not RAM or not zero (the
 * kernel was loaded there: the tables are left out and a note says so).
 */
int mptable_write(struct domain *d);

#endif /* PVHV_EMULATED_MPTABLE_H */
