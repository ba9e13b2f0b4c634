/* SPDX-License-Identifier: MIT */
/*
 * vchan_client.c: connects to vchan "stream" of the domain named
 * peer=NAME, reads 1 MiB and sends back its checksum, which the server
 * compares with its own.
 */

#include "../vchan_server/vchan_stream.h"

static uint8_t got[4096];

int main(void)
{
    domid_t server = stream_peer();
    uint64_t sum = FNV_OFFSET;
    size_t received = 0;
    struct vchan *v;
    long rc;

    rc = vchan_client_open(server, STREAM_NAME, monotonic_ns() + PEER_TIMEOUT,
                           &v);
    if (rc < 0)
        test_abort("vchan_client_open returned %ld", rc);
    /* Read in 4096-byte pieces, unrelated to the writer's 3000. */
    puts("BENCH start");
    while (received < STREAM_BYTES) {
        size_t n = STREAM_BYTES - received < sizeof(got)
                       ? STREAM_BYTES - received
                       : sizeof(got);

        rc = vchan_read_all(v, got, n);
        if (rc != (long)n)
            test_abort("vchan_read_all of %zu at %zu returned %ld", n, received,
                       rc);
        sum = fnv1a(sum, got, n);
        received += n;
    }
    puts("BENCH end");
    rc = vchan_write(v, &sum, sizeof(sum));
    if (rc != sizeof(sum))
        test_abort("sending the checksum returned %ld", rc);
    printf("vchan_client: received %zu bytes, checksum %016lx, %lu "
           "notifications\n",
           received, (unsigned long)sum, vchan_notifications(v));
    vchan_close(v);
    puts("SUCCESS");
    return 0;
}
