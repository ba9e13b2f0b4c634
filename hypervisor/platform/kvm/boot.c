/* SPDX-License-Identifier: MIT */
/* boot.c: the vCPU state at the PVH entry point. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "core/vcpu.h"
#include "platform/kvm/kvm.h"
#include "pvabi/vcpu.h"

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
int kvm_set_boot_state(struct vcpu *v, uint64_t entry, uint64_t start_info,
                       uint32_t eax, struct pvhv_error *err)
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
    regs.rip = entry;
    regs.rbx = start_info;
    regs.rax = eax; /* Multiboot's 0x2badb002; PVH leaves it 0 */
    regs.rflags = 0x2;
    if (ioctl(fd, KVM_SET_REGS, &regs) < 0)
        goto fail;
    return 0;

fail:
    pvhv_error_set(err, "cannot set the boot state of vCPU %u: %s", v->id,
                   strerror(errno));
    return -errno;
}

/* Xen's segment "ar" bits (vcpu_hvm_x86_32) to a KVM segment. */
static void segment_from_ar(struct kvm_segment *s, uint32_t base,
                            uint32_t limit, uint16_t ar, uint16_t selector)
{
    memset(s, 0, sizeof(*s));
    s->base = base;
    s->limit = limit;
    s->selector = selector;
    s->type = ar & 0xf;
    s->s = (ar >> 4) & 1;
    s->dpl = (ar >> 5) & 3;
    s->present = (ar >> 7) & 1;
    s->avl = (ar >> 8) & 1;
    s->l = (ar >> 9) & 1;
    s->db = (ar >> 10) & 1;
    s->g = (ar >> 11) & 1;
    s->unusable = !s->present;
}

static void context_32(const struct vcpu_hvm_x86_32 *c, struct kvm_regs *r,
                       struct kvm_sregs *s)
{
    *r = (struct kvm_regs){
        .rax = c->eax,
        .rcx = c->ecx,
        .rdx = c->edx,
        .rbx = c->ebx,
        .rsp = c->esp,
        .rbp = c->ebp,
        .rsi = c->esi,
        .rdi = c->edi,
        .rip = c->eip,
        .rflags = c->eflags | 0x2,
    };
    segment_from_ar(&s->cs, c->cs_base, c->cs_limit, c->cs_ar, 0x10);
    segment_from_ar(&s->ds, c->ds_base, c->ds_limit, c->ds_ar, 0x18);
    segment_from_ar(&s->ss, c->ss_base, c->ss_limit, c->ss_ar, 0x18);
    segment_from_ar(&s->es, c->es_base, c->es_limit, c->es_ar, 0x18);
    s->fs = s->gs = s->ds;
    segment_from_ar(&s->tr, c->tr_base, c->tr_limit, c->tr_ar, 0x20);
    s->cr0 = c->cr0;
    s->cr3 = c->cr3;
    s->cr4 = c->cr4;
    s->efer = c->efer;
}

static void context_64(const struct vcpu_hvm_x86_64 *c, struct kvm_regs *r,
                       struct kvm_sregs *s)
{
    *r = (struct kvm_regs){
        .rax = c->rax,
        .rcx = c->rcx,
        .rdx = c->rdx,
        .rbx = c->rbx,
        .rsp = c->rsp,
        .rbp = c->rbp,
        .rsi = c->rsi,
        .rdi = c->rdi,
        .rip = c->rip,
        .rflags = c->rflags | 0x2,
    };
    /* Long mode, flat segments, as Xen's VCPU_HVM_MODE_64B promises. */
    flat_segment(&s->cs, 0x10, 0xb);
    s->cs.l = 1;
    s->cs.db = 0;
    flat_segment(&s->ds, 0x18, 0x3);
    s->es = s->fs = s->gs = s->ss = s->ds;
    memset(&s->tr, 0, sizeof(s->tr));
    s->tr.selector = 0x20;
    s->tr.limit = 0x67;
    s->tr.type = 0xb;
    s->tr.present = 1;
    s->cr0 = c->cr0;
    s->cr3 = c->cr3;
    s->cr4 = c->cr4;
    s->efer = c->efer | (1ULL << 10); /* LMA follows LME with paging on */
}

int kvm_vcpu_set_context(struct vcpu *v, const struct vcpu_hvm_context *ctx)
{
    struct kvm_sregs sregs;
    struct kvm_regs regs;
    int fd = v->pv->fd;
    if (ctx->mode != VCPU_HVM_MODE_32B && ctx->mode != VCPU_HVM_MODE_64B)
        return -EINVAL;
    if (ioctl(fd, KVM_GET_SREGS, &sregs) < 0)
        return -errno;
    if (ctx->mode == VCPU_HVM_MODE_64B)
        context_64(&ctx->cpu_regs.x86_64, &regs, &sregs);
    else
        context_32(&ctx->cpu_regs.x86_32, &regs, &sregs);
    memset(&sregs.ldt, 0, sizeof(sregs.ldt));
    sregs.ldt.type = 0x2;
    sregs.ldt.unusable = 1;
    if (ioctl(fd, KVM_SET_SREGS, &sregs) < 0 ||
        ioctl(fd, KVM_SET_REGS, &regs) < 0)
        return -EINVAL; /* KVM refused the state: the guest's to fix */
    return 0;
}
