/* SPDX-License-Identifier: MIT */
/* gnttab.h: granting our pages to other domains, and mapping theirs. */
#ifndef PVGUEST_GNTTAB_H
#define PVGUEST_GNTTAB_H

#include <stdint.h>

#include <pvabi/grant_table.h>
#include <pvabi/xen.h>

/*
 * Our grant table is set up at boot (GNTTABOP_query_size, then
 * GNTTABOP_setup_table for every frame the hypervisor allows; it answers
 * frames already mapped in our physical space). Refs 0 to
 * GNTTAB_NR_RESERVED_ENTRIES - 1 are the toolstack's and never handed
 * out. Foreign grants are mapped into the grant window
 * (PVHV_GRANT_WINDOW_BASE), one page of it per mapping.
 *
 * Functions return 0 or a negative -XEN_Exxx; the map calls return the
 * hypervisor's GNTST_* status (0 = GNTST_okay, negative otherwise), as
 * said. Callable from any vCPU, not from event handlers.
 */

/*
 * gnttab_grant_access(domid, frame, readonly): lets domain (domid) map or
 * copy our page (frame) (read-only if (readonly)). Returns the grant ref
 * (>= GNTTAB_NR_RESERVED_ENTRIES), -XEN_ENOSPC when every ref is in use,
 * -XEN_ENOSYS when the hypervisor offered no grant table at boot.
 */
int gnttab_grant_access(domid_t domid, uint64_t frame, int readonly);

/*
 * gnttab_grant_range(domid, frame, n, readonly, refs): grants the (n)
 * frames from (frame) on, as gnttab_grant_access() each, storing their
 * refs in (refs)[0..n-1]: all or none, with one lock and one barrier for
 * them all (a buffer of several pages, as blkfront grants). Returns 0,
 * -XEN_ENOSPC when fewer than (n) refs are free, -XEN_EINVAL for (n) not
 * 1 to 32 or frames past 2^32, -XEN_ENOSYS as gnttab_grant_access().
 */
int gnttab_grant_range(domid_t domid, uint64_t frame, unsigned int n,
                       int readonly, grant_ref_t *refs);

/*
 * gnttab_end_access(ref): withdraws grant (ref) and frees the ref.
 * Returns 0, -XEN_EINVAL for a ref we did not hand out, or -XEN_EBUSY
 * while the grantee still has the page mapped (GTF_reading/GTF_writing):
 * the grant stays, and the page must not be reused; try again later.
 */
int gnttab_end_access(grant_ref_t ref);

/*
 * gnttab_is_busy(ref): 1 while the grantee has (ref) mapped (the
 * hypervisor's GTF_reading/GTF_writing), else 0.
 */
int gnttab_is_busy(grant_ref_t ref);

/* gnttab_free_count(): refs gnttab_grant_access() can still hand out. */
unsigned int gnttab_free_count(void);

/*
 * gnttab_map(dom, ref, readonly, addr, handle): maps grant (ref) of
 * domain (dom) at a free page of the grant window (GNTTABOP_map_grant_ref,
 * GNTMAP_host_map, plus GNTMAP_readonly if (readonly)); stores its
 * address in (*addr) and the mapping's handle in (*handle). Returns
 * GNTST_okay (0), the hypervisor's GNTST_* status, GNTST_no_space when
 * the window is full, or a -XEN_Exxx from the hypercall itself (these
 * overlap numerically only for -1: read it as GNTST_general_error).
 */
int gnttab_map(domid_t dom, grant_ref_t ref, int readonly, void **addr,
               grant_handle_t *handle);

/*
 * gnttab_unmap(addr, handle): undoes gnttab_map() and frees the window
 * page. Returns GNTST_okay or the hypervisor's status.
 */
int gnttab_unmap(void *addr, grant_handle_t handle);

/*
 * gnttab_map_raw(op): GNTTABOP_map_grant_ref with (op) exactly as given
 * (for tests of the hypervisor's checks); returns the hypercall's result,
 * the status being in op->status.
 */
int gnttab_map_raw(struct gnttab_map_grant_ref *op);

/*
 * gnttab_relocate(gpfn, va): moves our table's frames to guest frames
 * (gpfn), (gpfn) + 1, ... with XENMAPSPACE_grant_table (as Linux does,
 * into space that is not RAM) and uses them at (va), where the caller
 * has mapped those frames. Call it while no grant is being made or
 * ended. Returns 0 or the first failing call's error; frames moved
 * before it stay moved.
 */
int gnttab_relocate(uint64_t gpfn, void *va);

/* gnttab_ready(): 1 once the boot step set our table up, else 0. */
int gnttab_ready(void);

#endif /* PVGUEST_GNTTAB_H */
