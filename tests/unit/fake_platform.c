/* SPDX-License-Identifier: MIT */
/* fake_platform.c: core/platform.h over plain memory, no /dev/kvm, for
 * unit tests. */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain.h"
#include "core/io.h"
#include "fake_platform.h"
#include "core/platform.h"
#include "pvabi/pvhv.h"

struct platform_vm {
    uint8_t *special; /* PLATFORM_SPECIAL_PAGES pages */
    struct guest_ram *ram;
    bool hvm;
};

struct platform_vcpu {
    bool exits_kept; /* fake_platform_kvm_exits set a count */
    _Atomic uint64_t exits;
};

static const char *fail_next;
bool fake_platform_irq_level[PLATFORM_ISA_IRQS];
unsigned int fake_platform_irq_changes[PLATFORM_ISA_IRQS];
static atomic_uint live;

void fake_platform_fail(const char *call)
{
    fail_next = call;
}

unsigned int fake_platform_live(void)
{
    return atomic_load(&live);
}

/* failing: whether (call) is the one asked to fail; it fails once. */
static bool failing(const char *call)
{
    if (!fail_next || strcmp(fail_next, call) != 0)
        return false;
    fail_next = NULL;
    return true;
}

static int fake_open(struct platform **p, struct pvhv_error *err)
{
    *p = calloc(1, sizeof(**p));
    if (!*p) {
        snprintf(err->msg, sizeof(err->msg), "fake platform: out of memory");
        return -ENOMEM;
    }
    (*p)->ops = &fake_platform_ops;
    return 0;
}

static void fake_close(struct platform *p)
{
    free(p);
}

static bool fake_vmcall_hypercalls(const struct platform *p)
{
    (void)p;
    return false;
}

static bool fake_native_usable(struct platform *p, char *why, size_t len,
                               uint64_t *ns)
{
    (void)p;
    if (why)
        snprintf(why, len, "the fake platform runs no guest code");
    if (ns)
        *ns = 0;
    return false;
}

/* The VM: RAM (one view: host and guest are the same memory here). */
static int fake_vm_create(struct platform *p,
                          const struct platform_vm_config *cfg,
                          struct platform_vm **out, struct pvhv_error *err)
{
    struct platform_vm *pvm =
        failing("vm_create") ? NULL : calloc(1, sizeof(*pvm));
    struct guest_ram *ram = cfg->ram;

    (void)p;
    if (!pvm) {
        snprintf(err->msg, sizeof(err->msg), "fake platform: no VM");
        return -ENOMEM;
    }
    *out = pvm;
    pvm->ram = ram;
    pvm->hvm = cfg->hvm;
    atomic_fetch_add(&live, 1);
    ram->low_size =
        ram->size < GUEST_LOW_RAM_MAX ? ram->size : GUEST_LOW_RAM_MAX;
    ram->host = aligned_alloc(GUEST_PAGE_SIZE, ram->size);
    pvm->special = aligned_alloc(GUEST_PAGE_SIZE,
                                 PLATFORM_SPECIAL_PAGES * GUEST_PAGE_SIZE);
    if (!ram->host || !pvm->special) {
        snprintf(err->msg, sizeof(err->msg),
                 "fake platform: no %llu bytes of RAM",
                 (unsigned long long)ram->size);
        return -ENOMEM;
    }
    memset(ram->host, 0, ram->size);
    memset(pvm->special, 0, PLATFORM_SPECIAL_PAGES * GUEST_PAGE_SIZE);
    return 0;
}

static bool lapic_on;

void fake_platform_lapic(bool on)
{
    lapic_on = on;
}

static bool fake_vm_lapic(const struct platform_vm *pvm)
{
    return pvm && lapic_on;
}

static void fake_vm_destroy(struct platform_vm *pvm)
{
    if (!pvm)
        return;
    free(pvm->ram->host);
    pvm->ram->host = NULL;
    free(pvm->special);
    free(pvm);
    atomic_fetch_sub(&live, 1);
}

static int fake_vcpu_create(struct vcpu *v, struct platform_vm *vm,
                            const struct platform_vcpu_config *cfg,
                            struct pvhv_error *err)
{
    (void)vm;
    (void)cfg;
    v->pv = failing("vcpu_create") ? NULL : calloc(1, sizeof(*v->pv));
    if (!v->pv) {
        snprintf(err->msg, sizeof(err->msg), "fake platform: no vCPU %u",
                 v->id);
        return -ENOMEM;
    }
    atomic_fetch_add(&live, 1);
    return 0;
}

static bool fake_vcpu_native(const struct vcpu *v)
{
    (void)v;
    return false;
}

static void fake_vcpu_destroy(struct vcpu *v)
{
    if (!v->pv)
        return;
    free(v->pv);
    v->pv = NULL;
    atomic_fetch_sub(&live, 1);
}

/* Nothing runs: the vCPU thread returns at once. */
static void fake_vcpu_run(struct vcpu *v)
{
    (void)v;
}

/* The hypercall port takes no access: no stub ever runs here. */
static bool hypercall_port_refuse(struct vcpu *v, uint64_t port, uint8_t *data,
                                  unsigned int len, bool is_write, void *opaque)
{
    (void)v, (void)port, (void)data, (void)len, (void)is_write, (void)opaque;
    return false;
}

static const struct io_device fake_hypercall_port = {
    .name = "hypercall port",
    .space = IO_SPACE_PORT,
    .base = PVHV_HYPERCALL_PORT,
    .len = 4,
    .access = hypercall_port_refuse,
};

static void fake_vcpu_kick(struct vcpu *v)
{
    (void)v;
}

static int fake_vcpu_guest_insns(const struct vcpu *v, uint64_t *n)
{
    (void)n;
    return v->pv ? -ENOENT : -ENODEV;
}

void fake_platform_kvm_exits(struct vcpu *v, bool kept, uint64_t n)
{
    if (!v->pv) {
        fprintf(stderr, "fake platform: vCPU %u has no platform state\n",
                v->id);
        abort();
    }
    v->pv->exits_kept = kept;
    atomic_store(&v->pv->exits, n);
}

static int fake_vcpu_kvm_exits(const struct vcpu *v, uint64_t *n)
{
    if (!v->pv)
        return -ENODEV;
    if (!v->pv->exits_kept)
        return -ENOENT;
    *n = atomic_load(&v->pv->exits);
    return 0;
}

static int fake_vcpu_regs(struct vcpu *v, struct pvhv_regs *regs)
{
    (void)v;
    memset(regs, 0, sizeof(*regs));
    return 0;
}

static void *fake_special_page(struct platform_vm *pvm, unsigned int idx)
{
    if (!pvm || idx >= PLATFORM_SPECIAL_PAGES ||
        (idx == 0 && failing("shared_info")))
        return NULL;
    return pvm->special + (size_t)idx * GUEST_PAGE_SIZE;
}

/* Mappings into the guest's view: there is no guest view to change. */
static int fake_map_special_pages(struct platform_vm *pvm, unsigned int idx,
                                  unsigned int nr, uint64_t gpa)
{
    if (!pvm || idx + nr > PLATFORM_SPECIAL_PAGES ||
        !guest_ram_ptr(pvm->ram, gpa, (uint64_t)nr * GUEST_PAGE_SIZE))
        return -EINVAL;
    return failing("map_special_pages") ? -ENOMEM : 0;
}

static int fake_map_foreign_page(struct platform_vm *mapper, uint64_t gpa,
                                 struct platform_vm *granter,
                                 uint64_t granter_gpa, bool readonly)
{
    (void)gpa;
    (void)readonly;
    if (!mapper || !granter ||
        !guest_ram_ptr(granter->ram, granter_gpa, GUEST_PAGE_SIZE))
        return -EINVAL;
    return 0;
}

static int fake_unmap_foreign_page(struct platform_vm *mapper, uint64_t gpa)
{
    (void)gpa;
    return mapper ? 0 : -EINVAL;
}

static int fake_map_grant_frame(struct platform_vm *pvm, unsigned int idx,
                                uint64_t gpa)
{
    return fake_map_special_pages(pvm, idx, 1, gpa);
}

/* Released RAM reads as zeros, as on KVM. */
static int fake_release_ram(struct platform_vm *pvm, uint64_t gpa, uint64_t len)
{
    uint8_t *host = pvm ? guest_ram_ptr(pvm->ram, gpa, len) : NULL;

    if (!host || gpa % GUEST_PAGE_SIZE || len % GUEST_PAGE_SIZE)
        return -EINVAL;
    memset(host, 0, len);
    return 0;
}

static int fake_vcpu_set_context(struct vcpu *v,
                                 const struct vcpu_hvm_context *ctx)
{
    (void)v;
    (void)ctx;
    return 0;
}

static int fake_vcpu_tsc(struct vcpu *v, uint64_t *khz, int64_t *offset)
{
    (void)v;
    *khz = 1000000; /* 1 GHz */
    *offset = 0;
    return 0;
}

/* Lines out of range are refused as on KVM; the rest are remembered. */
static int fake_irq_line(struct platform_vm *pvm, unsigned int irq, bool level)
{
    if (irq >= PLATFORM_ISA_IRQS)
        return -EINVAL;
    if (!pvm || !pvm->hvm)
        return -ENODEV;
    fake_platform_irq_level[irq] = level;
    fake_platform_irq_changes[irq]++;
    return 0;
}

/* Two of KVM's own (platform/kvm/kvm.h, which this file cannot include:
 * it defines the platform's types over again). */
int kvm_hypercall_stubs(struct guest_ram *ram, uint64_t gpa);
int kvm_sandbox_worker_thread(void);

/* The stubs are bytes in guest RAM: KVM's own writer serves. */
static int fake_hypercall_page_fill(struct platform_vm *pvm, uint64_t gpa)
{
    return pvm ? kvm_hypercall_stubs(pvm->ram, gpa) : -1;
}

/* Backend workers keep the real confinement, so tests see its refusals. */
static int fake_sandbox_worker_thread(void)
{
    return kvm_sandbox_worker_thread();
}

const struct platform_ops fake_platform_ops = {
    .name = "fake",
    .open = fake_open,
    .close = fake_close,
    .vmcall_hypercalls = fake_vmcall_hypercalls,
    .native_usable = fake_native_usable,
    .vm_create = fake_vm_create,
    .vm_destroy = fake_vm_destroy,
    .vcpu_create = fake_vcpu_create,
    .vcpu_native = fake_vcpu_native,
    .vcpu_destroy = fake_vcpu_destroy,
    .vcpu_run = fake_vcpu_run,
    .hypercall_port = &fake_hypercall_port,
    .hypercall_page_fill = fake_hypercall_page_fill,
    .vcpu_kick = fake_vcpu_kick,
    .vcpu_guest_insns = fake_vcpu_guest_insns,
    .vcpu_kvm_exits = fake_vcpu_kvm_exits,
    .vcpu_regs = fake_vcpu_regs,
    .special_page = fake_special_page,
    .map_special_pages = fake_map_special_pages,
    .map_foreign_page = fake_map_foreign_page,
    .unmap_foreign_page = fake_unmap_foreign_page,
    .map_grant_frame = fake_map_grant_frame,
    .release_ram = fake_release_ram,
    .vcpu_set_context = fake_vcpu_set_context,
    .vcpu_tsc = fake_vcpu_tsc,
    .sandbox_worker_thread = fake_sandbox_worker_thread,
    .irq_line = fake_irq_line,
    .vm_lapic = fake_vm_lapic, /* vcpu_started, vcpu_halted: none */
};
