/* SPDX-License-Identifier: MIT */
/* cpuid.h: how a guest discovers the hypervisor through CPUID. */
#ifndef PVABI_CPUID_H
#define PVABI_CPUID_H

/*
 * Leaves XEN_CPUID_FIRST_LEAF + n:
 *  +0: EAX = highest Xen leaf; EBX, ECX, EDX = "XenVMMXenVMM"
 *  +1: EAX = Xen interface version, major << 16 | minor
 *  +2: EAX = number of hypercall pages (1); EBX = the MSR index the guest
 *      writes a hypercall page's guest-physical address to (page-aligned;
 *      the low 12 bits select the page, always 0)
 *  +3: time leaves, +4: HVM features (XEN_HVM_CPUID_*)
 */
#define XEN_CPUID_FIRST_LEAF 0x40000000
#define XEN_CPUID_LEAF(i) (XEN_CPUID_FIRST_LEAF + (i))
#define XEN_CPUID_SIGNATURE_EBX 0x566e6558 /* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX 0x65584d4d /* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX 0x4d4d566e /* "nVMM" */

/* Leaf +4 EAX bits. */
#define XEN_HVM_CPUID_APIC_ACCESS_VIRT (1u << 0)
#define XEN_HVM_CPUID_X2APIC_VIRT (1u << 1)
#define XEN_HVM_CPUID_IOMMU_MAPPINGS (1u << 2)
#define XEN_HVM_CPUID_VCPU_ID_PRESENT (1u << 3)
#define XEN_HVM_CPUID_DOMID_PRESENT (1u << 4)
#define XEN_HVM_CPUID_EXT_DEST_ID (1u << 5)
/* HVMOP_set_evtchn_upcall_vector is served (pvabi/hvm.h). */
#define XEN_HVM_CPUID_UPCALL_VECTOR (1u << 6)

#endif /* PVABI_CPUID_H */
