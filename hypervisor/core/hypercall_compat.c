/* SPDX-License-Identifier: MIT */
/* hypercall_compat.c: 32-bit callers' structure layouts, translated at the
 * dispatcher. */
#include <stdbool.h>
#include <string.h>

#include "pvabi/compat.h"
#include "pvabi/errno.h"
#include "pvabi/grant_table.h"
#include "pvabi/memory.h"
#include "pvabi/sched.h"
#include "pvabi/vcpu.h"
#include "pvabi/version.h"
#include "core/domain.h"
#include "core/grant_table.h"
#include "core/hypercall_compat.h"
#include "core/log.h"
#include "core/memory_op.h"
#include "core/memory_reservation.h"
#include "core/sched_op.h"
#include "core/time.h"
#include "core/vcpu_op.h"

/*
 * Xen serves a caller outside 64-bit mode through its compat layer: each
 * structure whose layout differs for a 32-bit compiler is read in that
 * layout, turned into the native one, served by the native code, and
 * what the guest gets back is written in its layout again. Here each
 * translator does exactly that around the handler's typed helper; the
 * table below names them, and everything it does not name reaches the
 * native handler unchanged (the layouts are the same: events, the other
 * grant ops, HVM parameters, vCPU state, console_io...). A sub-op served
 * later with a structure holding a pointer, xen_ulong_t or xen_pfn_t
 * needs its row here too (VCPUOP_get_runstate_info, for one).
 */

#define MEMOP_CMD_MASK ((1U << XENMEM_EXTENT_SHIFT) - 1)

static int get(struct vcpu *v, void *dst, gva_t src, size_t len)
{
    if (copy_from_guest(&v->domain->ram, &v->ctx.paging, dst, src, len)) {
        gdprintk(v->domain, "hypercall (32-bit): bad argument 0x%llx",
                 (unsigned long long)src);
        return -XEN_EFAULT;
    }
    return 0;
}

static int put(struct vcpu *v, gva_t dst, const void *src, size_t len)
{
    if (copy_to_guest(&v->domain->ram, &v->ctx.paging, dst, src, len)) {
        gdprintk(v->domain, "hypercall (32-bit): bad argument 0x%llx",
                 (unsigned long long)dst);
        return -XEN_EFAULT;
    }
    return 0;
}

/* set_timer_op(lo, hi): Xen's compat signature splits the deadline. */
static long compat_set_timer_op(struct vcpu *v, const uint64_t arg[5])
{
    const uint64_t native[5] = {(arg[1] << 32) | (uint32_t)arg[0]};

    return do_set_timer_op(v, native);
}

/* ---- memory_op ----------------------------------------------------------- */

/* The reservation ops: the struct, and 4-byte entries in the extent list. */
static long compat_reservation(struct vcpu *v, const uint64_t arg[5])
{
    uint32_t cmd = (uint32_t)arg[0], op = cmd & MEMOP_CMD_MASK;
    uint32_t start = cmd >> XENMEM_EXTENT_SHIFT;
    struct compat_memory_reservation c;
    struct xen_memory_reservation r;
    struct extent_list list;
    bool preempted;
    long done;

    if (get(v, &c, arg[1], sizeof(c)))
        return start; /* as Xen: nothing done */
    r = (struct xen_memory_reservation){.extent_start = c.extent_start,
                                        .nr_extents = c.nr_extents,
                                        .extent_order = c.extent_order,
                                        .mem_flags = c.mem_flags,
                                        .domid = c.domid};
    list = (struct extent_list){.base = c.extent_start,
                                .width = sizeof(compat_pfn_t)};
    done = memory_reservation(v, op, start, &r, &list, &preempted);
    if (preempted) {
        const uint64_t next[5] = {op | ((uint64_t)done << XENMEM_EXTENT_SHIFT),
                                  arg[1]};

        return hypercall_continue(v, next);
    }
    return done;
}

static long compat_add_to_physmap(struct vcpu *v, const uint64_t arg[5])
{
    struct compat_add_to_physmap c;
    struct xen_add_to_physmap n;

    if ((uint32_t)arg[0] >> XENMEM_EXTENT_SHIFT > UINT16_MAX)
        return -XEN_EDOM;
    if (get(v, &c, arg[1], sizeof(c)))
        return -XEN_EFAULT;
    n = (struct xen_add_to_physmap){.domid = c.domid,
                                    .size = c.size,
                                    .space = c.space,
                                    .idx = c.idx,
                                    .gpfn = c.gpfn};
    return memory_add_to_physmap(v->domain, &n);
}

static long compat_memory_map(struct vcpu *v, const uint64_t arg[5])
{
    struct compat_memory_map c;
    struct xen_memory_map n;
    int rc;

    if (get(v, &c, arg[1], sizeof(c)))
        return -XEN_EFAULT;
    n = (struct xen_memory_map){.nr_entries = c.nr_entries, .buffer = c.buffer};
    rc = memory_map(v, &n);
    if (rc)
        return rc;
    c.nr_entries = n.nr_entries;
    return put(v, arg[1], &c, sizeof(c));
}

/* ---- grant_table_op ------------------------------------------------------ */

/* The checks do_grant_table_op makes before a sub-op. */
static int grant_args(struct vcpu *v, uint32_t count, uint32_t need)
{
    if (!v->domain->gnttab)
        return -XEN_ENOSYS;
    if (count > GNTTAB_MAX_BATCH || (need && count != need))
        return -XEN_EINVAL;
    return 0;
}

/*
 * setup_table: frame_list holds compat_pfn_t; a frame above 2^32 cannot
 * be told (Xen: GNTST_address_too_big), a list the guest cannot take is
 * GNTST_bad_virt_addr.
 */
static long compat_setup_table(struct vcpu *v, const uint64_t arg[5])
{
    struct compat_gnttab_setup_table c;
    struct gnttab_setup_table n;
    xen_pfn_t gfns[GNTTAB_MAX_FRAMES];
    int rc = grant_args(v, (uint32_t)arg[2], 1);

    if (rc || (rc = get(v, &c, arg[1], sizeof(c))))
        return rc;
    n = (struct gnttab_setup_table){.dom = c.dom, .nr_frames = c.nr_frames};
    gnttab_setup_table(v->domain, &n, gfns);
    for (uint32_t i = 0; n.status == GNTST_okay && i < n.nr_frames; i++) {
        compat_pfn_t f = (compat_pfn_t)gfns[i];

        if (f != gfns[i])
            n.status = GNTST_address_too_big;
        else if (put(v, c.frame_list + i * sizeof(f), &f, sizeof(f)))
            n.status = GNTST_bad_virt_addr;
    }
    c.status = n.status;
    return put(v, arg[1], &c, sizeof(c));
}

static struct gnttab_copy_ptr copy_ptr(const struct compat_gnttab_copy_ptr *c,
                                       bool gref)
{
    struct gnttab_copy_ptr n = {.domid = c->domid, .offset = c->offset};

    if (gref)
        n.u.ref = c->u.ref;
    else
        n.u.gmfn = c->u.gmfn;
    return n;
}

/* copy: element by element; only status goes back, as Xen writes it. */
static long compat_copy(struct vcpu *v, const uint64_t arg[5])
{
    uint32_t count = (uint32_t)arg[2];
    int rc = grant_args(v, count, 0);

    for (uint32_t i = 0; !rc && i < count; i++) {
        gva_t at = arg[1] + (uint64_t)i * sizeof(struct compat_gnttab_copy);
        struct compat_gnttab_copy c;
        struct gnttab_copy n;

        if ((rc = get(v, &c, at, sizeof(c))))
            break;
        n = (struct gnttab_copy){
            .source = copy_ptr(&c.source, c.flags & GNTCOPY_source_gref),
            .dest = copy_ptr(&c.dest, c.flags & GNTCOPY_dest_gref),
            .len = c.len,
            .flags = c.flags};
        gnttab_copy(v->domain, &n);
        rc = put(v, at + offsetof(struct compat_gnttab_copy, status), &n.status,
                 sizeof(n.status));
    }
    return rc;
}

/* ---- sched_op, xen_version, vcpu_op -------------------------------------- */

static long compat_poll(struct vcpu *v, const uint64_t arg[5])
{
    struct compat_sched_poll c;
    struct sched_poll n;

    if (get(v, &c, arg[1], sizeof(c)))
        return -XEN_EFAULT;
    n = (struct sched_poll){
        .ports = c.ports, .nr_ports = c.nr_ports, .timeout = c.timeout};
    return sched_poll(v, &n);
}

/* No hypervisor hole in a PVH guest's address space, in either mode. */
static long compat_platform_parameters(struct vcpu *v, const uint64_t arg[5])
{
    const struct compat_platform_parameters c = {.virt_start = 0};

    return put(v, arg[1], &c, sizeof(c));
}

static long compat_singleshot(struct vcpu *v, const uint64_t arg[5])
{
    struct domain *d = v->domain;
    uint32_t vcpuid = (uint32_t)arg[1];
    struct compat_vcpu_set_singleshot_timer c;
    struct vcpu_set_singleshot_timer n;

    if (vcpuid >= d->nr_vcpus)
        return -XEN_ENOENT;
    if (&d->vcpus[vcpuid] != v)
        return -XEN_EINVAL; /* before the copy, as the native op */
    if (get(v, &c, arg[2], sizeof(c)))
        return -XEN_EFAULT;
    n = (struct vcpu_set_singleshot_timer){.timeout_abs_ns = c.timeout_abs_ns,
                                           .flags = c.flags};
    return vcpu_set_singleshot_timer(v, &d->vcpus[vcpuid], &n);
}

/* ---- The table ------------------------------------------------------------
 */

static const hypercall_fn memory_op_compat[] = {
    [XENMEM_increase_reservation] = compat_reservation,
    [XENMEM_decrease_reservation] = compat_reservation,
    [XENMEM_populate_physmap] = compat_reservation,
    [XENMEM_add_to_physmap] = compat_add_to_physmap,
    [XENMEM_memory_map] = compat_memory_map,
};

static const hypercall_fn grant_table_op_compat[] = {
    [GNTTABOP_setup_table] = compat_setup_table,
    [GNTTABOP_copy] = compat_copy,
};

static const hypercall_fn sched_op_compat[] = {
    [SCHEDOP_poll] = compat_poll,
};

static const hypercall_fn xen_version_compat[] = {
    [XENVER_platform_parameters] = compat_platform_parameters,
};

static const hypercall_fn vcpu_op_compat[] = {
    [VCPUOP_set_singleshot_timer] = compat_singleshot,
};

/*
 * A hypercall translated whole (whole), or some of its sub-ops: (subop)
 * indexed by arg[0] & (mask), a NULL slot (or one beyond) taking the
 * native path.
 */
struct compat_call {
    hypercall_fn whole;
    const hypercall_fn *subop;
    uint32_t nr_subops;
    uint32_t mask;
};

#define SUBOPS(table, cmd_mask)                                                \
    {                                                                          \
        NULL, table, sizeof(table) / sizeof(table[0]), cmd_mask                \
    }

static const struct compat_call compat_table[XEN_HYPERCALL_MAX] = {
    [__HYPERVISOR_set_timer_op] = {compat_set_timer_op, NULL, 0, 0},
    [__HYPERVISOR_memory_op] = SUBOPS(memory_op_compat, MEMOP_CMD_MASK),
    [__HYPERVISOR_grant_table_op] = SUBOPS(grant_table_op_compat, ~0U),
    [__HYPERVISOR_sched_op] = SUBOPS(sched_op_compat, ~0U),
    [__HYPERVISOR_xen_version] = SUBOPS(xen_version_compat, ~0U),
    [__HYPERVISOR_vcpu_op] = SUBOPS(vcpu_op_compat, ~0U),
};

long hypercall_compat(struct vcpu *v, uint64_t nr, uint64_t arg[5],
                      hypercall_fn fn)
{
    const struct compat_call *c = &compat_table[nr];
    uint32_t sub = (uint32_t)arg[0] & c->mask;

    if (c->whole)
        return c->whole(v, arg);
    if (sub < c->nr_subops && c->subop[sub])
        return c->subop[sub](v, arg);
    return fn(v, arg);
}
