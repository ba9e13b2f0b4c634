/* SPDX-License-Identifier: MIT */
/* blkback_sync.c: a vbd's transfers as preadv/pwritev, one at a time. */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>

#include "backends/blkback_engine.h"

static int sync_open(struct blk_engine *e, unsigned int depth)
{
    (void)depth;
    e->done = NULL;
    e->done_tail = &e->done;
    return 0;
}

/* Done at once; reap hands it back, in submission order. */
static void sync_submit(struct blk_engine *e, struct blk_io *io)
{
    ssize_t n;

    do
        n = io->to_guest ? preadv(e->fd, io->iov, (int)io->nr_iov, io->off)
                         : pwritev(e->fd, io->iov, (int)io->nr_iov, io->off);
    while (n < 0 && errno == EINTR);
    io->res = n < 0 ? -errno : (int)n;
    io->next = NULL;
    *e->done_tail = io;
    e->done_tail = &io->next;
    e->in_flight++;
}

static struct blk_io *sync_reap(struct blk_engine *e, bool wait)
{
    struct blk_io *io = e->done;

    (void)wait;
    if (!io)
        return NULL;
    e->done = io->next;
    if (!e->done)
        e->done_tail = &e->done;
    e->in_flight--;
    return io;
}

static void sync_close(struct blk_engine *e)
{
    (void)e;
}

const struct blk_engine_ops blk_engine_sync = {
    .name = "sync",
    .open = sync_open,
    .submit = sync_submit,
    .reap = sync_reap,
    .close = sync_close,
};
