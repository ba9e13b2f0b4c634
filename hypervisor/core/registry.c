/* SPDX-License-Identifier: MIT */
/* registry.c: the domains of one hypervisor instance, found by id. */
#include <errno.h>
#include <string.h>

#include "core/domain.h"
#include "core/registry.h"

void registry_init(struct registry *r)
{
    memset(r->domains, 0, sizeof(r->domains));
    pthread_mutex_init(&r->lock, NULL);
    for (unsigned int i = 0; i < REGISTRY_STRIPES; i++)
        pthread_mutex_init(&r->stripe[i], NULL);
    r->next_domid = 1;
}

void registry_fini(struct registry *r)
{
    pthread_mutex_destroy(&r->lock);
    for (unsigned int i = 0; i < REGISTRY_STRIPES; i++)
        pthread_mutex_destroy(&r->stripe[i]);
}

void registry_lock(struct registry *r)
{
    pthread_mutex_lock(&r->lock);
}

void registry_unlock(struct registry *r)
{
    pthread_mutex_unlock(&r->lock);
}

void registry_lock_id(struct registry *r, uint16_t domid)
{
    pthread_mutex_lock(&r->stripe[domid % REGISTRY_STRIPES]);
}

void registry_unlock_id(struct registry *r, uint16_t domid)
{
    pthread_mutex_unlock(&r->stripe[domid % REGISTRY_STRIPES]);
}

void registry_lock_ids(struct registry *r, uint16_t a, uint16_t b)
{
    unsigned int sa = a % REGISTRY_STRIPES, sb = b % REGISTRY_STRIPES;

    pthread_mutex_lock(&r->stripe[sa < sb ? sa : sb]);
    if (sa != sb)
        pthread_mutex_lock(&r->stripe[sa < sb ? sb : sa]);
}

void registry_unlock_ids(struct registry *r, uint16_t a, uint16_t b)
{
    unsigned int sa = a % REGISTRY_STRIPES, sb = b % REGISTRY_STRIPES;

    pthread_mutex_unlock(&r->stripe[sa]);
    if (sa != sb)
        pthread_mutex_unlock(&r->stripe[sb]);
}

/* set_slot: (domid)'s slot to (d), with (lock) held. */
static void set_slot(struct registry *r, uint16_t domid, struct domain *d)
{
    registry_lock_id(r, domid);
    r->domains[domid] = d;
    registry_unlock_id(r, domid);
}

struct domain *registry_find(struct registry *r, uint16_t domid)
{
    return domid < DOMID_FIRST_RESERVED ? r->domains[domid] : NULL;
}

/*
 * Ids are not reused at once: the next search starts after the last one.
 * HOST_DOMID is never given, whatever next_domid says.
 */
int registry_add(struct registry *r, struct domain *d)
{
    int rc = -ENOSPC;
    registry_lock(r);
    for (unsigned int i = 0; i < DOMID_FIRST_RESERVED - 1; i++) {
        uint16_t id = r->next_domid;
        r->next_domid = id + 1u < DOMID_FIRST_RESERVED ? (uint16_t)(id + 1) : 1;
        if (id != HOST_DOMID && !r->domains[id]) {
            d->domid = id;
            set_slot(r, id, d);
            rc = 0;
            break;
        }
    }
    registry_unlock(r);
    return rc;
}

void registry_remove(struct registry *r, struct domain *d)
{
    registry_lock(r);
    if (d->domid < DOMID_FIRST_RESERVED && r->domains[d->domid] == d)
        set_slot(r, d->domid, NULL);
    registry_unlock(r);
}
