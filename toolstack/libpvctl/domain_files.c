/* SPDX-License-Identifier: MIT */
/* domain_files.c: a domain's host files, opened once, as descriptors. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "domain_files.h"
#include "host.h"

int domain_file_open(const char *path, int flags, struct stat *st)
{
    int fd = open(path, flags | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    int fl, e;

    if (fd < 0)
        return -errno;
    if (fstat(fd, st) != 0) {
        e = errno;
        close(fd);
        return -e;
    }
    /* Only where reading and writing never block: FIFOs stay as they are. */
    if ((S_ISREG(st->st_mode) || S_ISBLK(st->st_mode)) &&
        ((fl = fcntl(fd, F_GETFL)) < 0 ||
         fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)) {
        e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

const char *domain_file_type(mode_t mode)
{
    static const struct {
        mode_t type;
        const char *name;
    } types[] = {
        {S_IFREG, "a regular file"},     {S_IFBLK, "a block device"},
        {S_IFCHR, "a character device"}, {S_IFIFO, "a FIFO"},
        {S_IFDIR, "a directory"},        {S_IFSOCK, "a socket"},
    };
    size_t i;

    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if ((mode & S_IFMT) == types[i].type)
            return types[i].name;
    return "a file of unknown type";
}

void domain_files_init(struct domain_files *f)
{
    unsigned int i;

    f->kernel = -1;
    f->initrd = -1;
    for (i = 0; i < DOMAIN_MAX_DISKS; i++)
        f->disks[i] = -1;
    f->nr_disks = 0;
}

void domain_files_close(struct domain_files *f)
{
    unsigned int i;

    if (f->kernel >= 0)
        close(f->kernel);
    if (f->initrd >= 0)
        close(f->initrd);
    for (i = 0; i < DOMAIN_MAX_DISKS; i++)
        if (f->disks[i] >= 0)
            close(f->disks[i]);
    domain_files_init(f);
}

static int open_kernel(const char *xml, const struct domain_def *def,
                       struct domain_files *f, struct pvctl_error *err)
{
    char why[256];
    struct stat st;
    int fd = domain_file_open(def->kernel, O_RDONLY, &st);

    if (fd < 0) {
        pvctl_error_set(err, "%s:%u: <kernel>: cannot read '%s': %s", xml,
                        def->kernel_line, def->kernel,
                        host_strerror(-fd, why, sizeof(why)));
        return fd;
    }
    f->kernel = fd;
    if (S_ISREG(st.st_mode))
        return 0;
    pvctl_error_set(
        err, "%s:%u: <kernel>: '%s' is %s; allowed: a PVH ELF kernel file", xml,
        def->kernel_line, def->kernel, domain_file_type(st.st_mode));
    return -EINVAL;
}

/* open_initrd: the optional <initrd>, read-only, a regular file. */
static int open_initrd(const char *xml, const struct domain_def *def,
                       struct domain_files *f, struct pvctl_error *err)
{
    char why[256];
    struct stat st;
    int fd;

    if (!def->initrd[0])
        return 0;
    fd = domain_file_open(def->initrd, O_RDONLY, &st);
    if (fd < 0) {
        pvctl_error_set(err, "%s:%u: <initrd>: cannot read '%s': %s", xml,
                        def->initrd_line, def->initrd,
                        host_strerror(-fd, why, sizeof(why)));
        return fd;
    }
    f->initrd = fd;
    if (S_ISREG(st.st_mode))
        return 0;
    pvctl_error_set(err, "%s:%u: <initrd>: '%s' is %s; allowed: a regular file",
                    xml, def->initrd_line, def->initrd,
                    domain_file_type(st.st_mode));
    return -EINVAL;
}

/* open_disk_error: why (disk) did not open (-e), with a hint for EACCES. */
static void open_disk_error(const char *xml, const struct domain_disk *disk,
                            int e, struct pvctl_error *err)
{
    struct stat st;
    char why[256];
    int rofd = -1;

    /* Readable but not writable: say how to serve it anyway. */
    if (!disk->readonly && (e == EACCES || e == EROFS))
        rofd = domain_file_open(disk->path, O_RDONLY, &st);
    if (rofd >= 0) {
        close(rofd);
        pvctl_error_set(
            err,
            "%s:%u: <source>: cannot write '%s': %s; allowed: a file pvctl may write, or <readonly/> in the <disk>",
            xml, disk->source_line, disk->path, strerror(e));
        return;
    }
    pvctl_error_set(err, "%s:%u: <source>: cannot %s '%s': %s", xml,
                    disk->source_line,
                    disk->readonly ? "read" : "read and write", disk->path,
                    host_strerror(e, why, sizeof(why)));
}

static int open_disk(const char *xml, const struct domain_disk *disk, int *out,
                     struct pvctl_error *err)
{
    struct stat st;
    int fd =
        domain_file_open(disk->path, disk->readonly ? O_RDONLY : O_RDWR, &st);

    if (fd < 0) {
        open_disk_error(xml, disk, -fd, err);
        return fd;
    }
    *out = fd;
    if (disk->block ? S_ISBLK(st.st_mode) : S_ISREG(st.st_mode))
        return 0;
    pvctl_error_set(err, "%s:%u: <source>: '%s' is %s; allowed: %s", xml,
                    disk->source_line, disk->path, domain_file_type(st.st_mode),
                    disk->block ? "a block device, for <disk type='block'>"
                                : "a raw disk image file (a block device "
                                  "needs <disk type='block'>)");
    return -EINVAL;
}

int domain_files_open(const char *xml, const struct domain_def *def,
                      struct domain_files *f, struct pvctl_error *err)
{
    unsigned int i;
    int ret;

    domain_files_init(f);
    ret = open_kernel(xml, def, f, err);
    if (!ret)
        ret = open_initrd(xml, def, f, err);
    for (i = 0; !ret && i < def->nr_disks; i++) {
        ret = open_disk(xml, &def->disks[i], &f->disks[i], err);
        f->nr_disks = i + 1;
    }
    if (ret)
        domain_files_close(f);
    return ret;
}
