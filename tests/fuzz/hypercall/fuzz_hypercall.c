/* SPDX-License-Identifier: MIT */
/* fuzz_hypercall.c: fuzz target: input hypercalls over real guest memory. */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvabi/sched.h"
#include "pvabi/vcpu.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/grant_table.h"
#include "core/grant_table_internal.h"
#include "core/hypercall.h"
#include "core/map_budget.h"
#include "core/registry.h"
#include "core/memory_reservation.h"
#include "core/schedule.h"
#include "core/time.h"
#include "platform/kvm/kvm.h"
#include "core/instance.h"
#include "platform/platforms.h"

/* KVM's operations, on each domain's own platform state. */
static struct platform fuzz_platform = {.ops = &platform_kvm};

/*
 * Each input gets fresh domains in an instance of their own (its registry,
 * host ports and mapping budget): guest 1 (two vCPUs, 4 MiB of RAM) and
 * guest 2 (one vCPU, 1 MiB), so interdomain event channels and grants
 * have a peer, and the host's ports are domain 0. No KVM (no VM, no vCPU
 * threads; paging is off, so a guest pointer is a guest-physical address), but
 * the guests' memory is the platform's own (platform/kvm/memory.c): RAM in a
 * memfd mapped twice, special pages in their memfd, the grant window's
 * read-only holes; grant maps, unmaps, grant frames and shared_info are real
 * mmaps with real protections over the guest's view, and every hypervisor
 * access goes through its own view, as in pvhv. A host write to a page the
 * guest made read-only is a crash here too. The grant frames sit at the top of
 * each RAM, as pvhv puts them in the boot region.
 *
 * Mappings are budgeted (core/map_budget.h) with small numbers, so that
 * a few records reach a domain's own part, its share of the pool and the
 * pool's end; after the records, the process may not hold more mappings
 * than the budget counted (a mapping the budget does not see would let a
 * guest exhaust vm.max_map_count), and at the end the budget must be
 * whole again.
 *
 * The input is copied into both guests' RAM at ARG_GPA and into their
 * first grant frame, so a pointer argument such as ARG_GPA + n points at
 * input bytes and the input's first bytes are grant entries (ref r at
 * byte 8 r); then it is read as records:
 *   uint8_t nr; uint8_t who; uint64_t arg[5];   (42 bytes, little-endian)
 * who bit 0: vCPU 1 of guest 1 calls (else vCPU 0); bit 1: guest 2's
 * vCPU 0 calls instead; bit 2: the call comes from CPL 3; bit 3: from
 * 32-bit mode (the arguments cut to 32 bits, the structures in the
 * compat layouts). The guests can give memory back (the reservation ops
 * punch their memfd).
 */
#define RAM1_SIZE (4ULL << 20)
#define RAM2_SIZE (1ULL << 20)
#define ARG_GPA 0x1000ULL
#define NR_FRAMES 2
#define RECORD_SIZE 42
#define MAX_RECORDS 64

/* The budget: each guest owns 2 grant mappings, may take 2 more from a
 * pool of 3 (the limit is 1064 - 1024 headroom = 40, the pool 20). */
#define BUDGET_MAX_MAP_COUNT 1064
#define BUDGET_FIXED 2
#define BUDGET_OWN (2 * MAP_BUDGET_PAGE_COST)
#define MAPS_SLACK 16 /* mappings malloc or a sanitizer may add meanwhile */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The guest's console goes nowhere. */
static void console_drop(void *opaque, const char *buf, size_t len)
{
    (void)opaque, (void)buf, (void)len;
}

/* host_mappings: the process's memory mappings now (lines of its maps). */
static long host_mappings(void)
{
    static char buf[1 << 16];
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    long lines = 0;
    ssize_t n;

    if (fd < 0)
        abort();
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        for (ssize_t i = 0; i < n; i++)
            lines += buf[i] == '\n';
    close(fd);
    return lines;
}

/* guest_memory: (d)'s RAM, special pages and window, as pvhv makes them. */
static void guest_memory(struct domain *d, uint64_t ram_size)
{
    struct platform_vm *pvm = calloc(1, sizeof(*pvm));
    struct pvhv_error err;

    if (!pvm)
        abort();
    pvm->vm_fd = pvm->mem_fd = pvm->special_fd = -1;
    d->pv = pvm;
    d->ram.size = ram_size;
    pvm->ram = &d->ram;
    snprintf(pvm->name, sizeof(pvm->name), "%s", d->name);
    if (kvm_memory_create(pvm, &err) < 0) {
        fprintf(stderr, "fuzz_hypercall: %s\n", err.msg);
        abort();
    }
}

static struct domain *mkdom(struct pvhv *hv, unsigned int nr_vcpus,
                            uint64_t ram_size, const uint8_t *data, size_t size)
{
    struct domain *d = calloc(1, sizeof(*d));
    struct pvhv_error err;

    if (!d || registry_add(&hv->registry, d) != 0)
        abort();
    d->hv = hv;
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->stopped, NULL);
    atomic_init(&d->state, DOMAIN_RUNNING);
    snprintf(d->name, sizeof(d->name), "fuzz%u", d->domid);
    d->console = console_drop;
    guest_memory(d, ram_size);
    if (map_budget_reserve(&hv->maps, &d->maps, BUDGET_FIXED, BUDGET_OWN) < 0)
        abort();
    d->shared_info = platform_special_page(d, 0);
    d->vcpus = calloc(nr_vcpus, sizeof(*d->vcpus));
    if (!d->vcpus)
        abort();
    memcpy(d->ram.host + ARG_GPA, data,
           size < ram_size - ARG_GPA ? size : ram_size - ARG_GPA);
    d->nr_vcpus = nr_vcpus;
    for (unsigned int i = 0; i < nr_vcpus; i++) {
        struct vcpu *v = &d->vcpus[i];

        v->domain = d;
        v->id = i;
        v->vcpu_info = &d->shared_info->vcpu_info[i];
        vcpu_schedule_init(v);
        atomic_store(&v->up, i == 0);
    }
    if (gnttab_domain_init(d, NR_FRAMES,
                           ram_size / GUEST_PAGE_SIZE - NR_FRAMES) ||
        memory_reservation_step_init(d, NULL, &err))
        abort();
    memcpy(d->gnttab->frame[0], data, size < 4096 ? size : 4096);
    if (evtchn_domain_init(d, 0) != 0)
        abort();
    return d;
}

static void rmdom(struct domain *d)
{
    registry_remove(&d->hv->registry, d);
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        timer_cancel(&d->vcpus[i]);
    gnttab_domain_destroy(d);
    evtchn_domain_destroy(d);
    if (d->ram.released)
        memory_reservation_step_fini(d);
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        vcpu_schedule_fini(&d->vcpus[i]);
    map_budget_release(&d->maps);
    if (d->pv) {
        kvm_memory_destroy(d->pv);
        free(d->pv);
    }
    pthread_cond_destroy(&d->stopped);
    pthread_mutex_destroy(&d->lock);
    free(d->vcpus);
    free(d);
}

/*
 * check_mappings: the mappings made since (before) stay within what the
 * budget of (d1) and (d2) counts: their fixed part, their grant mappings,
 * and what else may lie over their memory (shared_info and the grant
 * frames, which map_budget_domain_fixed counts for pvhv).
 */
static void check_mappings(long before, const struct domain *d1,
                           const struct domain *d2)
{
    long over = MAP_BUDGET_PAGE_COST * 2 * (1 + 1 + NR_FRAMES);
    long counted = (long)(d1->maps.used + d2->maps.used) + over;
    long made = host_mappings() - before;

    if (made > counted + MAPS_SLACK) {
        fprintf(stderr,
                "fuzz_hypercall: %ld new host mappings, the budget "
                "counted %ld\n",
                made, counted);
        abort();
    }
}

/*
 * Calls that sleep: SCHEDOP_block until an event, SCHEDOP_poll until a
 * port or its timeout. vcpu_block returns at once for a stopped domain
 * (its first check), so these run with the domain marked stopped: their
 * argument checks and bookkeeping are exercised, nothing sleeps.
 */
static bool would_sleep(uint64_t nr, const uint64_t arg[5])
{
    return nr == __HYPERVISOR_sched_op && ((uint32_t)arg[0] == SCHEDOP_block ||
                                           (uint32_t)arg[0] == SCHEDOP_poll);
}

/*
 * VCPUOP_initialise of a vCPU that is not up sets its registers through
 * the platform (KVM), which this harness has not: skipped.
 */
static bool needs_platform(struct vcpu *v, uint64_t nr, const uint64_t arg[5])
{
    if (nr != __HYPERVISOR_vcpu_op || (uint32_t)arg[0] != VCPUOP_initialise)
        return false;
    return (uint32_t)arg[1] >= v->domain->nr_vcpus ||
           !atomic_load(&v->domain->vcpus[(uint32_t)arg[1]].up);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct pvhv hv; /* its registry, host ports and budget only */
    struct domain *d1, *d2;
    long before;

    registry_init(&hv.registry);
    hv.platform = &fuzz_platform;
    map_budget_init(&hv.maps, BUDGET_MAX_MAP_COUNT);
    if (evtchn_host_create(&hv.host_ports) != 0)
        abort();
    d1 = mkdom(&hv, 2, RAM1_SIZE, data, size);
    d2 = mkdom(&hv, 1, RAM2_SIZE, data, size);
    before = host_mappings();

    for (size_t off = 0, n = 0; size - off >= RECORD_SIZE && n < MAX_RECORDS;
         off += RECORD_SIZE, n++) {
        uint8_t nr = data[off], who = data[off + 1];
        uint64_t arg[5];
        struct vcpu *v = who & 2 ? &d2->vcpus[0] : &d1->vcpus[who & 1];
        struct domain *d = v->domain;

        memcpy(arg, data + off + 2, sizeof(arg));
        if (needs_platform(v, nr, arg))
            continue;
        v->ctx.cpl = who & 4 ? 3 : 0;
        v->ctx.compat = who & 8;
        if (v->ctx.compat) /* as the platform reads %ebx ... %edi */
            for (unsigned int i = 0; i < 5; i++)
                arg[i] = (uint32_t)arg[i];
        bool sleeps = would_sleep(nr, arg);
        if (sleeps)
            atomic_store(&d->state, DOMAIN_STOPPED);
        /* A continued call is made again at once, as the guest would. */
        while (hypercall_dispatch(v, nr, arg) == HYPERCALL_CONTINUE)
            continue;
        /* A shutdown (or the last vCPU going down) stopped it: restart. */
        atomic_store(&d->state, DOMAIN_RUNNING);
        atomic_store(&d->vcpus[0].up, true);
    }
    check_mappings(before, d1, d2);

    rmdom(d2);
    rmdom(d1);
    evtchn_host_destroy(hv.host_ports);
    registry_fini(&hv.registry);
    /* Every mapping given back, every minimum released. */
    if (hv.maps.reserved || hv.maps.pool_used)
        abort();
    map_budget_fini(&hv.maps);
    return 0;
}
