/* SPDX-License-Identifier: MIT */
/* blkback_engine.h: how a vbd's reads and writes reach its image file. */
#ifndef PVHV_BACKENDS_BLKBACK_ENGINE_H
#define PVHV_BACKENDS_BLKBACK_ENGINE_H

#include <liburing.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "core/grant_table.h"
#include "pvabi/io/blkif.h"

/* One request being served: its copy, its mapped pages, its transfer. */
struct blk_io {
    struct blkif_request req;
    struct gnttab_host_map m[BLKIF_MAX_SEGMENTS_PER_REQUEST];
    struct iovec iov[BLKIF_MAX_SEGMENTS_PER_REQUEST];
    unsigned int nr_iov;
    bool to_guest; /* a read: the disk into the guest's pages */
    off_t off;
    size_t len;
    int res;             /* at completion: bytes moved or -errno */
    struct blk_io *next; /* the list of those completed at submission */
};

/*
 * An engine moves the data of (io) and says when it is done. submit may
 * complete at once or later; reap returns one completed io (in any
 * order), waiting for one when (wait) and something is in flight, or
 * NULL. in_flight counts submitted and not yet reaped.
 */
struct blk_engine;
struct blk_engine_ops {
    const char *name;
    int (*open)(struct blk_engine *e, unsigned int depth);
    void (*submit)(struct blk_engine *e, struct blk_io *io);
    struct blk_io *(*reap)(struct blk_engine *e, bool wait);
    void (*close)(struct blk_engine *e);
};

struct blk_engine {
    const struct blk_engine_ops *ops;
    int fd;
    unsigned int in_flight;
    unsigned int unsubmitted;         /* io_uring: SQEs not yet entered */
    struct io_uring ring;             /* io_uring */
    struct blk_io *done, **done_tail; /* sync */
};

extern const struct blk_engine_ops blk_engine_uring; /* blkback_uring.c */
extern const struct blk_engine_ops blk_engine_sync;  /* blkback_sync.c */

/*
 * blk_engine_open: io_uring with (depth) entries on (fd) unless
 * (force_sync) or io_uring_queue_init fails; then the synchronous engine.
 * Says which runs and why in (why) (one line). Returns 0 or -errno.
 */
int blk_engine_open(struct blk_engine *e, int fd, unsigned int depth,
                    bool force_sync, char *why, size_t len);

#endif /* PVHV_BACKENDS_BLKBACK_ENGINE_H */
