/* SPDX-License-Identifier: MIT */
/* fuzz_xenstore_socket.c: fuzz target: a dom0 client on the XenStore socket. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <linux/sockios.h>

#include "pvabi/xs_wire.h"
#include "pvhv.h"
#include "core/xenstore/xenstore.h"
#include "host/loop.h"

/*
 * Each input gets a fresh store (domain 1 introduced) served on a UNIX
 * socket by the real socket.c on a host loop, and one client, privileged
 * as every socket client is. Input: byte 0 picks how the rest is cut (a
 * rotation of the piece sizes below), byte 1 how the client reads (bit 0:
 * only when it must, leaving replies unread as long as the server takes
 * requests; bits 1-4: the stream is sent 1 + that many times), the rest
 * is the xs_wire stream. The client sends one piece, then waits until the
 * server has read it (SIOCOUTQ: nothing left unread in the socket), so
 * every cut is a separate read on the server's side: headers and
 * payloads split anywhere. A message the stream leaves unfinished is
 * padded with zeros; after the stream, a last request is sent, whose
 * reply means the server served everything before it. A header with a
 * payload over XENSTORE_PAYLOAD_MAX ends the stream: the server must
 * close the connection. Replies are checked for sane framing.
 */
#define SENTINEL_ID 0xfffffffeu
#define WAIT_S 10 /* a server silent this long is stuck: abort */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const size_t pieces[] = {1, 5, 16, 3, 17, 200, 15, 1000, 2, 4096};

struct client {
    int fd;
    struct xsd_sockmsg hdr;
    size_t hdr_got, pay_left;
    bool done, closed;
    char buf[65536];
};

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void stuck(const char *what)
{
    fprintf(stderr, "fuzz_xenstore_socket: the server is stuck %s\n", what);
    abort();
}

/* Parses what arrived; marks the sentinel's reply and the end of stream. */
static void absorb(struct client *c, const char *p, size_t n)
{
    for (; n; n--, p++) {
        if (c->pay_left) {
            c->pay_left--;
            continue;
        }
        ((char *)&c->hdr)[c->hdr_got++] = *p;
        if (c->hdr_got < sizeof(c->hdr))
            continue;
        c->hdr_got = 0;
        if (c->hdr.len > XENSTORE_PAYLOAD_MAX || c->hdr.type >= XS_TYPE_COUNT) {
            fprintf(stderr, "reply of type %u with %u bytes\n", c->hdr.type,
                    c->hdr.len);
            abort();
        }
        c->pay_left = c->hdr.len;
        if (c->hdr.req_id == SENTINEL_ID && c->hdr.type == XS_GET_DOMAIN_PATH)
            c->done = true;
    }
}

/* Reads what is there (waiting up to (ms)); false at end of stream. */
static bool drain(struct client *c, int ms)
{
    struct pollfd pf = {.fd = c->fd, .events = POLLIN};
    ssize_t n;

    if (poll(&pf, 1, ms) <= 0)
        return true;
    while ((n = recv(c->fd, c->buf, sizeof(c->buf), MSG_DONTWAIT)) > 0)
        absorb(c, c->buf, (size_t)n);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        c->closed = true;
    return !c->closed;
}

/* Sends (len) bytes, reading replies when the socket is full. */
static void send_piece(struct client *c, const uint8_t *p, size_t len)
{
    double end = now() + WAIT_S;

    while (len && !c->closed) {
        ssize_t n = send(c->fd, p, len, MSG_DONTWAIT | MSG_NOSIGNAL);

        if (n > 0) {
            p += n;
            len -= (size_t)n;
        } else if (n < 0 && errno == EAGAIN) {
            drain(c, 1);
        } else {
            c->closed = true;
        }
        if (now() > end)
            stuck("taking a request");
    }
}

/* Waits until the server read everything sent; reads replies meanwhile. */
static void wait_read(struct client *c, bool lazy)
{
    double end = now() + WAIT_S;
    int unread, spins = 0;

    while (!c->closed && ioctl(c->fd, SIOCOUTQ, &unread) == 0 && unread) {
        if (!lazy || ++spins > 100)
            drain(c, 0);
        sched_yield();
        if (now() > end)
            stuck("reading a request");
    }
    if (!lazy)
        drain(c, 0);
}

/*
 * The stream to send, in (out): (data) up to a header announcing too
 * much, else whole, the last message padded. Returns its length and
 * whether it ends with a bad header, in (*bad).
 */
static size_t frame(const uint8_t *data, size_t size, uint8_t *out, bool *bad)
{
    size_t off = 0;
    struct xsd_sockmsg h;

    *bad = false;
    memcpy(out, data, size);
    while (off < size) {
        memset(&h, 0, sizeof(h));
        memcpy(&h, data + off, size - off < sizeof(h) ? size - off : sizeof(h));
        if (h.len > XENSTORE_PAYLOAD_MAX) {
            *bad = true;
            off += sizeof(h);
            if (off > size)
                memset(out + size, 0, off - size);
            return off;
        }
        off += sizeof(h) + h.len;
    }
    memset(out + size, 0, off - size);
    return off;
}

static void run_client(const char *path, const uint8_t *data, size_t size)
{
    static struct client c;
    static uint8_t stream[(1 << 20) + 8192];
    struct xsd_sockmsg s = {XS_GET_DOMAIN_PATH, SENTINEL_ID, 0, 2};
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    size_t len, rot = data[0] % (sizeof(pieces) / sizeof(pieces[0]));
    bool lazy = data[1] & 1, bad;
    unsigned int reps = 1 + ((data[1] >> 1) & 15);
    double end;

    memset(&c, 0, sizeof(c));
    if (size - 2 > (1 << 20))
        return;
    len = frame(data + 2, size - 2, stream, &bad);
    strcpy(sa.sun_path, path);
    c.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c.fd < 0 || connect(c.fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
        abort();
    for (unsigned int r = 0; r < (bad ? 1 : reps) && !c.closed; r++) {
        for (size_t off = 0, i = rot; off < len && !c.closed; i++) {
            size_t n = pieces[i % (sizeof(pieces) / sizeof(pieces[0]))];

            n = n < len - off ? n : len - off;
            send_piece(&c, stream + off, n);
            wait_read(&c, lazy);
            off += n;
        }
    }
    if (!bad) {
        send_piece(&c, (const uint8_t *)&s, sizeof(s));
        send_piece(&c, (const uint8_t *)"0", 2);
    }
    /* The sentinel's reply, or (after a bad header) the end of stream. */
    for (end = now() + WAIT_S; !c.closed && !(c.done && !bad);)
        if (!drain(&c, 10) || now() > end)
            break;
    if (!c.closed && !c.done)
        stuck(bad ? "with a connection it should close" : "serving");
    close(c.fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t uuid[16] = {0xf0, 0x22};
    static char dir[] = "/tmp/fuzz_xenstore_socket.XXXXXX", path[64];
    struct pvhv_error err = {""};
    struct host_loop *loop;
    struct xenstore *xs;
    struct xenstore_socket *sock;

    if (size < 2)
        return 0;
    if (!path[0]) {
        if (!mkdtemp(dir))
            abort();
        snprintf(path, sizeof(path), "%s/sock", dir);
    }
    if (host_loop_start(&loop) != 0 || xenstore_create(&xs) != 0 ||
        xenstore_domain_introduce(xs, 1, "fuzz", uuid) != 0 ||
        xenstore_socket_start(xs, loop, path, &sock, err.msg,
                              sizeof(err.msg)) != 0) {
        fprintf(stderr, "fuzz_xenstore_socket: %s\n", err.msg);
        abort();
    }
    run_client(path, data, size);
    xenstore_socket_stop(sock); /* unlinks the socket */
    xenstore_destroy(xs);
    host_loop_free(loop);
    return 0;
}
