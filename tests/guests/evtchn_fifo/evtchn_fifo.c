/* SPDX-License-Identifier: MIT */
/*
 * evtchn_fifo.c: probes the FIFO event channel ABI as Linux does and
 * checks that each call gets Xen's answer: argument errors first (bad
 * vCPU, offset, frame), then the answers that keep a domain on the
 * 2-level ABI; events still work afterwards.
 */

#include "../testguest.h"

static volatile unsigned long hits;

static void on_event(evtchn_port_t port, void *data)
{
    (void)port;
    (void)data;
    hits++;
}

static int got_one(void *arg)
{
    (void)arg;
    return hits > 0;
}

static long init_control(uint64_t gfn, uint32_t offset, uint32_t vcpu)
{
    struct evtchn_init_control op = {
        .control_gfn = gfn,
        .offset = offset,
        .vcpu = vcpu,
        .link_bits = 0xaa,
    };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &op);

    if (op.link_bits != 0xaa)
        test_abort("init_control wrote link_bits %u though it failed",
                   op.link_bits);
    return rc;
}

int main(void)
{
    uint64_t gfn = (uintptr_t)page_alloc_zeroed() >> XEN_PAGE_SHIFT;
    struct evtchn_expand_array ea = {.array_gfn = gfn};
    struct evtchn_set_priority sp = {.priority = 7};
    evtchn_port_t port;

    check_result("init_control, vCPU 9", init_control(gfn, 0, 9), -XEN_ENOENT);
    check_result("init_control, offset 4028 (crosses the page)",
                 init_control(gfn, 4028, 0), -XEN_EINVAL);
    check_result("init_control, offset 12 (unaligned)",
                 init_control(gfn, 12, 0), -XEN_EINVAL);
    check_result("init_control, frame 0xfffff0 (not RAM)",
                 init_control(0xfffff0, 0, 0), -XEN_EINVAL);
    check_result("init_control, good arguments (stay on 2-level)",
                 init_control(gfn, 4024, 0), -XEN_ENOSYS);
    check_result("init_control, bad pointer",
                 HYPERVISOR_event_channel_op(EVTCHNOP_init_control,
                                             (void *)0xfff0000000ULL),
                 -XEN_EFAULT);
    check_result("expand_array without a control block",
                 HYPERVISOR_event_channel_op(EVTCHNOP_expand_array, &ea),
                 -XEN_EOPNOTSUPP);
    check_result("bind_ipi(vCPU 0)", pvg_evtchn_bind_ipi(0, &port), 0);
    sp.port = port;
    check_result("set_priority on a bound port",
                 HYPERVISOR_event_channel_op(EVTCHNOP_set_priority, &sp),
                 -XEN_ENOSYS);
    sp.port = 100000;
    check_result("set_priority on port 100000",
                 HYPERVISOR_event_channel_op(EVTCHNOP_set_priority, &sp),
                 -XEN_EINVAL);
    /* The 2-level ABI still delivers. */
    check_result("pvg_evtchn_bind", pvg_evtchn_bind(port, on_event, NULL), 0);
    check_result("pvg_evtchn_notify", pvg_evtchn_notify(port), 0);
    if (wait_until(got_one, NULL, monotonic_ns() + NSEC_PER_SEC) != 0)
        test_abort("the IPI never arrived");
    puts("ok: 2-level delivery after the FIFO probe");
    puts("SUCCESS");
    return 0;
}
