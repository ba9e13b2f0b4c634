/* SPDX-License-Identifier: MIT */
/* boot_marker.c: port 0xea, where a guest marks boot milestones for timing. */
#include <stdatomic.h>
#include <string.h>

#include "core/domain.h"
#include "core/io.h"
#include "core/time.h"
#include "core/platform.h"
#include "pvabi/pvhv.h"

#define NOTED_MARKERS 8 /* the first ones go to the domain's log too */

/*
 * As Firecracker's boot-timer port: the guest writes a value (1, 2 or 4
 * bytes) and pvhv records the domain's system time then (ns since it was
 * made, pauses left out), with the domain's exits and the writing vCPU's
 * guest instructions and KVM exits (platform_vcpu_kvm_exits, in-kernel
 * ones included) at that moment (0 where the host does not count them),
 * for pvbench and `pvctl --stats`. Every domain
 * has it, PV and hvm alike, from the first instruction. Reads find no
 * device (all ones).
 */
static bool boot_marker_io(struct vcpu *v, uint64_t port, uint8_t *data,
                           unsigned int len, bool is_write, void *opaque)
{
    struct domain *d = v->domain;
    uint64_t now = domain_system_time(d), insns = 0, kvm_exits = 0;
    uint64_t exits = atomic_load_explicit(&d->exits, memory_order_relaxed);
    uint32_t value = 0;
    unsigned int n;

    (void)port;
    (void)opaque;
    if (!is_write || len > sizeof(value))
        return false;
    memcpy(&value, data, len);
    if (d->native || platform_vcpu_guest_insns(v, &insns) < 0)
        insns = 0;
    if (platform_vcpu_kvm_exits(v, &kvm_exits) < 0)
        kvm_exits = 0;
    n = atomic_fetch_add_explicit(&d->markers, 1, memory_order_relaxed);
    if (n == 0) {
        atomic_store_explicit(&d->marker_first_ns, now, memory_order_relaxed);
        atomic_store_explicit(&d->marker_first_exits, exits,
                              memory_order_relaxed);
        atomic_store_explicit(&d->marker_first_insns, insns,
                              memory_order_relaxed);
        atomic_store_explicit(&d->marker_first_kvm_exits, kvm_exits,
                              memory_order_relaxed);
    }
    atomic_store_explicit(&d->marker_last_ns, now, memory_order_relaxed);
    atomic_store_explicit(&d->marker_last_exits, exits, memory_order_relaxed);
    atomic_store_explicit(&d->marker_last_insns, insns, memory_order_relaxed);
    atomic_store_explicit(&d->marker_last_kvm_exits, kvm_exits,
                          memory_order_relaxed);
    atomic_store_explicit(&d->marker_value, value, memory_order_relaxed);
    if (n < NOTED_MARKERS)
        domain_note(d, ": boot marker 0x%x at %llu us", value,
                    (unsigned long long)(now / 1000));
    return true;
}

const struct io_device boot_marker_device = {
    .name = "boot marker",
    .space = IO_SPACE_PORT,
    .base = PVHV_BOOT_MARKER_PORT,
    .len = 1,
    .access = boot_marker_io,
};
