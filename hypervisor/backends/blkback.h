/* SPDX-License-Identifier: MIT */
/* blkback.h: the PV block backend (vbd): one disk image per device. */
#ifndef PVHV_BACKENDS_BLKBACK_H
#define PVHV_BACKENDS_BLKBACK_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/grant_table.h"
#include "host/disk_io.h"
#include "host/worker.h"
#include "pvabi/io/blkif.h"

struct backend_list;
struct disk_lock;
struct domain;
struct xenbus_dev;

/* Requests one vbd has in flight at most: a one-page ring's slots. */
#define BLKBACK_DEPTH __CONST_RING_SIZE(blkif, 4096)

/* What a request is checked against. */
struct blkback_geom {
    uint64_t sectors; /* disk size in 512-byte sectors */
    uint16_t handle;  /* the device's vdev: devid & 0xffff */
    bool readonly;
};

/* One request being served: its copy, its mapped pages, its transfer. */
struct blk_io {
    struct disk_io io; /* its iov is iov[] below */
    struct blkif_request req;
    struct gnttab_host_map m[BLKIF_MAX_SEGMENTS_PER_REQUEST];
    struct iovec iov[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};

/* One disk served to one guest. */
struct blkback {
    struct domain *d;
    struct xenbus_dev *dev;
    int fd;                 /* our duplicate of the caller's descriptor */
    char *name;             /* the image, as the caller named it */
    bool block;             /* a block device (XenStore type "phy") */
    struct disk_lock *lock; /* disk_lock.c: held until release */
    struct blkback_geom geom;

    /* Connected state, under ring_lock (the guest's vCPUs kick
     * concurrently; the handshake connects and disconnects). */
    pthread_mutex_t ring_lock;
    bool connected;
    bool broken; /* the frontend corrupted the ring */
    struct blkif_back_ring ring;
    struct gnttab_host_map ring_map;
    evtchn_port_t host_port;

    /* The worker's, under ring_lock: requests being served. */
    struct worker worker;         /* serves the ring (blkback_serve) */
    struct disk_io_engine engine; /* host/disk_io.h */
    struct blk_io io[BLKBACK_DEPTH];
    struct blk_io *free_io[BLKBACK_DEPTH];
    unsigned int nr_free_io;
};

/*
 * blkback_check: validates a request copied from the ring against (g):
 * operation served, nr_segments 1 ... BLKIF_MAX_SEGMENTS_PER_REQUEST (0
 * only for BLKIF_OP_FLUSH_DISKCACHE), each segment first_sect <=
 * last_sect <= 7, the sectors inside the disk (overflow-safe), handle ==
 * g->handle, no write to a read-only disk. Returns BLKIF_RSP_OKAY when it
 * may be served, BLKIF_RSP_EOPNOTSUPP for an operation known but not
 * served (indirect, reserved), BLKIF_RSP_ERROR otherwise. The number of
 * sectors is returned in (*nsect) on success.
 */
int blkback_check(const struct blkif_request *req, const struct blkback_geom *g,
                  uint64_t *nsect);

/*
 * blkback_serve: the worker's function: serves every request on the
 * ring, many in flight through the engine, answering each as it
 * completes (in any order: blkif answers carry ids), and notifies the
 * guest only when it asked (RING_PUSH_RESPONSES_AND_CHECK_NOTIFY); it
 * returns when the ring is empty and nothing is in flight. A flush or
 * barrier first waits for every earlier request. On a blkback never
 * attached to a worker (tests) it serves synchronously.
 * The device's host port notifies its worker (worker_notify).
 * blkback_io_init: every io free.
 */
void blkback_serve(void *opaque);
void blkback_io_init(struct blkback *b);

#endif /* PVHV_BACKENDS_BLKBACK_H */
