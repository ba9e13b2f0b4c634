/* SPDX-License-Identifier: MIT */
/* blkback.c: the vbd backend module: disks, their XenStore keys, attach. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h> /* BLKGETSIZE64 */
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/backend.h"
#include "backends/blkback.h"
#include "host/disk_lock.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/host_file.h"
#include "core/instance.h"
#include "core/log.h"
#include "core/xenstore/xenstore.h"
#include "pvabi/io/vbd.h"
#include "core/error.h"

#define PAGE_SIZE_BYTES 4096

/* The image's size in bytes, without moving the shared file offset. */
static int disk_size(int fd, const struct stat *st, uint64_t *size)
{
    if (!S_ISBLK(st->st_mode)) {
        *size = (uint64_t)st->st_size;
        return 0;
    }
    return ioctl(fd, BLKGETSIZE64, size) < 0 ? -errno : 0;
}

/*
 * The image is a regular file, or a block device if the disk says so;
 * open for reading, and for writing unless read-only.
 */
static int check_image(const struct domain_device *dev, const char *name,
                       const struct stat *st, struct pvhv_error *err)
{
    const struct device_disk *disk = &dev->params.disk;
    int mode = fcntl(dev->file.fd, F_GETFL);

    if (disk->block ? !S_ISBLK(st->st_mode) : !S_ISREG(st->st_mode)) {
        pvhv_error_set(err, "disk %s: %s; allowed: %s", name,
                       host_file_type(st->st_mode),
                       disk->block ? "a block device (the disk says block)"
                                   : "a regular file (a raw image)");
        return -EINVAL;
    }
    if (mode < 0 || (mode & O_ACCMODE) == O_WRONLY ||
        (!disk->readonly && (mode & O_ACCMODE) != O_RDWR)) {
        pvhv_error_set(err, "disk %s: descriptor %d is not open for %s", name,
                       dev->file.fd,
                       disk->readonly ? "reading" : "reading and writing");
        return -EBADF;
    }
    return 0;
}

/*
 * Takes the image from the caller's descriptor (pvhv opens no path): keeps
 * a duplicate of its own and locks it for the domain. Its size must be
 * whole 512-byte sectors.
 */
static int adopt_disk(struct blkback *b, const struct domain_device *dev,
                      struct pvhv_error *err)
{
    const struct device_disk *disk = &dev->params.disk;
    const struct disk_lock_owner who = {b->d->name, b->d->domid, disk->vdev,
                                        b->name};
    struct stat st;
    uint64_t size = 0;
    int rc = host_file_stat(&dev->file, "disk", &st, err);

    if (rc == 0)
        rc = check_image(dev, b->name, &st, err);
    if (rc < 0)
        return rc;
    b->fd = fcntl(dev->file.fd, F_DUPFD_CLOEXEC, 3);
    rc = b->fd < 0 ? -errno : disk_size(b->fd, &st, &size);
    if (rc < 0) {
        pvhv_error_set(err, "disk %s: %s", b->name, strerror(-rc));
        return rc;
    }
    if (size == 0 || size % BLKIF_SECTOR_SIZE) {
        pvhv_error_set(
            err, "disk %s: size %llu is not a positive multiple of 512 bytes",
            b->name, (unsigned long long)size);
        return -EINVAL;
    }
    b->geom.sectors = size / BLKIF_SECTOR_SIZE;
    b->geom.readonly = disk->readonly;
    b->block = disk->block;
    return disk_lock_take(b->fd, &st, disk->readonly, &who, &b->lock, err);
}

/* ops->setup: the keys a Xen toolstack and blkback publish before InitWait. */
static int vbd_setup(struct xenbus_dev *dev, struct pvhv_error *err)
{
    struct blkback *b = dev->priv;
    int rc;

    b->dev = dev;
    b->geom.handle = (uint16_t)dev->devid;
    rc = xenbus_dev_printf(dev, "params", "%s", b->name);
    if (rc == 0)
        rc = xenbus_dev_printf(dev, "type", b->block ? "phy" : "file");
    if (rc == 0)
        rc = xenbus_dev_printf(dev, "mode", b->geom.readonly ? "r" : "w");
    if (rc == 0)
        rc = xenbus_dev_printf(dev, "feature-flush-cache", "1");
    if (rc == 0)
        rc = xenbus_dev_printf(dev, "feature-barrier", "1");
    if (rc == 0)
        rc = xenbus_dev_printf(dev, "feature-discard",
                               b->geom.readonly ? "0" : "1");
    if (rc == 0)
        rc = xenbus_dev_printf(dev, "discard-secure", "0");
    if (rc < 0)
        pvhv_error_set(err, "%s: cannot publish: %s", dev->be_path,
                       strerror(-rc));
    return rc;
}

/* The frontend's protocol, if it wrote one, must be ours. */
static int check_protocol(struct xenbus_dev *dev)
{
    char path[160], *proto;
    int rc;

    snprintf(path, sizeof(path), "%s/protocol", dev->fe_path);
    rc = xenstore_read(dev->d->hv->xs, path, &proto, NULL);
    if (rc == -ENOENT)
        return 0; /* native */
    if (rc < 0)
        return rc;
    rc = strcmp(proto, XEN_IO_PROTO_ABI_X86_64) ? -EPROTONOSUPPORT : 0;
    if (rc)
        gdprintk(dev->d, "%s: protocol '%s' not served (only %s)", dev->fe_path,
                 proto, XEN_IO_PROTO_ABI_X86_64);
    free(proto);
    return rc;
}

static int publish_geometry(struct xenbus_dev *dev, const struct blkback *b)
{
    int rc = xenbus_dev_printf(dev, "sectors", "%llu",
                               (unsigned long long)b->geom.sectors);

    if (rc == 0)
        rc = xenbus_dev_printf(dev, "info", "%u",
                               b->geom.readonly ? VDISK_READONLY : 0);
    if (rc == 0)
        rc = xenbus_dev_printf(dev, "sector-size", "%u", BLKIF_SECTOR_SIZE);
    if (rc == 0)
        rc = xenbus_dev_printf(dev, "physical-sector-size", "%u",
                               BLKIF_SECTOR_SIZE);
    return rc;
}

/* ops->connect: map the ring, bind the port, publish the disk's size. */
static int vbd_connect(struct xenbus_dev *dev)
{
    struct blkback *b = dev->priv;
    uint64_t ref, port;
    int rc;

    if (xenbus_dev_read_uint(dev, "ring-ref", UINT32_MAX, &ref) < 0 ||
        xenbus_dev_read_uint(dev, "event-channel", UINT32_MAX, &port) < 0) {
        gdprintk(dev->d, "%s: ring-ref or event-channel missing or invalid",
                 dev->fe_path);
        return -EINVAL;
    }
    rc = check_protocol(dev);
    if (rc < 0)
        return rc;
    pthread_mutex_lock(&b->ring_lock);
    if (gnttab_host_map(dev->d, (grant_ref_t)ref, false, &b->ring_map) !=
        GNTST_okay) {
        pthread_mutex_unlock(&b->ring_lock);
        gdprintk(dev->d, "%s: ring-ref %llu is not granted to domain 0",
                 dev->fe_path, (unsigned long long)ref);
        return -EACCES;
    }
    BACK_RING_INIT(&b->ring, (struct blkif_sring *)b->ring_map.addr,
                   PAGE_SIZE_BYTES);
    rc = evtchn_host_bind_existing(dev->d, (evtchn_port_t)port, worker_notify,
                                   &b->worker, &b->host_port);
    if (rc < 0) {
        gnttab_host_unmap(&b->ring_map);
        pthread_mutex_unlock(&b->ring_lock);
        gdprintk(dev->d, "%s: event-channel %llu is not offered to domain 0",
                 dev->fe_path, (unsigned long long)port);
        return rc;
    }
    b->connected = true;
    b->broken = false;
    pthread_mutex_unlock(&b->ring_lock);
    rc = publish_geometry(dev, b);
    /* Requests queued before we bound the port sent no event we saw. */
    worker_kick(&b->worker);
    return rc;
}

/* ops->disconnect: under ring_lock, so no request is being served. */
static void vbd_disconnect(struct xenbus_dev *dev)
{
    struct blkback *b = dev->priv;

    pthread_mutex_lock(&b->ring_lock);
    if (b->connected) {
        evtchn_host_close(b->d, b->host_port);
        gnttab_host_unmap(&b->ring_map);
        b->host_port = 0;
        b->connected = false;
    }
    pthread_mutex_unlock(&b->ring_lock);
}

static void vbd_release(struct xenbus_dev *dev)
{
    struct blkback *b = dev->priv;

    if (!b)
        return;
    worker_stop(&b->worker);
    disk_io_close(&b->engine);
    disk_lock_drop(b->lock);
    if (b->fd >= 0)
        close(b->fd);
    pthread_mutex_destroy(&b->ring_lock);
    free(b->name);
    free(b);
}

static const struct backend_ops vbd_ops = {
    .name = "vbd",
    .setup = vbd_setup,
    .connect = vbd_connect,
    .disconnect = vbd_disconnect,
    .release = vbd_release,
};

/*
 * The engine (io_uring unless PVHV_BLK_ENGINE=sync or it cannot be set
 * up: said in one line, a warning in that last case, else at PVHV_LOG=info)
 * and the thread that serves the ring with it.
 */
static int start_worker(struct blkback *b, struct pvhv_error *err)
{
    const char *want = getenv("PVHV_BLK_ENGINE");
    char why[96];
    int rc;

    if (want && strcmp(want, "sync") && strcmp(want, "io_uring")) {
        snprintf(err->msg, sizeof(err->msg),
                 "disk %s: PVHV_BLK_ENGINE is '%.32s' (from the environment); "
                 "allowed: io_uring, sync",
                 b->name, want);
        return -EINVAL;
    }
    rc = disk_io_open(&b->engine, b->fd, BLKBACK_DEPTH,
                      want && strcmp(want, "sync") == 0, why, sizeof(why));
    if (rc == 0) {
        blkback_io_init(b);
        /* A fallback nobody asked for is worth a warning. */
        if (b->engine.ops == &disk_io_sync && !(want && *want == 's'))
            pr_warn("disk %s: block I/O engine: %s", b->name, why);
        else
            pr_info("disk %s: block I/O engine: %s", b->name, why);
        rc = worker_start(&b->worker, b->d->hv->platform, "pvhv-vbd",
                          blkback_serve, b);
    }
    if (rc < 0)
        snprintf(err->msg, sizeof(err->msg), "disk %s: no I/O worker: %s",
                 b->name, strerror(-rc));
    return rc;
}

static int add_disk(struct domain *d, const struct domain_device *dev,
                    struct pvhv_error *err)
{
    const struct device_disk *disk = &dev->params.disk;
    struct backend_list *l = d->backends;
    long devid = pvabi_vbd_devid(disk->vdev);
    char nbuf[HOST_FILE_NAME_MAX];
    const char *name = host_file_name(&dev->file, nbuf, sizeof(nbuf));
    struct blkback *b;
    int rc;

    if (devid < 0) {
        pvhv_error_set(err,
                       "disk %s: vdev '%s' is not a Xen disk name (xvd<letters>"
                       "[<partition>], d<n>p<m>, hd<letter>, sd<letter> or a "
                       "device number)",
                       name, disk->vdev ? disk->vdev : "");
        return -EINVAL;
    }
    for (unsigned int i = 0; i < l->nr_devs; i++) {
        if (l->devs[i]->devid == (unsigned long)devid) {
            pvhv_error_set(err,
                           "disk %s: vdev %s is device %ld, which another disk "
                           "of the domain already is",
                           name, disk->vdev, devid);
            return -EEXIST;
        }
    }
    b = calloc(1, sizeof(*b));
    if (!b || !(b->name = strdup(name))) {
        free(b);
        pvhv_error_set(err, "disk %s: out of memory", name);
        return -ENOMEM;
    }
    b->d = d;
    b->fd = -1;
    pthread_mutex_init(&b->ring_lock, NULL);
    rc = adopt_disk(b, dev, err);
    if (rc == 0)
        rc = start_worker(b, err);
    if (rc < 0) {
        vbd_release(&(struct xenbus_dev){.priv = b});
        return rc;
    }
    rc = xenbus_dev_create(d, &vbd_ops, (unsigned int)devid, b,
                           &l->devs[l->nr_devs], err);
    if (rc == 0)
        l->nr_devs++;
    return rc;
}

int step_disks(struct domain *d, const struct domain_config *cfg,
               struct pvhv_error *err)
{
    const struct domain_device *dev;
    unsigned int pos = 0;

    while ((dev = domain_device_next(cfg, "vbd", &pos))) {
        int rc;

        if (!d->backends) {
            pvhv_error_set(err, "%s: a vbd needs the PV console listed first",
                           dev->origin);
            return -EINVAL;
        }
        if (d->backends->nr_devs ==
            sizeof(d->backends->devs) / sizeof(d->backends->devs[0])) {
            pvhv_error_set(err, "%s: too many disks", dev->origin);
            unstep_disks(d);
            return -EINVAL;
        }
        rc = add_disk(d, dev, err);
        if (rc < 0) {
            unstep_disks(d);
            return rc;
        }
    }
    return 0;
}

void unstep_disks(struct domain *d)
{
    struct backend_list *l = d->backends;

    if (!l)
        return;
    while (l->nr_devs > 0) {
        l->nr_devs--;
        xenbus_dev_destroy(l->devs[l->nr_devs]);
        l->devs[l->nr_devs] = NULL;
    }
}

const struct device_type vbd_backend = {
    .name = "vbd",
    .type = "vbd",
    .attach = step_disks,
    .detach = unstep_disks,
};
