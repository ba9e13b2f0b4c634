/* SPDX-License-Identifier: MIT */
/* perms.c: node permissions: who may read or write, their text form. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/xenstore/internal.h"

/*
 * Xen's rules (docs/misc/xenstore.txt): a privileged caller may do
 * everything; the owner (first entry) too; otherwise the first later entry
 * naming the caller applies, else the first entry's access, the default.
 */
unsigned int xs_perm_get(const struct xs_node *n, const struct xs_caller *c)
{
    unsigned int i;

    if (c->priv)
        return XS_PERM_BOTH;
    if (n->nperms == 0)
        return 0;
    if (n->perms[0].id == c->domid)
        return XS_PERM_BOTH;
    for (i = 1; i < n->nperms; i++)
        if (n->perms[i].id == c->domid)
            return n->perms[i].perm;
    return n->perms[0].perm;
}

static const char perm_letters[] = {'n', 'r', 'w', 'b'};

/* "<n|r|w|b><domid>", domid in decimal, nothing after it. */
int xs_perm_parse(const char *s, struct xs_perm *p)
{
    unsigned long id = 0;
    unsigned int bits;
    const char *d;

    for (bits = 0; bits < 4; bits++)
        if (s[0] == perm_letters[bits])
            break;
    if (bits == 4 || s[1] == '\0')
        return -EINVAL;
    for (d = s + 1; *d; d++) {
        if (*d < '0' || *d > '9')
            return -EINVAL;
        id = id * 10 + (unsigned long)(*d - '0');
        if (id > UINT16_MAX)
            return -EINVAL;
    }
    p->id = (uint16_t)id;
    p->perm = (uint8_t)bits;
    return 0;
}

/* Writes "<letter><domid>\0" into (buf); returns its length with the NUL. */
int xs_perm_format(const struct xs_perm *p, char *buf, size_t len)
{
    int n = snprintf(buf, len, "%c%u", perm_letters[p->perm & 3], p->id);

    if (n < 0 || (size_t)n >= len)
        return -E2BIG;
    return n + 1;
}

int xs_perm_list_parse(const char *const *s, unsigned int n,
                       struct xs_perm **out)
{
    struct xs_perm *p;
    unsigned int i;
    int rc;

    if (n == 0)
        return -EINVAL;
    p = calloc(n, sizeof(*p));
    if (!p)
        return -ENOMEM;
    for (i = 0; i < n; i++) {
        rc = xs_perm_parse(s[i], &p[i]);
        if (rc) {
            free(p);
            return rc;
        }
    }
    *out = p;
    return 0;
}
