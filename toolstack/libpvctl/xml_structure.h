/* SPDX-License-Identifier: MIT */
/* xml_structure.h: explain structure errors using the RelaxNG schema. */
#ifndef PVHV_TOOLSTACK_XML_STRUCTURE_H
#define PVHV_TOOLSTACK_XML_STRUCTURE_H

#include <libxml/tree.h>

#include "pvctl_error.h"

/*
 * xml_structure_check: walks (doc) against the elements and attributes that
 * the RelaxNG grammar (rng) declares, and reports the first unknown or
 * repeated element, unknown attribute, or missing required element or
 * attribute as "file:line: <element>: message; allowed: ..." with (file)
 * naming the document. It exists because libxml2's RelaxNG messages for
 * <interleave> name the wrong element; the RelaxNG validation that follows
 * stays the authority. Returns 0 or -EINVAL.
 */
int xml_structure_check(const xmlDoc *rng, const xmlDoc *doc, const char *file,
                        struct pvctl_error *err);

#endif /* PVHV_TOOLSTACK_XML_STRUCTURE_H */
