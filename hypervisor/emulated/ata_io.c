/* SPDX-License-Identifier: MIT */
/* ata_io.c: the primary IDE channel of an hvm domain: its <disk> images as ATA.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/device_types.h"
#include "core/domain.h"
#include "core/error.h"
#include "core/guest_memory.h"
#include "core/instance.h"
#include "core/log.h"
#include "emulated/emulated.h"
#include "host/disk_lock.h"

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

/* INTRQ of the primary channel is ISA IRQ 14, as on a PC. */
static void ata_irq(void *opaque, bool level)
{
    struct emulated *e = opaque;

    (void)io_irq_line(e->domain, ATA_PRIMARY_IRQ, level);
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

/*
 * kick: a command queued disk work: the worker is woken and the vCPU
 * spins a little for it (worker_kick_wait), so that an image read the
 * page cache holds is done when the exit returns, as blkback's kick.
 */
static void kick(void *opaque)
{
    struct emulated *e = opaque;

    if (e->ata.bsy_wait_ns == 0)
        worker_kick(&e->ata_worker);
    else
        worker_kick_wait(&e->ata_worker,
                         e->ata.bsy_wait_ns < WORKER_NOTIFY_WAIT_NS
                             ? e->ata.bsy_wait_ns
                             : WORKER_NOTIFY_WAIT_NS);
}

/* The environment's choices: the I/O engine and the vCPU's wait. */
static int tunables(struct emulated *e, bool *force_sync,
                    struct pvhv_error *err)
{
    const char *engine = getenv("PVHV_BLK_ENGINE"),
               *wait = getenv("PVHV_ATA_WAIT_US");
    unsigned long us = ATA_WAIT_US;
    char *end = NULL;

    if (engine && strcmp(engine, "sync") && strcmp(engine, "io_uring")) {
        pvhv_error_set(err,
                       "ATA disks: PVHV_BLK_ENGINE is '%.32s' (from the "
                       "environment); allowed: io_uring, sync",
                       engine);
        return -EINVAL;
    }
    *force_sync = engine && strcmp(engine, "sync") == 0;
    if (wait) {
        errno = 0;
        us = strtoul(wait, &end, 10);
        if (!*wait || *end || errno || us > ATA_WAIT_US_MAX) {
            pvhv_error_set(err,
                           "ATA disks: PVHV_ATA_WAIT_US is '%.32s' (from the "
                           "environment); allowed: 0 to %u microseconds",
                           wait, ATA_WAIT_US_MAX);
            return -EINVAL;
        }
    }
    e->ata.bsy_wait_ns = (uint64_t)us * 1000;
    return 0;
}

/* adopt: (dev) as drive i: a duplicate descriptor, locked. */
static int adopt(struct emulated *e, const struct domain_device *dev,
                 unsigned int i, bool force_sync, struct pvhv_error *err)
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
    rc = ata_attach(&e->ata, i, fd, (uint64_t)size, disk->readonly, force_sync);
    if (rc < 0) {
        pvhv_error_set(err, "ATA disk %s: no I/O engine: %s", name,
                       strerror(-rc));
        return rc; /* ata_io_fini closes and unlocks it */
    }
    pr_info("ATA disk %s: I/O engine: %s", name, e->ata.drive[i].engine_why);
    return 0;
}

int ata_io_init(struct emulated *e, const struct domain_config *cfg,
                struct pvhv_error *err)
{
    unsigned int n = 0, pos = 0;
    const struct domain_device *disk;
    bool force_sync = false;
    int rc;

    ata_init(&e->ata, ata_irq, e);
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
        ata_fini(&e->ata);
        return -EINVAL;
    }
    rc = tunables(e, &force_sync, err);
    pos = 0;
    for (unsigned int i = 0;
         rc == 0 && (disk = domain_device_next(cfg, "ata", &pos)); i++)
        rc = adopt(e, disk, i, force_sync, err);
    if (rc == 0 && n > 0) {
        rc = worker_start(&e->ata_worker, e->domain->hv->platform, "pvhv-ata",
                          ata_serve, &e->ata);
        if (rc < 0)
            pvhv_error_set(err, "ATA disks: no I/O worker: %s", strerror(-rc));
        else
            e->ata.kick = kick;
    }
    if (rc < 0)
        ata_io_fini(e);
    return rc;
}

void ata_io_fini(struct emulated *e)
{
    /* Its last pass ends a job in flight: nothing touches RAM after. */
    worker_stop(&e->ata_worker);
    e->ata.kick = NULL;
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
