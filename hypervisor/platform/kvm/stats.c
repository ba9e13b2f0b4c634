/* SPDX-License-Identifier: MIT */
/* stats.c: one named counter of a vCPU, read through KVM_GET_STATS_FD. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "platform/kvm/kvm.h"

/*
 * The binary stats file: a header, then num_desc descriptors of
 * sizeof(struct kvm_stats_desc) + name_size bytes each, then the data,
 * where a descriptor's offset is relative to data_offset.
 */
int kvm_stat_open(int vcpu_fd, const char *name, struct kvm_stat *s)
{
    struct kvm_stats_header h;
    int fd = ioctl(vcpu_fd, KVM_GET_STATS_FD, NULL);
    int rc = -ENOENT;

    s->fd = -1;
    if (fd < 0)
        return -errno;
    if (pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) || h.name_size == 0 ||
        h.num_desc > 4096) {
        close(fd);
        return -EIO;
    }
    size_t one = sizeof(struct kvm_stats_desc) + h.name_size;
    uint8_t *descs = malloc(one * h.num_desc);
    if (!descs) {
        close(fd);
        return -ENOMEM;
    }
    if (pread(fd, descs, one * h.num_desc, h.desc_offset) !=
        (ssize_t)(one * h.num_desc))
        rc = -EIO;
    for (uint32_t i = 0; rc == -ENOENT && i < h.num_desc; i++) {
        const struct kvm_stats_desc *d =
            (const struct kvm_stats_desc *)(descs + i * one);
        if (strncmp(d->name, name, h.name_size) == 0 && d->size == 1) {
            s->fd = fd;
            s->offset = h.data_offset + d->offset;
            rc = 0;
        }
    }
    free(descs);
    if (rc < 0)
        close(fd);
    return rc;
}

int kvm_stat_read(const struct kvm_stat *s, uint64_t *value)
{
    if (s->fd < 0)
        return -ENOENT;
    return pread(s->fd, value, sizeof(*value), s->offset) ==
                   (ssize_t)sizeof(*value)
               ? 0
               : -EIO;
}

void kvm_stat_close(struct kvm_stat *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}
