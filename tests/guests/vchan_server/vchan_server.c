/* SPDX-License-Identifier: MIT */
/*
 * vchan_server.c: offers vchan "stream" to the domain named peer=NAME,
 * sends it 1 MiB in odd-sized writes, then reads back the checksum the
 * client computed and compares it with its own.
 */

#include "vchan_stream.h"

static uint8_t chunk[STREAM_CHUNK + 8];

int main(void)
{
    domid_t client = stream_peer();
    uint64_t state = 0x9e3779b97f4a7c15ULL, sum = FNV_OFFSET, theirs = 0;
    size_t sent = 0, n;
    struct vchan *v;
    long rc;

    rc = vchan_server_open(STREAM_NAME, client, &v);
    if (rc < 0)
        test_abort("vchan_server_open returned %ld", rc);
    while (sent < STREAM_BYTES) {
        n = STREAM_BYTES - sent < STREAM_CHUNK ? STREAM_BYTES - sent
                                               : STREAM_CHUNK;
        stream_fill(chunk, n, &state);
        sum = fnv1a(sum, chunk, n);
        rc = vchan_write(v, chunk, n);
        if (rc != (long)n)
            test_abort("vchan_write of %zu bytes at %zu returned %ld", n, sent,
                       rc);
        sent += n;
    }
    rc = vchan_read_all(v, &theirs, sizeof(theirs));
    if (rc != sizeof(theirs))
        test_abort("reading the client's checksum returned %ld", rc);
    printf("vchan_server: sent %zu bytes, checksum %016lx, %lu "
           "notifications\n",
           sent, (unsigned long)sum, vchan_notifications(v));
    if (theirs != sum)
        test_abort("the client's checksum is %016lx", (unsigned long)theirs);
    vchan_close(v);
    puts("SUCCESS");
    return 0;
}
