/* SPDX-License-Identifier: MIT */
/* tree.c: XenStore nodes, paths, and the copy-on-write tree they form. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xenstore/internal.h"

static bool path_char_ok(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '-' || ch == '/' || ch == '_' ||
           ch == '@';
}

/* Characters, no empty component, no trailing '/' (but "/" itself). */
static bool path_shape_ok(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (!path_char_ok(s[i]))
            return false;
        if (s[i] == '/' && s[i + 1] == '/')
            return false;
    }
    return len == 1 || s[len - 1] != '/';
}

int xs_path_canon(uint16_t domid, const char *in, bool special, char *out,
                  bool *relative)
{
    size_t len = strnlen(in, XS_PATH_BUF);
    int n;

    *relative = false;
    if (len == 0 || !path_shape_ok(in, len))
        return -EINVAL;
    if (in[0] == '@') {
        /* Event names ("@releaseDomain"): for watches only. */
        if (!special || len > XENSTORE_REL_PATH_MAX)
            return -EINVAL;
        memcpy(out, in, len + 1);
        return 0;
    }
    if (in[0] == '/') {
        if (len > XENSTORE_ABS_PATH_MAX)
            return -EINVAL;
        memcpy(out, in, len + 1);
        return 0;
    }
    if (len > XENSTORE_REL_PATH_MAX)
        return -EINVAL;
    n = snprintf(out, XS_PATH_BUF, "/local/domain/%u/%s", domid, in);
    if (n < 0 || n > XENSTORE_ABS_PATH_MAX)
        return -EINVAL;
    *relative = true;
    return 0;
}

/* Whether (path) is (top) or below it; "@" names only match themselves. */
bool xs_path_under(const char *path, const char *top)
{
    size_t tl = strlen(top);

    if (strcmp(top, "/") == 0)
        return path[0] == '/';
    return strncmp(path, top, tl) == 0 && (path[tl] == '\0' || path[tl] == '/');
}

struct xs_node *tree_node_new(const char *name, size_t nlen)
{
    struct xs_node *n = calloc(1, sizeof(*n));

    if (!n)
        return NULL;
    n->name = strndup(name, nlen);
    n->value = calloc(1, 1);
    if (!n->name || !n->value) {
        free(n->name);
        free(n->value);
        free(n);
        return NULL;
    }
    n->ref = 1;
    return n;
}

static void node_free(struct xs_node *n)
{
    free(n->name);
    free(n->value);
    free(n->perms);
    free(n->kids);
    free(n);
}

void tree_node_put(struct xs_node *n)
{
    unsigned int i;

    if (!n || --n->ref > 0)
        return;
    for (i = 0; i < n->nkids; i++)
        tree_node_put(n->kids[i]);
    node_free(n);
}

/* A private copy of a shared node; it shares the children. */
static struct xs_node *node_copy(const struct xs_node *n)
{
    struct xs_node *c = tree_node_new(n->name, strlen(n->name));
    unsigned int i;

    if (!c)
        return NULL;
    c->gen = n->gen;
    c->tgen = n->tgen;
    if (tree_set_value(c, n->value, n->vlen) ||
        tree_set_perms(c, n->perms, n->nperms))
        goto fail;
    if (n->nkids) {
        c->kids = malloc(n->nkids * sizeof(*c->kids));
        if (!c->kids)
            goto fail;
        for (i = 0; i < n->nkids; i++) {
            c->kids[i] = n->kids[i];
            c->kids[i]->ref++;
        }
        c->nkids = n->nkids;
    }
    return c;
fail:
    node_free(c);
    return NULL;
}

static struct xs_node *kid_find(const struct xs_node *n, const char *name,
                                size_t len, unsigned int *idx)
{
    unsigned int i;

    for (i = 0; i < n->nkids; i++) {
        const char *kn = n->kids[i]->name;

        if (strncmp(kn, name, len) == 0 && kn[len] == '\0') {
            if (idx)
                *idx = i;
            return n->kids[i];
        }
    }
    return NULL;
}

/* The next component of (*p) ("/a/b" -> "a"); advances *p past it. */
static size_t next_component(const char **p, const char *end)
{
    const char *s;

    while (*p < end && **p == '/')
        (*p)++;
    s = *p;
    while (*p < end && **p != '/')
        (*p)++;
    return (size_t)(*p - s);
}

struct xs_node *tree_nearest(struct xs_node *root, const char *path,
                             size_t *matched)
{
    const char *p = path, *end = path + strlen(path);
    struct xs_node *n = root, *k;
    size_t len;

    *matched = 1;
    while ((len = next_component(&p, end)) > 0) {
        k = kid_find(n, p - len, len, NULL);
        if (!k)
            break;
        n = k;
        *matched = (size_t)(p - path);
    }
    return n;
}

struct xs_node *tree_lookup(struct xs_node *root, const char *path)
{
    size_t matched;
    struct xs_node *n = tree_nearest(root, path, &matched);

    return matched == strlen(path) ? n : NULL;
}

/* Makes *slot exclusively this tree's, copying it if a snapshot shares it. */
static struct xs_node *node_own(struct xs_node **slot)
{
    struct xs_node *n = *slot, *c;

    if (n->ref == 1)
        return n;
    c = node_copy(n);
    if (!c)
        return NULL;
    n->ref--; /* still held by the other trees: never reaches 0 here */
    *slot = c;
    return c;
}

struct xs_node *tree_writable(struct xs_node **rootp, const char *path,
                              size_t plen, uint64_t gen)
{
    const char *p = path, *end = path + plen;
    struct xs_node *n;
    unsigned int idx;
    size_t len;

    n = node_own(rootp);
    if (!n)
        return NULL;
    n->tgen = gen;
    while ((len = next_component(&p, end)) > 0) {
        if (!kid_find(n, p - len, len, &idx))
            return NULL;
        n = node_own(&n->kids[idx]);
        if (!n)
            return NULL;
        /* Every ancestor of a change learns its subtree changed. */
        n->tgen = gen;
    }
    return n;
}

int tree_kid_add(struct xs_node *parent, struct xs_node *kid)
{
    struct xs_node **k;

    k = realloc(parent->kids, (parent->nkids + 1) * sizeof(*k));
    if (!k)
        return -ENOMEM;
    k[parent->nkids++] = kid;
    parent->kids = k;
    return 0;
}

struct xs_node *tree_kid_take(struct xs_node *parent, const char *name)
{
    struct xs_node *k;
    unsigned int idx;

    k = kid_find(parent, name, strlen(name), &idx);
    if (!k)
        return NULL;
    /* Keep the order: DIRECTORY lists children as they were created. */
    memmove(&parent->kids[idx], &parent->kids[idx + 1],
            (parent->nkids - idx - 1) * sizeof(*parent->kids));
    parent->nkids--;
    return k;
}

int tree_set_value(struct xs_node *n, const void *val, size_t len)
{
    char *v = malloc(len + 1);

    if (!v)
        return -ENOMEM;
    if (len)
        memcpy(v, val, len);
    v[len] = '\0';
    free(n->value);
    n->value = v;
    n->vlen = len;
    return 0;
}

int tree_set_perms(struct xs_node *n, const struct xs_perm *p, unsigned int np)
{
    struct xs_perm *c = NULL;

    if (np) {
        c = malloc(np * sizeof(*c));
        if (!c)
            return -ENOMEM;
        memcpy(c, p, np * sizeof(*c));
    }
    free(n->perms);
    n->perms = c;
    n->nperms = np;
    return 0;
}

unsigned int tree_count_owned(struct xs_node *n, uint16_t domid)
{
    unsigned int i, count = n->nperms && n->perms[0].id == domid;

    for (i = 0; i < n->nkids; i++)
        count += tree_count_owned(n->kids[i], domid);
    return count;
}
