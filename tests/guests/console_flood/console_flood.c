/* SPDX-License-Identifier: MIT */
/*
 * console_flood.c: floods the PV console ring in a tight loop for
 * seconds=N (default 3): the ring's 2 KiB are filled with text once, then
 * each round only moves out_prod a whole ring ahead of out_cons (valid:
 * the backend may take it all) and notifies. The hypervisor must keep the
 * domain within its console budget, dropping the rest, while other
 * domains print freely.
 */

#include <pvabi/io/console.h>

#include "../testguest.h"

static const char line[] =
    "console_flood: the same line again and again and again and again\n";

static uint64_t param(uint32_t index)
{
    struct xen_hvm_param p = {.domid = DOMID_SELF, .index = index};

    if (HYPERVISOR_hvm_op(HVMOP_get_param, &p) < 0 || p.value == 0)
        test_abort("no console ring (HVM parameter %u)", index);
    return p.value;
}

int main(void)
{
    struct xencons_interface *ring =
        (void *)(uintptr_t)(param(HVM_PARAM_CONSOLE_PFN) << XEN_PAGE_SHIFT);
    evtchn_port_t port = (evtchn_port_t)param(HVM_PARAM_CONSOLE_EVTCHN);
    uint64_t seconds = test_option("seconds", 3);
    uint64_t end = monotonic_ns() + seconds * NSEC_PER_SEC;
    unsigned long rounds = 0;
    XENCONS_RING_IDX cons;
    size_t i;

    for (i = 0; i < sizeof(ring->out); i += sizeof(line) - 1)
        memcpy(ring->out + i, line, sizeof(line) - 1);
    while (monotonic_ns() < end) {
        cons = __atomic_load_n(&ring->out_cons, __ATOMIC_ACQUIRE);
        __atomic_store_n(&ring->out_prod, cons + sizeof(ring->out),
                         __ATOMIC_RELEASE);
        pvg_evtchn_notify(port);
        rounds++;
    }
    /* What follows passes once the budget has had time to refill. */
    sleep_ns(200 * NSEC_PER_MSEC);
    printf("console_flood: %lu rounds (%lu bytes) in %lu s\n", rounds,
           rounds * sizeof(ring->out), (unsigned long)seconds);
    puts("SUCCESS");
    return 0;
}
