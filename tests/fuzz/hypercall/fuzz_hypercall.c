/* SPDX-License-Identifier: MIT */
/* fuzz_hypercall.c: fuzz target: a sequence of hypercalls, numbers and arguments from the input, on fake domains. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvabi/sched.h"
#include "pvabi/vcpu.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/grant_table.h"
#include "core/grant_table_internal.h"
#include "core/hypercall.h"
#include "core/registry.h"
#include "core/schedule.h"
#include "core/time.h"

/*
 * Each input gets fresh domains in a registry of their own: domain 0 (the
 * host's event channels, no vCPUs), guest 1 (two vCPUs, 4 MiB of RAM) and
 * guest 2 (one vCPU, 1 MiB), so interdomain event channels and grants
 * have a peer. No KVM: d->pv and v->pv stay NULL, and paging is off, so a
 * guest pointer is a guest-physical address. Grant tables use host pages
 * and page operations that only say yes.
 *
 * The input is copied into both guests' RAM at ARG_GPA and into their
 * first grant frame, so a pointer argument such as ARG_GPA + n points at
 * input bytes; then it is read as records:
 *   uint8_t nr; uint8_t who; uint64_t arg[5];   (42 bytes, little-endian)
 * who bit 0: vCPU 1 of guest 1 calls (else vCPU 0); bit 1: guest 2's
 * vCPU 0 calls instead; bit 2: the call comes from CPL 3.
 */
#define RAM1_SIZE (4ULL << 20)
#define RAM2_SIZE (1ULL << 20)
#define ARG_GPA 0x1000ULL
#define NR_FRAMES 2
#define FIRST_GFN 0x10000ULL  /* above both RAMs, as pvhv places them */
#define RECORD_SIZE 42
#define MAX_RECORDS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int yes_map_foreign(struct domain *mapper, uint64_t gpa,
                           struct domain *granter, uint64_t granter_gpa,
                           bool readonly)
{
    (void)mapper, (void)gpa, (void)granter, (void)granter_gpa, (void)readonly;
    return 0;
}

static int yes_unmap_foreign(struct domain *mapper, uint64_t gpa)
{
    (void)mapper, (void)gpa;
    return 0;
}

static int yes_map_frame(struct domain *d, unsigned int idx, uint64_t gpa)
{
    (void)d, (void)idx, (void)gpa;
    return 0;
}

static const struct gnttab_page_ops yes_ops = {
    .map_foreign = yes_map_foreign,
    .unmap_foreign = yes_unmap_foreign,
    .map_frame = yes_map_frame,
};

/* The guest's console goes nowhere. */
static void console_drop(void *opaque, const char *buf, size_t len)
{
    (void)opaque, (void)buf, (void)len;
}

/*
 * Guest RAM is allocated once per guest (mapping and unmapping megabytes
 * for each input made the target ten times slower) and cleared for each
 * input, so that no input sees what an earlier one left.
 */
static uint8_t *guest_ram(uint16_t domid, uint64_t size)
{
    static uint8_t *ram[3];

    if (domid >= 3)
        abort();
    if (!ram[domid] && !(ram[domid] = malloc(size)))
        abort();
    return memset(ram[domid], 0, size);
}

static struct domain *mkdom(struct registry *reg, int is_dom0,
                            unsigned int nr_vcpus, uint64_t ram_size,
                            const uint8_t *data, size_t size)
{
    struct domain *d = calloc(1, sizeof(*d));

    if (!d || registry_add(reg, d, is_dom0) != 0)
        abort();
    d->registry = reg;
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->stopped, NULL);
    atomic_init(&d->state, DOMAIN_RUNNING);
    d->privileged = is_dom0;
    snprintf(d->name, sizeof(d->name), "fuzz%u", d->domid);
    if (!is_dom0) {
        d->console = console_drop;
        d->shared_info = calloc(1, 4096);
        d->ram.host = guest_ram(d->domid, ram_size);
        d->vcpus = calloc(nr_vcpus, sizeof(*d->vcpus));
        if (!d->shared_info || !d->ram.host || !d->vcpus)
            abort();
        d->ram.size = d->ram.low_size = ram_size;
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
        void *frames[NR_FRAMES];
        for (unsigned int i = 0; i < NR_FRAMES; i++) {
            frames[i] = aligned_alloc(4096, 4096);
            if (!frames[i])
                abort();
            memset(frames[i], 0, 4096);
        }
        memcpy(frames[0], data, size < 4096 ? size : 4096);
        if (gnttab_init_frames(d, frames, NR_FRAMES, FIRST_GFN, &yes_ops))
            abort();
    }
    if (evtchn_domain_init(d, 0) != 0)
        abort();
    return d;
}

static void rmdom(struct registry *reg, struct domain *d)
{
    registry_remove(reg, d);
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        timer_cancel(&d->vcpus[i]); /* the timer list is global */
    if (d->gnttab) {
        void *frames[NR_FRAMES];

        memcpy(frames, d->gnttab->frame, sizeof(frames));
        gnttab_domain_destroy(d);
        for (unsigned int i = 0; i < NR_FRAMES; i++)
            free(frames[i]);
    }
    evtchn_domain_destroy(d);
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        vcpu_schedule_fini(&d->vcpus[i]);
    pthread_cond_destroy(&d->stopped);
    pthread_mutex_destroy(&d->lock);
    free(d->vcpus);
    free(d->shared_info);
    free(d);
}

/*
 * Calls that sleep: SCHEDOP_block until an event, SCHEDOP_poll until a
 * port or its timeout. vcpu_block returns at once for a stopped domain
 * (its first check), so these run with the domain marked stopped: their
 * argument checks and bookkeeping are exercised, nothing sleeps.
 */
static bool would_sleep(uint64_t nr, const uint64_t arg[5])
{
    return nr == __HYPERVISOR_sched_op &&
           ((uint32_t)arg[0] == SCHEDOP_block || (uint32_t)arg[0] == SCHEDOP_poll);
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
    struct registry reg;
    struct domain *dom0, *d1, *d2;

    registry_init(&reg);
    dom0 = mkdom(&reg, 1, 0, 0, data, size);
    d1 = mkdom(&reg, 0, 2, RAM1_SIZE, data, size);
    d2 = mkdom(&reg, 0, 1, RAM2_SIZE, data, size);

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

    rmdom(&reg, d2);
    rmdom(&reg, d1);
    rmdom(&reg, dom0);
    registry_fini(&reg);
    return 0;
}
