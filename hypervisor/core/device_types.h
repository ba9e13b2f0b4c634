/* SPDX-License-Identifier: MIT */
/* device_types.h: the kinds of device a domain's build attaches, from above. */
#ifndef PVHV_CORE_DEVICE_TYPES_H
#define PVHV_CORE_DEVICE_TYPES_H

#include <stdbool.h>

struct domain;
struct domain_config;
struct pvhv_error;

/*
 * One kind of device (bhyve's pci_devemu, Solo5's module table): core
 * knows devices only through a table of pointers to these that the layer
 * above hands it (pvhv.c gives backends/backend_types.c's), never by
 * name. Each backend's file defines its own.
 *
 * attach: makes (d)'s devices of this kind from (cfg) (none when it
 * names none); may refuse with (err) filled, having undone its own part.
 * Runs in table order, once the domain's events, XenStore and grants
 * exist; only the kinds for the domain's kind (hvm or PV) are
 * attached. detach: undoes attach (safe when it attached nothing); runs in
 * reverse order.
 */
struct device_type {
    const char *name;
    int (*attach)(struct domain *d, const struct domain_config *cfg,
                  struct pvhv_error *err);
    void (*detach)(struct domain *d);
    bool hvm; /* for hvm domains only; else for PV domains only */
};

#endif /* PVHV_CORE_DEVICE_TYPES_H */
