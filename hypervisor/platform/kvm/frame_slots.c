/* SPDX-License-Identifier: MIT */
/* frame_slots.c: grant frames outside RAM and the window, a memslot each. */
#include <cpuid.h>
#include <errno.h>

#include "core/guest_memory.h"
#include "platform/kvm/kvm.h"

/* Memslots 0-2 are RAM and the window; frame i gets FRAME_SLOT_BASE + i. */
#define FRAME_SLOT_BASE 16

/* The x86 platform's device region (I/O APIC, HPET, local APIC, BIOS). */
#define DEVICE_REGION_BASE 0xFEC00000ULL
#define DEVICE_REGION_END 0x100000000ULL

/* phys_limit: 2^MAXPHYADDR of the host's CPUID leaf 0x80000008, which
 * the guest's CPUID reports too (36 bits where the leaf is absent). */
static uint64_t phys_limit(void)
{
    unsigned int a, b, c, d, bits = 36;

    if (__get_cpuid(0x80000000, &a, &b, &c, &d) && a >= 0x80000008 &&
        __get_cpuid(0x80000008, &a, &b, &c, &d) && (a & 0xff) >= 32 &&
        (a & 0xff) <= 52)
        bits = a & 0xff;
    return 1ULL << bits;
}

void kvm_frame_slot_clear(struct platform_vm *pvm, unsigned int idx)
{

    if (!pvm || idx >= PLATFORM_SPECIAL_PAGES || !pvm->frame_slot_gpa[idx])
        return;
    kvm_set_memslot(pvm->vm_fd, FRAME_SLOT_BASE + idx, pvm->frame_slot_gpa[idx],
                    0, NULL);
    pvm->frame_slot_gpa[idx] = 0;
}

int kvm_frame_slot_set(struct platform_vm *pvm, unsigned int idx, uint64_t gpa)
{
    uint64_t old;
    int rc;

    if (!pvm || !pvm->special || idx >= PLATFORM_SPECIAL_PAGES ||
        gpa % GUEST_PAGE_SIZE || gpa == 0 || gpa >= phys_limit() ||
        (gpa >= DEVICE_REGION_BASE && gpa < DEVICE_REGION_END))
        return -EINVAL;
    old = pvm->frame_slot_gpa[idx];
    if (old == gpa)
        return 0;
    for (unsigned int i = 0; i < PLATFORM_SPECIAL_PAGES; i++)
        if (pvm->frame_slot_gpa[i] == gpa)
            return -EINVAL; /* another frame is there */
    /* A memslot moves by deletion and re-creation (KVM's rule). */
    kvm_frame_slot_clear(pvm, idx);
    rc = kvm_set_memslot(pvm->vm_fd, FRAME_SLOT_BASE + idx, gpa,
                         GUEST_PAGE_SIZE, pvm->special + idx * GUEST_PAGE_SIZE);
    if (rc < 0) {
        /* Over another memslot, say (KVM: -EEXIST): back where it was. */
        if (old && kvm_set_memslot(pvm->vm_fd, FRAME_SLOT_BASE + idx, old,
                                   GUEST_PAGE_SIZE,
                                   pvm->special + idx * GUEST_PAGE_SIZE) == 0)
            pvm->frame_slot_gpa[idx] = old;
        return -EINVAL;
    }
    pvm->frame_slot_gpa[idx] = gpa;
    return 0;
}
