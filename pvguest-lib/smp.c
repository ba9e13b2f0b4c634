/* SPDX-License-Identifier: MIT */
/* smp.c: per-vCPU data (through %gs) and starting secondary vCPUs. */

#include "internal.h"
#include "arch/x86_64/arch.h"

#define VCPU_STACK_SIZE 0x4000

struct vcpu_start {
    void (*fn)(void *arg);
    void *arg;
    int initialised; /* VCPUOP_initialise done: later starts only "up" */
    int running;     /* in fn, or about to be */
};

static struct pcpu pcpus[PVGUEST_MAX_VCPUS];
static struct vcpu_start starts[PVGUEST_MAX_VCPUS];
static uint8_t vcpu_stacks[PVGUEST_MAX_VCPUS][VCPU_STACK_SIZE]
    __attribute__((aligned(16)));

void vcpu_secondary_start(uint64_t id) NORETURN;

static void wrmsr(uint32_t msr, uint64_t value)
{
    __asm__ volatile("wrmsr"
                     :
                     : "c"(msr), "a"((uint32_t)value),
                       "d"((uint32_t)(value >> 32))
                     : "memory");
}

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

/* %gs points at the vCPU's struct pcpu: smp_id() reads %gs:0. */
static void set_pcpu(unsigned int id)
{
    pcpus[id].id = id;
    wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)&pcpus[id]);
}

/* Boot step, before events: the upcall needs smp_id(). */
int smp_init(void)
{
    set_pcpu(0);
    return 0;
}

unsigned int pvguest_vcpu_id(void)
{
    return smp_id();
}

/*
 * Called by vcpu_trampoline on the new vCPU's stack. A vCPU that comes
 * back up after VCPUOP_down continues after the hypercall, so the loop
 * runs the function of each start in turn.
 */
void vcpu_secondary_start(uint64_t id)
{
    struct vcpu_start *s = &starts[id];
    long rc;

    traps_load_idt();
    set_pcpu((unsigned int)id);
    for (;;) {
        s->fn(s->arg);
        __atomic_store_n(&s->running, 0, __ATOMIC_SEQ_CST);
        rc = HYPERVISOR_vcpu_op(VCPUOP_down, (unsigned int)id, NULL);
        if (rc < 0) {
            printf("pvguest: vCPU %u: VCPUOP_down failed: %ld\n",
                   (unsigned int)id, rc);
            shutdown_domain(SHUTDOWN_crash);
        }
    }
}

/* The state VCPUOP_initialise gives vCPU (id): ours, but its own stack. */
static void vcpu_context(unsigned int id, struct vcpu_hvm_context *ctx)
{
    struct vcpu_hvm_x86_64 *r = &ctx->cpu_regs.x86_64;
    uint64_t *top = (uint64_t *)(vcpu_stacks[id] + VCPU_STACK_SIZE) - 2;

    memset(ctx, 0, sizeof(*ctx));
    ctx->mode = VCPU_HVM_MODE_64B;
    top[0] = id; /* vcpu_trampoline reads it at (%rsp) */
    top[1] = 0;
    r->rsp = (uint64_t)(uintptr_t)top;
    r->rip = (uint64_t)(uintptr_t)vcpu_trampoline;
    r->rdi = id;
    r->rflags = 0x2;
    __asm__ volatile("mov %%cr0, %0" : "=r"(r->cr0));
    __asm__ volatile("mov %%cr3, %0" : "=r"(r->cr3));
    __asm__ volatile("mov %%cr4, %0" : "=r"(r->cr4));
    r->efer = rdmsr(MSR_EFER);
}

int pvguest_vcpu_up(unsigned int id, void (*fn)(void *arg), void *arg)
{
    struct vcpu_start *s;
    struct vcpu_hvm_context ctx;
    long rc;

    if (id == 0 || id >= PVGUEST_MAX_VCPUS || !fn)
        return -XEN_EINVAL;
    s = &starts[id];
    if (__atomic_load_n(&s->running, __ATOMIC_SEQ_CST))
        return -XEN_EBUSY;
    s->fn = fn;
    s->arg = arg;
    __atomic_store_n(&s->running, 1, __ATOMIC_SEQ_CST);
    if (!s->initialised) {
        vcpu_context(id, &ctx);
        rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, id, &ctx);
        if (rc < 0)
            goto fail;
        s->initialised = 1;
    }
    rc = HYPERVISOR_vcpu_op(VCPUOP_up, id, NULL);
    if (rc < 0)
        goto fail;
    return 0;

fail:
    __atomic_store_n(&s->running, 0, __ATOMIC_SEQ_CST);
    return (int)rc;
}

int pvguest_vcpu_is_up(unsigned int id)
{
    return (int)HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL);
}
