/* SPDX-License-Identifier: MIT */
/* blkback_io.c: serving a vbd's ring: checking and doing block requests. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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

int blkback_check(const struct blkif_request *req,
                  const struct blkback_geom *g, uint64_t *nsect)
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
        writes = req->operation != BLKIF_OP_FLUSH_DISKCACHE ||
                 req->nr_segments > 0;
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
        (req->nr_segments == 0 &&
         req->operation != BLKIF_OP_FLUSH_DISKCACHE))
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
static int map_segments(struct blkback *b, const struct blkif_request *req,
                        bool to_guest, struct gnttab_host_map *m,
                        struct iovec *iov)
{
    for (unsigned int i = 0; i < req->nr_segments; i++) {
        const struct blkif_request_segment *s = &req->seg[i];

        if (gnttab_host_map(b->d, s->gref, !to_guest, &m[i]) != GNTST_okay) {
            gdprintk(b->d, "vbd %s: segment %u: grant %u not mappable",
                     b->dev ? b->dev->be_path : b->name, i, s->gref);
            unmap_all(m, i);
            return -EFAULT;
        }
        iov[i].iov_base = (char *)m[i].addr + s->first_sect * SECT;
        iov[i].iov_len = (size_t)(s->last_sect - s->first_sect + 1) * SECT;
    }
    return 0;
}

/* Whole-transfer preadv/pwritev: anything short is an I/O error. */
static int transfer(int fd, bool to_guest, struct iovec *iov, int cnt,
                    off_t off, size_t len)
{
    ssize_t n;

    do {
        n = to_guest ? preadv(fd, iov, cnt, off) : pwritev(fd, iov, cnt, off);
    } while (n < 0 && errno == EINTR);
    return n == (ssize_t)len ? 0 : -EIO;
}

static int16_t do_rw(struct blkback *b, const struct blkif_request *req,
                     uint64_t nsect)
{
    struct gnttab_host_map m[BLKIF_MAX_SEGMENTS_PER_REQUEST];
    struct iovec iov[BLKIF_MAX_SEGMENTS_PER_REQUEST];
    bool to_guest = req->operation == BLKIF_OP_READ;
    int rc;

    if (map_segments(b, req, to_guest, m, iov) < 0)
        return BLKIF_RSP_ERROR;
    rc = transfer(b->fd, to_guest, iov, req->nr_segments,
                  (off_t)(req->sector_number * SECT), nsect * SECT);
    unmap_all(m, req->nr_segments);
    return rc < 0 ? BLKIF_RSP_ERROR : BLKIF_RSP_OKAY;
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

/* One request, already copied out of the ring. */
static int16_t handle_request(struct blkback *b,
                              const struct blkif_request *req)
{
    uint64_t nsect = 0;
    int16_t st = (int16_t)blkback_check(req, &b->geom, &nsect);

    if (st != BLKIF_RSP_OKAY)
        return st;
    switch (req->operation) {
    case BLKIF_OP_DISCARD:
        return do_discard(b, req);
    case BLKIF_OP_READ:
    case BLKIF_OP_WRITE:
        return do_rw(b, req, nsect);
    default:
        /* Barrier and flush: the data (if any), then make it durable.
         * Earlier requests are complete already: we serve in order. */
        if (req->nr_segments > 0 && do_rw(b, req, nsect) != BLKIF_RSP_OKAY)
            return BLKIF_RSP_ERROR;
        return fdatasync(b->fd) == 0 ? BLKIF_RSP_OKAY : BLKIF_RSP_ERROR;
    }
}

/*
 * Consumes requests up to the producer index read once in (rp): each is
 * copied before it is looked at, so the guest cannot change it between
 * check and use, and answered in the slot it came from.
 */
static void consume(struct blkback *b, RING_IDX rp)
{
    struct blkif_back_ring *r = &b->ring;

    while (r->req_cons != rp) {
        struct blkif_request req;
        struct blkif_response *rsp;
        int16_t st;

        RING_COPY_REQUEST(r, r->req_cons, &req);
        r->req_cons++;
        st = handle_request(b, &req);
        rsp = RING_GET_RESPONSE(r, r->rsp_prod_pvt);
        rsp->id = req.id;
        rsp->operation = req.operation;
        rsp->status = st;
        r->rsp_prod_pvt++;
    }
}

static void serve_locked(struct blkback *b)
{
    struct blkif_back_ring *r = &b->ring;
    int more, notify;

    do {
        RING_IDX rp = __atomic_load_n(&r->sring->req_prod, __ATOMIC_ACQUIRE);

        if (RING_REQUEST_PROD_OVERFLOW(r, rp)) {
            b->broken = true;
            gdprintk(b->d, "vbd %s: req_prod %u is %u past the responses "
                     "(ring of %u): frontend broken, device stopped",
                     b->dev->be_path, rp, rp - r->rsp_prod_pvt, RING_SIZE(r));
            return;
        }
        consume(b, rp);
        RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(r, notify);
        if (notify)
            evtchn_host_send(b->d, b->host_port);
        RING_FINAL_CHECK_FOR_REQUESTS(r, more);
    } while (more);
}

void blkback_serve(void *opaque)
{
    struct blkback *b = opaque;

    pthread_mutex_lock(&b->ring_lock);
    if (b->connected && !b->broken)
        serve_locked(b);
    pthread_mutex_unlock(&b->ring_lock);
}
