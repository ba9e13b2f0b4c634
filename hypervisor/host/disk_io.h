/* SPDX-License-Identifier: MIT */
/* disk_io.h: how a disk's reads and writes reach its image file. */
#ifndef PVHV_HOST_DISK_IO_H
#define PVHV_HOST_DISK_IO_H

#include <liburing.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

/*
 * One transfer between an image and host memory: (nr_iov) buffers at
 * (iov), the owner's, which stay put until the transfer is reaped; (len)
 * bytes from offset (off). blkback's requests (backends/blkback_io.c) and
 * the ATA channel's commands (emulated/ata_disk.c) are both served so,
 * each embedding one (or more) of these in its own state.
 */
struct disk_io {
    struct iovec *iov;
    unsigned int nr_iov;
    bool read; /* the image into memory */
    off_t off;
    size_t len;
    int res;              /* at completion: bytes moved or -errno */
    struct disk_io *next; /* the list of those completed at submission */
};

/*
 * An engine moves the data of (io) and says when it is done. submit may
 * complete at once or later; reap returns one completed io (in any
 * order), waiting for one when (wait) and something is in flight, or
 * NULL. in_flight counts submitted and not yet reaped.
 */
struct disk_io_engine;
struct disk_io_ops {
    const char *name;
    int (*open)(struct disk_io_engine *e, unsigned int depth);
    void (*submit)(struct disk_io_engine *e, struct disk_io *io);
    struct disk_io *(*reap)(struct disk_io_engine *e, bool wait);
    void (*close)(struct disk_io_engine *e);
};

struct disk_io_engine {
    const struct disk_io_ops *ops;
    int fd;
    unsigned int in_flight;
    unsigned int unsubmitted;          /* io_uring: SQEs not yet entered */
    struct io_uring ring;              /* io_uring */
    struct disk_io *done, **done_tail; /* sync */
};

extern const struct disk_io_ops disk_io_uring; /* disk_io_uring.c */
extern const struct disk_io_ops disk_io_sync;  /* disk_io_sync.c */

/*
 * disk_io_open: io_uring with (depth) entries on (fd) unless (force_sync)
 * or io_uring_queue_init fails; then the synchronous engine. Says which
 * runs and why in (why) (one line). Returns 0 or -errno.
 */
int disk_io_open(struct disk_io_engine *e, int fd, unsigned int depth,
                 bool force_sync, char *why, size_t len);

/*
 * disk_io_close: ends (e)'s engine; nothing may be in flight. Safe on an
 * engine never opened (zeroed).
 */
void disk_io_close(struct disk_io_engine *e);

/* container_of: the (type) whose (member) is at (ptr). */
#define disk_io_owner(ptr, type, member)                                       \
    ((type *)(void *)((char *)(ptr)-offsetof(type, member)))

#endif /* PVHV_HOST_DISK_IO_H */
