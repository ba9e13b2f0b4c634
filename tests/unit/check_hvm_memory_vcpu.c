/* SPDX-License-Identifier: MIT */
/* check_hvm_memory_vcpu.c: the hvm_op, memory_op and vcpu_op handlers. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pvabi/compat.h"
#include "pvabi/errno.h"
#include "pvabi/hvm.h"
#include "pvabi/memory.h"
#include "pvabi/pvhv.h"
#include "pvabi/start_info.h"
#include "pvabi/vcpu.h"
#include "pvabi/version.h"
#include "pvabi/xen.h"
#include "core/domain.h"
#include "core/grant_table.h"
#include "core/hypercall.h"
#include "domain_fixture.h"
#include "core/runstate.h"
#include "core/schedule.h"
#include "core/time.h"

#define RAM_SIZE (1ULL << 20)
#define ARG 0x1000ULL    /* hypercall arguments */
#define BUF 0x2000ULL    /* an output buffer */
#define MEMMAP 0x3000ULL /* the boot memory map */
#define BAD_VA 0x10000000ULL

/*
 * Domain 1 with two vCPUs (vCPU 0 up, vCPU 1 down), domain 2 beside it,
 * built by domain_build over the fake platform (domain_fixture.h),
 * without a grant table (check_grant_table's) nor the reservation step's
 * bitmap (the tests give one where they use it). Where a call reaches the
 * platform, the tests hide the VM (d->pv) to see what its refusal gives.
 */
static struct domain *d, *other;
static struct vcpu *v0, *v1;

static struct domain *mkdom(uint16_t domid, unsigned int nr_vcpus)
{
    struct pvhv_domain_config cfg;
    struct domain *dom;

    fixture_config(&cfg, RAM_SIZE);
    cfg.vcpus = nr_vcpus;
    dom = fixture_domain(&cfg, domid);
    gnttab_domain_destroy(dom);
    free((void *)dom->ram.released);
    dom->ram.released = NULL;
    return dom;
}

static void setup(void)
{
    d = mkdom(1, 2);
    other = mkdom(2, 1);
    v0 = &d->vcpus[0];
    v1 = &d->vcpus[1];
}

static void teardown(void)
{
    fixture_destroy(d);
    fixture_destroy(other);
}

static long call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    uint64_t arg[5] = {a0, a1, a2, 0, 0};

    return hypercall_dispatch(v0, nr, arg);
}

static void put(uint64_t gpa, const void *src, size_t len)
{
    memcpy(d->ram.host + gpa, src, len);
}

static void get(void *dst, uint64_t gpa, size_t len)
{
    memcpy(dst, d->ram.host + gpa, len);
}

/* ---- hvm_op ------------------------------------------------------------ */

static long param(uint32_t op, domid_t domid, uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = {.domid = domid, .index = index, .value = *value};
    long rc;

    put(ARG, &p, sizeof(p));
    rc = call(__HYPERVISOR_hvm_op, op, ARG, 0);
    get(&p, ARG, sizeof(p));
    *value = p.value;
    return rc;
}

#define CALLBACK_VECTOR(v) ((2ULL << 56) | (v))

START_TEST(test_callback_vector)
{
    uint64_t val = CALLBACK_VECTOR(0xf3);

    ck_assert_int_eq(
        param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val), 0);
    ck_assert_uint_eq(d->callback_vector, 0xf3);
    val = 0;
    ck_assert_int_eq(
        param(HVMOP_get_param, d->domid, HVM_PARAM_CALLBACK_IRQ, &val), 0);
    ck_assert_uint_eq(val, CALLBACK_VECTOR(0xf3));
    /* Exception vectors and the other callback types are refused. */
    val = CALLBACK_VECTOR(15);
    ck_assert_int_eq(
        param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val),
        -XEN_EINVAL);
    val = 5; /* GSI 5 */
    ck_assert_int_eq(
        param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val),
        -XEN_EINVAL);
    val = (1ULL << 56) | 0x20; /* PCI INTx */
    ck_assert_int_eq(
        param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val),
        -XEN_EINVAL);
    ck_assert_uint_eq(d->callback_vector, 0xf3);
    val = CALLBACK_VECTOR(16);
    ck_assert_int_eq(
        param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val), 0);
    ck_assert_uint_eq(d->callback_vector, 16);
    val = 0; /* off */
    ck_assert_int_eq(
        param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val), 0);
    ck_assert_uint_eq(d->callback_vector, 0);
}
END_TEST

START_TEST(test_params)
{
    static const uint32_t toolstack[] = {
        HVM_PARAM_STORE_PFN,
        HVM_PARAM_STORE_EVTCHN,
        HVM_PARAM_CONSOLE_PFN,
        HVM_PARAM_CONSOLE_EVTCHN,
    };
    uint64_t val;

    for (unsigned int i = 0; i < 4; i++) {
        d->hvm_param[toolstack[i]] = 0x100 + i;
        val = 0;
        ck_assert_int_eq(param(HVMOP_get_param, DOMID_SELF, toolstack[i], &val),
                         0);
        ck_assert_uint_eq(val, 0x100 + i);
        val = 7;
        ck_assert_int_eq(param(HVMOP_set_param, DOMID_SELF, toolstack[i], &val),
                         -XEN_EPERM);
        ck_assert_uint_eq(d->hvm_param[toolstack[i]], 0x100 + i);
    }
    val = 1;
    ck_assert_int_eq(param(HVMOP_get_param, DOMID_SELF, 10, &val), 0);
    ck_assert_uint_eq(val, 0);
    ck_assert_int_eq(param(HVMOP_set_param, DOMID_SELF, 10, &val), -XEN_EPERM);
    ck_assert_int_eq(param(HVMOP_get_param, DOMID_SELF, HVM_NR_PARAMS, &val),
                     -XEN_EINVAL);
    ck_assert_int_eq(param(HVMOP_set_param, DOMID_SELF, UINT32_MAX, &val),
                     -XEN_EINVAL);
}
END_TEST

START_TEST(test_param_domains)
{
    uint64_t val = 0;

    ck_assert_int_eq(
        param(HVMOP_get_param, other->domid, HVM_PARAM_STORE_PFN, &val),
        -XEN_EPERM);
    ck_assert_int_eq(param(HVMOP_get_param, 99, HVM_PARAM_STORE_PFN, &val),
                     -XEN_ESRCH);
    /* Domain 0, the host's ports, exists: another domain's. */
    ck_assert_int_eq(param(HVMOP_get_param, 0, HVM_PARAM_STORE_PFN, &val),
                     -XEN_EPERM);
    ck_assert_int_eq(param(HVMOP_set_param, 99, HVM_PARAM_STORE_PFN, &val),
                     -XEN_ESRCH);
    /* A privileged caller reads and sets another domain's. */
    d->privileged = true;
    val = 0x55;
    ck_assert_int_eq(
        param(HVMOP_set_param, other->domid, HVM_PARAM_STORE_PFN, &val), 0);
    ck_assert_uint_eq(other->hvm_param[HVM_PARAM_STORE_PFN], 0x55);
    val = 0;
    ck_assert_int_eq(
        param(HVMOP_get_param, other->domid, HVM_PARAM_STORE_PFN, &val), 0);
    ck_assert_uint_eq(val, 0x55);
}
END_TEST

static long upcall_vector(uint32_t vcpu, uint8_t vector)
{
    struct xen_hvm_evtchn_upcall_vector op = {.vcpu = vcpu, .vector = vector};

    put(ARG, &op, sizeof(op));
    return call(__HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, ARG, 0);
}

START_TEST(test_upcall_vector)
{
    uint64_t val = 1; /* GSI 1, as Linux sets it with per-vCPU vectors */

    /* Without local APICs: not offered, and GSIs refused. */
    ck_assert_int_eq(upcall_vector(0, 0xf3), -XEN_ENOSYS);
    ck_assert_int_eq(
        param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val),
        -XEN_EINVAL);
    d->lapic = true;
    ck_assert_int_eq(upcall_vector(0, 0x0f), -XEN_EINVAL);
    ck_assert_int_eq(upcall_vector(2, 0xf3), -XEN_ENOENT);
    ck_assert_int_eq(upcall_vector(UINT32_MAX, 0xf3), -XEN_ENOENT);
    ck_assert_uint_eq(v0->upcall_vector, 0);
    ck_assert_int_eq(
        call(__HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, BAD_VA, 0),
        -XEN_EFAULT);
    /* Set for vCPU 1 from vCPU 0, with an upcall already pending there:
     * raised at once. */
    v1->vcpu_info->evtchn_upcall_pending = 1;
    ck_assert_int_eq(upcall_vector(1, 0x10), 0);
    ck_assert_uint_eq(v1->upcall_vector, 0x10);
    ck_assert(v1->upcall_raise);
    ck_assert_int_eq(upcall_vector(0, 0xf3), 0);
    ck_assert_uint_eq(v0->upcall_vector, 0xf3);
    ck_assert(!v0->upcall_raise);
    /* GSI 1 is kept and delivers nothing. */
    d->callback_vector = 0xf0;
    ck_assert_int_eq(
        param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val), 0);
    ck_assert_uint_eq(d->callback_vector, 0);
    val = 0;
    ck_assert_int_eq(
        param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val), 0);
    ck_assert_uint_eq(val, 1);
}
END_TEST

START_TEST(test_hvm_op_errors)
{
    ck_assert_int_eq(call(__HYPERVISOR_hvm_op, HVMOP_get_param, BAD_VA, 0),
                     -XEN_EFAULT);
    ck_assert_int_eq(
        call(__HYPERVISOR_hvm_op, HVMOP_set_param, RAM_SIZE - 8, 0),
        -XEN_EFAULT);
    ck_assert_int_eq(
        call(__HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, ARG, 0),
        -XEN_ENOSYS);
    ck_assert_int_eq(call(__HYPERVISOR_hvm_op, 2, ARG, 0), -XEN_ENOSYS);
}
END_TEST

/* ---- memory_op --------------------------------------------------------- */

static long physmap(domid_t domid, uint32_t space, uint64_t idx, uint64_t gpfn)
{
    struct xen_add_to_physmap op = {
        .domid = domid, .space = space, .idx = idx, .gpfn = gpfn};

    put(ARG, &op, sizeof(op));
    return call(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG, 0);
}

START_TEST(test_add_to_physmap)
{
    ck_assert_int_eq(physmap(other->domid, XENMAPSPACE_shared_info, 0, 0x10),
                     -XEN_EPERM);
    ck_assert_int_eq(physmap(99, XENMAPSPACE_shared_info, 0, 0x10), -XEN_ESRCH);
    ck_assert_int_eq(physmap(DOMID_SELF, XENMAPSPACE_shared_info, 1, 0x10),
                     -XEN_EINVAL);
    ck_assert_int_eq(
        physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, RAM_SIZE >> 12),
        -XEN_EINVAL);
    ck_assert_int_eq(
        physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, UINT64_MAX),
        -XEN_EINVAL);
    ck_assert_int_eq(physmap(DOMID_SELF, XENMAPSPACE_grant_table, 0, 0x10),
                     -XEN_ENOSYS);
    ck_assert_int_eq(physmap(DOMID_SELF, XENMAPSPACE_gmfn, 0, 0x10),
                     -XEN_ENOSYS);
    ck_assert_int_eq(physmap(DOMID_SELF, XENMAPSPACE_gmfn_foreign, 0, 0x10),
                     -XEN_ENOSYS);
    ck_assert_int_eq(physmap(DOMID_SELF, 99, 0, 0x10), -XEN_EINVAL);
    ck_assert(!d->shared_info_mapped);
    /* Valid arguments reach the platform, absent here: its error. */
    struct platform_vm *vm = d->pv;
    d->pv = NULL;
    ck_assert_int_eq(physmap(d->domid, XENMAPSPACE_shared_info, 0, 0x10),
                     -XEN_EINVAL);
    d->pv = vm;
    ck_assert(!d->shared_info_mapped);
    ck_assert_int_eq(
        call(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, BAD_VA, 0),
        -XEN_EFAULT);
}
END_TEST

static long reservation(uint32_t cmd, domid_t domid)
{
    put(ARG, &domid, sizeof(domid));
    return call(__HYPERVISOR_memory_op, cmd, ARG, 0);
}

START_TEST(test_reservation)
{
    ck_assert_int_eq(reservation(XENMEM_current_reservation, DOMID_SELF),
                     RAM_SIZE >> 12);
    ck_assert_int_eq(reservation(XENMEM_maximum_reservation, DOMID_SELF),
                     RAM_SIZE >> 12);
    ck_assert_int_eq(reservation(XENMEM_current_reservation, d->domid),
                     RAM_SIZE >> 12);
    ck_assert_int_eq(reservation(XENMEM_current_reservation, other->domid),
                     -XEN_EPERM);
    ck_assert_int_eq(reservation(XENMEM_maximum_reservation, 99), -XEN_ESRCH);
    ck_assert_int_eq(reservation(XENMEM_current_reservation, 0), -XEN_EPERM);
    ck_assert_int_eq(call(__HYPERVISOR_memory_op, XENMEM_current_reservation,
                          RAM_SIZE - 1, 0),
                     -XEN_EFAULT);
    ck_assert_int_eq(call(__HYPERVISOR_memory_op,
                          XENMEM_current_reservation | 1 << 6, ARG, 0),
                     -XEN_EINVAL);
    ck_assert_int_eq(
        call(__HYPERVISOR_memory_op, XENMEM_maximum_ram_page, 0, 0),
        RAM_SIZE >> 12);
    ck_assert_int_eq(
        call(__HYPERVISOR_memory_op, XENMEM_maximum_ram_page | 1 << 6, 0, 0),
        -XEN_EINVAL);
    ck_assert_int_eq(call(__HYPERVISOR_memory_op, 63, ARG, 0), -XEN_ENOSYS);
}
END_TEST

/* rsv: a reservation op on (n) extents of order (order) listed at LIST. */
#define LIST (ARG + 0x100)
static long rsv(uint32_t cmd, const xen_pfn_t *pfns, uint64_t n,
                unsigned int order)
{
    struct xen_memory_reservation r = {.extent_start = LIST,
                                       .nr_extents = n,
                                       .extent_order = order,
                                       .domid = DOMID_SELF};

    put(ARG, &r, sizeof(r));
    put(LIST, pfns, n * sizeof(*pfns));
    return call(__HYPERVISOR_memory_op, cmd, ARG, 0);
}

/* The accounting and Xen's counts (the host's memory: balloon.sh). */
START_TEST(test_reservation_ops)
{
    const xen_pfn_t frames[3] = {0x10, 0x11, 0x10};
    const xen_pfn_t beyond[1] = {RAM_SIZE >> 12};
    uint64_t pages = RAM_SIZE >> 12;

    /* No bitmap (no build step): nothing can be given back. */
    ck_assert_int_eq(rsv(XENMEM_decrease_reservation, frames, 2, 0), 0);
    d->ram.released = calloc(pages / 64, sizeof(uint64_t));
    ck_assert_ptr_nonnull(d->ram.released);
    /* The third is the first again: given back already, it stops there. */
    ck_assert_int_eq(rsv(XENMEM_decrease_reservation, frames, 3, 0), 2);
    ck_assert_int_eq(reservation(XENMEM_current_reservation, DOMID_SELF),
                     pages - 2);
    ck_assert_int_eq(reservation(XENMEM_maximum_reservation, DOMID_SELF),
                     pages);
    /* A frame given back is no RAM for the hypervisor's copies. */
    ck_assert_int_eq(
        call(__HYPERVISOR_xen_version, XENVER_extraversion, 0x10000, 0),
        -XEN_EFAULT);
    ck_assert_int_eq(rsv(XENMEM_populate_physmap, beyond, 1, 0), 0);
    ck_assert_int_eq(rsv(XENMEM_populate_physmap, frames, 1, 0), 1);
    ck_assert_int_eq(
        call(__HYPERVISOR_xen_version, XENVER_extraversion, 0x10000, 0), 0);
    ck_assert_int_eq(rsv(XENMEM_increase_reservation, frames, 3, 0), 1);
    ck_assert_int_eq(reservation(XENMEM_current_reservation, DOMID_SELF),
                     pages);
    ck_assert_int_eq(rsv(XENMEM_populate_physmap, frames + 1, 1, 0), 0);
    /* Continuing past the last extent: nothing more to do. */
    ck_assert_int_eq(call(__HYPERVISOR_memory_op,
                          XENMEM_decrease_reservation | 1 << 6, ARG, 0),
                     1);
    free((void *)d->ram.released);
    d->ram.released = NULL;
    atomic_store(&d->ram.nr_released, 0);
}
END_TEST

static const struct hvm_memmap_table_entry boot_map[3] = {
    {0, 0x9f000, XEN_HVM_MEMMAP_TYPE_RAM, 0},
    {0x9f000, 0x1000, XEN_HVM_MEMMAP_TYPE_RESERVED, 0},
    {0xa0000, RAM_SIZE - 0xa0000, XEN_HVM_MEMMAP_TYPE_RAM, 0},
};

static long memory_map(uint32_t cmd, uint32_t room, uint64_t buf)
{
    struct xen_memory_map op = {.nr_entries = room, .buffer = buf};

    put(ARG, &op, sizeof(op));
    return call(__HYPERVISOR_memory_op, cmd, ARG, 0);
}

START_TEST(test_memory_map)
{
    struct xen_memory_map op;
    struct e820entry e[4];

    put(MEMMAP, boot_map, sizeof(boot_map));
    d->memmap = MEMMAP;
    d->memmap_entries = 3;
    memset(d->ram.host + BUF, 0xee, sizeof(e));
    ck_assert_int_eq(memory_map(XENMEM_memory_map, 10, BUF), 0);
    get(&op, ARG, sizeof(op));
    ck_assert_uint_eq(op.nr_entries, 3);
    get(e, BUF, sizeof(e));
    for (unsigned int i = 0; i < 3; i++) {
        ck_assert_uint_eq(e[i].addr, boot_map[i].addr);
        ck_assert_uint_eq(e[i].size, boot_map[i].size);
        ck_assert_uint_eq(e[i].type, boot_map[i].type);
    }
    ck_assert_uint_eq(d->ram.host[BUF + 60], 0xee); /* 3 x 20 bytes only */
    /* At most nr_entries; the continuation bits above bit 5 are ignored. */
    memset(d->ram.host + BUF, 0xee, sizeof(e));
    ck_assert_int_eq(memory_map(XENMEM_memory_map | (5U << 6), 2, BUF), 0);
    get(&op, ARG, sizeof(op));
    ck_assert_uint_eq(op.nr_entries, 2);
    ck_assert_uint_eq(d->ram.host[BUF + 40], 0xee);
    ck_assert_int_eq(memory_map(XENMEM_memory_map, 3, BAD_VA), -XEN_EFAULT);
    ck_assert_int_eq(memory_map(XENMEM_memory_map, 3, RAM_SIZE - 30),
                     -XEN_EFAULT);
    ck_assert_int_eq(call(__HYPERVISOR_memory_op, XENMEM_memory_map, BAD_VA, 0),
                     -XEN_EFAULT);
    d->memmap_entries = 0;
    ck_assert_int_eq(memory_map(XENMEM_memory_map, 3, BUF), -XEN_ENOSYS);
}
END_TEST

/* ---- Callers outside 64-bit mode: the compat layouts -------------------- */

/* A 32-bit caller's structs are read and written in pvabi/compat.h. */
START_TEST(test_compat_layouts)
{
    struct compat_memory_map mm = {.nr_entries = 10, .buffer = BUF};
    struct compat_memory_reservation r = {
        .extent_start = ARG + 0x100, .nr_extents = 2, .domid = DOMID_SELF};
    const uint32_t frames[2] = {0x10, 0x11};
    uint32_t words[2] = {0x11111111, 0xdeadbeef};
    uint64_t pages = RAM_SIZE >> 12;
    struct compat_vcpu_set_singleshot_timer st = {.flags = 0};
    struct e820entry e;

    v0->ctx.compat = true;
    /* memory_map: 8 bytes in, nr_entries out; what follows untouched. */
    put(MEMMAP, boot_map, sizeof(boot_map));
    d->memmap = MEMMAP;
    d->memmap_entries = 3;
    put(ARG, &mm, sizeof(mm));
    put(ARG + sizeof(mm), &words[1], 4);
    ck_assert_int_eq(call(__HYPERVISOR_memory_op, XENMEM_memory_map, ARG, 0),
                     0);
    get(&mm, ARG, sizeof(mm));
    ck_assert_uint_eq(mm.nr_entries, 3);
    get(&e, BUF + 2 * sizeof(e), sizeof(e));
    ck_assert_uint_eq(e.addr, boot_map[2].addr);
    get(&words[0], ARG + sizeof(mm), 4);
    ck_assert_uint_eq(words[0], 0xdeadbeef);
    /* platform_parameters: 4 bytes. */
    words[0] = 0x11111111;
    put(BUF, words, sizeof(words));
    ck_assert_int_eq(
        call(__HYPERVISOR_xen_version, XENVER_platform_parameters, BUF, 0), 0);
    get(words, BUF, sizeof(words));
    ck_assert_uint_eq(words[0], 0);
    ck_assert_uint_eq(words[1], 0xdeadbeef);
    /* A sub-op of the same layout in both modes goes the native way. */
    ck_assert_int_eq(
        call(__HYPERVISOR_xen_version, XENVER_extraversion, BUF, 0), 0);
    ck_assert_str_eq((const char *)d->ram.host + BUF, PVHV_XEN_EXTRAVERSION);
    /* Reservations: a 20-byte struct, 4-byte frame numbers. */
    d->ram.released = calloc(pages / 64, sizeof(uint64_t));
    put(ARG, &r, sizeof(r));
    put(ARG + 0x100, frames, sizeof(frames));
    ck_assert_int_eq(
        call(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, ARG, 0), 2);
    ck_assert_int_eq(reservation(XENMEM_current_reservation, DOMID_SELF),
                     pages - 2);
    put(ARG, &r, sizeof(r));
    ck_assert_int_eq(
        call(__HYPERVISOR_memory_op, XENMEM_populate_physmap, ARG, 0), 2);
    ck_assert_int_eq(reservation(XENMEM_current_reservation, DOMID_SELF),
                     pages);
    free((void *)d->ram.released);
    d->ram.released = NULL;
    /* set_timer_op(lo, hi): the deadline in two halves. */
    ck_assert_int_eq(call(__HYPERVISOR_set_timer_op, 5, 0x100, 0), 0);
    ck_assert_uint_eq(v0->timer_deadline, (0x100ULL << 32) | 5);
    ck_assert_int_eq(call(__HYPERVISOR_set_timer_op, 0, 0, 0), 0);
    ck_assert_uint_eq(v0->timer_deadline, 0);
    /* set_singleshot_timer: 12 bytes; the vCPU check first. */
    ck_assert_int_eq(
        call(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 9, ARG),
        -XEN_ENOENT);
    st.timeout_abs_ns = domain_system_time(d) + 3600ULL * 1000000000ULL;
    put(RAM_SIZE - 12, &st, sizeof(st));
    ck_assert_int_eq(call(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0,
                          RAM_SIZE - 12),
                     0);
    ck_assert_uint_eq(v0->timer_deadline, st.timeout_abs_ns);
    ck_assert_int_eq(call(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0,
                          RAM_SIZE - 11),
                     -XEN_EFAULT);
    timer_cancel(v0);
    v0->ctx.compat = false;
    /* The native layout reads 16 bytes there: past the end of RAM. */
    ck_assert_int_eq(call(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0,
                          RAM_SIZE - 12),
                     -XEN_EFAULT);
}
END_TEST

/* ---- vcpu_op ----------------------------------------------------------- */

static long vcpu_op(uint32_t cmd, uint32_t vcpuid, const void *op, size_t len)
{
    if (op)
        put(ARG, op, len);
    return call(__HYPERVISOR_vcpu_op, cmd, vcpuid, ARG);
}

START_TEST(test_vcpu_up_down)
{
    struct vcpu_hvm_context ctx = {.mode = VCPU_HVM_MODE_64B};

    ck_assert_int_eq(vcpu_op(VCPUOP_is_up, 0, NULL, 0), 1);
    ck_assert_int_eq(vcpu_op(VCPUOP_is_up, 1, NULL, 0), 0);
    ck_assert_int_eq(vcpu_op(VCPUOP_is_up, 2, NULL, 0), -XEN_ENOENT);
    ck_assert_int_eq(vcpu_op(VCPUOP_up, UINT32_MAX, NULL, 0), -XEN_ENOENT);
    ck_assert_int_eq(vcpu_op(VCPUOP_up, 1, NULL, 0), -XEN_EINVAL);
    ck_assert_int_eq(vcpu_op(VCPUOP_up, 0, NULL, 0), 0);
    /* initialise: not while up; a known mode; a readable argument. */
    ck_assert_int_eq(vcpu_op(VCPUOP_initialise, 0, &ctx, sizeof(ctx)),
                     -XEN_EEXIST);
    ctx.mode = 2;
    ck_assert_int_eq(vcpu_op(VCPUOP_initialise, 1, &ctx, sizeof(ctx)),
                     -XEN_EINVAL);
    ck_assert_int_eq(call(__HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, BAD_VA),
                     -XEN_EFAULT);
    ck_assert(!v1->initialised);
    /* An initialised vCPU comes up (the platform starts it). */
    v1->initialised = true;
    ck_assert_int_eq(vcpu_op(VCPUOP_up, 1, NULL, 0), 0);
    ck_assert_int_eq(vcpu_op(VCPUOP_is_up, 1, NULL, 0), 1);
    /* down: the caller only; the last one down powers the domain off. */
    ck_assert_int_eq(vcpu_op(VCPUOP_down, 1, NULL, 0), -XEN_EINVAL);
    ck_assert_int_eq(vcpu_op(VCPUOP_down, 0, NULL, 0), 0);
    ck_assert(!atomic_load(&v0->up));
    ck_assert(!domain_is_stopped(d));
    atomic_store(&v0->up, true);
    atomic_store(&v1->up, false);
    ck_assert_int_eq(vcpu_op(VCPUOP_down, 0, NULL, 0), 0);
    ck_assert(domain_is_stopped(d));
    ck_assert_int_eq(d->result.end, PVHV_END_POWEROFF);
}
END_TEST

START_TEST(test_register_vcpu_info)
{
    struct vcpu_register_vcpu_info op = {.mfn = 5, .offset = 64};
    struct vcpu_info *vi = (struct vcpu_info *)(d->ram.host + 0x5000 + 64);

    v0->vcpu_info->evtchn_upcall_mask = 1;
    v0->vcpu_info->arch.cr2 = 0x1234;
    op.offset = 4096 - 56;
    ck_assert_int_eq(vcpu_op(VCPUOP_register_vcpu_info, 0, &op, sizeof(op)),
                     -XEN_EINVAL);
    op.offset = 4;
    ck_assert_int_eq(vcpu_op(VCPUOP_register_vcpu_info, 0, &op, sizeof(op)),
                     -XEN_EINVAL);
    op = (struct vcpu_register_vcpu_info){.mfn = RAM_SIZE >> 12};
    ck_assert_int_eq(vcpu_op(VCPUOP_register_vcpu_info, 0, &op, sizeof(op)),
                     -XEN_EINVAL);
    op.mfn = UINT64_MAX;
    ck_assert_int_eq(vcpu_op(VCPUOP_register_vcpu_info, 0, &op, sizeof(op)),
                     -XEN_EINVAL);
    ck_assert_int_eq(
        call(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, BAD_VA),
        -XEN_EFAULT);
    ck_assert_ptr_eq(v0->vcpu_info, &d->shared_info->vcpu_info[0]);

    op = (struct vcpu_register_vcpu_info){.mfn = 5, .offset = 64};
    ck_assert_int_eq(vcpu_op(VCPUOP_register_vcpu_info, 0, &op, sizeof(op)), 0);
    ck_assert_ptr_eq(v0->vcpu_info, vi);
    ck_assert(v0->vcpu_info_registered);
    /* Moved with its contents, and every event marked for a rescan. */
    ck_assert_uint_eq(vi->evtchn_upcall_mask, 1);
    ck_assert_uint_eq(vi->arch.cr2, 0x1234);
    ck_assert_uint_eq(vi->evtchn_upcall_pending, 1);
    ck_assert_uint_eq(vi->evtchn_pending_sel, ~0ULL);
    ck_assert_int_eq(vcpu_op(VCPUOP_register_vcpu_info, 0, &op, sizeof(op)),
                     -XEN_EINVAL);
    /* Another vCPU's: only while it is down. */
    op.offset = 128;
    atomic_store(&v1->up, true);
    ck_assert_int_eq(vcpu_op(VCPUOP_register_vcpu_info, 1, &op, sizeof(op)),
                     -XEN_EINVAL);
    atomic_store(&v1->up, false);
    ck_assert_int_eq(vcpu_op(VCPUOP_register_vcpu_info, 1, &op, sizeof(op)), 0);
    ck_assert_ptr_eq(v1->vcpu_info, (void *)(d->ram.host + 0x5000 + 128));
}
END_TEST

START_TEST(test_singleshot_timer)
{
    struct vcpu_set_singleshot_timer op = {.timeout_abs_ns = 1,
                                           .flags = VCPU_SSHOTTMR_future};
    uint64_t later;

    /* System time counts from the domain's making: 1 ns is long past. */
    ck_assert_uint_gt(domain_system_time(d), 1000);
    ck_assert_int_eq(vcpu_op(VCPUOP_set_singleshot_timer, 0, &op, sizeof(op)),
                     -XEN_ETIME);
    ck_assert_uint_eq(v0->timer_deadline, 0);
    ck_assert_int_eq(vcpu_op(VCPUOP_set_singleshot_timer, 1, &op, sizeof(op)),
                     -XEN_EINVAL);
    later = domain_system_time(d) + 3600ULL * 1000000000ULL;
    op.timeout_abs_ns = later;
    ck_assert_int_eq(vcpu_op(VCPUOP_set_singleshot_timer, 0, &op, sizeof(op)),
                     0);
    ck_assert_uint_eq(v0->timer_deadline, later);
    ck_assert_int_eq(vcpu_op(VCPUOP_stop_singleshot_timer, 1, NULL, 0),
                     -XEN_EINVAL);
    ck_assert_int_eq(vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL, 0), 0);
    ck_assert_uint_eq(v0->timer_deadline, 0);
    ck_assert_int_eq(
        call(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, BAD_VA),
        -XEN_EFAULT);
}
END_TEST

START_TEST(test_vcpu_op_not_served)
{
    ck_assert_int_eq(vcpu_op(VCPUOP_set_periodic_timer, 0, NULL, 0),
                     -XEN_ENOSYS);
    ck_assert_int_eq(vcpu_op(99, 0, NULL, 0), -XEN_ENOSYS);
    ck_assert_int_eq(vcpu_op(99, 2, NULL, 0), -XEN_ENOENT);
}
END_TEST

/* ---- runstate, the second pvclock, vm_assist ---------------------------- */

#define RUNSTATE_AT 0x4000ULL

static struct vcpu_runstate_info runstate_read(void)
{
    struct vcpu_runstate_info r;

    get(&r, RUNSTATE_AT, sizeof(r));
    return r;
}

static uint64_t runstate_sum(const struct vcpu_runstate_info *r)
{
    return r->time[0] + r->time[1] + r->time[2] + r->time[3];
}

static void sleep_a_little(void)
{
    struct timespec t = {0, 100000};

    nanosleep(&t, NULL);
}

static bool never(struct vcpu *v, void *opaque)
{
    (void)v;
    (void)opaque;
    return false;
}

START_TEST(test_runstate_area)
{
    struct vcpu_register_runstate_memory_area op = {.addr = RUNSTATE_AT};
    struct vcpu_runstate_info r, before;
    uint64_t t0;

    memset(d->ram.host + RUNSTATE_AT, 0xee, sizeof(r));
    ck_assert_int_eq(
        vcpu_op(VCPUOP_register_runstate_memory_area, 0, &op, sizeof(op)), 0);
    r = runstate_read(); /* written at once: running since time 0 */
    ck_assert_int_eq(r.state, RUNSTATE_running);
    ck_assert_uint_eq(runstate_sum(&r), r.state_entry_time);
    /* Blocked for 2 ms (the deadline passes): the blocked time has them. */
    t0 = domain_system_time(d);
    ck_assert(!vcpu_block(v0, t0 + 2000000, never, NULL));
    r = runstate_read();
    ck_assert_int_eq(r.state, RUNSTATE_running);
    ck_assert_uint_ge(r.time[RUNSTATE_blocked], 2000000);
    ck_assert_uint_ge(r.state_entry_time, t0 + 2000000);
    ck_assert_uint_eq(runstate_sum(&r), r.state_entry_time);
    ck_assert_uint_eq(r.state_entry_time & XEN_RUNSTATE_UPDATE, 0);
    /* Each transition: the state, its entry time, the totals summing. */
    before = r;
    runstate_change(v0, RUNSTATE_offline);
    r = runstate_read();
    ck_assert_int_eq(r.state, RUNSTATE_offline);
    ck_assert_uint_ge(r.state_entry_time, before.state_entry_time);
    ck_assert_uint_ge(r.time[RUNSTATE_running], before.time[RUNSTATE_running]);
    ck_assert_uint_eq(runstate_sum(&r), r.state_entry_time);
    runstate_change(v0, RUNSTATE_running);
    /* With the update flag on, the flag is clear once a write is done. */
    ck_assert_int_eq(call(__HYPERVISOR_vm_assist, VMASST_CMD_enable,
                          VMASST_TYPE_runstate_update_flag, 0),
                     0);
    runstate_change(v0, RUNSTATE_blocked);
    r = runstate_read();
    ck_assert_int_eq(r.state, RUNSTATE_blocked);
    ck_assert_uint_eq(r.state_entry_time & XEN_RUNSTATE_UPDATE, 0);
    ck_assert_uint_eq(runstate_sum(&r), r.state_entry_time);
    runstate_change(v0, RUNSTATE_running);
    /* Another vCPU's area: written for it, in the caller's paging. */
    op.addr = RUNSTATE_AT + 0x100;
    ck_assert_int_eq(
        vcpu_op(VCPUOP_register_runstate_memory_area, 1, &op, sizeof(op)), 0);
    get(&r, RUNSTATE_AT + 0x100, sizeof(r));
    ck_assert_int_eq(r.state, RUNSTATE_running);
    /* Crossing a page: both pieces are written. */
    op.addr = RUNSTATE_AT + 0x1000 - 20;
    ck_assert_int_eq(
        vcpu_op(VCPUOP_register_runstate_memory_area, 0, &op, sizeof(op)), 0);
    runstate_change(v0, RUNSTATE_blocked);
    get(&r, op.addr, sizeof(r));
    ck_assert_int_eq(r.state, RUNSTATE_blocked);
    ck_assert_uint_eq(runstate_sum(&r), r.state_entry_time);
    runstate_change(v0, RUNSTATE_running);
}
END_TEST

/*
 * A halt the platform served itself (exit_halted): the time before it
 * counts as running, the halt as blocked, and the vCPU runs from now.
 */
START_TEST(test_runstate_blocked_for)
{
    struct vcpu_register_runstate_memory_area op = {.addr = RUNSTATE_AT};
    struct vcpu_runstate_info r, before;

    ck_assert_int_eq(
        vcpu_op(VCPUOP_register_runstate_memory_area, 0, &op, sizeof(op)), 0);
    sleep_a_little();
    before = runstate_read();
    runstate_blocked_for(v0, 1000);
    r = runstate_read();
    ck_assert_int_eq(r.state, RUNSTATE_running);
    ck_assert_uint_eq(r.time[RUNSTATE_blocked],
                      before.time[RUNSTATE_blocked] + 1000);
    ck_assert_uint_gt(r.time[RUNSTATE_running], before.time[RUNSTATE_running]);
    ck_assert_uint_gt(r.state_entry_time, before.state_entry_time);
    ck_assert_uint_eq(runstate_sum(&r), r.state_entry_time);
    /* Nothing halted, or not running: nothing changes. */
    before = r;
    runstate_blocked_for(v0, 0);
    r = runstate_read();
    ck_assert_uint_eq(r.state_entry_time, before.state_entry_time);
    runstate_change(v0, RUNSTATE_offline);
    before = runstate_read();
    runstate_blocked_for(v0, 1000);
    r = runstate_read();
    ck_assert_uint_eq(r.time[RUNSTATE_blocked], before.time[RUNSTATE_blocked]);
    runstate_change(v0, RUNSTATE_running);
}
END_TEST

/* VCPUOP_get_runstate_info: the times as of now, as Xen answers. */
START_TEST(test_runstate_get)
{
    struct vcpu_runstate_info r;
    uint64_t t0 = domain_system_time(d), t1;

    memset(d->ram.host + RUNSTATE_AT, 0xee, sizeof(r));
    ck_assert(!vcpu_block(v0, t0 + 1000000, never, NULL));
    ck_assert_int_eq(
        call(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, RUNSTATE_AT),
        0);
    t1 = domain_system_time(d);
    r = runstate_read();
    ck_assert_int_eq(r.state, RUNSTATE_running);
    ck_assert_uint_ge(r.time[RUNSTATE_blocked], 1000000);
    /* The running share is counted up to the call: the sum is now, not
     * the entry time. */
    ck_assert_uint_gt(runstate_sum(&r), r.state_entry_time);
    ck_assert_uint_ge(runstate_sum(&r), t0 + 1000000);
    ck_assert_uint_le(runstate_sum(&r), t1);
    /* Another vCPU's, taken offline: its state and totals. */
    runstate_change(v1, RUNSTATE_offline);
    ck_assert_int_eq(
        call(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 1, RUNSTATE_AT),
        0);
    r = runstate_read();
    ck_assert_int_eq(r.state, RUNSTATE_offline);
    ck_assert_uint_ge(runstate_sum(&r), r.state_entry_time);
    /* A bad address or vCPU: Xen's errors, no host fault. */
    ck_assert_int_eq(
        call(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, BAD_VA),
        -XEN_EFAULT);
    ck_assert_int_eq(
        call(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 2, RUNSTATE_AT),
        -XEN_ENOENT);
}
END_TEST

START_TEST(test_runstate_area_errors)
{
    struct vcpu_register_runstate_memory_area op = {.addr = BAD_VA};

    /* Outside RAM, past its end, a bad argument: -EFAULT, no host fault. */
    ck_assert_int_eq(
        vcpu_op(VCPUOP_register_runstate_memory_area, 0, &op, sizeof(op)),
        -XEN_EFAULT);
    op.addr = RAM_SIZE - 8;
    ck_assert_int_eq(
        vcpu_op(VCPUOP_register_runstate_memory_area, 0, &op, sizeof(op)),
        -XEN_EFAULT);
    op.addr = UINT64_MAX - 4;
    ck_assert_int_eq(
        vcpu_op(VCPUOP_register_runstate_memory_area, 0, &op, sizeof(op)),
        -XEN_EFAULT);
    ck_assert_int_eq(call(__HYPERVISOR_vcpu_op,
                          VCPUOP_register_runstate_memory_area, 0, BAD_VA),
                     -XEN_EFAULT);
    ck_assert_int_eq(
        vcpu_op(VCPUOP_register_runstate_memory_area, 2, &op, sizeof(op)),
        -XEN_ENOENT);
    ck_assert_uint_eq(v0->runstate_area.len, 0);
    /* Transitions without an area write nothing and keep counting. */
    runstate_change(v0, RUNSTATE_blocked);
    runstate_change(v0, RUNSTATE_running);
    ck_assert_uint_eq(runstate_sum(&v0->runstate),
                      v0->runstate.state_entry_time);
}
END_TEST

START_TEST(test_time_area)
{
    struct vcpu_register_time_memory_area op = {.addr = 0x6000};

    ck_assert_int_eq(
        vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, &op, sizeof(op)), 0);
    ck_assert_uint_eq(v0->time_area.len, sizeof(struct vcpu_time_info));
    ck_assert_uint_eq(v0->time_area.gpa[0], 0x6000);
    op.addr = BAD_VA;
    ck_assert_int_eq(
        vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, &op, sizeof(op)),
        -XEN_EFAULT);
    ck_assert_uint_eq(v0->time_area.gpa[0], 0x6000); /* unchanged */
    op.addr = 0;
    ck_assert_int_eq(
        vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, &op, sizeof(op)), 0);
    ck_assert_uint_eq(v0->time_area.len, 0);
}
END_TEST

START_TEST(test_vm_assist)
{
    ck_assert_int_eq(call(__HYPERVISOR_vm_assist, VMASST_CMD_enable,
                          VMASST_TYPE_runstate_update_flag, 0),
                     0);
    ck_assert_uint_eq(d->vm_assist, 1u << VMASST_TYPE_runstate_update_flag);
    ck_assert_int_eq(call(__HYPERVISOR_vm_assist, VMASST_CMD_disable,
                          VMASST_TYPE_runstate_update_flag, 0),
                     0);
    ck_assert_uint_eq(d->vm_assist, 0);
    /* Xen's answers to an HVM guest: PV-only types -EINVAL, bad cmd. */
    ck_assert_int_eq(call(__HYPERVISOR_vm_assist, VMASST_CMD_enable,
                          VMASST_TYPE_writable_pagetables, 0),
                     -XEN_EINVAL);
    ck_assert_int_eq(call(__HYPERVISOR_vm_assist, VMASST_CMD_enable,
                          VMASST_TYPE_m2p_strict, 0),
                     -XEN_EINVAL);
    ck_assert_int_eq(call(__HYPERVISOR_vm_assist, VMASST_CMD_enable, 64, 0),
                     -XEN_EINVAL);
    ck_assert_int_eq(
        call(__HYPERVISOR_vm_assist, 2, VMASST_TYPE_runstate_update_flag, 0),
        -XEN_ENOSYS);
    ck_assert_uint_eq(d->vm_assist, 0);
}
END_TEST

START_TEST(test_periodic_timer)
{
    struct vcpu_set_periodic_timer op = {.period_ns = 10000000};

    /* Linux stops the periodic timer, then uses the single-shot one. */
    ck_assert_int_eq(vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL, 0), 0);
    ck_assert_int_eq(vcpu_op(VCPUOP_stop_periodic_timer, 1, NULL, 0), 0);
    ck_assert_int_eq(vcpu_op(VCPUOP_set_periodic_timer, 0, &op, sizeof(op)),
                     -XEN_ENOSYS);
}
END_TEST

static Suite *hvm_memory_vcpu_suite(void)
{
    Suite *s = suite_create("hvm_memory_vcpu");
    TCase *hvm = tcase_create("hvm_op");
    TCase *mem = tcase_create("memory_op");
    TCase *vcpu = tcase_create("vcpu_op");

    tcase_add_checked_fixture(hvm, setup, teardown);
    tcase_add_test(hvm, test_callback_vector);
    tcase_add_test(hvm, test_params);
    tcase_add_test(hvm, test_param_domains);
    tcase_add_test(hvm, test_hvm_op_errors);
    tcase_add_test(hvm, test_upcall_vector);
    suite_add_tcase(s, hvm);
    tcase_add_checked_fixture(mem, setup, teardown);
    tcase_add_test(mem, test_add_to_physmap);
    tcase_add_test(mem, test_reservation);
    tcase_add_test(mem, test_reservation_ops);
    tcase_add_test(mem, test_compat_layouts);
    tcase_add_test(mem, test_memory_map);
    suite_add_tcase(s, mem);
    tcase_add_checked_fixture(vcpu, setup, teardown);
    tcase_add_test(vcpu, test_vcpu_up_down);
    tcase_add_test(vcpu, test_register_vcpu_info);
    tcase_add_test(vcpu, test_singleshot_timer);
    tcase_add_test(vcpu, test_vcpu_op_not_served);
    tcase_add_test(vcpu, test_runstate_area);
    tcase_add_test(vcpu, test_runstate_area_errors);
    tcase_add_test(vcpu, test_runstate_blocked_for);
    tcase_add_test(vcpu, test_runstate_get);
    tcase_add_test(vcpu, test_time_area);
    tcase_add_test(vcpu, test_vm_assist);
    tcase_add_test(vcpu, test_periodic_timer);
    suite_add_tcase(s, vcpu);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(hvm_memory_vcpu_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
