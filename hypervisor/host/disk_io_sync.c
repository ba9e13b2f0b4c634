/* SPDX-License-Identifier: MIT */
/* disk_io_sync.c: a disk's transfers as preadv/pwritev, one at a time. */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>

#include "host/disk_io.h"

static int sync_open(struct disk_io_engine *e, unsigned int depth)
{
    (void)depth;
    e->done = NULL;
    e->done_tail = &e->done;
    return 0;
}

/* Done at once; reap hands it back, in submission order. */
static void sync_submit(struct disk_io_engine *e, struct disk_io *io)
{
    ssize_t n;

    do
        n = io->read ? preadv(e->fd, io->iov, (int)io->nr_iov, io->off)
                     : pwritev(e->fd, io->iov, (int)io->nr_iov, io->off);
    while (n < 0 && errno == EINTR);
    io->res = n < 0 ? -errno : (int)n;
    io->next = NULL;
    *e->done_tail = io;
    e->done_tail = &io->next;
    e->in_flight++;
}

static struct disk_io *sync_reap(struct disk_io_engine *e, bool wait)
{
    struct disk_io *io = e->done;

    (void)wait;
    if (!io)
        return NULL;
    e->done = io->next;
    if (!e->done)
        e->done_tail = &e->done;
    e->in_flight--;
    return io;
}

static void sync_close(struct disk_io_engine *e)
{
    (void)e;
}

const struct disk_io_ops disk_io_sync = {
    .name = "sync",
    .open = sync_open,
    .submit = sync_submit,
    .reap = sync_reap,
    .close = sync_close,
};
