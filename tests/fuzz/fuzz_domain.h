/* SPDX-License-Identifier: MIT */
/* fuzz_domain.h: a guest and the host's ports for the backend fuzz targets,
 * without KVM. */
#ifndef PVHV_TESTS_FUZZ_DOMAIN_H
#define PVHV_TESTS_FUZZ_DOMAIN_H

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain.h"
#include "core/event_channel.h"
#include "core/grant_table.h"
#include "core/grant_table_internal.h"
#include "core/instance.h"
#include "core/registry.h"
#include "core/schedule.h"
#include "core/time.h"
#include "platform/platforms.h"

/*
 * The platform the fuzz domains' calls reach: KVM's operations, which
 * act on a domain's or vCPU's own platform state (NULL here: nothing to
 * kick, no VM to change); none that needs /dev/kvm is reached.
 */
static struct platform fuzz_platform = {.ops = &platform_kvm};

/*
 * Guest 1 (one vCPU, FUZZ_RAM_SIZE of RAM, a grant table of
 * FUZZ_NR_FRAMES frames) in an instance of its own, with its registry
 * and host ports (domain 0): real event channels and grant tables, no KVM
 * (d->pv stays NULL). Grant refs 0 ... FUZZ_GRANTS - 1 are granted to
 * domain 0, frame FUZZ_FIRST_DATA_GFN + ref each, the odd ones read-only,
 * as a frontend grants its buffers. RAM and frames are allocated once and
 * cleared for each input.
 */
#define FUZZ_RAM_SIZE (1ULL << 20)
#define FUZZ_NR_FRAMES 1
#define FUZZ_FIRST_GFN 0x10000ULL /* the grant frames: above RAM */
#define FUZZ_FIRST_DATA_GFN 0x10ULL
#define FUZZ_GRANTS 16

struct fuzz_world {
    struct pvhv hv; /* only registry, host_ports, xs and platform are set */
    struct domain *guest;
};

static int fuzz_yes_map_foreign(struct domain *mapper, uint64_t gpa,
                                struct domain *granter, uint64_t granter_gpa,
                                bool readonly)
{
    (void)mapper, (void)gpa, (void)granter, (void)granter_gpa, (void)readonly;
    return 0;
}

static int fuzz_yes_unmap_foreign(struct domain *mapper, uint64_t gpa)
{
    (void)mapper, (void)gpa;
    return 0;
}

static int fuzz_yes_map_frame(struct domain *d, unsigned int idx, uint64_t gpa)
{
    (void)d, (void)idx, (void)gpa;
    return 0;
}

static const struct gnttab_page_ops fuzz_page_ops = {
    .map_foreign = fuzz_yes_map_foreign,
    .unmap_foreign = fuzz_yes_unmap_foreign,
    .map_frame = fuzz_yes_map_frame,
};

static void fuzz_console_drop(void *opaque, const char *buf, size_t len)
{
    (void)opaque, (void)buf, (void)len;
}

static void *fuzz_zeroed(void **slot, size_t size)
{
    if (!*slot && !(*slot = aligned_alloc(4096, size)))
        abort();
    return memset(*slot, 0, size);
}

static struct domain *fuzz_mkdom(struct fuzz_world *w)
{
    static void *ram, *frames[FUZZ_NR_FRAMES];
    struct domain *d = calloc(1, sizeof(*d));
    void *f[FUZZ_NR_FRAMES];

    if (!d || registry_add(&w->hv.registry, d) != 0)
        abort();
    d->hv = &w->hv;
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->stopped, NULL);
    atomic_init(&d->state, DOMAIN_RUNNING);
    snprintf(d->name, sizeof(d->name), "fuzz%u", d->domid);
    d->console = fuzz_console_drop;
    d->shared_info = calloc(1, 4096);
    d->vcpus = calloc(1, sizeof(*d->vcpus));
    if (!d->shared_info || !d->vcpus)
        abort();
    d->ram.host = fuzz_zeroed(&ram, FUZZ_RAM_SIZE);
    d->ram.size = d->ram.low_size = FUZZ_RAM_SIZE;
    d->nr_vcpus = 1;
    d->vcpus[0].domain = d;
    d->vcpus[0].vcpu_info = &d->shared_info->vcpu_info[0];
    vcpu_schedule_init(&d->vcpus[0]);
    atomic_store(&d->vcpus[0].up, true);
    for (unsigned int i = 0; i < FUZZ_NR_FRAMES; i++)
        f[i] = fuzz_zeroed(&frames[i], 4096);
    if (gnttab_init_frames(d, f, FUZZ_NR_FRAMES, FUZZ_FIRST_GFN,
                           &fuzz_page_ops) ||
        evtchn_domain_init(d, 0) != 0)
        abort();
    return d;
}

/* fuzz_grant: what a frontend does to give domain 0 (frame). */
static void fuzz_grant(struct domain *d, grant_ref_t ref, uint32_t frame,
                       bool readonly)
{
    struct grant_entry_v1 *e = gnttab_entry(d->gnttab, ref);

    e->domid = HOST_DOMID;
    e->frame = frame;
    __atomic_store_n(&e->flags,
                     GTF_permit_access | (readonly ? GTF_readonly : 0),
                     __ATOMIC_RELEASE);
}

/* fuzz_no_grant_in_use: aborts if a backend left a grant of (d) mapped. */
static void fuzz_no_grant_in_use(struct domain *d)
{
    for (grant_ref_t ref = 0; ref < FUZZ_NR_FRAMES * 512; ref++)
        if (__atomic_load_n(&gnttab_entry(d->gnttab, ref)->flags,
                            __ATOMIC_ACQUIRE) &
            (GTF_reading | GTF_writing)) {
            fprintf(stderr, "fuzz: grant %u still mapped\n", ref);
            abort();
        }
}

static void fuzz_world_init(struct fuzz_world *w)
{
    memset(w, 0, sizeof(*w));
    registry_init(&w->hv.registry);
    w->hv.platform = &fuzz_platform;
    if (evtchn_host_create(&w->hv.host_ports) != 0)
        abort();
    w->guest = fuzz_mkdom(w);
    for (grant_ref_t ref = 0; ref < FUZZ_GRANTS; ref++)
        fuzz_grant(w->guest, ref, (uint32_t)(FUZZ_FIRST_DATA_GFN + ref),
                   ref & 1);
}

static void fuzz_rmdom(struct fuzz_world *w, struct domain *d)
{
    registry_remove(&w->hv.registry, d);
    timer_cancel(&d->vcpus[0]);
    gnttab_domain_destroy(d);
    evtchn_domain_destroy(d);
    vcpu_schedule_fini(&d->vcpus[0]);
    pthread_cond_destroy(&d->stopped);
    pthread_mutex_destroy(&d->lock);
    free(d->vcpus);
    free(d->shared_info);
    free(d);
}

static void fuzz_world_fini(struct fuzz_world *w)
{
    fuzz_rmdom(w, w->guest);
    evtchn_host_destroy(w->hv.host_ports);
    registry_fini(&w->hv.registry);
}

#endif /* PVHV_TESTS_FUZZ_DOMAIN_H */
