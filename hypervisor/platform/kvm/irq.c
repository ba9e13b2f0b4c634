/* SPDX-License-Identifier: MIT */
/* irq.c: an hvm domain's interrupt controllers: KVM's PIC, I/O APIC, LAPICs
 * and PIT, and the ISA lines its devices raise. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "core/guest_memory.h"
#include "core/log.h"
#include "platform/kvm/kvm.h"

int kvm_irqchip_create(struct platform_vm *pvm, struct pvhv_error *err)
{
    /* Port 0x61's speaker gate served in the kernel too: PIT channel 2
     * polling loops (calibration) then never exit to us. */
    struct kvm_pit_config pit = {.flags = KVM_PIT_SPEAKER_DUMMY};

    if (ioctl(pvm->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0) {
        int rc = -errno;

        pvhv_error_set(err, "KVM_CREATE_IRQCHIP failed: %s", strerror(-rc));
        return rc;
    }
    if (ioctl(pvm->vm_fd, KVM_CREATE_PIT2, &pit) < 0) {
        int rc = -errno;

        pvhv_error_set(err, "KVM_CREATE_PIT2 failed: %s", strerror(-rc));
        return rc;
    }
    pvm->irqchip = true;
    return 0;
}

/*
 * KVM's default routing sends GSI 0-15 to both the PIC and the I/O APIC
 * pin of the same number, so one KVM_IRQ_LINE reaches whichever of the
 * two the guest programmed.
 */
int kvm_irq_line(struct platform_vm *pvm, unsigned int irq, bool level)
{
    struct kvm_irq_level line = {.irq = irq, .level = level};

    if (irq >= PLATFORM_ISA_IRQS) {
        pr_warn("ISA interrupt line %u (level %d) refused: lines are 0 to %d",
                irq, level, PLATFORM_ISA_IRQS - 1);
        return -EINVAL;
    }
    if (!pvm || !pvm->irqchip)
        return -ENODEV;
    return ioctl(pvm->vm_fd, KVM_IRQ_LINE, &line) < 0 ? -errno : 0;
}
