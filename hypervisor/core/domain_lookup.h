/* SPDX-License-Identifier: MIT */
/* domain_lookup.h: a caller's target domain, permission checked; pair locks. */
#ifndef PVHV_CORE_DOMAIN_LOOKUP_H
#define PVHV_CORE_DOMAIN_LOOKUP_H

#include <stdbool.h>

#include "pvabi/xen.h"

struct domain;

/* Which domains a caller may name. */
enum lookup_rights {
    LOOKUP_SELF,       /* itself only: another is -EPERM, even if privileged */
    LOOKUP_PRIVILEGED, /* another domain only when the caller is privileged */
    LOOKUP_ANY,        /* any domain: the operation checks rights itself */
};

/*
 * domain_find_checked: for caller (d), the domain (domid) names: (d) for
 * DOMID_SELF or its own id, else the domain of that id in its instance's
 * registry, which the caller holds locked (registry_lock, or
 * registry_lock_id of (domid)). (usable) (NULL: any) says whether the
 * target has what the operation needs; one without it is as none.
 * Returns 0 with the target in (*out), -XEN_ESRCH (no such domain) or
 * -XEN_EPERM (refused by (rights)); (*out) is the domain found or NULL.
 * HOST_DOMID, the hypervisor's own event channel ends, is never found:
 * -XEN_ESRCH with (usable), else -XEN_EPERM.
 */
int domain_find_checked(struct domain *d, domid_t domid,
                        enum lookup_rights rights,
                        bool (*usable)(const struct domain *td),
                        struct domain **out);

/* How domain_lookup finds a target and what it locks. */
struct domain_lookup {
    enum lookup_rights rights;
    bool (*usable)(const struct domain *td); /* NULL: any */
    /* Locks what the operation needs of (td), or of (d) and (td), while
     * the registry is held; NULL: nothing (the answer only). */
    void (*lock)(struct domain *d, struct domain *td);
};

/*
 * domain_lookup: domain_find_checked under the stripe of (domid)'s slot
 * (registry_lock_id), then (how->lock) before the stripe is let go, so that the
 * target cannot be removed between finding and locking it. Returns as
 * domain_find_checked; on failure nothing is left locked.
 */
int domain_lookup(struct domain *d, domid_t domid,
                  const struct domain_lookup *how, struct domain **out);

/*
 * domain_lock_pair / domain_unlock_pair: (lock) of both domains, the lower
 * domid first, whatever the order of the arguments; once when (a) and
 * (b) are the same domain. Every lock taken two at a time goes through
 * these, so no two threads take a pair in opposite orders.
 */
void domain_lock_pair(struct domain *a, struct domain *b,
                      void (*lock)(struct domain *));
void domain_unlock_pair(struct domain *a, struct domain *b,
                        void (*unlock)(struct domain *));

#endif /* PVHV_CORE_DOMAIN_LOOKUP_H */
