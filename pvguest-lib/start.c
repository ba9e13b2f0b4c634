/* SPDX-License-Identifier: MIT */
/* start.c: the boot order from PVH entry to main(), and the start info. */

#include "internal.h"

/* Guest-physical = virtual below 4 GiB; nothing above is mapped. */
#define MAPPED_LIMIT 0x100000000ULL

static const struct hvm_start_info *start_info;

static int start_info_init(void)
{
    if (start_info->magic != XEN_HVM_START_MAGIC_VALUE) {
        console_early_puts("pvguest: bad hvm_start_info magic\n");
        return -XEN_EINVAL;
    }
    return 0;
}

/*
 * The boot order, written once (Mini-OS start_kernel). Each step returns
 * 0 or -XEN_Exxx. There is no fini: a domain ends with SCHEDOP_shutdown,
 * and nothing set up here needs undoing before that.
 *  - start info first: %ebx could point anywhere;
 *  - traps before anything that could fault, so a fault is reported;
 *  - the hypercall page early: every step after it makes hypercalls
 *    (output goes to the debug port until the console ring is up);
 *  - per-vCPU data before events: the upcall finds its vcpu_info by it,
 *    and before memory, whose lock names the vCPU holding it;
 *  - events, then interrupts on (Mini-OS: init_events, local_irq_enable);
 *  - the grant table needs nothing but hypercalls; it comes after events
 *    so that a hypervisor without it is reported like the others;
 *  - time binds VIRQ_TIMER; the console ring waits for room with a
 *    timeout, and xenbus sleeps for its replies, so both need time;
 *  - the shutdown watch last: it is a XenStore request.
 *
 * A step with (after) set needs that step (named by its init function:
 * a comparison of pointers, where names cost a string compare per step
 * and each guest instruction is emulated). A step that may be missing
 * from a hypervisor (optional) and returns -XEN_ENOSYS is skipped with a
 * message, and so are the steps that need it: the guest then runs
 * without them and their calls answer -XEN_ENOSYS. Any other failure
 * crashes the domain, naming the step.
 */
static const struct boot_step {
    const char *name;
    int (*init)(void);
    int (*after)(void);
    int optional;
} boot_steps[] = {
    {"start info", start_info_init, NULL, 0},
    {"traps", traps_init, NULL, 0},
    {"hypercall page", hypercall_init, NULL, 0},
    {"per-vCPU data", smp_init, NULL, 0},
    {"memory", mm_init, NULL, 0},
    {"events", events_init, NULL, 1},
    {"interrupts on", events_irq_on, events_init, 0},
    {"grant table", gnttab_init, events_init, 1},
    {"time", time_init, events_init, 1},
    {"console ring", console_ring_init, time_init, 1},
    {"xenbus", xenbus_init, time_init, 1},
    {"shutdown watch", shutdown_watch_init, xenbus_init, 0},
};
#define NR_BOOT_STEPS (sizeof(boot_steps) / sizeof(boot_steps[0]))

static int step_done(int (*init)(void), const int *done)
{
    size_t i;

    for (i = 0; i < NR_BOOT_STEPS; i++)
        if (boot_steps[i].init == init)
            return done[i];
    return 0;
}

/* Called by entry.S in long mode, on the boot stack. */
void pvguest_start(uint64_t start_info_paddr)
{
    int done[NR_BOOT_STEPS] = {0};
    const struct boot_step *step;
    size_t i;
    int rc;

    start_info = (const struct hvm_start_info *)(uintptr_t)start_info_paddr;
    for (i = 0; i < NR_BOOT_STEPS; i++) {
        step = &boot_steps[i];
        if (step->after && !step_done(step->after, done))
            continue;
        rc = step->init();
        if (rc == -XEN_ENOSYS && step->optional) {
            printf("pvguest: boot step '%s' skipped: not offered by this "
                   "hypervisor\n",
                   step->name);
            continue;
        }
        if (rc < 0) {
            char msg[80];

            snprintf(msg, sizeof(msg), "pvguest: boot step '%s' failed: %d\n",
                     step->name, rc);
            console_write(msg, strlen(msg));
            shutdown_domain(SHUTDOWN_crash);
        }
        done[i] = 1;
    }
    exit(main());
}

const char *pvguest_cmdline(void)
{
    uint64_t paddr = start_info ? start_info->cmdline_paddr : 0;

    if (paddr == 0 || paddr >= MAPPED_LIMIT)
        return "";
    return (const char *)(uintptr_t)paddr;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

static int copy_value(const char *v, size_t vlen, char *buf, size_t len)
{
    size_t n = vlen < len ? vlen : (len > 0 ? len - 1 : 0);

    if (len > 0) {
        memcpy(buf, v, n);
        buf[n] = '\0';
    }
    return vlen < len ? (int)vlen : -XEN_ENOSPC;
}

int pvguest_cmdline_get(const char *key, char *buf, size_t len)
{
    const char *p = pvguest_cmdline(), *word, *value;
    size_t klen = strlen(key);

    while (*p) {
        while (is_blank(*p))
            p++;
        word = p;
        while (*p && !is_blank(*p))
            p++;
        if ((size_t)(p - word) < klen || strncmp(word, key, klen) != 0)
            continue;
        value = word + klen;
        if (value == p)
            return copy_value(value, 0, buf, len);
        if (*value == '=')
            return copy_value(value + 1, p - value - 1, buf, len);
    }
    return -XEN_ENOENT;
}

const struct hvm_memmap_table_entry *pvguest_memmap(unsigned int *n)
{
    *n = 0;
    if (!start_info || start_info->version < 1 ||
        start_info->memmap_paddr == 0 ||
        start_info->memmap_paddr >= MAPPED_LIMIT)
        return NULL;
    *n = start_info->memmap_entries;
    return (const struct hvm_memmap_table_entry *)(uintptr_t)
        start_info->memmap_paddr;
}

uint64_t pvguest_rsdp(void)
{
    if (!start_info || start_info->version < 1 ||
        start_info->rsdp_paddr >= MAPPED_LIMIT)
        return 0;
    return start_info->rsdp_paddr;
}

const struct hvm_modlist_entry *pvguest_modules(unsigned int *n)
{
    *n = 0;
    if (!start_info || start_info->nr_modules == 0 ||
        start_info->modlist_paddr == 0 ||
        start_info->modlist_paddr >= MAPPED_LIMIT)
        return NULL;
    *n = start_info->nr_modules;
    return (const struct hvm_modlist_entry *)(uintptr_t)
        start_info->modlist_paddr;
}

uint16_t pvguest_domid(void)
{
    uint32_t regs[4];

    if (xen_cpuid(4, regs) < 0 || !(regs[0] & XEN_HVM_CPUID_DOMID_PRESENT))
        return DOMID_SELF;
    return (uint16_t)regs[2];
}
