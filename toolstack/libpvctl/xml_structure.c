/* SPDX-License-Identifier: MIT */
/* xml_structure.c: explain structure errors using the RelaxNG schema. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "xml_structure.h"

#define RNG_NS "http://relaxng.org/ns/structure/1.0"
#define RULES_MAX 32
#define REF_DEPTH_MAX 16

/* What the schema allows inside one element. */
struct rule {
    const char *name;
    bool required;
    bool many;
    const xmlNode *rng; /* the <element> pattern, for children */
};

struct rules {
    struct rule kids[RULES_MAX];
    size_t nkids;
    struct rule attrs[RULES_MAX];
    size_t nattrs;
    bool text; /* character data allowed */
};

struct walk {
    const xmlNode *grammar;
    const char *file;
    struct pvctl_error *err;
};

static bool is_rng(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, RNG_NS) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

static const char *rng_name(const xmlNode *n)
{
    xmlAttr *a = xmlHasProp(n, (const xmlChar *)"name");

    if (!a || !a->children || !a->children->content)
        return NULL;
    return (const char *)a->children->content;
}

static const xmlNode *find_define(const xmlNode *grammar, const char *name)
{
    const xmlNode *n;

    for (n = grammar->children; n; n = n->next) {
        const char *dn = is_rng(n, "define") ? rng_name(n) : NULL;

        if (dn && strcmp(dn, name) == 0)
            return n;
    }
    return NULL;
}

static void add_rule(struct rule *list, size_t *count, const xmlNode *n,
                     bool required, bool many)
{
    const char *name = rng_name(n);

    if (!name || *count >= RULES_MAX)
        return;
    list[*count] = (struct rule){name, required, many, n};
    (*count)++;
}

/*
 * collect: gathers the elements and attributes that pattern (pat) allows
 * directly, following <ref>. Inside <optional>, <zeroOrMore> and <choice>
 * nothing is required; inside <zeroOrMore> and <oneOrMore> an element may
 * repeat. That is all our schema uses; other patterns add nothing.
 */
static void collect(const xmlNode *grammar, const xmlNode *pat, bool required,
                    bool many, struct rules *r, int depth)
{
    const xmlNode *c;

    if (depth > REF_DEPTH_MAX)
        return;
    for (c = pat->children; c; c = c->next) {
        if (is_rng(c, "element"))
            add_rule(r->kids, &r->nkids, c, required, many);
        else if (is_rng(c, "attribute"))
            add_rule(r->attrs, &r->nattrs, c, required, false);
        else if (is_rng(c, "text") || is_rng(c, "data") || is_rng(c, "value") ||
                 is_rng(c, "mixed"))
            r->text = true;
        else if (is_rng(c, "optional") || is_rng(c, "choice"))
            collect(grammar, c, false, many, r, depth + 1);
        else if (is_rng(c, "zeroOrMore"))
            collect(grammar, c, false, true, r, depth + 1);
        else if (is_rng(c, "oneOrMore"))
            collect(grammar, c, required, true, r, depth + 1);
        /* Not "else": <mixed> allows text (above) and has content. */
        if (is_rng(c, "group") || is_rng(c, "interleave") || is_rng(c, "mixed"))
            collect(grammar, c, required, many, r, depth + 1);
        else if (is_rng(c, "ref") && rng_name(c) &&
                 find_define(grammar, rng_name(c)))
            collect(grammar, find_define(grammar, rng_name(c)), required, many,
                    r, depth + 1);
    }
}

static const struct rule *find_rule(const struct rule *list, size_t count,
                                    const char *name)
{
    size_t i;

    for (i = 0; i < count; i++)
        if (strcmp(list[i].name, name) == 0)
            return &list[i];
    return NULL;
}

/* allowed: appends "a, b" or "<a>, <b>" (or "none") for (list). */
static void allowed(struct pvctl_error *err, const struct rule *list,
                    size_t count, bool elements)
{
    size_t i;

    if (count == 0)
        pvctl_error_append(err, "none");
    for (i = 0; i < count; i++)
        pvctl_error_append(err, elements ? "%s<%s>" : "%s%s", i ? ", " : "",
                           list[i].name);
}

static unsigned int line_of(const xmlNode *n)
{
    long line = xmlGetLineNo(n);

    return line > 0 ? (unsigned int)line : 0;
}

static int check_attrs(struct walk *w, const xmlNode *node,
                       const struct rules *r)
{
    const xmlAttr *a;
    size_t i;

    for (a = node->properties; a; a = a->next) {
        const char *an = (const char *)a->name;
        xmlChar *v;

        if (find_rule(r->attrs, r->nattrs, an))
            continue;
        v = xmlNodeGetContent((const xmlNode *)a);
        pvctl_error_set(
            w->err,
            "%s:%u: <%s %s='%s'>: unknown attribute '%s'; allowed: ", w->file,
            line_of(node), node->name, an, v ? (const char *)v : "", an);
        xmlFree(v);
        allowed(w->err, r->attrs, r->nattrs, false);
        return -EINVAL;
    }
    for (i = 0; i < r->nattrs; i++) {
        if (!r->attrs[i].required ||
            xmlHasProp(node, (const xmlChar *)r->attrs[i].name))
            continue;
        pvctl_error_set(w->err,
                        "%s:%u: <%s>: missing attribute '%s'; it is required",
                        w->file, line_of(node), node->name, r->attrs[i].name);
        return -EINVAL;
    }
    return 0;
}

static int check_element(struct walk *w, const xmlNode *rng,
                         const xmlNode *node, int depth);

/*
 * check_text: (t), text inside (node) whose rules allow none, is blank. The
 * parser dates a text node by the line where the text ends, so count back.
 */
static int check_text(struct walk *w, const xmlNode *node, const xmlNode *t)
{
    const char *s = (const char *)t->content, *p;
    unsigned int line = line_of(t);
    int shown;

    if (!s || s[strspn(s, " \t\r\n")] == '\0')
        return 0;
    s += strspn(s, " \t\r\n");
    for (p = s; *p; p++)
        if (*p == '\n' && line > 1)
            line--;
    shown = (int)strcspn(s, "\r\n");
    pvctl_error_set(
        w->err,
        "%s:%u: <%s>: unexpected text '%.*s'; allowed: only elements inside <%s>",
        w->file, line, node->name, shown < 40 ? shown : 40, s, node->name);
    return -EINVAL;
}

static int check_kid(struct walk *w, const xmlNode *node, const xmlNode *kid,
                     const struct rules *r, const xmlNode **seen, int depth)
{
    const struct rule *rule =
        find_rule(r->kids, r->nkids, (const char *)kid->name);
    size_t i;

    if (!rule) {
        pvctl_error_set(w->err,
                        "%s:%u: <%s>: unknown element inside <%s>; allowed: ",
                        w->file, line_of(kid), kid->name, node->name);
        allowed(w->err, r->kids, r->nkids, true);
        return -EINVAL;
    }
    i = (size_t)(rule - r->kids);
    if (seen[i] && !rule->many) {
        pvctl_error_set(
            w->err,
            "%s:%u: <%s>: repeated inside <%s> (first at line %u); allowed: one <%s>",
            w->file, line_of(kid), kid->name, node->name, line_of(seen[i]),
            kid->name);
        return -EINVAL;
    }
    if (!seen[i])
        seen[i] = kid;
    return check_element(w, rule->rng, kid, depth + 1);
}

static int check_element(struct walk *w, const xmlNode *rng,
                         const xmlNode *node, int depth)
{
    const xmlNode *seen[RULES_MAX] = {0};
    struct rules r = {.nkids = 0};
    const xmlNode *kid;
    size_t i;
    int ret;

    collect(w->grammar, rng, true, false, &r, 0);
    ret = check_attrs(w, node, &r);
    for (kid = node->children; !ret && kid; kid = kid->next) {
        if (kid->type == XML_ELEMENT_NODE && depth < REF_DEPTH_MAX)
            ret = check_kid(w, node, kid, &r, seen, depth);
        else if ((kid->type == XML_TEXT_NODE ||
                  kid->type == XML_CDATA_SECTION_NODE) &&
                 !r.text)
            ret = check_text(w, node, kid);
    }
    for (i = 0; !ret && i < r.nkids; i++) {
        if (!r.kids[i].required || seen[i])
            continue;
        pvctl_error_set(w->err,
                        "%s:%u: <%s>: missing element <%s>; it is required",
                        w->file, line_of(node), node->name, r.kids[i].name);
        ret = -EINVAL;
    }
    return ret;
}

int xml_structure_check(const xmlDoc *rng, const xmlDoc *doc, const char *file,
                        struct pvctl_error *err)
{
    struct walk w = {xmlDocGetRootElement(rng), file, err};
    const xmlNode *root = xmlDocGetRootElement(doc);
    const xmlNode *start;
    struct rules r = {.nkids = 0};
    const struct rule *rule;

    if (!w.grammar || !root || !is_rng(w.grammar, "grammar"))
        return 0; /* not a grammar we can read: RelaxNG will judge */
    for (start = w.grammar->children; start; start = start->next)
        if (is_rng(start, "start"))
            break;
    if (!start)
        return 0;
    collect(w.grammar, start, true, false, &r, 0);
    rule = find_rule(r.kids, r.nkids, (const char *)root->name);
    if (!rule) {
        pvctl_error_set(err, "%s:%u: <%s>: wrong root element; allowed: ", file,
                        line_of(root), root->name);
        allowed(err, r.kids, r.nkids, true);
        return -EINVAL;
    }
    return check_element(&w, rule->rng, root, 0);
}
