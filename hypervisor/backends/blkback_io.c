/* SPDX-License-Identifier: MIT */
/* blkback_io.c: serving a vbd's ring: checking and doing block requests. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "backends/backend.h"
#include "backends/blkback.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/log.h"

#define SECT 512U
#define SECTS_PER_PAGE 8U

/* Whether [sector, sector + n) lies inside a disk of (sectors). */
static bool in_disk(uint64_t sector, uint64_t n, uint64_t sectors)
{
    return sector <= sectors && n <= sectors - sector;
}

static int check_segments(const struct blkif_request *req, uint64_t *nsect)
{
    uint64_t n = 0;

    for (unsigned int i = 0; i < req->nr_segments; i++) {
        const struct blkif_request_segment *s = &req->seg[i];

        if (s->first_sect > s->last_sect || s->last_sect >= SECTS_PER_PAGE)
            return BLKIF_RSP_ERROR;
        n += (uint64_t)(s->last_sect - s->first_sect) + 1;
    }
    *nsect = n;
    return BLKIF_RSP_OKAY;
}

static int check_discard(const struct blkif_request *req,
                         const struct blkback_geom *g, uint64_t *nsect)
{
    struct blkif_request_discard dr;

    memcpy(&dr, req, sizeof(dr));
    if (g->readonly || !in_disk(dr.sector_number, dr.nr_sectors, g->sectors))
        return BLKIF_RSP_ERROR;
    *nsect = dr.nr_sectors;
    return BLKIF_RSP_OKAY;
}

int blkback_check(const struct blkif_request *req, const struct blkback_geom *g,
                  uint64_t *nsect)
{
    bool writes;
    uint64_t n;

    switch (req->operation) {
    case BLKIF_OP_READ:
        writes = false;
        break;
    case BLKIF_OP_WRITE:
    case BLKIF_OP_WRITE_BARRIER:
    case BLKIF_OP_FLUSH_DISKCACHE:
        writes =
            req->operation != BLKIF_OP_FLUSH_DISKCACHE || req->nr_segments > 0;
        break;
    case BLKIF_OP_DISCARD:
        /* handle sits at the same offset in the discard layout. */
        if (req->handle != g->handle)
            return BLKIF_RSP_ERROR;
        return check_discard(req, g, nsect);
    case BLKIF_OP_RESERVED_1:
    case BLKIF_OP_INDIRECT:
        return BLKIF_RSP_EOPNOTSUPP;
    default:
        return BLKIF_RSP_ERROR;
    }
    if (req->handle != g->handle)
        return BLKIF_RSP_ERROR;
    if (req->nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST ||
        (req->nr_segments == 0 && req->operation != BLKIF_OP_FLUSH_DISKCACHE))
        return BLKIF_RSP_ERROR;
    if (writes && g->readonly)
        return BLKIF_RSP_ERROR;
    if (check_segments(req, &n) != BLKIF_RSP_OKAY)
        return BLKIF_RSP_ERROR;
    if (!in_disk(req->sector_number, n, g->sectors))
        return BLKIF_RSP_ERROR;
    *nsect = n;
    return BLKIF_RSP_OKAY;
}

static void unmap_all(struct gnttab_host_map *m, unsigned int n)
{
    while (n-- > 0)
        gnttab_host_unmap(&m[n]);
}

/*
 * Maps each segment's page (writable when we read the disk into it) and
 * builds one iovec per segment. A grant the guest did not give us fails
 * the whole request; nothing stays mapped then.
 */
static int map_segments(struct blkback *b, struct blk_io *io)
{
    const struct blkif_request *req = &io->req;

    for (unsigned int i = 0; i < req->nr_segments; i++) {
        const struct blkif_request_segment *s = &req->seg[i];

        if (gnttab_host_map(b->d, s->gref, !io->io.read, &io->m[i]) !=
            GNTST_okay) {
            gdprintk(b->d, "vbd %s: segment %u: grant %u not mappable",
                     b->dev ? b->dev->be_path : b->name, i, s->gref);
            unmap_all(io->m, i);
            return -EFAULT;
        }
        io->iov[i].iov_base = (char *)io->m[i].addr + s->first_sect * SECT;
        io->iov[i].iov_len = (size_t)(s->last_sect - s->first_sect + 1) * SECT;
    }
    io->io.nr_iov = req->nr_segments;
    return 0;
}

static int16_t do_discard(struct blkback *b, const struct blkif_request *req)
{
    struct blkif_request_discard dr;

    memcpy(&dr, req, sizeof(dr));
    if (dr.nr_sectors == 0)
        return BLKIF_RSP_OKAY;
    if (fallocate(b->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                  (off_t)(dr.sector_number * SECT),
                  (off_t)(dr.nr_sectors * SECT)) == 0)
        return BLKIF_RSP_OKAY;
    return errno == EOPNOTSUPP ? BLKIF_RSP_EOPNOTSUPP : BLKIF_RSP_ERROR;
}

/* Answers (req) with (st) in the next response slot (completion order). */
static void respond(struct blkback *b, const struct blkif_request *req,
                    int16_t st)
{
    struct blkif_back_ring *r = &b->ring;
    struct blkif_response *rsp = RING_GET_RESPONSE(r, r->rsp_prod_pvt);

    rsp->id = req->id;
    rsp->operation = req->operation;
    rsp->status = st;
    r->rsp_prod_pvt++;
}

/* A transfer the engine finished: unmap, answer, free the slot. */
static void finish(struct blkback *b, struct blk_io *io)
{
    int16_t st =
        io->io.res == (int)io->io.len ? BLKIF_RSP_OKAY : BLKIF_RSP_ERROR;

    unmap_all(io->m, io->io.nr_iov);
    respond(b, &io->req, st);
    b->free_io[b->nr_free_io++] = io;
}

/* Every completion there is; waiting for one first when (wait). */
static void reap(struct blkback *b, bool wait)
{
    struct disk_io *done;

    while ((done = b->engine.ops->reap(&b->engine, wait))) {
        finish(b, disk_io_owner(done, struct blk_io, io));
        wait = false;
    }
}

/* Everything in flight, finished and answered (before a flush). */
static void drain(struct blkback *b)
{
    while (b->engine.in_flight > 0)
        reap(b, true);
}

/* Maps a read's or write's pages; -EFAULT when a grant is refused. */
static int prepare_rw(struct blkback *b, struct blk_io *io, uint64_t nsect)
{
    io->io.read = io->req.operation == BLKIF_OP_READ;
    io->io.off = (off_t)(io->req.sector_number * SECT);
    io->io.len = (size_t)nsect * SECT;
    io->io.nr_iov = 0;
    return map_segments(b, io);
}

/* A read or write, handed to the engine (answered when it completes). */
static void start_rw(struct blkback *b, struct blk_io *io, uint64_t nsect)
{
    if (prepare_rw(b, io, nsect) < 0) {
        respond(b, &io->req, BLKIF_RSP_ERROR);
        b->free_io[b->nr_free_io++] = io;
        return;
    }
    b->engine.ops->submit(&b->engine, &io->io);
}

/*
 * Barrier and flush: what came before is finished first, then the data
 * (if any), then it is made durable; synchronous, so what comes after
 * starts only once it is answered.
 */
static int16_t do_flush(struct blkback *b, struct blk_io *io, uint64_t nsect)
{
    drain(b);
    if (io->req.nr_segments > 0) {
        if (prepare_rw(b, io, nsect) < 0)
            return BLKIF_RSP_ERROR;
        b->engine.ops->submit(&b->engine, &io->io);
        while (!b->engine.ops->reap(&b->engine, true))
            ;
        unmap_all(io->m, io->io.nr_iov);
        if (io->io.res != (int)io->io.len)
            return BLKIF_RSP_ERROR;
    }
    return fdatasync(b->fd) == 0 ? BLKIF_RSP_OKAY : BLKIF_RSP_ERROR;
}

/* One request, copied out of the ring into a free slot (io). */
static void start_request(struct blkback *b, struct blk_io *io)
{
    uint64_t nsect = 0;
    int16_t st = (int16_t)blkback_check(&io->req, &b->geom, &nsect);

    if (st == BLKIF_RSP_OKAY) {
        switch (io->req.operation) {
        case BLKIF_OP_READ:
        case BLKIF_OP_WRITE:
            start_rw(b, io, nsect);
            return;
        case BLKIF_OP_DISCARD:
            drain(b);
            st = do_discard(b, &io->req);
            break;
        default:
            st = do_flush(b, io, nsect);
            break;
        }
    }
    respond(b, &io->req, st);
    b->free_io[b->nr_free_io++] = io;
}

/*
 * Starts requests up to the producer index read once in (rp): each is
 * copied before it is looked at, so the guest cannot change it between
 * check and use. Every request not yet answered holds a ring slot, so
 * there is always a free io for it (RING_REQUEST_PROD_OVERFLOW).
 */
static void consume(struct blkback *b, RING_IDX rp)
{
    struct blkif_back_ring *r = &b->ring;

    while (r->req_cons != rp && b->nr_free_io > 0) {
        struct blk_io *io = b->free_io[--b->nr_free_io];

        RING_COPY_REQUEST(r, r->req_cons, &io->req);
        r->req_cons++;
        start_request(b, io);
    }
}

static void push(struct blkback *b)
{
    int notify;

    RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&b->ring, notify);
    if (notify) {
        evtchn_host_send(b->d, b->host_port);
    }
}

static void serve_locked(struct blkback *b)
{
    struct blkif_back_ring *r = &b->ring;
    int more = 0;

    do {
        RING_IDX rp = __atomic_load_n(&r->sring->req_prod, __ATOMIC_ACQUIRE);

        if (RING_REQUEST_PROD_OVERFLOW(r, rp)) {
            b->broken = true;
            gdprintk(b->d,
                     "vbd %s: req_prod %u is %u past the responses "
                     "(ring of %u): frontend broken, device stopped",
                     b->dev->be_path, rp, rp - r->rsp_prod_pvt, RING_SIZE(r));
            drain(b);
            push(b);
            return;
        }
        consume(b, rp);
        /* Entered in one go; what completed at once is answered now. */
        reap(b, false);
        push(b);
        if (b->engine.in_flight > 0) {
            reap(b, true);
            more = 1;
            continue;
        }
        RING_FINAL_CHECK_FOR_REQUESTS(r, more);
    } while (more);
}

void blkback_io_init(struct blkback *b)
{
    b->nr_free_io = 0;
    for (unsigned int i = BLKBACK_DEPTH; i-- > 0;) {
        b->io[i].io.iov = b->io[i].iov;
        b->free_io[b->nr_free_io++] = &b->io[i];
    }
}

void blkback_serve(void *opaque)
{
    struct blkback *b = opaque;
    char why[96];

    pthread_mutex_lock(&b->ring_lock);
    if (!b->engine.ops) {
        /* Built without blkback_attach (tests): synchronous. */
        disk_io_open(&b->engine, b->fd, BLKBACK_DEPTH, true, why, sizeof(why));
        blkback_io_init(b);
    }
    if (b->connected && !b->broken)
        serve_locked(b);
    pthread_mutex_unlock(&b->ring_lock);
}
