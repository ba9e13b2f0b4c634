/* SPDX-License-Identifier: MIT */
/* store_ring.h: a domain's XenStore ring: the guest's transport to the store. */
#ifndef PVHV_CORE_STORE_RING_H
#define PVHV_CORE_STORE_RING_H

#include <stdint.h>

#include "pvabi/xen.h"

struct domain;
struct store_ring;
struct xenstore;

/*
 * store_ring_create: serves (d)'s XenStore ring, the page at (gpa) in its
 * RAM, as a connection of (xs), through a new event channel whose guest
 * port it returns in (guest_port) (HVM_PARAM_STORE_EVTCHN). 0 or -errno.
 * store_ring_destroy: closes the port and the connection (the domain's
 * vCPUs must have stopped).
 */
int store_ring_create(struct domain *d, struct xenstore *xs, uint64_t gpa,
                      struct store_ring **r, evtchn_port_t *guest_port);
void store_ring_destroy(struct store_ring *r);

#endif /* PVHV_CORE_STORE_RING_H */
