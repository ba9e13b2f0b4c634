/* SPDX-License-Identifier: MIT */
/*
 * upcall_vector.c: per-vCPU upcalls through the local APIC: CPUID offers
 * them (XEN_HVM_CPUID_UPCALL_VECTOR), HVMOP_set_evtchn_upcall_vector
 * refuses an exception vector and a vCPU that does not exist, then takes
 * a vector whose handler scans the events and EOIs; an IPI to ourselves
 * arrives through it, each send once, and the domain's callback vector
 * (libpvguest's, counted here) no longer sees any upcall. Prints "SKIP: ..."
 * and stops where the hypervisor does not offer them.
 */
#include "../lapic.h"

#define UPCALL_VECTOR 0xe0

static volatile unsigned long lapic_upcalls, callback_upcalls, events;
static volatile int in_service_then;

__attribute__((used)) static void on_upcall(void)
{
    in_service_then = lapic_in_service(UPCALL_VECTOR);
    lapic_upcalls++;
    evtchn_do_upcall();
    lapic_eoi();
}
INTERRUPT_ENTRY(upcall_vector_entry, on_upcall);

/* The domain's callback vector, counted: it must see nothing now. */
__attribute__((used)) static void on_callback(void)
{
    callback_upcalls++;
    evtchn_do_upcall();
}
INTERRUPT_ENTRY(callback_entry, on_callback);

static void on_event(evtchn_port_t port, void *data)
{
    (void)port;
    (void)data;
    events++;
}

static long set_vector(uint32_t vcpu, uint8_t vector)
{
    struct xen_hvm_evtchn_upcall_vector op = {.vcpu = vcpu, .vector = vector};

    return HYPERVISOR_hvm_op(HVMOP_set_evtchn_upcall_vector, &op);
}

static int reached(void *arg)
{
    return events >= (unsigned long)(uintptr_t)arg;
}

static void expect_events(unsigned long n)
{
    wait_until(reached, (void *)(uintptr_t)n,
               monotonic_ns() + 2 * NSEC_PER_SEC);
    sleep_ns(5 * NSEC_PER_MSEC); /* a duplicate would show now */
    check_result("events received", events, n);
    /* Timer events of the sleeps come through it too. */
    if (lapic_upcalls < n)
        test_abort("%lu upcalls through the APIC vector for %lu events",
                   lapic_upcalls, n);
    check_result("upcalls through the callback vector", callback_upcalls, 0);
}

int main(void)
{
    uint32_t regs[4];
    uint64_t gsi = 1;
    struct xen_hvm_param p = {.domid = DOMID_SELF,
                              .index = HVM_PARAM_CALLBACK_IRQ};
    evtchn_port_t port;

    if (xen_cpuid(4, regs) < 0 || !(regs[0] & XEN_HVM_CPUID_UPCALL_VECTOR)) {
        puts("SKIP: CPUID offers no per-vCPU upcall vector: this host gives "
             "PV domains no local APIC");
        return 0;
    }
    check_result("set_evtchn_upcall_vector(vector 0x0f)", set_vector(0, 0x0f),
                 -XEN_EINVAL);
    check_result("set_evtchn_upcall_vector(vCPU 7)", set_vector(7, 0xe0),
                 -XEN_ENOENT);
    idt_set_gate(UPCALL_VECTOR, upcall_vector_entry);
    idt_set_gate(EVTCHN_CALLBACK_VECTOR, callback_entry);
    check_result("set_evtchn_upcall_vector(vCPU 0, 0xe0)",
                 set_vector(0, UPCALL_VECTOR), 0);
    /* As Linux does after it: GSI 1, which delivers nothing. */
    p.value = gsi;
    check_result("HVM_PARAM_CALLBACK_IRQ = GSI 1",
                 HYPERVISOR_hvm_op(HVMOP_set_param, &p), 0);
    check_result("bind_ipi(vCPU 0)", pvg_evtchn_bind_ipi(0, &port), 0);
    check_result("pvg_evtchn_bind", pvg_evtchn_bind(port, on_event, NULL), 0);
    check_result("send", pvg_evtchn_notify(port), 0);
    expect_events(1);
    printf("ok: vector in the ISR in its handler: %d\n", in_service_then);
    check_result("vector in service after the EOI",
                 lapic_in_service(UPCALL_VECTOR), 0);
    for (unsigned int i = 0; i < 3; i++) {
        check_result("send again", pvg_evtchn_notify(port), 0);
        expect_events(2 + i);
    }
    puts("SUCCESS");
    return 0;
}
