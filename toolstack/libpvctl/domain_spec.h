/* SPDX-License-Identifier: MIT */
/* domain_spec.h: a domain's XML and files as a create request. */
#ifndef PVHV_TOOLSTACK_DOMAIN_SPEC_H
#define PVHV_TOOLSTACK_DOMAIN_SPEC_H

#include <stdint.h>

#include "domain_files.h"
#include "domain_xml.h"
#include "pvabi/control.h"

/*
 * domain_spec_from: the create request (out) for the domain (def) read
 * from (xml), with (flags) (PVHV_CONTROL_CREATE_*) and (exec_mode)
 * (PVHV_CONTROL_EXEC_*), and its descriptors from (files) in (fds):
 * the kernel, then each disk, then the initrd if any. Returns how many
 * descriptors.
 */
unsigned int domain_spec_from(const char *xml, const struct domain_def *def,
                              const struct domain_files *files, uint32_t flags,
                              uint8_t exec_mode,
                              struct pvhv_control_create *out, int *fds);

#endif /* PVHV_TOOLSTACK_DOMAIN_SPEC_H */
