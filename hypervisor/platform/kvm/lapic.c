/* SPDX-License-Identifier: MIT */
/* lapic.c: the local APIC of a PV domain's vCPUs: KVM's, through the split
 * irqchip. */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/ioctl.h>

#include "core/log.h"
#include "core/vcpu.h"
#include "platform/kvm/kvm.h"

/* Local APIC registers (offsets in struct kvm_lapic_state.regs). */
#define APIC_SVR 0xf0
#define APIC_LVT0 0x350
#define APIC_LVT1 0x360
#define APIC_SVR_ENABLE (1u << 8)
#define APIC_SPURIOUS_VECTOR 0xff
#define APIC_DM_NMI (4u << 8)
#define APIC_DM_EXTINT (7u << 8)
/* A message-signalled interrupt: physical destination, fixed, edge. */
#define MSI_ADDR_BASE 0xfee00000u
#define MSI_ADDR_DEST_SHIFT 12
#define KVM_HALT_POLL_NS 30000 /* as HALT_POLL_NS in core/schedule.c */

void kvm_lapic_probe(struct kvm_platform *p)
{
    p->split_irqchip =
        ioctl(p->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SPLIT_IRQCHIP) > 0;
}

/* say_once: the one line saying that PV domains run without a local APIC. */
static void say_once(const char *why)
{
    static atomic_bool said;

    if (!atomic_exchange(&said, true))
        pr_warn("PV domains get no local APIC and no ACPI tables: %s", why);
}

int kvm_lapic_vm_enable(struct platform_vm *pvm)
{
    /* No I/O APIC pins: a PV domain's interrupts are event channels. */
    struct kvm_enable_cap cap = {.cap = KVM_CAP_SPLIT_IRQCHIP, .args[0] = 0};

    if (!pvm->p->split_irqchip) {
        say_once("this host's KVM lacks KVM_CAP_SPLIT_IRQCHIP");
        return 0;
    }
    if (ioctl(pvm->vm_fd, KVM_ENABLE_CAP, &cap) < 0) {
        say_once(strerror(errno));
        return 0;
    }
    pvm->lapic = true;
    /* KVM now serves HLT: it polls no longer than pvhv's own wait does
     * (core/schedule.c), so that a halted vCPU takes no more CPU. */
    cap = (struct kvm_enable_cap){.cap = KVM_CAP_HALT_POLL,
                                  .args[0] = KVM_HALT_POLL_NS};
    ioctl(pvm->vm_fd, KVM_ENABLE_CAP, &cap); /* optional */
    return 0;
}

static uint32_t reg_get(const struct kvm_lapic_state *s, unsigned int off)
{
    uint32_t v;

    memcpy(&v, &s->regs[off], sizeof(v));
    return v;
}

static void reg_set(struct kvm_lapic_state *s, unsigned int off, uint32_t v)
{
    memcpy(&s->regs[off], &v, sizeof(v));
}

/*
 * Virtual wire, as firmware leaves it: KVM takes an interrupt injected
 * with KVM_INTERRUPT (the callback vector of HVM_PARAM_CALLBACK_IRQ) as
 * the PIC's only while LINT0 is unmasked in ExtINT mode; such an
 * interrupt bypasses the APIC's ISR, so the guest does not EOI it, as
 * under Xen. The APIC ID stays KVM's: the vCPU's index.
 */
static int virtual_wire(int fd)
{
    struct kvm_lapic_state s;

    if (ioctl(fd, KVM_GET_LAPIC, &s) < 0)
        return -errno;
    reg_set(&s, APIC_SVR,
            (reg_get(&s, APIC_SVR) & ~0xffu) | APIC_SVR_ENABLE |
                APIC_SPURIOUS_VECTOR);
    reg_set(&s, APIC_LVT0, APIC_DM_EXTINT);
    reg_set(&s, APIC_LVT1, APIC_DM_NMI);
    return ioctl(fd, KVM_SET_LAPIC, &s) < 0 ? -errno : 0;
}

int kvm_lapic_vcpu_setup(struct vcpu *v, struct pvhv_error *err)
{
    struct platform_vcpu *pv = v->pv;
    int rc = virtual_wire(pv->fd);

    if (rc < 0) {
        pvhv_error_set(err, "cannot set up the local APIC of vCPU %u: %s",
                       v->id, strerror(-rc));
        return rc;
    }
    pv->lapic = true;
    /* KVM made a secondary vCPU waiting for INIT and SIPI. */
    pv->parked = v->id != 0;
    /* Optional: without it, time halted in KVM counts as running. */
    kvm_stat_open(pv->fd, "halt_wait_ns", &pv->halts);
    kvm_stat_open(pv->fd, "blocking", &pv->blocking);
    kvm_stat_read(&pv->halts, &pv->halted_ns);
    return 0;
}

static int set_mp_state(struct platform_vcpu *pv, uint32_t state)
{
    struct kvm_mp_state mp = {.mp_state = state};

    return ioctl(pv->fd, KVM_SET_MP_STATE, &mp) < 0 ? -errno : 0;
}

/*
 * A down vCPU waits for INIT and SIPI, as KVM leaves a secondary vCPU
 * (KVM_MP_STATE_UNINITIALIZED); KVM keeps the IPIs of its APIC, and takes
 * them (INIT resets the vCPU, SIPI starts it in real mode at the vector's
 * page) when asked for the state.
 */
bool kvm_vcpu_started(struct vcpu *v)
{
    struct platform_vcpu *pv = v->pv;
    struct kvm_mp_state mp;

    if (!pv || !pv->lapic)
        return false;
    if (!pv->parked) { /* it just went down (VCPUOP_down) */
        pv->parked = set_mp_state(pv, KVM_MP_STATE_UNINITIALIZED) == 0;
        return false;
    }
    if (ioctl(pv->fd, KVM_GET_MP_STATE, &mp) < 0 ||
        mp.mp_state != KVM_MP_STATE_RUNNABLE)
        return false;
    pv->parked = false;
    return true;
}

int kvm_lapic_unpark(struct vcpu *v)
{
    struct platform_vcpu *pv = v->pv;
    int rc = set_mp_state(pv, KVM_MP_STATE_RUNNABLE);

    if (rc == 0)
        pv->parked = false;
    return rc;
}

bool kvm_vcpu_halted(const struct vcpu *v)
{
    uint64_t blocking = 0;

    return v->pv && v->pv->lapic &&
           kvm_stat_read(&v->pv->blocking, &blocking) == 0 && blocking;
}

uint64_t kvm_lapic_halted(struct vcpu *v)
{
    struct platform_vcpu *pv = v->pv;
    uint64_t now, was = pv->halted_ns;

    if (kvm_stat_read(&pv->halts, &now) < 0 || now <= was)
        return 0;
    pv->halted_ns = now;
    return now - was;
}

int kvm_lapic_irq(struct vcpu *v, uint8_t vector)
{
    struct kvm_msi msi = {
        .address_lo = MSI_ADDR_BASE | (v->id << MSI_ADDR_DEST_SHIFT),
        .data = vector,
    };

    return ioctl(v->pv->vm_fd, KVM_SIGNAL_MSI, &msi) < 0 ? -errno : 0;
}

bool kvm_vm_lapic(const struct platform_vm *vm)
{
    return vm && vm->lapic;
}
