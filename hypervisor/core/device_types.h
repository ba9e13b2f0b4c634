/* SPDX-License-Identifier: MIT */
/* device_types.h: the kinds of device a domain's build attaches, from above. */
#ifndef PVHV_CORE_DEVICE_TYPES_H
#define PVHV_CORE_DEVICE_TYPES_H

#include <stdbool.h>

struct domain;
struct domain_config;
struct domain_device;
struct pvhv_error;

/*
 * One kind of device (bhyve's pci_devemu, Solo5's module table): core
 * knows devices only through a table of pointers to these that the layer
 * above hands it (pvhv.c gives its backend_types[]), never by
 * name. Each backend's file defines its own.
 *
 * type: the entries of the domain's device list (domain_config.devices)
 * it claims; each entry's type must be claimed by one row for the
 * domain's kind. attach: makes (d)'s devices of this kind, one per entry
 * of (type) in (cfg) (domain_device_next walks them), and whatever the
 * kind always gives its domains; may refuse with (err) filled, having
 * undone its own part.
 * Runs in table order, once the domain's events, XenStore and grants
 * exist; only the kinds for the domain's kind (hvm or PV) are
 * attached. detach: undoes attach (safe when it attached nothing); runs in
 * reverse order.
 */
struct device_type {
    const char *name; /* for messages */
    const char *type; /* the device list entries it attaches */
    int (*attach)(struct domain *d, const struct domain_config *cfg,
                  struct pvhv_error *err);
    void (*detach)(struct domain *d);
    bool hvm; /* for hvm domains only; else for PV domains only */
};

/*
 * domain_device_next: the entry of (cfg)'s device list of (type) at or
 * after (*pos), moving (*pos) past it; NULL when there is none.
 */
const struct domain_device *domain_device_next(const struct domain_config *cfg,
                                               const char *type,
                                               unsigned int *pos);

#endif /* PVHV_CORE_DEVICE_TYPES_H */
