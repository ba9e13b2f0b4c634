/* SPDX-License-Identifier: MIT */
/* ring.h: a domain's XenStore ring: the guest's transport to the store. */
#ifndef PVHV_CORE_XENSTORE_RING_H
#define PVHV_CORE_XENSTORE_RING_H

#include <stdint.h>

#include "pvabi/xen.h"

struct domain;
struct host_loop;
struct xenstore;
struct xenstore_ring;

/*
 * xenstore_ring_create: serves (d)'s XenStore ring, the page at (gpa) in
 * its RAM, as a connection of (xs), through a new event channel whose
 * guest port it returns in (guest_port) (HVM_PARAM_STORE_EVTCHN); the
 * guest's requests are served on (loop). 0 or -errno.
 * xenstore_ring_destroy: closes the port and the connection (the domain's
 * vCPUs must have stopped); once it returns, the loop serves it no more.
 */
int xenstore_ring_create(struct domain *d, struct xenstore *xs,
                         struct host_loop *loop, uint64_t gpa,
                         struct xenstore_ring **r, evtchn_port_t *guest_port);
void xenstore_ring_destroy(struct xenstore_ring *r);

#endif /* PVHV_CORE_XENSTORE_RING_H */
