/* SPDX-License-Identifier: MIT */
/* fuzz_blkif.c: fuzz target: a frontend's blkif ring, served by blkback against
 * a real disk file. */
#define _GNU_SOURCE /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../fuzz_domain.h"
#include "backends/backend.h"
#include "backends/blkback.h"
#include "pvabi/io/blkif.h"

/*
 * The input is what a frontend controls: byte 0 sets the disk up (bit 0:
 * read-only; bits 1-7: the handle's low bits, which requests must repeat
 * as 51712 | bits), then up to one page is the shared ring (struct
 * blkif_sring: req_prod, req_event, the 32 request slots ...) at guest
 * frame 1, and the four bytes after it, if any, a second req_prod to
 * serve after the first pass (a frontend queueing more, or lying). The
 * disk is a memfd of DISK_SECTORS sectors; segment grant refs 0 ... 15
 * are granted to domain 0 (odd ones read-only), so reads and writes move
 * real bytes between the file and guest pages. After each pass every
 * request taken must have been answered in its slot, and no grant left
 * mapped.
 */
#define DISK_SECTORS 64
#define RING_GPA 0x1000ULL
#define HANDLE_BASE 51712 /* xvda */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore(void *opaque)
{
    (void)opaque;
}

static int disk_fd(void)
{
    static int fd = -1;

    if (fd < 0) {
        fd = memfd_create("fuzz-blkif-disk", MFD_CLOEXEC);
        if (fd < 0 || ftruncate(fd, DISK_SECTORS * 512) < 0)
            abort();
    }
    return fd;
}

/* Every request consumed was answered, with a status blkback gives. */
static void check_answers(const struct blkback *b)
{
    const struct blkif_back_ring *r = &b->ring;

    if (!b->broken && r->rsp_prod_pvt != r->req_cons) {
        fprintf(stderr, "fuzz: %u requests taken, %u answered\n", r->req_cons,
                r->rsp_prod_pvt);
        abort();
    }
    for (RING_IDX i = 0; i < r->rsp_prod_pvt && i < RING_SIZE(r); i++) {
        int16_t st = r->sring->ring[i].rsp.status;

        if (st != BLKIF_RSP_OKAY && st != BLKIF_RSP_ERROR &&
            st != BLKIF_RSP_EOPNOTSUPP) {
            fprintf(stderr, "fuzz: response %u has status %d\n", i, st);
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_world w;
    struct xenbus_dev dev;
    struct blkback b;
    static char name[] = "fuzz.img";
    evtchn_port_t guest_port;
    uint32_t prod2;

    if (size < 1)
        return 0;
    fuzz_world_init(&w);
    memset(&dev, 0, sizeof(dev));
    memset(&b, 0, sizeof(b));
    snprintf(dev.be_path, sizeof(dev.be_path),
             "/local/domain/0/backend/vbd/1/%u", HANDLE_BASE);
    b.d = w.guest;
    b.dev = &dev;
    b.fd = disk_fd();
    b.name = name;
    b.geom.sectors = DISK_SECTORS;
    b.geom.handle = (uint16_t)(HANDLE_BASE | (data[0] >> 1));
    b.geom.readonly = data[0] & 1;
    pthread_mutex_init(&b.ring_lock, NULL);
    if (evtchn_host_bind(w.guest, ignore, NULL, &guest_port, &b.host_port))
        abort();

    uint8_t *page = w.guest->ram.host + RING_GPA;
    size_t n = size - 1 < 4096 ? size - 1 : 4096;
    memcpy(page, data + 1, n);
    BACK_RING_INIT(&b.ring, (struct blkif_sring *)page, 4096);
    b.connected = true;
    blkback_serve(&b);
    check_answers(&b);
    fuzz_no_grant_in_use(w.guest);
    if (size >= 1 + 4096 + 4) {
        memcpy(&prod2, data + 1 + 4096, 4);
        __atomic_store_n(&b.ring.sring->req_prod, prod2, __ATOMIC_RELEASE);
        blkback_serve(&b);
        check_answers(&b);
        fuzz_no_grant_in_use(w.guest);
    }

    evtchn_host_close(w.guest, b.host_port);
    pthread_mutex_destroy(&b.ring_lock);
    fuzz_world_fini(&w);
    return 0;
}
