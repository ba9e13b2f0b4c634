/* SPDX-License-Identifier: MIT */
/*
 * linux_abi.c: what a Linux PVH domU asks for at boot, with the answers
 * Xen gives: the feature bits it depends on (callback vector, safe
 * pvclock), vm_assist(runstate_update_flag), a runstate area whose times
 * advance and sum, a second pvclock copy matching vcpu_info's, the
 * periodic timer stopped; then its grant frames moved above 4 GiB (where
 * Linux puts them) and a block device written and read through them.
 */

#include "../blk_rw/blk_pattern.h"

#define SECTORS 64
#define FRAMES_AT 0x100200000ULL /* 4 GiB + 2 MiB: not RAM here */

static inline long vm_assist(unsigned int cmd, unsigned int type)
{
    return _hypercall5(__HYPERVISOR_vm_assist, cmd, type, 0, 0, 0);
}

static void features(void)
{
    struct xen_feature_info fi = {.submap_idx = 0};

    check_result("xen_version(XENVER_get_features, submap 0)",
                 HYPERVISOR_xen_version(XENVER_get_features, &fi), 0);
    check_result("XENFEAT_hvm_callback_vector",
                 !!(fi.submap & (1u << XENFEAT_hvm_callback_vector)), 1);
    check_result("XENFEAT_hvm_safe_pvclock",
                 !!(fi.submap & (1u << XENFEAT_hvm_safe_pvclock)), 1);
    check_result("XENFEAT_auto_translated_physmap",
                 !!(fi.submap & (1u << XENFEAT_auto_translated_physmap)), 1);
    check_result("XENFEAT_hvm_pirqs (none for PVH)",
                 !!(fi.submap & (1u << XENFEAT_hvm_pirqs)), 0);
}

static void assists(void)
{
    check_result("vm_assist(enable, writable_pagetables) (PV only)",
                 vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables),
                 -XEN_EINVAL);
    check_result("vm_assist(3, runstate_update_flag)",
                 vm_assist(3, VMASST_TYPE_runstate_update_flag), -XEN_ENOSYS);
    check_result("vm_assist(enable, runstate_update_flag)",
                 vm_assist(VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag),
                 0);
}

static struct vcpu_runstate_info rs;

static uint64_t rs_sum(const struct vcpu_runstate_info *r)
{
    return r->time[0] + r->time[1] + r->time[2] + r->time[3];
}

/* A consistent copy, as Linux's xen_get_runstate_snapshot takes it. */
static struct vcpu_runstate_info rs_snapshot(void)
{
    volatile struct vcpu_runstate_info *v = &rs;
    struct vcpu_runstate_info r;
    uint64_t t;

    do {
        t = v->state_entry_time;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        memcpy(&r, (const void *)v, sizeof(r));
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    } while (v->state_entry_time != t || (t & XEN_RUNSTATE_UPDATE));
    return r;
}

static void runstate(void)
{
    struct vcpu_register_runstate_memory_area a = {
        .addr = (uint64_t)(uintptr_t)&rs};
    struct vcpu_runstate_info r0, r1;
    uint64_t now;

    a.addr = 0x7ffffff000ULL; /* not mapped */
    check_result(
        "register_runstate_memory_area(unmapped address)",
        HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &a),
        -XEN_EFAULT);
    a.addr = (uint64_t)(uintptr_t)&rs;
    check_result(
        "register_runstate_memory_area(&rs)",
        HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &a), 0);
    r0 = rs_snapshot();
    now = monotonic_ns();
    check_result("runstate: state", r0.state, RUNSTATE_running);
    if (rs_sum(&r0) != r0.state_entry_time)
        test_abort("runstate: times sum to %lu, entry time %lu",
                   (unsigned long)rs_sum(&r0),
                   (unsigned long)r0.state_entry_time);
    if (r0.state_entry_time > now)
        test_abort("runstate: entered at %lu, after now %lu",
                   (unsigned long)r0.state_entry_time, (unsigned long)now);
    /* Blocked, then running again. A guest slowed down by a busy host
     * may reach a short deadline before it blocks: sleep longer then. */
    for (unsigned int i = 0; i < 6; i++) {
        uint64_t t0 = monotonic_ns(), slept;

        sleep_ns((5 * NSEC_PER_MSEC) << i);
        slept = monotonic_ns() - t0;
        r1 = rs_snapshot();
        if (r1.time[RUNSTATE_blocked] > r0.time[RUNSTATE_blocked]) {
            if (r1.time[RUNSTATE_blocked] - r0.time[RUNSTATE_blocked] > slept)
                test_abort("runstate: blocked %lu ns in a %lu ns sleep",
                           (unsigned long)(r1.time[RUNSTATE_blocked] -
                                           r0.time[RUNSTATE_blocked]),
                           (unsigned long)slept);
            break;
        }
    }
    check_result("runstate after a sleep: state", r1.state, RUNSTATE_running);
    if (r1.time[RUNSTATE_blocked] <= r0.time[RUNSTATE_blocked])
        test_abort("runstate: blocked %lu ns before the sleeps, %lu after",
                   (unsigned long)r0.time[RUNSTATE_blocked],
                   (unsigned long)r1.time[RUNSTATE_blocked]);
    if (r1.state_entry_time <= r0.state_entry_time ||
        rs_sum(&r1) != r1.state_entry_time ||
        r1.time[RUNSTATE_running] < r0.time[RUNSTATE_running])
        test_abort("runstate: entry %lu -> %lu, sum %lu, running %lu -> %lu",
                   (unsigned long)r0.state_entry_time,
                   (unsigned long)r1.state_entry_time,
                   (unsigned long)rs_sum(&r1),
                   (unsigned long)r0.time[RUNSTATE_running],
                   (unsigned long)r1.time[RUNSTATE_running]);
    check_result("runstate: XEN_RUNSTATE_UPDATE clear after the update",
                 !!(rs.state_entry_time & XEN_RUNSTATE_UPDATE), 0);
    printf("ok: runstate: blocked %lu us, running %lu us, times sum\n",
           (unsigned long)(r1.time[RUNSTATE_blocked] / NSEC_PER_USEC),
           (unsigned long)(r1.time[RUNSTATE_running] / NSEC_PER_USEC));
}

/* VCPUOP_get_runstate_info: a copy as of the call, the running share
 * counted up to it (Xen's vcpu_runstate_get). */
static void runstate_info(void)
{
    static struct vcpu_runstate_info got;
    uint64_t before = monotonic_ns(), after;

    check_result("get_runstate_info(unmapped address)",
                 HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0,
                                    (void *)0x7ffffff000ULL),
                 -XEN_EFAULT);
    check_result("get_runstate_info(vcpu 99)",
                 HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 99, &got),
                 -XEN_ENOENT);
    check_result("get_runstate_info(&got)",
                 HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &got), 0);
    after = monotonic_ns();
    check_result("get_runstate_info: state", got.state, RUNSTATE_running);
    if (rs_sum(&got) < before || rs_sum(&got) > after ||
        got.state_entry_time > rs_sum(&got))
        test_abort("get_runstate_info: times sum to %lu, entered %lu, "
                   "called between %lu and %lu",
                   (unsigned long)rs_sum(&got),
                   (unsigned long)got.state_entry_time, (unsigned long)before,
                   (unsigned long)after);
    printf("ok: get_runstate_info: sums to now, blocked %lu us\n",
           (unsigned long)(got.time[RUNSTATE_blocked] / NSEC_PER_USEC));
}

static struct vcpu_time_info second __attribute__((aligned(64)));

static void time_area(void)
{
    struct vcpu_register_time_memory_area a = {
        .addr = (uint64_t)(uintptr_t)&second};
    volatile struct vcpu_time_info *t =
        &HYPERVISOR_shared_info->vcpu_info[0].time;
    struct vcpu_time_info x, y;
    unsigned int tries;

    check_result(
        "register_vcpu_time_memory_area(&second)",
        HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, &a), 0);
    sleep_ns(NSEC_PER_MSEC); /* a timer upcall rewrites both */
    for (tries = 0; tries < 100; tries++) {
        uint32_t v = t->version;

        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        memcpy(&x, (const void *)t, sizeof(x));
        memcpy(&y, (const void *)&second, sizeof(y));
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (!(v & 1) && t->version == v && y.version == v)
            break;
    }
    if (tries == 100)
        test_abort("the second pvclock copy never settled");
    if (x.tsc_timestamp != y.tsc_timestamp || x.system_time != y.system_time ||
        x.tsc_to_system_mul != y.tsc_to_system_mul ||
        x.tsc_shift != y.tsc_shift || x.flags != y.flags)
        test_abort("pvclock copies differ: system_time %lu / %lu",
                   (unsigned long)x.system_time, (unsigned long)y.system_time);
    printf("ok: second pvclock copy matches vcpu_info's (version %u)\n",
           y.version);
}

static void timers(void)
{
    check_result("vcpu_op(VCPUOP_stop_periodic_timer)",
                 HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
}

/* A page directory for 4-5 GiB (2 MiB pages), as the boot map stops at 4. */
static uint64_t high_pd[512] __attribute__((aligned(4096)));

static void map_high(void)
{
    uint64_t cr3, *pml4, *pdpt;

    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    pml4 = (uint64_t *)(uintptr_t)(cr3 & 0x000ffffffffff000ULL);
    pdpt = (uint64_t *)(uintptr_t)(pml4[0] & 0x000ffffffffff000ULL);
    /* P, RW, U/S on every level (the native mode wants U/S); PS: 2 MiB. */
    high_pd[1] = (FRAMES_AT & ~0x1fffffULL) | 0x87;
    pdpt[4] = (uint64_t)(uintptr_t)high_pd | 0x7;
    __asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
}

static uint8_t buf[SECTORS * BLKIF_SECTOR_SIZE];

static void grant_frames_high(void)
{
    struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 1};
    xen_pfn_t gfn = 0;
    struct blkfront_dev *dev;
    uint64_t sectors;
    int ro;

    map_high();
    check_result("grant frames to 4 GiB + 2 MiB (not RAM)",
                 gnttab_relocate(FRAMES_AT >> XEN_PAGE_SHIFT,
                                 (void *)(uintptr_t)FRAMES_AT),
                 0);
    st.frame_list = (uint64_t)(uintptr_t)&gfn;
    check_result("setup_table after the move",
                 HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1), 0);
    check_result("frame 0 is at", (long)gfn,
                 (long)(FRAMES_AT >> XEN_PAGE_SHIFT));
    dev = blk_open(&sectors, &ro);
    if (ro || sectors < SECTORS)
        test_abort("xvda: read-only or under %u sectors", SECTORS);
    blk_fill(buf, 0, SECTORS);
    check_result("blkfront_write through the high grant frames",
                 blkfront_write(dev, 0, buf, SECTORS), 0);
    memset(buf, 0, sizeof(buf));
    check_result("blkfront_read through the high grant frames",
                 blkfront_read(dev, 0, buf, SECTORS), 0);
    blk_check(buf, 0, SECTORS, "read back");
    blkfront_close(dev);
    printf("ok: %u sectors written and read with grant frames above 4 GiB\n",
           SECTORS);
}

int main(void)
{
    features();
    assists();
    runstate();
    runstate_info();
    time_area();
    timers();
    grant_frames_high();
    puts("SUCCESS");
    return 0;
}
