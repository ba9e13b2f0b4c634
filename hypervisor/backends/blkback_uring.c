/* SPDX-License-Identifier: MIT */
/* blkback_uring.c: a vbd's transfers through io_uring, many in flight. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "backends/blkback_engine.h"

static int uring_open(struct blk_engine *e, unsigned int depth)
{
    return io_uring_queue_init(depth, &e->ring, 0);
}

/* Queued only: reap enters them all at once (one io_uring_enter). */
static void uring_submit(struct blk_engine *e, struct blk_io *io)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&e->ring);

    if (!sqe) {
        /* The ring holds as many as the blkif ring: enter and retry. */
        io_uring_submit(&e->ring);
        e->unsubmitted = 0;
        sqe = io_uring_get_sqe(&e->ring);
    }
    if (io->to_guest)
        io_uring_prep_readv(sqe, e->fd, io->iov, io->nr_iov, (__u64)io->off);
    else
        io_uring_prep_writev(sqe, e->fd, io->iov, io->nr_iov, (__u64)io->off);
    io_uring_sqe_set_data(sqe, io);
    e->unsubmitted++;
    e->in_flight++;
}

static struct blk_io *uring_reap(struct blk_engine *e, bool wait)
{
    struct io_uring_cqe *cqe = NULL;
    struct blk_io *io;
    int rc;

    if (e->unsubmitted) {
        io_uring_submit(&e->ring);
        e->unsubmitted = 0;
    }
    if (e->in_flight == 0)
        return NULL;
    do
        rc = wait ? io_uring_wait_cqe(&e->ring, &cqe)
                  : io_uring_peek_cqe(&e->ring, &cqe);
    while (rc == -EINTR);
    if (rc < 0 || !cqe)
        return NULL;
    io = io_uring_cqe_get_data(cqe);
    io->res = cqe->res;
    io_uring_cqe_seen(&e->ring, cqe);
    e->in_flight--;
    return io;
}

static void uring_close(struct blk_engine *e)
{
    io_uring_queue_exit(&e->ring);
}

const struct blk_engine_ops blk_engine_uring = {
    .name = "io_uring",
    .open = uring_open,
    .submit = uring_submit,
    .reap = uring_reap,
    .close = uring_close,
};

int blk_engine_open(struct blk_engine *e, int fd, unsigned int depth,
                    bool force_sync, char *why, size_t len)
{
    int rc = 0, urc = 0;

    memset(e, 0, sizeof(*e));
    e->fd = fd;
    if (!force_sync) {
        rc = urc = blk_engine_uring.open(e, depth);
        if (rc == 0) {
            e->ops = &blk_engine_uring;
            snprintf(why, len, "io_uring, %u requests in flight at most",
                     depth);
            return 0;
        }
    }
    e->ops = &blk_engine_sync;
    rc = blk_engine_sync.open(e, depth);
    if (force_sync)
        snprintf(why, len, "synchronous preadv/pwritev (asked for)");
    else
        snprintf(why, len,
                 "synchronous preadv/pwritev (io_uring_queue_init: %s)",
                 strerror(-urc));
    return rc;
}
