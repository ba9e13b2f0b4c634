/* SPDX-License-Identifier: MIT */
/* io/blkif.h: the PV block device protocol (vbd): ring, requests, keys. */
#ifndef PVABI_IO_BLKIF_H
#define PVABI_IO_BLKIF_H

#include <stdint.h>
#include "ring.h"
#include "../grant_table.h"

/*
 * A virtual block device (vbd) is a frontend in the guest and a backend in
 * domain 0 (pvhv serves it in the hypervisor process) talking through one
 * ring page (io/ring.h) and one event channel, found through XenStore.
 *
 * XenStore keys. <D> the guest's domid, <devid> the device id (below):
 *
 *   Frontend: /local/domain/<D>/device/vbd/<devid>/   (guest-owned)
 *     backend        [tools] path of the backend directory
 *     backend-id     [tools] domid of the backend ("0")
 *     state          [GST]   enum xenbus_state (io/xenbus.h)
 *     ring-ref       [GST]   grant ref of the ring page, granted to the
 *                            backend domain
 *     event-channel  [GST]   port the guest allocated unbound for the
 *                            backend domain (EVTCHNOP_alloc_unbound)
 *     protocol       [GST]   ABI of the requests: XEN_IO_PROTO_ABI_X86_64
 *
 *   Backend: /local/domain/0/backend/vbd/<D>/<devid>/  (guest may read)
 *     frontend, frontend-id  [tools] the frontend directory and domid
 *     state          [HV]    enum xenbus_state
 *     params, type, mode     [tools] backing file, "file", "r" or "w"
 *     feature-flush-cache    [HV] "1": BLKIF_OP_FLUSH_DISKCACHE works
 *     feature-barrier        [HV] "1": BLKIF_OP_WRITE_BARRIER works
 *     feature-discard        [HV] "1": BLKIF_OP_DISCARD works
 *     sectors        [HV]    disk size in 512-byte sectors (on Connected)
 *     sector-size    [HV]    logical sector size in bytes (512)
 *     info           [HV]    VDISK_* flags
 *
 * Device id of a "xvd<letter>" disk (the Linux/Xen rule for major 202):
 * devid = (202 << 8) | (disk << 4), disk = 0 for xvda, 1 for xvdb ...
 * (xvda 51712, xvdb 51728); partitions use the low 4 bits.
 *
 * Handshake (XenbusState numbers in io/xenbus.h):
 *   1. tools create both directories, both states Initialising (1);
 *   2. backend opens the disk, publishes feature-* and goes InitWait (2);
 *   3. frontend: SHARED_RING_INIT, grants the page, allocates the port,
 *      writes ring-ref, event-channel, protocol, then Initialised (3)
 *      (Mini-OS style frontends go straight to Connected (4));
 *   4. backend maps the ring, binds the port, publishes sectors, info,
 *      sector-size and goes Connected (4);
 *   5. frontend reads them and goes Connected (4);
 *   close: either side Closing (5), then Closed (6) once the other has
 *   seen it; the backend then unmaps the ring and unbinds the port.
 *
 * I/O: the frontend puts a struct blkif_request in a slot; each segment
 * names a granted page and the 512-byte sectors [first_sect, last_sect]
 * inside it; sector_number counts 512-byte sectors from the disk's start
 * whatever sector-size says. The backend answers with a struct
 * blkif_response carrying the same id and operation.
 */

typedef uint16_t blkif_vdev_t;
typedef uint64_t blkif_sector_t;

/* The ABI string for "protocol" (Xen's io/protocols.h). */
#ifndef XEN_IO_PROTO_ABI_X86_64
#define XEN_IO_PROTO_ABI_X86_64 "x86_64-abi"
#endif

/* Sector numbers and first_sect/last_sect count 512-byte units (pvabi). */
#define BLKIF_SECTOR_SIZE 512

/*
 * Operations (blkif_request.operation):
 *   BLKIF_OP_READ            read sectors into the segments' pages
 *   BLKIF_OP_WRITE           write the segments' pages to the disk
 *   BLKIF_OP_WRITE_BARRIER   write, ordered after all earlier writes and
 *                            durable (needs feature-barrier)
 *   BLKIF_OP_FLUSH_DISKCACHE make completed writes durable; nr_segments
 *                            may be 0 (needs feature-flush-cache)
 *   BLKIF_OP_RESERVED_1      never used
 *   BLKIF_OP_DISCARD         struct blkif_request_discard (feature-discard)
 *   BLKIF_OP_INDIRECT        struct blkif_request_indirect
 *                            (feature-max-indirect-segments)
 */
#define BLKIF_OP_READ 0
#define BLKIF_OP_WRITE 1
#define BLKIF_OP_WRITE_BARRIER 2
#define BLKIF_OP_FLUSH_DISKCACHE 3
#define BLKIF_OP_RESERVED_1 4
#define BLKIF_OP_DISCARD 5
#define BLKIF_OP_INDIRECT 6

/* Segments in one direct request: 11 pages, 44 KiB. */
#define BLKIF_MAX_SEGMENTS_PER_REQUEST 11
/* Pages of segment descriptors one indirect request may name. */
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST 8

/* One page of a request: sectors first_sect..last_sect (0..7) of gref. */
struct blkif_request_segment {
    grant_ref_t gref;
    uint8_t first_sect, last_sect;
};

/* A read, write, barrier or flush request: 112 bytes. [GST] */
struct blkif_request {
    uint8_t operation;            /* BLKIF_OP_* */
    uint8_t nr_segments;          /* 1..BLKIF_MAX_SEGMENTS_PER_REQUEST */
    blkif_vdev_t handle;          /* the device's vdev (low 16 bits of devid) */
    uint64_t id;                  /* the frontend's, echoed in the response */
    blkif_sector_t sector_number; /* first 512-byte sector on the disk */
    struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};

/* BLKIF_OP_DISCARD: forget nr_sectors from sector_number. [GST] */
struct blkif_request_discard {
    uint8_t operation; /* BLKIF_OP_DISCARD */
    uint8_t flag;      /* BLKIF_DISCARD_SECURE or 0 */
#define BLKIF_DISCARD_SECURE (1 << 0)
    blkif_vdev_t handle;
    uint64_t id;
    blkif_sector_t sector_number;
    uint64_t nr_sectors;
};

/* BLKIF_OP_INDIRECT: segments listed in up to 8 granted pages. [GST] */
struct blkif_request_indirect {
    uint8_t operation;   /* BLKIF_OP_INDIRECT */
    uint8_t indirect_op; /* BLKIF_OP_READ or BLKIF_OP_WRITE */
    uint16_t nr_segments;
    uint64_t id;
    blkif_sector_t sector_number;
    blkif_vdev_t handle;
    grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
};

/* The answer to one request: 16 bytes. [HV] */
struct blkif_response {
    uint64_t id;       /* copied from the request */
    uint8_t operation; /* copied from the request */
    int16_t status;    /* BLKIF_RSP_* */
};

/* blkif_response.status */
#define BLKIF_RSP_EOPNOTSUPP -2 /* operation not supported */
#define BLKIF_RSP_ERROR -1      /* bad request or I/O error */
#define BLKIF_RSP_OKAY 0

/* "info" flags. */
#define VDISK_CDROM 0x1
#define VDISK_REMOVABLE 0x2
#define VDISK_READONLY 0x4

/* struct blkif_sring, blkif_front_ring, blkif_back_ring: 32 slots a page. */
DEFINE_RING_TYPES(blkif, struct blkif_request, struct blkif_response);

#endif /* PVABI_IO_BLKIF_H */
