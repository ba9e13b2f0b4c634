/* SPDX-License-Identifier: MIT */
/* registry.h: the domains of one hypervisor instance, found by id. */
#ifndef PVHV_CORE_REGISTRY_H
#define PVHV_CORE_REGISTRY_H

#include <pthread.h>
#include <stdint.h>

#include "pvabi/xen.h"

struct domain;

/*
 * Every domain of an instance, ids 1 up. Id 0 (HOST_DOMID) is no domain
 * here: guests see the hypervisor's own event channel ends (struct
 * host_ports, core/event_channel.h) as domain 0. A domain is removed
 * before it is torn down, so a pointer found under the lock stays valid
 * while the lock is held.
 *
 * Two kinds of lock: (lock) holds every slot still, for a caller that
 * finds several domains at once; a slot's stripe holds that slot only, so
 * that finding one domain and locking its tables (domain_lookup, the
 * grant map and unmap paths) does not serialise every domain of the
 * instance. Adding and removing take both, (lock) first.
 */
#define HOST_DOMID 0
#define REGISTRY_STRIPES 64
struct registry {
    pthread_mutex_t lock;
    pthread_mutex_t stripe[REGISTRY_STRIPES];
    struct domain *domains[DOMID_FIRST_RESERVED];
    uint16_t next_domid;
};

void registry_init(struct registry *r);
void registry_fini(struct registry *r);

/*
 * registry_add: gives (d) the next free id from 1 up and lists it.
 * Returns 0 or -ENOSPC.
 */
int registry_add(struct registry *r, struct domain *d);
void registry_remove(struct registry *r, struct domain *d);

/* registry_lock / unlock; registry_find: (domid)'s domain or NULL (locked). */
void registry_lock(struct registry *r);
void registry_unlock(struct registry *r);
struct domain *registry_find(struct registry *r, uint16_t domid);

/*
 * registry_lock_id / unlock_id: the stripe of (domid)'s slot, enough for
 * registry_find(r, domid) and whatever is locked of that domain before
 * the stripe is let go. Never taken before (lock), nor while holding
 * another stripe: two slots at once only through registry_lock_ids /
 * unlock_ids, which take the stripes of (a) and (b) in stripe order
 * (once when they share one).
 */
void registry_lock_id(struct registry *r, uint16_t domid);
void registry_unlock_id(struct registry *r, uint16_t domid);
void registry_lock_ids(struct registry *r, uint16_t a, uint16_t b);
void registry_unlock_ids(struct registry *r, uint16_t a, uint16_t b);

#endif /* PVHV_CORE_REGISTRY_H */
