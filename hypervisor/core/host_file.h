/* SPDX-License-Identifier: MIT */
/* host_file.h: host files the caller handed over as descriptors. */
#ifndef PVHV_CORE_HOST_FILE_H
#define PVHV_CORE_HOST_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "core/config.h"
#include "core/error.h"

/* Room for host_file_name's "descriptor N" and a caller's path. */
#define HOST_FILE_NAME_MAX 32

/*
 * host_file_name: what messages call (f): f->name, or "descriptor N"
 * written to (buf) of (len) bytes. Returns one of the two.
 */
const char *host_file_name(const struct pvhv_file *f, char *buf, size_t len);

/*
 * host_file_type: the kind of file (mode) says, for a person: "a regular
 * file", "a FIFO", "a directory", ...
 */
const char *host_file_type(mode_t mode);

/*
 * host_file_stat: checks that (f) holds a descriptor and fstat()s it into
 * (st); (what) ("kernel", "disk") starts the message. Returns 0, -EBADF
 * when none is given (f->set false, a negative fd) or it is not open, or
 * another -errno, with (err) naming the file.
 */
int host_file_stat(const struct pvhv_file *f, const char *what, struct stat *st,
                   struct pvhv_error *err);

/*
 * host_file_read: reads (len) bytes at offset 0 of (f) into (buf) with
 * pread, so the descriptor's offset does not move. Returns 0, or -EIO
 * (err says why: a read error, or the file shrank).
 */
int host_file_read(const struct pvhv_file *f, const char *what, void *buf,
                   size_t len, struct pvhv_error *err);

#endif /* PVHV_CORE_HOST_FILE_H */
