/* SPDX-License-Identifier: MIT */
/* host_file.c: host files the caller handed over as descriptors. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/host_file.h"

const char *host_file_name(const struct pvhv_file *f, char *buf, size_t len)
{
    if (f->name && f->name[0])
        return f->name;
    snprintf(buf, len, "descriptor %d", f->fd);
    return buf;
}

const char *host_file_type(mode_t mode)
{
    static const struct {
        mode_t type;
        const char *name;
    } types[] = {
        {S_IFREG, "a regular file"},     {S_IFBLK, "a block device"},
        {S_IFCHR, "a character device"}, {S_IFIFO, "a FIFO"},
        {S_IFDIR, "a directory"},        {S_IFSOCK, "a socket"},
        {S_IFLNK, "a symbolic link"},
    };

    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if ((mode & S_IFMT) == types[i].type)
            return types[i].name;
    return "a file of unknown type";
}

int host_file_stat(const struct pvhv_file *f, const char *what, struct stat *st,
                   struct pvhv_error *err)
{
    char buf[HOST_FILE_NAME_MAX];
    const char *name = host_file_name(f, buf, sizeof(buf));

    if (!f->set) {
        pvhv_error_set(err,
                       "%s%s%s: no descriptor given (pvhv_file.set is false); "
                       "pvhv opens no paths",
                       what, f->name ? " " : "", f->name ? f->name : "");
        return -EBADF;
    }
    if (f->fd < 0 || fstat(f->fd, st) < 0) {
        int e = f->fd < 0 ? EBADF : errno;

        pvhv_error_set(err, "%s %s: descriptor %d: %s", what, name, f->fd,
                       strerror(e));
        return -e;
    }
    return 0;
}

int host_file_read(const struct pvhv_file *f, const char *what, void *buf,
                   size_t len, struct pvhv_error *err)
{
    char nbuf[HOST_FILE_NAME_MAX];
    size_t done = 0;

    while (done < len) {
        ssize_t n = pread(f->fd, (char *)buf + done, len - done, (off_t)done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            pvhv_error_set(err, "%s %s: read failed: %s", what,
                           host_file_name(f, nbuf, sizeof(nbuf)),
                           n < 0 ? strerror(errno) : "file shrank while read");
            return -EIO;
        }
        done += (size_t)n;
    }
    return 0;
}
