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
struct device_type;
struct host_ports;

struct pvhv {
    struct platform *platform;
    struct registry registry;
    struct xenstore *xs;
    struct host_ports *host_ports;     /* the hypervisor's own ports */
    struct xenstore_socket *xs_socket; /* the XenStore socket, if served */
    struct map_budget maps; /* the process's memory mappings, for domains */
    struct host_loop *loop; /* host-side work: sockets, timers, rings */
    /* The device kinds domain_build attaches (core/device_types.h). */
    const struct device_type *const *device_types;
    unsigned int nr_device_types;
};

/*
 * domain_build / domain_teardown (core/domain_build.c): make a domain from
 * (cfg) through the ordered set-up steps, or undo them in reverse.
 */
int domain_build(struct pvhv *hv, const struct domain_config *cfg,
                 struct domain **d, struct pvhv_error *err);
void domain_teardown(struct domain *d);
int domain_start(struct domain *d, struct pvhv_error *err);

#endif /* PVHV_CORE_INSTANCE_H */
