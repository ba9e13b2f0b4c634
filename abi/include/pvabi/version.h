/* SPDX-License-Identifier: MIT */
/* version.h: xen_version(cmd, arg): what the hypervisor is and offers. */
#ifndef PVABI_VERSION_H
#define PVABI_VERSION_H

#include <stdint.h>

/*
 * XENVER_version: arg unused; returns major << 16 | minor.
 * pvhv reports the Xen interface version it implements (see
 * PVHV_XEN_MAJOR/MINOR in pvhv.h).
 */
#define XENVER_version 0

/* XENVER_extraversion: OUT xen_extraversion_t, NUL-terminated. */
#define XENVER_extraversion 1
typedef char xen_extraversion_t[16];
#define XEN_EXTRAVERSION_LEN (sizeof(xen_extraversion_t))

/* XENVER_compile_info: OUT struct xen_compile_info. */
#define XENVER_compile_info 2
struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};

/*
 * XENVER_capabilities: OUT xen_capabilities_info_t, a space-separated list
 * of the guest types the hypervisor runs, NUL-terminated.
 */
#define XENVER_capabilities 3
typedef char xen_capabilities_info_t[1024];
#define XEN_CAPABILITIES_INFO_LEN (sizeof(xen_capabilities_info_t))

/* XENVER_changeset: OUT xen_changeset_info_t. */
#define XENVER_changeset 4
typedef char xen_changeset_info_t[64];
#define XEN_CHANGESET_INFO_LEN (sizeof(xen_changeset_info_t))

/* XENVER_platform_parameters: OUT struct xen_platform_parameters. */
#define XENVER_platform_parameters 5
struct xen_platform_parameters {
    uint64_t virt_start;
};

/*
 * XENVER_get_features: IN submap_idx; OUT submap, the 32 XENFEAT_* bits
 * numbered submap_idx * 32 ... + 31. Unknown submaps read as 0.
 */
#define XENVER_get_features 6
struct xen_feature_info {
    uint32_t submap_idx; /* IN */
    uint32_t submap;     /* OUT */
};

/* XENVER_pagesize: arg unused; returns the page size in bytes. */
#define XENVER_pagesize 7

/* XENVER_guest_handle, XENVER_commandline, XENVER_build_id: -XEN_ENOSYS. */
#define XENVER_guest_handle 8
#define XENVER_commandline 9
#define XENVER_build_id 10

/* Feature bits (xen/include/public/features.h numbering). */
#define XENFEAT_writable_page_tables 0
#define XENFEAT_writable_descriptor_tables 1
#define XENFEAT_auto_translated_physmap 2
#define XENFEAT_supervisor_mode_kernel 3
#define XENFEAT_pae_pgdir_above_4gb 4
#define XENFEAT_mmu_pt_update_preserve_ad 5
#define XENFEAT_highmem_assist 6
#define XENFEAT_gnttab_map_avail_bits 7
#define XENFEAT_hvm_callback_vector 8
#define XENFEAT_hvm_safe_pvclock 9
#define XENFEAT_hvm_pirqs 10
#define XENFEAT_dom0 11
#define XENFEAT_grant_map_identity 12
#define XENFEAT_memory_op_vnode_supported 13
#define XENFEAT_ARM_SMCCC_supported 14
#define XENFEAT_linux_rsdp_unrestricted 15
#define XENFEAT_not_direct_mapped 16
#define XENFEAT_direct_mapped 17
#define XENFEAT_NR_SUBMAPS 1

#endif /* PVABI_VERSION_H */
