/* SPDX-License-Identifier: MIT */
/* disk_io_uring.c: a disk's transfers through io_uring, many in flight. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>

#include "host/disk_io.h"

static int uring_open(struct disk_io_engine *e, unsigned int depth)
{
    e->done = NULL;
    e->done_tail = &e->done;
    return io_uring_queue_init(depth, &e->ring, 0);
}

/*
 * A read the page cache holds completes at once with RWF_NOWAIT (no
 * blocking, one system call, no handoff to the kernel's I/O threads);
 * it joins the completed list, reaped before the ring's completions.
 */
static bool read_now(struct disk_io_engine *e, struct disk_io *io)
{
    ssize_t n = preadv2(e->fd, io->iov, (int)io->nr_iov, io->off, RWF_NOWAIT);

    if (n != (ssize_t)io->len)
        return false; /* EAGAIN, short: the ring does it, all of it */
    io->res = (int)n;
    io->next = NULL;
    *e->done_tail = io;
    e->done_tail = &io->next;
    e->in_flight++;
    return true;
}

/* Queued only: reap enters them all at once (one io_uring_enter). */
static void uring_submit(struct disk_io_engine *e, struct disk_io *io)
{
    struct io_uring_sqe *sqe;

    if (io->read && read_now(e, io))
        return;
    sqe = io_uring_get_sqe(&e->ring);

    if (!sqe) {
        /* Full (more queued than its depth): enter them and retry. */
        io_uring_submit(&e->ring);
        e->unsubmitted = 0;
        sqe = io_uring_get_sqe(&e->ring);
    }
    if (io->read)
        io_uring_prep_readv(sqe, e->fd, io->iov, io->nr_iov, (__u64)io->off);
    else
        io_uring_prep_writev(sqe, e->fd, io->iov, io->nr_iov, (__u64)io->off);
    io_uring_sqe_set_data(sqe, io);
    e->unsubmitted++;
    e->in_flight++;
}

static struct disk_io *uring_reap(struct disk_io_engine *e, bool wait)
{
    struct io_uring_cqe *cqe = NULL;
    struct disk_io *io;
    int rc;

    if (e->done) {
        io = e->done;
        e->done = io->next;
        if (!e->done)
            e->done_tail = &e->done;
        e->in_flight--;
        return io;
    }
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

static void uring_close(struct disk_io_engine *e)
{
    io_uring_queue_exit(&e->ring);
}

const struct disk_io_ops disk_io_uring = {
    .name = "io_uring",
    .open = uring_open,
    .submit = uring_submit,
    .reap = uring_reap,
    .close = uring_close,
};

int disk_io_open(struct disk_io_engine *e, int fd, unsigned int depth,
                 bool force_sync, char *why, size_t len)
{
    int rc = 0, urc = 0;

    memset(e, 0, sizeof(*e));
    e->fd = fd;
    if (!force_sync) {
        rc = urc = disk_io_uring.open(e, depth);
        if (rc == 0) {
            e->ops = &disk_io_uring;
            snprintf(why, len, "io_uring, %u requests in flight at most",
                     depth);
            return 0;
        }
    }
    e->ops = &disk_io_sync;
    rc = disk_io_sync.open(e, depth);
    if (force_sync)
        snprintf(why, len, "synchronous preadv/pwritev (asked for)");
    else
        snprintf(why, len,
                 "synchronous preadv/pwritev (io_uring_queue_init: %s)",
                 strerror(-urc));
    return rc;
}

void disk_io_close(struct disk_io_engine *e)
{
    if (e->ops)
        e->ops->close(e);
    e->ops = NULL;
}
