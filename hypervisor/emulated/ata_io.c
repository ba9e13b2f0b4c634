/* SPDX-License-Identifier: MIT */
/* ata_io.c: the primary IDE channel of an hvm domain: its <disk> images as ATA.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/disk_lock.h"
#include "core/device_types.h"
#include "core/domain.h"
#include "core/guest_memory.h"
#include "core/log.h"
#include "emulated/emulated.h"
#include "core/error.h"

/* Command block: the data port takes words (rep insw), the rest bytes. */
static bool ata_cmd_io(struct vcpu *v, uint64_t port, uint8_t *data,
                       unsigned int len, bool is_write, void *opaque)
{
    struct emulated *e = opaque;
    unsigned int reg = (unsigned int)(port - ATA_PRIMARY_BASE);

    (void)v;
    return is_write ? ata_write(&e->ata, reg, data, len)
                    : ata_read(&e->ata, reg, data, len);
}

static bool ata_ctl_io(struct vcpu *v, uint64_t port, uint8_t *data,
                       unsigned int len, bool is_write, void *opaque)
{
    struct emulated *e = opaque;

    (void)v;
    (void)port;
    if (len != 1)
        return false;
    if (is_write)
        ata_ctl_write(&e->ata, data[0]);
    else
        data[0] = ata_ctl_read(&e->ata);
    return true;
}

/* Bus-master registers: any width within the 8 bytes. */
static bool ata_bm_io(struct vcpu *v, uint64_t port, uint8_t *data,
                      unsigned int len, bool is_write, void *opaque)
{
    struct emulated *e = opaque;
    unsigned int reg = (unsigned int)(port - ATA_BM_BASE);

    (void)v;
    if (is_write)
        ata_bm_write(&e->ata, reg, data, len);
    else
        ata_bm_read(&e->ata, reg, data, len);
    return true;
}

/* DMA reaches guest RAM only, through the hypervisor's own view of it. */
static void *dma_map(void *opaque, uint64_t gpa, uint32_t len)
{
    struct emulated *e = opaque;

    return guest_ram_data(&e->domain->ram, gpa, len);
}

static void dma_fault(void *opaque, const char *what, uint64_t gpa,
                      uint32_t len)
{
    struct emulated *e = opaque;

    gdprintk(e->domain, "ATA DMA refused: %s: %u bytes at 0x%llx", what, len,
             (unsigned long long)gpa);
}

/* adopt: (dev) as drive i: a duplicate descriptor, locked. */
static int adopt(struct emulated *e, const struct domain_device *dev,
                 unsigned int i, struct pvhv_error *err)
{
    const struct device_disk *disk = &dev->params.disk;
    const char *name = dev->file.name ? dev->file.name : disk->vdev;
    const struct disk_lock_owner who = {e->domain->name, e->domain->domid,
                                        disk->vdev, name};
    struct stat st;
    off_t size;
    int fd = fcntl(dev->file.fd, F_DUPFD_CLOEXEC, 3);

    if (fd < 0 || fstat(fd, &st) < 0 || (size = lseek(fd, 0, SEEK_END)) < 0) {
        int rc = -errno;

        pvhv_error_set(err, "ATA disk %s: %s", name, strerror(-rc));
        if (fd >= 0)
            close(fd);
        return rc;
    }
    if (size == 0 || size % ATA_SECTOR) {
        pvhv_error_set(
            err,
            "ATA disk %s: size %lld is not a positive multiple of 512 "
            "bytes",
            name, (long long)size);
        close(fd);
        return -EINVAL;
    }
    int rc = disk_lock_take(fd, &st, disk->readonly, &who, &e->lock[i], err);
    if (rc < 0) {
        close(fd);
        return rc;
    }
    e->fd[i] = fd;
    ata_attach(&e->ata, i, fd, (uint64_t)size, disk->readonly);
    return 0;
}

int ata_io_init(struct emulated *e, const struct domain_config *cfg,
                struct pvhv_error *err)
{
    unsigned int n = 0, pos = 0;
    const struct domain_device *disk;

    ata_init(&e->ata, NULL, e);
    e->ata.dma = dma_map;
    e->ata.dma_fault = dma_fault;
    e->fd[0] = e->fd[1] = -1;
    while (domain_device_next(cfg, "ata", &pos))
        n++;
    if (n > 2) {
        pvhv_error_set(err,
                       "%u disks: an hvm domain has at most 2 (ATA master and "
                       "slave)",
                       n);
        return -EINVAL;
    }
    pos = 0;
    for (unsigned int i = 0; (disk = domain_device_next(cfg, "ata", &pos));
         i++) {
        int rc = adopt(e, disk, i, err);

        if (rc < 0) {
            ata_io_fini(e);
            return rc;
        }
    }
    return 0;
}

void ata_io_fini(struct emulated *e)
{
    for (unsigned int i = 0; i < 2; i++) {
        disk_lock_drop(e->lock[i]);
        e->lock[i] = NULL;
        if (e->fd[i] >= 0)
            close(e->fd[i]);
        e->fd[i] = -1;
    }
    ata_fini(&e->ata);
}

const struct io_device ata_cmd_device = {
    .name = "ATA primary channel",
    .space = IO_SPACE_PORT,
    .base = ATA_PRIMARY_BASE,
    .len = 8,
    .access = ata_cmd_io,
};

const struct io_device ata_ctl_device = {
    .name = "ATA primary control block",
    .space = IO_SPACE_PORT,
    .base = ATA_PRIMARY_CTL,
    .len = 1,
    .access = ata_ctl_io,
};

const struct io_device ata_bm_device = {
    .name = "ATA bus master",
    .space = IO_SPACE_PORT,
    .base = ATA_BM_BASE,
    .len = ATA_BM_REGS,
    .access = ata_bm_io,
};
