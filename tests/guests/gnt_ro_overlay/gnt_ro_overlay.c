/* SPDX-License-Identifier: MIT */
/*
 * gnt_ro_overlay.c: a guest grants a page to itself read-only, maps that
 * grant over another of its own RAM pages, then hands the covered page to
 * the hypervisor as an output buffer: XENVER_extraversion, a GNTTABOP_copy
 * destination, the console ring the backend updates, a vcpu_info frame.
 * Each call must answer (an error or success) without harming the
 * hypervisor, and the page the guest sees must stay the read-only one.
 * Command line "ops=N": a mask of the steps to run (default 15):
 * 1 extraversion, 2 copy, 4 console ring, 8 vcpu_info; 16, alone, has the
 * guest write the covered page itself, which must crash it.
 */

#include <pvabi/io/console.h>

#include "../testguest.h"

#define OP_EXTRAVERSION 1
#define OP_COPY 2
#define OP_CONSOLE_RING 4
#define OP_VCPU_INFO 8
#define OP_GUEST_WRITE 16

static uint8_t granted[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));
static uint8_t covered[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));
static uint8_t source[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));
static uint8_t ring_copy[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));

static const char marker[] = "the read-only page";

static uint64_t gfn_of(const void *p)
{
    return (uint64_t)(uintptr_t)p >> XEN_PAGE_SHIFT;
}

/* overlay: maps grant (ref) of ours read-only at guest-physical (gpa). */
static grant_handle_t overlay(domid_t self, grant_ref_t ref, uint64_t gpa)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = gpa,
        .flags = GNTMAP_host_map | GNTMAP_readonly,
        .ref = ref,
        .dom = self,
    };
    int rc = gnttab_map_raw(&op);

    if (rc < 0 || op.status != GNTST_okay)
        test_abort("map our read-only grant at 0x%lx: rc %d, status %d",
                   (unsigned long)gpa, rc, op.status);
    return op.handle;
}

static void remove_overlay(uint64_t gpa, grant_handle_t handle)
{
    check_result("unmap the read-only overlay",
                 gnttab_unmap((void *)(uintptr_t)gpa, handle), GNTST_okay);
}

/* still_read_only: the covered page still shows the granted page. */
static void still_read_only(const char *after)
{
    if (memcmp(covered, marker, sizeof(marker)) != 0)
        test_abort("after %s the read-only page shows other bytes", after);
    printf("ok: after %s the page still shows the read-only grant\n", after);
}

/* A result is fine when it is either an error or a success. */
static void answered(const char *what, long rc)
{
    printf("ok: %s answered %ld\n", what, rc);
}

static void extraversion(void)
{
    answered("xen_version(XENVER_extraversion) into the covered page",
             HYPERVISOR_xen_version(XENVER_extraversion, covered));
    still_read_only("XENVER_extraversion");
}

static int16_t copy_status(uint16_t flags, struct gnttab_copy_ptr dest)
{
    struct gnttab_copy op = {
        .source = {.u.gmfn = gfn_of(source), .domid = DOMID_SELF},
        .dest = dest,
        .len = XEN_PAGE_SIZE,
        .flags = flags,
    };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, &op, 1);

    if (rc < 0)
        test_abort("grant_table_op(GNTTABOP_copy) returned %ld", rc);
    return op.status;
}

static void copy(grant_ref_t ro_ref)
{
    struct gnttab_copy_ptr to_frame = {.u.gmfn = gfn_of(covered),
                                       .domid = DOMID_SELF};
    struct gnttab_copy_ptr to_grant = {.u.ref = ro_ref, .domid = DOMID_SELF};

    answered("GNTTABOP_copy to the covered frame", copy_status(0, to_frame));
    still_read_only("GNTTABOP_copy to the frame");
    check_result("GNTTABOP_copy to the read-only grant",
                 copy_status(GNTCOPY_dest_gref, to_grant),
                 GNTST_permission_denied);
    still_read_only("GNTTABOP_copy to the grant");
}

static uint64_t hvm_param(uint32_t index)
{
    struct xen_hvm_param p = {.domid = DOMID_SELF, .index = index};

    if (HYPERVISOR_hvm_op(HVMOP_get_param, &p) != 0)
        test_abort("hvm_op(get_param %u) failed", index);
    return p.value;
}

static XENCONS_RING_IDX ring_used(struct xencons_interface *ring)
{
    return ring->out_prod - __atomic_load_n(&ring->out_cons, __ATOMIC_ACQUIRE);
}

/*
 * The console ring: bytes are put in it, then the ring page is covered by
 * a read-only copy of itself and the backend told: it reads the bytes and
 * moves out_cons, in its own view of our RAM (no printf meanwhile: it
 * would write the covered ring). Uncovered, the ring shows out_cons moved.
 */
static void console_ring(domid_t self)
{
    static const char line[] = "gnt_ro_overlay: ring output read beneath a "
                               "read-only overlay\n";
    uint64_t gpa = hvm_param(HVM_PARAM_CONSOLE_PFN) << XEN_PAGE_SHIFT;
    evtchn_port_t port = (evtchn_port_t)hvm_param(HVM_PARAM_CONSOLE_EVTCHN);
    struct xencons_interface *ring = (void *)(uintptr_t)gpa;
    XENCONS_RING_IDX prod, want, cons;
    grant_handle_t h;
    uint64_t deadline;
    int ref, urc;

    /* Room for the line (pvguest's output is read within milliseconds). */
    deadline = monotonic_ns() + 2 * NSEC_PER_SEC;
    while (ring_used(ring) > sizeof(ring->out) / 2 && monotonic_ns() < deadline)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);

    if (gpa == 0 || port == 0)
        test_abort("no console ring");
    prod = ring->out_prod;
    for (size_t i = 0; i < sizeof(line) - 1; i++)
        ring->out[MASK_XENCONS_IDX(prod + i, ring->out)] = line[i];
    want = prod + (XENCONS_RING_IDX)(sizeof(line) - 1);
    __atomic_store_n(&ring->out_prod, want, __ATOMIC_RELEASE);
    memcpy(ring_copy, ring, sizeof(ring_copy));
    ref = gnttab_grant_access(self, gfn_of(ring_copy), 1);
    if (ref < 0)
        test_abort("gnttab_grant_access(ring copy) returned %d", ref);
    h = overlay(self, (grant_ref_t)ref, gpa);
    pvg_evtchn_notify(port);
    deadline = monotonic_ns() + 200 * NSEC_PER_MSEC;
    while (monotonic_ns() < deadline)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    /* Uncovered; out_cons is read before printf adds to the ring. */
    urc = gnttab_unmap((void *)(uintptr_t)gpa, h);
    deadline = monotonic_ns() + 2 * NSEC_PER_SEC;
    while (__atomic_load_n(&ring->out_cons, __ATOMIC_ACQUIRE) != want &&
           monotonic_ns() < deadline)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    cons = __atomic_load_n(&ring->out_cons, __ATOMIC_ACQUIRE);
    check_result("unmap the ring's overlay", urc, GNTST_okay);
    check_result("the backend consumed the ring up to out_prod", cons == want,
                 1);
    check_result("gnttab_end_access(ring copy)",
                 gnttab_end_access((grant_ref_t)ref), 0);
}

/*
 * vcpu_info on the covered frame: the hypervisor keeps it in our RAM
 * beneath, where we do not see it while covered. Events reach us there
 * from now on, not in shared_info where libpvguest looks: interrupts stay
 * off to the end (output waits with SCHEDOP_poll, which needs none).
 */
static void vcpu_info(void)
{
    struct vcpu_register_vcpu_info op = {.mfn = gfn_of(covered)};
    long rc;

    local_irq_disable();
    rc = HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &op);
    answered("VCPUOP_register_vcpu_info on the covered frame", rc);
    still_read_only("VCPUOP_register_vcpu_info");
}

int main(void)
{
    unsigned long ops = test_option("ops", 0xf);
    domid_t self = pvguest_domid();
    grant_handle_t h;
    int ref;

    if (!gnttab_ready())
        test_abort("no grant table");
    memcpy(granted, marker, sizeof(marker));
    memset(source, 0xa5, sizeof(source));
    ref = gnttab_grant_access(self, gfn_of(granted), 1);
    if (ref < 0)
        test_abort("gnttab_grant_access(self, read-only) returned %d", ref);
    if (ops & OP_CONSOLE_RING)
        console_ring(self);
    h = overlay(self, (grant_ref_t)ref, (uintptr_t)covered);
    still_read_only("mapping it");
    if (ops & OP_EXTRAVERSION)
        extraversion();
    if (ops & OP_COPY)
        copy((grant_ref_t)ref);
    if (ops & OP_VCPU_INFO)
        vcpu_info();
    if (ops & OP_GUEST_WRITE) {
        printf("gnt_ro_overlay: writing the read-only page at 0x%lx\n",
               (unsigned long)(uintptr_t)covered);
        *(volatile uint8_t *)covered = 1;
        test_abort("a write to the read-only page went through");
    }
    remove_overlay((uintptr_t)covered, h);
    if ((ops & OP_COPY) && !(ops & OP_VCPU_INFO) &&
        memcmp(covered, source, sizeof(source)) != 0)
        test_abort("uncovered, the page lacks what GNTTABOP_copy wrote");
    covered[0] = 1;
    check_result("the uncovered page is writable again", covered[0], 1);
    check_result("gnttab_end_access", gnttab_end_access((grant_ref_t)ref), 0);
    puts("SUCCESS");
    return 0;
}
