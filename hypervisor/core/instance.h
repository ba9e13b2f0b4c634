/* SPDX-License-Identifier: MIT */
/* instance.h: one hypervisor instance: platform, domains, XenStore, loop. */
#ifndef PVHV_CORE_INSTANCE_H
#define PVHV_CORE_INSTANCE_H

#include <stdbool.h>

#include "core/map_budget.h"
#include "core/registry.h"

struct platform;
struct xenstore;
struct xenstore_socket;
struct domain;
struct host_loop;
struct domain_config;
struct pvhv_error;

/*
 * The devices a domain gets beyond the core's own (its backends), given
 * by the embedding layer: attach is the last build step, detach undoes
 * it first. attach undoes its own work when it fails.
 */
struct domain_devices {
    int (*attach)(struct domain *d, const struct domain_config *cfg,
                  struct pvhv_error *err);
    void (*detach)(struct domain *d);
};

struct pvhv {
    struct platform *platform;
    struct registry registry;
    struct xenstore *xs;
    struct domain *dom0;  /* the hypervisor's own endpoints */
    struct xenstore_socket *xs_socket; /* the XenStore socket, if served */
    struct map_budget maps; /* the process's memory mappings, for domains */
    struct host_loop *loop; /* host-side work: sockets, timers, rings */
    const struct domain_devices *devices; /* never NULL */
};

/*
 * domain_build / domain_teardown (core/domain_build.c): make a domain from
 * (cfg) through the ordered set-up steps, or undo them in reverse.
 */
int domain_build(struct pvhv *hv, const struct domain_config *cfg,
                 struct domain **d, struct pvhv_error *err);
void domain_teardown(struct domain *d);
int domain_start(struct domain *d, struct pvhv_error *err);

/* dom0_create / dom0_destroy: the pseudo-domain 0 of (hv). */
int dom0_create(struct pvhv *hv);
void dom0_destroy(struct pvhv *hv);

#endif /* PVHV_CORE_INSTANCE_H */
