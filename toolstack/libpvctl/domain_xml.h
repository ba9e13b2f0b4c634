/* SPDX-License-Identifier: MIT */
/* domain_xml.h: load a libvirt-style domain XML file into a domain_def. */
#ifndef PVHV_TOOLSTACK_DOMAIN_XML_H
#define PVHV_TOOLSTACK_DOMAIN_XML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain_def.h"
#include "pvctl_error.h"

/*
 * domain_xml_load: reads (path), checks it against the schema and fills
 * (def). (path) is opened once, without blocking (a FIFO is refused, not
 * waited on), and must be a regular file. The schema DOMAIN_SCHEMA_FILE
 * is searched in the folders that domain_xml_schema_dirs lists. Returns 0;
 * -EINVAL when the file is not a valid domain (err: "file:line: <element>:
 * message; allowed: ...") or not a regular file; -EISDIR for a folder;
 * -errno from open when (path) cannot be read (EMFILE and ENFILE name the
 * limit); -ENOPKG when no schema is found (a broken installation: err
 * lists the paths tried); -ENOMEM.
 */
int domain_xml_load(const char *path, struct domain_def *def,
                    struct pvctl_error *err);

/*
 * domain_xml_load_from: as domain_xml_load, searching the schema in the
 * (ndirs) folders (dirs) only.
 */
int domain_xml_load_from(const char *path, const char *const *dirs,
                         size_t ndirs, struct domain_def *def,
                         struct pvctl_error *err);

/*
 * domain_xml_schema_dirs: fills (dirs) with up to (max) folders to search for
 * the schema, in order: $PVHV_DATADIR when set and not empty, the installed
 * PVHV_PKGDATADIR, then the source tree PVHV_SRCDATADIR. Returns the count.
 */
size_t domain_xml_schema_dirs(const char **dirs, size_t max);

#endif /* PVHV_TOOLSTACK_DOMAIN_XML_H */
