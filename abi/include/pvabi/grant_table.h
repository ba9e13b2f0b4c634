/* SPDX-License-Identifier: MIT */
/* grant_table.h: grant_table_op(cmd, uop, count): sharing pages between domains
 * by reference. */
#ifndef PVABI_GRANT_TABLE_H
#define PVABI_GRANT_TABLE_H

#include <stdint.h>
#include "xen.h"

/*
 * A domain (the granter) offers one of its pages to another domain (the
 * grantee) by filling an entry of its grant table: an array of struct
 * grant_entry_v1 in frames the hypervisor provides and the granter maps
 * into its own physical address space (GNTTABOP_setup_table says where;
 * XENMEM_add_to_physmap with XENMAPSPACE_grant_table moves a frame). The
 * entry's index, the grant reference, is passed to the grantee (through
 * XenStore or a ring), which then maps the page into its own physical
 * address space (GNTTABOP_map_grant_ref) or copies to or from it
 * (GNTTABOP_copy). Version 1 entries only.
 *
 *   long grant_table_op(unsigned int cmd, void *uop, unsigned int count);
 *
 * <uop> points to an array of <count> structs of the type <cmd> names;
 * each is processed in order and gets its own <status> (GNTST_*). The
 * call itself returns 0 once every element has been processed, or a
 * negative errno (-EFAULT: an element could not be read or written back;
 * the elements before it were done).
 *
 *   enum grant_table_op {  // GNTTABOP_* => struct gnttab_*
 *       GNTTABOP_map_grant_ref     = 0,   // struct gnttab_map_grant_ref
 *       GNTTABOP_unmap_grant_ref   = 1,   // struct gnttab_unmap_grant_ref
 *       GNTTABOP_setup_table       = 2,   // struct gnttab_setup_table
 *       GNTTABOP_dump_table        = 3,   // struct gnttab_dump_table
 *       GNTTABOP_transfer          = 4,   // struct gnttab_transfer
 *       GNTTABOP_copy              = 5,   // struct gnttab_copy
 *       GNTTABOP_query_size        = 6,   // struct gnttab_query_size
 *       GNTTABOP_unmap_and_replace = 7,   // struct gnttab_unmap_and_replace
 *       GNTTABOP_set_version       = 8,   // struct gnttab_set_version
 *       GNTTABOP_get_status_frames = 9,   // struct gnttab_get_status_frames
 *       GNTTABOP_get_version       = 10,  // struct gnttab_get_version
 *       GNTTABOP_swap_grant_ref    = 11,  // struct gnttab_swap_grant_ref
 *       GNTTABOP_cache_flush       = 12,  // struct gnttab_cache_flush
 *   };
 * dump_table, transfer, unmap_and_replace, get_status_frames,
 * swap_grant_ref and cache_flush answer -XEN_ENOSYS on pvhv.
 */

typedef uint32_t grant_ref_t;    /* index into the granter's table */
typedef uint32_t grant_handle_t; /* a mapping, as the mapper knows it */

/*
 * One grant (8 bytes, 512 per 4 KiB frame). Each field is tagged by who
 * writes it: [GST] the granting guest, [HV] the hypervisor.
 *
 * To grant frame F to domain D, the granter:
 *  1. writes domid = D and frame = F;
 *  2. issues a write barrier, so that the hypervisor never sees the new
 *     flags with stale domid or frame;
 *  3. writes flags = GTF_permit_access (| GTF_readonly).
 * To end the grant, it clears flags with an atomic compare-and-swap that
 * expects GTF_reading and GTF_writing clear: while either is set, the
 * grantee still maps the page and the frame must not be reused.
 */
struct grant_entry_v1 {
    uint16_t flags; /* [GST] type and GTF_readonly; [HV] GTF_reading,
                     * GTF_writing */
    domid_t domid;  /* [GST] the grantee */
    uint32_t frame; /* [GST] the granted frame, a gfn of the granter */
};
typedef struct grant_entry_v1 grant_entry_v1_t;

/* Entries 0 ... 7 belong to the toolstack; guests allocate from 8. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE 0  /* the console ring, for its backend */
#define GNTTAB_RESERVED_XENSTORE 1 /* the XenStore ring */

/* flags, bits 1:0: the entry's type. */
#define GTF_invalid (0U << 0)         /* nothing granted */
#define GTF_permit_access (1U << 0)   /* domid may map or copy frame */
#define GTF_accept_transfer (2U << 0) /* (PV page transfer; not served) */
#define GTF_transitive (3U << 0)      /* (version 2 only; refused) */
#define GTF_type_mask (3U << 0)

/* flags, permit_access entries. */
#define _GTF_readonly (2)
#define GTF_readonly (1U << _GTF_readonly) /* [GST] no writing */
#define _GTF_reading (3)
#define GTF_reading (1U << _GTF_reading) /* [HV] mapped */
#define _GTF_writing (4)
#define GTF_writing (1U << _GTF_writing) /* [HV] mapped writable */
#define _GTF_PWT (5)
#define GTF_PWT (1U << _GTF_PWT) /* cache attributes, */
#define _GTF_PCD (6)
#define GTF_PCD (1U << _GTF_PCD) /* ignored on pvhv */
#define _GTF_PAT (7)
#define GTF_PAT (1U << _GTF_PAT)
#define _GTF_sub_page (8)
#define GTF_sub_page (1U << _GTF_sub_page) /* (version 2 only) */

/* flags, accept_transfer entries (PV transfer; not served). */
#define _GTF_transfer_committed (2)
#define GTF_transfer_committed (1U << _GTF_transfer_committed)
#define _GTF_transfer_completed (3)
#define GTF_transfer_completed (1U << _GTF_transfer_completed)

/* gnttab_map_grant_ref.flags */
#define _GNTMAP_device_map (0)
#define GNTMAP_device_map (1 << _GNTMAP_device_map) /* for I/O */
#define _GNTMAP_host_map (1)
#define GNTMAP_host_map (1 << _GNTMAP_host_map) /* at host_addr */
#define _GNTMAP_readonly (2)
#define GNTMAP_readonly (1 << _GNTMAP_readonly) /* read-only */
#define _GNTMAP_application_map (3)
#define GNTMAP_application_map (1 << _GNTMAP_application_map) /* (PV) */
#define _GNTMAP_contains_pte (4)
#define GNTMAP_contains_pte (1 << _GNTMAP_contains_pte) /* (PV) */

/*
 * GNTTABOP_map_grant_ref: maps grant <ref> of domain <dom> at the caller's
 * guest-physical address <host_addr>, sharing the page (no copy).
 * NOTES:
 * 1. <flags> must hold GNTMAP_host_map; GNTMAP_device_map may be added
 *    (it changes nothing); GNTMAP_application_map and GNTMAP_contains_pte
 *    are PV page-table forms and are refused.
 * 2. <host_addr> is page-aligned and lies in the caller's RAM (the RAM
 *    page is hidden until the unmap) or in the grant window
 *    (PVHV_GRANT_WINDOW_BASE, pvhv.h).
 * 3. GNTMAP_readonly maps read-only; a write to a read-only mapping
 *    crashes the writing domain. A GTF_readonly grant must be mapped with
 *    GNTMAP_readonly.
 * 4. On success GTF_reading (and, for a writable mapping, GTF_writing) is
 *    set in the grant entry until the last such mapping is gone.
 * OUT: <handle> names the mapping for the unmap; <dev_bus_addr> is the
 * granted frame's guest-physical address in the granter.
 */
#define GNTTABOP_map_grant_ref 0
struct gnttab_map_grant_ref {
    /* IN parameters */
    uint64_t host_addr;
    uint32_t flags; /* GNTMAP_* */
    grant_ref_t ref;
    domid_t dom;
    /* OUT parameters */
    int16_t status; /* GNTST_* */
    grant_handle_t handle;
    uint64_t dev_bus_addr;
};
typedef struct gnttab_map_grant_ref gnttab_map_grant_ref_t;

/*
 * GNTTABOP_unmap_grant_ref: ends mapping <handle>, which must be mapped at
 * <host_addr>; the caller's own page (or the window's hole) returns
 * there. <dev_bus_addr> is ignored. Works after the granter has gone.
 */
#define GNTTABOP_unmap_grant_ref 1
struct gnttab_unmap_grant_ref {
    /* IN parameters */
    uint64_t host_addr;
    uint64_t dev_bus_addr;
    grant_handle_t handle;
    /* OUT parameters */
    int16_t status;
};
typedef struct gnttab_unmap_grant_ref gnttab_unmap_grant_ref_t;

/*
 * GNTTABOP_setup_table: writes the guest frame numbers of the first
 * <nr_frames> grant table frames of <dom> (DOMID_SELF, or any domain for
 * a privileged caller) to the xen_pfn_t array <frame_list> (a guest
 * pointer). The frames are already mapped there: the table has its
 * maximum size from the start. count must be 1.
 */
#define GNTTABOP_setup_table 2
struct gnttab_setup_table {
    /* IN parameters */
    domid_t dom;
    uint32_t nr_frames;
    /* OUT parameters */
    int16_t status;
    uint64_t frame_list; /* guest handle: xen_pfn_t[nr_frames] */
};
typedef struct gnttab_setup_table gnttab_setup_table_t;

/* GNTTABOP_dump_table: debugging output of <dom>'s table; not served. */
#define GNTTABOP_dump_table 3
struct gnttab_dump_table {
    /* IN parameters */
    domid_t dom;
    /* OUT parameters */
    int16_t status;
};

/* GNTTABOP_transfer: gives page <mfn> away (PV); not served. */
#define GNTTABOP_transfer 4
struct gnttab_transfer {
    /* IN parameters */
    xen_pfn_t mfn;
    domid_t domid;
    grant_ref_t ref;
    /* OUT parameters */
    int16_t status;
};

/*
 * GNTTABOP_copy: copies <len> bytes from <source> to <dest>, each side a
 * grant (GNTCOPY_*_gref set: <u.ref> of domain <domid>) or a frame of the
 * caller (<u.gmfn>, <domid> DOMID_SELF or the caller's id), starting at
 * <offset> in the page.
 * NOTES:
 * 1. offset + len must not pass the end of the page on either side
 *    (GNTST_bad_copy_arg).
 * 2. A source grant may be read-only; a destination grant must not be.
 * 3. The copy is atomic with respect to the grant: GTF_reading and
 *    GTF_writing are not set.
 */
#define GNTTABOP_copy 5
#define _GNTCOPY_source_gref (0)
#define GNTCOPY_source_gref (1 << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref (1)
#define GNTCOPY_dest_gref (1 << _GNTCOPY_dest_gref)
struct gnttab_copy_ptr {
    union {
        grant_ref_t ref;
        xen_pfn_t gmfn;
    } u;
    domid_t domid;
    uint16_t offset;
};
struct gnttab_copy {
    /* IN parameters */
    struct gnttab_copy_ptr source, dest;
    uint16_t len;
    uint16_t flags; /* GNTCOPY_* */
    /* OUT parameters */
    int16_t status;
};
typedef struct gnttab_copy gnttab_copy_t;

/*
 * GNTTABOP_query_size: the current and maximum number of grant table
 * frames of <dom> (DOMID_SELF, or any domain for a privileged caller);
 * both are the configured size (domain XML, default 32). count must be 1.
 */
#define GNTTABOP_query_size 6
struct gnttab_query_size {
    /* IN parameters */
    domid_t dom;
    /* OUT parameters */
    uint32_t nr_frames;
    uint32_t max_nr_frames;
    int16_t status;
};
typedef struct gnttab_query_size gnttab_query_size_t;

/* GNTTABOP_unmap_and_replace: (PV); not served. */
#define GNTTABOP_unmap_and_replace 7
struct gnttab_unmap_and_replace {
    /* IN parameters */
    uint64_t host_addr;
    uint64_t new_addr;
    grant_handle_t handle;
    /* OUT parameters */
    int16_t status;
};

/*
 * GNTTABOP_set_version: <version> 1 succeeds (the only version); 2 answers
 * -EOPNOTSUPP, others -EINVAL. OUT: <version> = 1. count must be 1.
 */
#define GNTTABOP_set_version 8
struct gnttab_set_version {
    /* IN/OUT parameters */
    uint32_t version;
};

/* GNTTABOP_get_status_frames: version 2 status frames; not served. */
#define GNTTABOP_get_status_frames 9
struct gnttab_get_status_frames {
    /* IN parameters */
    uint32_t nr_frames;
    domid_t dom;
    /* OUT parameters */
    int16_t status;
    uint64_t frame_list; /* guest handle: uint64_t[nr_frames] */
};

/*
 * GNTTABOP_get_version: <version> = 1 for <dom> (DOMID_SELF, or any
 * domain for a privileged caller). -ESRCH no such domain, -EPERM
 * another domain. count must be 1.
 */
#define GNTTABOP_get_version 10
struct gnttab_get_version {
    /* IN parameters */
    domid_t dom;
    uint16_t pad;
    /* OUT parameters */
    uint32_t version;
};

/* GNTTABOP_swap_grant_ref: swaps two entries (version 2); not served. */
#define GNTTABOP_swap_grant_ref 11
struct gnttab_swap_grant_ref {
    /* IN parameters */
    grant_ref_t ref_a;
    grant_ref_t ref_b;
    /* OUT parameters */
    int16_t status;
};

/* GNTTABOP_cache_flush: cache maintenance (Arm); not served. */
#define GNTTABOP_cache_flush 12
struct gnttab_cache_flush {
    union {
        uint64_t dev_bus_addr;
        grant_ref_t ref;
    } a;
    uint16_t offset;
    uint16_t length;
#define GNTTAB_CACHE_CLEAN (1U << 0)
#define GNTTAB_CACHE_INVAL (1U << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1U << 31)
    uint32_t op;
};

/*
 * The status of one element (the <status> fields above):
 *   GNTST_okay               0  done
 *   GNTST_general_error     -1  none of the below: a flag combination not
 *                               served, a frame count beyond the maximum,
 *                               an entry the granter keeps changing
 *   GNTST_bad_domain        -2  <dom>/<domid> does not exist
 *   GNTST_bad_gntref        -3  <ref> beyond the granter's table, or no
 *                               GNTMAP_host_map / GNTMAP_device_map
 *   GNTST_bad_handle        -4  <handle> names no mapping of the caller
 *   GNTST_bad_virt_addr     -5  <host_addr> unaligned, outside RAM and
 *                               the window, in use by another mapping, or
 *                               not the one the handle was mapped at
 *   GNTST_bad_dev_addr      -6  (device address; not used)
 *   GNTST_no_device_space   -7  (IOMMU; not used)
 *   GNTST_permission_denied -8  the entry does not permit access to the
 *                               caller, or is read-only and write access
 *                               was asked; another domain's table
 *   GNTST_bad_page          -9  the granted frame (or <gmfn>) is not RAM
 *   GNTST_bad_copy_arg     -10  copy: offset + len passes the page's end
 *   GNTST_address_too_big  -11  (transfer; not used)
 *   GNTST_eagain           -12  (paging; not used)
 *   GNTST_no_space         -13  the caller has too many mappings
 */
#define GNTST_okay (0)
#define GNTST_general_error (-1)
#define GNTST_bad_domain (-2)
#define GNTST_bad_gntref (-3)
#define GNTST_bad_handle (-4)
#define GNTST_bad_virt_addr (-5)
#define GNTST_bad_dev_addr (-6)
#define GNTST_no_device_space (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page (-9)
#define GNTST_bad_copy_arg (-10)
#define GNTST_address_too_big (-11)
#define GNTST_eagain (-12)
#define GNTST_no_space (-13)

/* A message per status, indexed by -status. */
#define GNTTABOP_error_msgs                                                    \
    {                                                                          \
        "done", "general error", "no such domain", "bad grant reference",      \
            "bad mapping handle", "bad address to map at",                     \
            "bad device address", "no room in the I/O MMU",                    \
            "grant does not permit this access", "bad page",                   \
            "copy would cross a page boundary", "page address too large",      \
            "not done: try again", "out of mapping handles",                   \
    }

#endif /* PVABI_GRANT_TABLE_H */
