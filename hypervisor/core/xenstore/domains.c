/* SPDX-License-Identifier: MIT */
/* domains.c: what the store keeps per domain: introduced, nodes, watches. */
#include <stdlib.h>

#include "core/xenstore/internal.h"

struct xs_domain *xs_domain_get(struct xenstore *xs, uint16_t domid,
                                bool create)
{
    struct xs_domain *d;

    for (d = xs->domains; d; d = d->next)
        if (d->domid == domid)
            return d;
    if (!create)
        return NULL;
    d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    d->domid = domid;
    d->next = xs->domains;
    xs->domains = d;
    return d;
}

bool xs_domain_introduced(struct xenstore *xs, uint16_t domid)
{
    struct xs_domain *d = xs_domain_get(xs, domid, false);

    return d && d->introduced;
}

void xs_domain_nodes(struct xenstore *xs, uint16_t domid, int delta)
{
    struct xs_domain *d = xs_domain_get(xs, domid, true);

    /* Without memory for a record, the domain's count is not kept. */
    if (!d || (delta < 0 && d->nodes < (unsigned int)-delta))
        return;
    d->nodes += (unsigned int)delta;
}

void xs_domain_nodes_tree(struct xenstore *xs, const struct xs_node *n,
                          int sign)
{
    unsigned int i;

    if (n->nperms)
        xs_domain_nodes(xs, n->perms[0].id, sign);
    for (i = 0; i < n->nkids; i++)
        xs_domain_nodes_tree(xs, n->kids[i], sign);
}

void xs_domains_free(struct xenstore *xs)
{
    struct xs_domain *d;

    while ((d = xs->domains)) {
        xs->domains = d->next;
        free(d);
    }
}
