/* SPDX-License-Identifier: MIT */
/* hypercall.c: finding the hypervisor's CPUID leaves and the hypercall page. */

#include "internal.h"

/*
 * The page the hypervisor fills with stubs. In .bss, page-aligned; the
 * guest runs on an identity map, so its address is also its
 * guest-physical address, which is what the MSR takes.
 */
uint8_t hypercall_page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));

static uint32_t xen_base;     /* first Xen leaf; 0 until found */
static uint32_t xen_max_leaf; /* highest Xen leaf, as leaf +0 reports */
static int page_ready;

static void cpuid(uint32_t leaf, uint32_t regs[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(regs[0]), "=b"(regs[1]), "=c"(regs[2]),
                       "=d"(regs[3])
                     : "a"(leaf), "c"(0));
}

static void wrmsr(uint32_t msr, uint64_t value)
{
    /* "memory": the hypervisor writes the page while handling this. */
    __asm__ volatile("wrmsr"
                     :
                     : "c"(msr), "a"((uint32_t)value),
                       "d"((uint32_t)(value >> 32))
                     : "memory");
}

/*
 * The Xen leaves may sit at 0x40000000 + 0x100 * k when another
 * interface (Hyper-V, KVM) takes the first block, so scan like Mini-OS.
 * Leaves +0 to +2 at least are needed for the hypercall page.
 */
static int find_xen_leaves(void)
{
    uint32_t regs[4];
    unsigned int k;

    for (k = 0; k < 16; k++) {
        uint32_t base = XEN_CPUID_FIRST_LEAF + k * 0x100;

        cpuid(base, regs);
        if (regs[1] == XEN_CPUID_SIGNATURE_EBX &&
            regs[2] == XEN_CPUID_SIGNATURE_ECX &&
            regs[3] == XEN_CPUID_SIGNATURE_EDX && regs[0] >= base + 2) {
            xen_base = base;
            xen_max_leaf = regs[0];
            return 0;
        }
    }
    return -XEN_ENODEV;
}

int xen_cpuid(unsigned int leaf, uint32_t regs[4])
{
    if (xen_base == 0 || xen_base + leaf > xen_max_leaf)
        return -XEN_ENOENT;
    cpuid(xen_base + leaf, regs);
    return 0;
}

int hypercall_init(void)
{
    uint32_t regs[4];
    int rc;

    rc = find_xen_leaves();
    if (rc < 0) {
        console_early_puts("pvguest: no XenVMMXenVMM CPUID signature\n");
        return rc;
    }
    xen_cpuid(2, regs);
    if (regs[0] < 1) {
        console_early_puts("pvguest: no hypercall page offered\n");
        return -XEN_ENODEV;
    }
    wrmsr(regs[1], (uint64_t)(uintptr_t)hypercall_page);
    /* Every stub starts with an opcode, never 0: a 0 means not filled. */
    if (hypercall_page[0] == 0) {
        console_early_puts("pvguest: the hypercall page was not filled\n");
        return -XEN_EIO;
    }
    page_ready = 1;
    return 0;
}

int hypercall_ready(void)
{
    return page_ready;
}
