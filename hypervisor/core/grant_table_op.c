/* SPDX-License-Identifier: MIT */
/* grant_table_op.c: grant_table_op(cmd, uop, count): copy each op in,
 * gnttab_<op>(), copy out. */
#include "pvabi/errno.h"
#include "pvabi/grant_table.h"
#include "core/domain.h"
#include "core/grant_table.h"
#include "core/hypercall_handler.h"
#include "core/log.h"

static int copy_in(struct vcpu *v, void *op, gva_t arg, size_t len)
{
    if (copy_from_guest(&v->domain->ram, &v->ctx.paging, op, arg, len)) {
        gdprintk(v->domain, "grant_table_op: bad argument 0x%llx",
                 (unsigned long long)arg);
        return -XEN_EFAULT;
    }
    return 0;
}

static int copy_out(struct vcpu *v, gva_t arg, const void *op, size_t len)
{
    if (copy_to_guest(&v->domain->ram, &v->ctx.paging, arg, op, len)) {
        gdprintk(v->domain, "grant_table_op: bad argument 0x%llx",
                 (unsigned long long)arg);
        return -XEN_EFAULT;
    }
    return 0;
}

/*
 * The batched ops: element i at uop + i * size; each copied in, done,
 * copied out before the next is read (a later element may be the page
 * an earlier one mapped).
 */
#define BATCH(name, type)                                                      \
    static long op_##name(struct vcpu *v, gva_t uop, uint32_t count)           \
    {                                                                          \
        for (uint32_t i = 0; i < count; i++) {                                 \
            gva_t arg = uop + (uint64_t)i * sizeof(type);                      \
            type op;                                                           \
            int rc = copy_in(v, &op, arg, sizeof(op));                         \
                                                                               \
            if (rc)                                                            \
                return rc;                                                     \
            gnttab_##name(v->domain, &op);                                     \
            rc = copy_out(v, arg, &op, sizeof(op));                            \
            if (rc)                                                            \
                return rc;                                                     \
        }                                                                      \
        return 0;                                                              \
    }

BATCH(map_grant_ref, struct gnttab_map_grant_ref)
BATCH(unmap_grant_ref, struct gnttab_unmap_grant_ref)
BATCH(copy, struct gnttab_copy)
BATCH(query_size, struct gnttab_query_size)

/*
 * setup_table: a frame_list the guest cannot take fails the op with
 * GNTST_bad_virt_addr, as on Xen; only a bad op pointer is -EFAULT.
 */
static long op_setup_table(struct vcpu *v, gva_t uop)
{
    struct gnttab_setup_table op;
    xen_pfn_t gfns[GNTTAB_MAX_FRAMES];
    int rc = copy_in(v, &op, uop, sizeof(op));

    if (rc)
        return rc;
    gnttab_setup_table(v->domain, &op, gfns);
    if (op.status == GNTST_okay &&
        copy_to_guest(&v->domain->ram, &v->ctx.paging, op.frame_list, gfns,
                      op.nr_frames * sizeof(gfns[0])))
        op.status = GNTST_bad_virt_addr;
    return copy_out(v, uop, &op, sizeof(op));
}

/* set_version: version 1 is the only one, and always in force. */
static long op_set_version(struct vcpu *v, gva_t uop)
{
    struct gnttab_set_version op;
    uint32_t asked;
    int rc = copy_in(v, &op, uop, sizeof(op));

    if (rc)
        return rc;
    asked = op.version;
    op.version = 1;
    rc = copy_out(v, uop, &op, sizeof(op));
    if (rc)
        return rc;
    if (asked == 1)
        return 0;
    return asked == 2 ? -XEN_EOPNOTSUPP : -XEN_EINVAL;
}

static long op_get_version(struct vcpu *v, gva_t uop)
{
    struct gnttab_get_version op;
    int rc = copy_in(v, &op, uop, sizeof(op));

    if (!rc)
        rc = gnttab_get_version(v->domain, &op);
    return rc ? rc : copy_out(v, uop, &op, sizeof(op));
}

static long single(struct vcpu *v, uint32_t cmd, gva_t uop)
{
    switch (cmd) {
    case GNTTABOP_setup_table:
        return op_setup_table(v, uop);
    case GNTTABOP_query_size:
        return op_query_size(v, uop, 1);
    case GNTTABOP_set_version:
        return op_set_version(v, uop);
    case GNTTABOP_get_version:
        return op_get_version(v, uop);
    default:
        return -XEN_ENOSYS;
    }
}

long do_grant_table_op(struct vcpu *v, const uint64_t arg[5])
{
    uint32_t cmd = (uint32_t)arg[0], count = (uint32_t)arg[2];
    gva_t uop = arg[1];

    if (!v->domain->gnttab)
        return -XEN_ENOSYS;
    if (count > GNTTAB_MAX_BATCH) {
        gdprintk(v->domain, "grant_table_op: count %u, at most %u", count,
                 GNTTAB_MAX_BATCH);
        return -XEN_EINVAL;
    }
    switch (cmd) {
    case GNTTABOP_map_grant_ref:
        return op_map_grant_ref(v, uop, count);
    case GNTTABOP_unmap_grant_ref:
        return op_unmap_grant_ref(v, uop, count);
    case GNTTABOP_copy:
        return op_copy(v, uop, count);
    case GNTTABOP_setup_table:
    case GNTTABOP_query_size:
    case GNTTABOP_set_version:
    case GNTTABOP_get_version:
        /* As on Xen: these take exactly one struct. */
        return count == 1 ? single(v, cmd, uop) : -XEN_EINVAL;
    default: /* dump_table, transfer, unmap_and_replace, v2 ops, ... */
        return -XEN_ENOSYS;
    }
}
