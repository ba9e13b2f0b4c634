/* SPDX-License-Identifier: MIT */
/* memory_op.c: memory_op(cmd, arg): shared_info placement, reservations, memory
 * map. */
#include <string.h>

#include "pvabi/errno.h"
#include "pvabi/memory.h"
#include "pvabi/start_info.h"
#include "core/domain.h"
#include "core/grant_table.h"
#include "core/hypercall_handler.h"
#include "core/log.h"
#include "core/memory_op.h"
#include "core/memory_reservation.h"
#include "core/domain_lookup.h"
#include "core/registry.h"
#include "core/platform.h"

/*
 * Xen reads cmd's low 6 bits as the sub-op and keeps a continued
 * reservation op's start extent above them; the sub-ops that do not
 * continue refuse a non-zero extent, as Xen's do.
 */
#define MEMOP_EXTENT_SHIFT XENMEM_EXTENT_SHIFT
#define MEMOP_CMD_MASK ((1U << MEMOP_EXTENT_SHIFT) - 1)

/* The platform's special page 0 is the domain's shared_info. */
#define SPECIAL_PAGE_SHARED_INFO 0

/*
 * check_self: memory_op acts on the caller only. Another domain's id
 * answers as Xen does without privilege: -ESRCH if it does not exist,
 * -EPERM if it does.
 */
static int check_self(struct domain *d, domid_t domid)
{
    static const struct domain_lookup self_only = {.rights = LOOKUP_SELF};
    struct domain *td;

    if (domid == DOMID_SELF || domid == d->domid)
        return 0; /* without the registry's lock */
    return domain_lookup(d, domid, &self_only, &td);
}

/*
 * map_shared_info: puts shared_info at guest frame (gpfn), which must be
 * RAM. The page behind it is hidden while shared_info is there; moved, as
 * on Xen, shared_info leaves its old frame, whose RAM page comes back: it
 * is at one frame at a time, one mapping however often the guest moves it.
 */
static int map_shared_info(struct domain *d,
                           const struct xen_add_to_physmap *op)
{
    uint64_t old = d->shared_info_gfn;
    int rc;

    if (op->idx != 0 || op->gpfn > (UINT64_MAX >> XEN_PAGE_SHIFT) ||
        !guest_ram_ptr(&d->ram, op->gpfn << XEN_PAGE_SHIFT, XEN_PAGE_SIZE)) {
        gdprintk(d,
                 "memory_op: shared_info idx %llu at frame 0x%llx: not "
                 "index 0 on a RAM frame",
                 (unsigned long long)op->idx, (unsigned long long)op->gpfn);
        return -XEN_EINVAL;
    }
    rc = platform_map_special_pages(d, SPECIAL_PAGE_SHARED_INFO, 1,
                                    op->gpfn << XEN_PAGE_SHIFT);
    if (rc)
        return -XEN_EINVAL;
    if (d->shared_info_mapped && old != op->gpfn)
        platform_unmap_foreign_page(d, old << XEN_PAGE_SHIFT);
    d->shared_info_mapped = true;
    d->shared_info_gfn = op->gpfn;
    return 0;
}

int memory_add_to_physmap(struct domain *d, const struct xen_add_to_physmap *op)
{
    int rc = check_self(d, op->domid);

    if (rc)
        return rc;
    switch (op->space) {
    case XENMAPSPACE_shared_info:
        return map_shared_info(d, op);
    case XENMAPSPACE_grant_table:
        return gnttab_add_to_physmap(d, op->idx, op->gpfn);
    case XENMAPSPACE_gmfn:
    case XENMAPSPACE_gmfn_range:
    case XENMAPSPACE_gmfn_foreign:
    case XENMAPSPACE_dev_mmio:
        return -XEN_ENOSYS;
    default:
        gdprintk(d, "memory_op: add_to_physmap space %u unknown", op->space);
        return -XEN_EINVAL;
    }
}

static long add_to_physmap_op(struct vcpu *v, gva_t arg)
{
    struct domain *d = v->domain;
    struct xen_add_to_physmap op;

    if (copy_from_guest(&d->ram, &v->ctx.paging, &op, arg, sizeof(op))) {
        gdprintk(d, "memory_op: bad argument 0x%llx", (unsigned long long)arg);
        return -XEN_EFAULT;
    }
    return memory_add_to_physmap(d, &op);
}

/* reservation_op: the pages (d) holds (current) or may hold (maximum). */
static long reservation_op(struct vcpu *v, unsigned int op, gva_t arg)
{
    struct domain *d = v->domain;
    domid_t domid;
    int rc;

    if (copy_from_guest(&d->ram, &v->ctx.paging, &domid, arg, sizeof(domid))) {
        gdprintk(d, "memory_op: bad argument 0x%llx", (unsigned long long)arg);
        return -XEN_EFAULT;
    }
    rc = check_self(d, domid);
    if (rc)
        return rc;
    if (op == XENMEM_current_reservation)
        return (long)memory_current_pages(d);
    return (long)memory_max_pages(d);
}

static long reservation_change_op(struct vcpu *v, unsigned int cmd, gva_t arg)
{
    unsigned int op = cmd & MEMOP_CMD_MASK, start = cmd >> MEMOP_EXTENT_SHIFT;
    struct xen_memory_reservation r;
    struct extent_list list;
    bool preempted;
    long done;

    if (copy_from_guest(&v->domain->ram, &v->ctx.paging, &r, arg, sizeof(r))) {
        gdprintk(v->domain, "memory_op: bad argument 0x%llx",
                 (unsigned long long)arg);
        return start; /* as Xen: nothing done */
    }
    list = (struct extent_list){.base = r.extent_start,
                                .width = sizeof(xen_pfn_t)};
    done = memory_reservation(v, op, start, &r, &list, &preempted);
    if (preempted) {
        const uint64_t next[5] = {op | ((uint64_t)done << MEMOP_EXTENT_SHIFT),
                                  arg};

        return hypercall_continue(v, next);
    }
    return done;
}

/*
 * copy_map: writes the first (n) entries of the boot map (hvm_memmap
 * layout, in guest RAM at d->memmap) to guest-virtual (buf) as E820
 * entries. Returns 0, -ENOSYS (no map) or -EFAULT.
 */
static int copy_map(struct vcpu *v, gva_t buf, uint32_t n)
{
    struct domain *d = v->domain;
    const struct hvm_memmap_table_entry *map;

    map = guest_ram_ptr(&d->ram, d->memmap, (uint64_t)n * sizeof(*map));
    if (!map)
        return -XEN_ENOSYS;
    for (uint32_t i = 0; i < n; i++) {
        struct hvm_memmap_table_entry m;
        struct e820entry e;

        memcpy(&m, &map[i], sizeof(m)); /* guest memory: read it once */
        e.addr = m.addr;
        e.size = m.size;
        e.type = m.type;
        if (copy_to_guest(&d->ram, &v->ctx.paging,
                          buf + (uint64_t)i * sizeof(e), &e, sizeof(e)))
            return -XEN_EFAULT;
    }
    return 0;
}

int memory_map(struct vcpu *v, struct xen_memory_map *op)
{
    struct domain *d = v->domain;

    if (d->memmap_entries == 0)
        return -XEN_ENOSYS; /* as Xen, for a domain without a map */
    if (op->nr_entries > d->memmap_entries)
        op->nr_entries = d->memmap_entries;
    return copy_map(v, op->buffer, op->nr_entries);
}

static long memory_map_op(struct vcpu *v, gva_t arg)
{
    struct domain *d = v->domain;
    struct xen_memory_map op;
    int rc;

    if (copy_from_guest(&d->ram, &v->ctx.paging, &op, arg, sizeof(op)))
        goto fault;
    rc = memory_map(v, &op);
    if (rc == -XEN_EFAULT)
        goto fault;
    if (rc)
        return rc;
    if (copy_to_guest(&d->ram, &v->ctx.paging, arg, &op, sizeof(op)))
        goto fault;
    return 0;
fault:
    gdprintk(d, "memory_map: bad argument 0x%llx or buffer",
             (unsigned long long)arg);
    return -XEN_EFAULT;
}

long do_memory_op(struct vcpu *v, const uint64_t arg[5])
{
    uint32_t cmd = (uint32_t)arg[0], op = cmd & MEMOP_CMD_MASK;

    switch (op) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return reservation_change_op(v, cmd, arg[1]);
    case XENMEM_add_to_physmap:
        /* Xen: the extent would be a gmfn_range's size (16 bits). */
        if (cmd >> MEMOP_EXTENT_SHIFT > UINT16_MAX)
            return -XEN_EDOM;
        return add_to_physmap_op(v, arg[1]);
    case XENMEM_maximum_ram_page:
        if (cmd >> MEMOP_EXTENT_SHIFT)
            return -XEN_EINVAL;
        return (long)memory_max_ram_page(v->domain);
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
        if (cmd >> MEMOP_EXTENT_SHIFT)
            return -XEN_EINVAL;
        return reservation_op(v, op, arg[1]);
    case XENMEM_memory_map:
        return memory_map_op(v, arg[1]);
    default: /* exchange, maximum_gpfn, add_to_physmap_batch, ... */
        return -XEN_ENOSYS;
    }
}
