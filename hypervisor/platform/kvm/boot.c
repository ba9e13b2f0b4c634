/* SPDX-License-Identifier: MIT */
/* boot.c: the vCPU state at the PVH entry point. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "core/domain.h"
#include "platform/kvm/kvm.h"

#define CR0_PE (1ULL << 0)
#define CR0_ET (1ULL << 4)

static void flat_segment(struct kvm_segment *s, uint16_t selector, uint8_t type)
{
    memset(s, 0, sizeof(*s));
    s->base = 0;
    s->limit = 0xffffffff;
    s->selector = selector;
    s->type = type;
    s->present = 1;
    s->db = 1; /* 32-bit */
    s->s = 1;  /* code or data */
    s->g = 1;  /* 4 KiB granularity */
}

/*
 * The PVH boot ABI: 32-bit protected mode, paging off, flat 4 GiB code and
 * data segments, a 32-bit TSS, interrupts off, %ebx = the start info.
 */
int kvm_set_boot_state(struct vcpu *v, struct pvhv_error *err)
{
    struct kvm_sregs sregs;
    int fd = v->pv->fd;
    if (ioctl(fd, KVM_GET_SREGS, &sregs) < 0)
        goto fail;
    flat_segment(&sregs.cs, 0x10, 0xb); /* execute/read, accessed */
    flat_segment(&sregs.ds, 0x18, 0x3); /* read/write, accessed */
    sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
    memset(&sregs.tr, 0, sizeof(sregs.tr));
    sregs.tr.selector = 0x20;
    sregs.tr.limit = 0x67;
    sregs.tr.type = 0xb; /* 32-bit TSS, busy */
    sregs.tr.present = 1;
    memset(&sregs.ldt, 0, sizeof(sregs.ldt));
    sregs.ldt.type = 0x2;
    sregs.ldt.unusable = 1;
    sregs.cr0 = CR0_PE | CR0_ET;
    sregs.cr3 = 0;
    sregs.cr4 = 0;
    sregs.efer = 0;
    if (ioctl(fd, KVM_SET_SREGS, &sregs) < 0)
        goto fail;

    struct kvm_regs regs;
    memset(&regs, 0, sizeof(regs));
    regs.rip = v->domain->entry;
    regs.rbx = v->domain->start_info;
    regs.rflags = 0x2;
    if (ioctl(fd, KVM_SET_REGS, &regs) < 0)
        goto fail;
    return 0;

fail:
    snprintf(err->msg, sizeof(err->msg), "cannot set the boot state of vCPU %u: %s",
             v->id, strerror(errno));
    return -errno;
}
