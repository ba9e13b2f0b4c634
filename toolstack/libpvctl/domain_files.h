/* SPDX-License-Identifier: MIT */
/* domain_files.h: a domain's host files, opened once, as descriptors. */
#ifndef PVHV_TOOLSTACK_DOMAIN_FILES_H
#define PVHV_TOOLSTACK_DOMAIN_FILES_H

#include <sys/stat.h>

#include "domain_xml.h"
#include "pvctl_error.h"

/*
 * The kernel and disk images of one domain, each opened once, checked on
 * what was opened (fstat), and then handed to the hypervisor as these
 * descriptors (it opens no path), now and at every restart: a file
 * replaced or re-linked after the check is not what the domain gets.
 * -1: not open.
 */
struct domain_files {
    int kernel;
    int initrd; /* -1: no <initrd> */
    int disks[DOMAIN_MAX_DISKS];
    unsigned int nr_disks; /* of def->disks, in order */
};

/*
 * domain_file_open: opens (path) with (flags) (O_RDONLY or O_RDWR) and
 * O_CLOEXEC | O_NONBLOCK | O_NOCTTY, so that neither a FIFO nor a
 * terminal can hang or capture pvctl, and fstat()s what it opened into
 * (st). For a regular file or a block device O_NONBLOCK is then cleared:
 * the descriptor is an ordinary one. The caller checks st's type.
 * Returns the descriptor, or -errno.
 */
int domain_file_open(const char *path, int flags, struct stat *st);

/*
 * domain_file_type: the kind of file (mode) says, for a person: "a regular
 * file", "a FIFO", "a directory", ...
 */
const char *domain_file_type(mode_t mode);

/* domain_files_init: (f) holds nothing (every descriptor -1). */
void domain_files_init(struct domain_files *f);

/*
 * domain_files_open: opens the files (def), read from (xml), names:
 * the kernel read-only, each disk for reading, and for writing too
 * unless <readonly/>. Every open is O_NONBLOCK (a FIFO cannot hang it)
 * and O_NOCTTY, and what it opened must be a regular file (a block
 * device for <disk type='block'>); O_NONBLOCK is then cleared. Returns 0,
 * or -errno with (err) naming the XML file, the line and element, the
 * path and why (EMFILE and ENFILE say which limit); nothing stays open
 * then.
 */
int domain_files_open(const char *xml, const struct domain_def *def,
                      struct domain_files *f, struct pvctl_error *err);

/* domain_files_close: closes what (f) holds; it then holds nothing. */
void domain_files_close(struct domain_files *f);

#endif /* PVHV_TOOLSTACK_DOMAIN_FILES_H */
