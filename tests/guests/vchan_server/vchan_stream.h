/* SPDX-License-Identifier: MIT */
/* vchan_stream.h: the data vchan_server sends and both sides checksum. */
#ifndef PVHV_TESTS_GUESTS_VCHAN_STREAM_H
#define PVHV_TESTS_GUESTS_VCHAN_STREAM_H

#include "../testguest.h"

#define STREAM_NAME "stream"
#define STREAM_BYTES (1024 * 1024)
#define STREAM_CHUNK 3000 /* not a divisor of the ring sizes; 8 | 3000 */
#define PEER_TIMEOUT (30 * NSEC_PER_SEC)

/* The bytes: xorshift64 output, 8 bytes a step, from a fixed seed. */
static inline uint64_t stream_next(uint64_t *state)
{
    uint64_t x = *state;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

static inline void stream_fill(uint8_t *buf, size_t len, uint64_t *state)
{
    uint64_t w;
    size_t i;

    /* Whole words by a copy of constant size: a move, not a call. */
    for (i = 0; i + 8 <= len; i += 8) {
        w = stream_next(state);
        memcpy(buf + i, &w, 8);
    }
    if (i < len) {
        w = stream_next(state);
        memcpy(buf + i, &w, len - i);
    }
}

/*
 * FNV-1a's steps over 8-byte words rather than bytes: (len) is a multiple
 * of 8. Eight times fewer steps matter where KVM emulates every guest
 * instruction.
 */
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static inline uint64_t fnv1a(uint64_t h, const uint8_t *p, size_t len)
{
    uint64_t w;
    size_t i;

    for (i = 0; i + 8 <= len; i += 8) {
        memcpy(&w, p + i, 8);
        h = (h ^ w) * FNV_PRIME;
    }
    return h;
}

/* The domid of the domain named on the command line as peer=NAME. */
static inline domid_t stream_peer(void)
{
    char peer[64];
    int rc;

    if (pvguest_cmdline_get("peer", peer, sizeof(peer)) <= 0)
        test_abort("usage: peer=<the other domain's name>");
    rc = xenbus_find_domain(peer, monotonic_ns() + PEER_TIMEOUT);
    if (rc < 0)
        test_abort("no domain named '%s': %d", peer, rc);
    printf("ok: peer '%s' is domain %d\n", peer, rc);
    return (domid_t)rc;
}

#endif /* PVHV_TESTS_GUESTS_VCHAN_STREAM_H */
