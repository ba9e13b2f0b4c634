/* SPDX-License-Identifier: MIT */
/* domain_lookup.c: finding a caller's target domain; locking two domains. */
#include "core/domain_lookup.h"
#include "core/domain.h"
#include "core/instance.h"
#include "core/registry.h"
#include "pvabi/errno.h"

int domain_find_checked(struct domain *d, domid_t domid,
                        enum lookup_rights rights,
                        bool (*usable)(const struct domain *td),
                        struct domain **out)
{
    struct domain *td = d;

    if (domid == HOST_DOMID) {
        /*
         * The hypervisor's own ends: no domain, but one that exists. It
         * has event channels (event_channel_host.c serves them apart)
         * and nothing else: what needs something of the target finds
         * none; what needs nothing is refused, as another domain is.
         */
        *out = NULL;
        return usable ? -XEN_ESRCH : -XEN_EPERM;
    }
    if (domid != DOMID_SELF && domid != d->domid)
        td = registry_find(&d->hv->registry, domid);
    if (td && usable && !usable(td))
        td = NULL;
    *out = td;
    if (!td)
        return -XEN_ESRCH;
    if (td != d && (rights == LOOKUP_SELF ||
                    (rights == LOOKUP_PRIVILEGED && !d->privileged)))
        return -XEN_EPERM;
    return 0;
}

int domain_lookup(struct domain *d, domid_t domid,
                  const struct domain_lookup *how, struct domain **out)
{
    int rc;

    /* One slot is looked at: its stripe holds it, not the whole registry. */
    registry_lock_id(&d->hv->registry, domid);
    rc = domain_find_checked(d, domid, how->rights, how->usable, out);
    if (rc == 0 && how->lock)
        how->lock(d, *out);
    registry_unlock_id(&d->hv->registry, domid);
    return rc;
}

void domain_lock_pair(struct domain *a, struct domain *b,
                      void (*lock)(struct domain *))
{
    if (a == b) {
        lock(a);
        return;
    }
    lock(a->domid < b->domid ? a : b);
    lock(a->domid < b->domid ? b : a);
}

void domain_unlock_pair(struct domain *a, struct domain *b,
                        void (*unlock)(struct domain *))
{
    unlock(a);
    if (a != b)
        unlock(b);
}
