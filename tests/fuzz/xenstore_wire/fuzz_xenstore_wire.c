/* SPDX-License-Identifier: MIT */
/* fuzz_xenstore_wire.c: fuzz target: the input as the bytes a guest sends to
 * XenStore. */
#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>

#include "core/xenstore/xenstore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The peer takes all output and drops it. */
static ssize_t discard(void *opaque, const void *buf, size_t len)
{
    (void)opaque;
    (void)buf;
    return (ssize_t)len;
}

static const struct xenstore_conn_ops discard_ops = {.write = discard};

/*
 * The input arrives in pieces of 1, 5, 13 and 17 bytes, then 1000 at a
 * time: the first cuts fall inside the 16-byte header and the payload of
 * the first message, as a ring's wrap or a short read would cut them.
 */
static const size_t chunks[] = {1, 5, 13, 17};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t uuid[16] = {0xf0, 0x22};
    struct xenstore *xs;
    struct xenstore_conn *conn;
    size_t off = 0;

    if (xenstore_create(&xs) != 0)
        abort();
    /* Domain 1 as the toolstack introduces a guest: its home exists. */
    if (xenstore_domain_introduce(xs, 1, "fuzz", uuid) != 0)
        abort();
    conn = xenstore_conn_new(xs, 1, false, &discard_ops, NULL);
    if (!conn)
        abort();
    for (unsigned int i = 0; off < size; i++) {
        size_t n = i < sizeof(chunks) / sizeof(chunks[0]) ? chunks[i] : 1000;

        if (n > size - off)
            n = size - off;
        /* A protocol error: the transport drops the connection. */
        if (xenstore_conn_input(conn, data + off, n) < 0)
            break;
        off += n;
    }
    xenstore_conn_free(conn);
    xenstore_domain_release(xs, 1);
    xenstore_destroy(xs);
    return 0;
}
