/* SPDX-License-Identifier: MIT */
/* grant_table.h: grant tables (v1): domains sharing pages by reference. */
#ifndef PVHV_CORE_GRANT_TABLE_H
#define PVHV_CORE_GRANT_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"
#include "core/error.h"
#include "pvabi/grant_table.h"

struct domain;
struct vcpu;

/*
 * gnttab_domain_init: gives (d) a grant table of (max_frames) frames
 * (0: 32, Xen's default), its frames being special pages 1 ... max of
 * the platform, mapped at the guest frames (first_gfn ...) of the boot
 * region so that GNTTABOP_setup_table can answer frames already mapped.
 * gnttab_domain_destroy: drops every mapping (d) holds of other domains'
 * grants (their GTF_reading/GTF_writing cleared) and its own table.
 */
int gnttab_domain_init(struct domain *d, unsigned int max_frames,
                       uint64_t first_gfn);
void gnttab_domain_destroy(struct domain *d);

long do_grant_table_op(struct vcpu *v, const uint64_t arg[5]);

/*
 * Xen splits long batches into continuations; pvhv runs a batch in one
 * go, so it bounds its length: the vCPU cannot be stopped meanwhile.
 * More elements in one call: -XEN_EINVAL.
 */
#define GNTTAB_MAX_BATCH 4096

/*
 * The sub-op helpers behind do_grant_table_op, (d) being the caller. Each
 * sets op->status (GNTST_*). gnttab_setup_table writes the frames' guest
 * frame numbers to (gfns), room for GNTTAB_MAX_FRAMES. gnttab_get_version
 * returns 0, -XEN_ESRCH or -XEN_EPERM.
 */
#define GNTTAB_MAX_FRAMES PVHV_MAX_GRANT_FRAMES
void gnttab_map_grant_ref(struct domain *d, struct gnttab_map_grant_ref *op);
void gnttab_unmap_grant_ref(struct domain *d,
                            struct gnttab_unmap_grant_ref *op);
void gnttab_copy(struct domain *d, struct gnttab_copy *op);
void gnttab_setup_table(struct domain *d, struct gnttab_setup_table *op,
                        xen_pfn_t *gfns);
void gnttab_query_size(struct domain *d, struct gnttab_query_size *op);
int gnttab_get_version(struct domain *d, struct gnttab_get_version *op);

/*
 * gnttab_add_to_physmap: XENMAPSPACE_grant_table: makes frame (idx) of
 * (d)'s table appear at guest frame (gpfn) too, a RAM frame or one of the
 * grant window; setup_table reports it there from then on. Returns 0 or
 * -XEN_EINVAL (bad idx or gpfn), -XEN_ENOSYS (no table).
 */
int gnttab_add_to_physmap(struct domain *d, uint64_t idx, uint64_t gpfn);

/*
 * gnttab_step_init / gnttab_step_fini: the "grants" build step: a table
 * of cfg->max_grant_frames (0: 32) at d->grant_frames_gfn, its reserved
 * entries for the console and XenStore rings granted to domain 0.
 */
struct domain_config;
struct pvhv_error;
int gnttab_step_init(struct domain *d, const struct domain_config *cfg,
                     struct pvhv_error *err);
void gnttab_step_fini(struct domain *d);

/*
 * Hypervisor backends (domain 0) reach a guest's granted page directly in
 * its RAM: gnttab_host_map checks that (granter) grants (ref) to domain 0
 * (read-only if (readonly)), sets GTF_reading/GTF_writing as a mapping
 * would, and returns the page's host address in m->addr. Returns GNTST_*.
 * gnttab_host_unmap clears the flags again. Any thread.
 */
struct gnttab_host_map {
    struct domain *granter;
    grant_ref_t ref;
    bool readonly;
    void *addr;
};
int gnttab_host_map(struct domain *granter, grant_ref_t ref, bool readonly,
                    struct gnttab_host_map *m);
void gnttab_host_unmap(struct gnttab_host_map *m);

#endif /* PVHV_CORE_GRANT_TABLE_H */
