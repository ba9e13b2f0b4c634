/* SPDX-License-Identifier: MIT */
/* domain_fields.h: check the values of a domain XML document. */
#ifndef PVHV_TOOLSTACK_DOMAIN_FIELDS_H
#define PVHV_TOOLSTACK_DOMAIN_FIELDS_H

#include <libxml/tree.h>

#include "domain_def.h"
#include "pvctl_error.h"

/*
 * domain_fields_extract: checks every value of (doc), a document whose
 * structure already matches the schema, and fills (def). (file) is the path
 * of the document as the user gave it: messages start with it, and a
 * relative <kernel> or <source file=''> is resolved against its folder.
 * Returns 0, -EINVAL with "file:line: <element>: 'value' problem; allowed:
 * ..." in (err), or -ENOMEM.
 */
int domain_fields_extract(const xmlDoc *doc, const char *file,
                          struct domain_def *def, struct pvctl_error *err);

#endif /* PVHV_TOOLSTACK_DOMAIN_FIELDS_H */
