/* SPDX-License-Identifier: MIT */
/* xs_serve.c: a test host serving a XenStore on a UNIX socket, with a fake
 * domain 1 "guest". */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "pvhv.h"
#include "core/xenstore/xenstore.h"
#include "host/loop.h"

static const uint8_t guest_uuid[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
                                       0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
                                       0xcc, 0xdd, 0xee, 0xff};

/* Waits until stdin closes or SIGTERM/SIGINT arrives (blocked in main). */
static void wait_for_end(const sigset_t *sigs)
{
    struct pollfd p[2] = {
        {.fd = STDIN_FILENO, .events = POLLIN},
        {.fd = signalfd(-1, sigs, SFD_CLOEXEC), .events = POLLIN}};
    char buf[256];

    for (;;) {
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            break;
        if (p[1].revents)
            break;
        if (p[0].revents && read(STDIN_FILENO, buf, sizeof(buf)) <= 0)
            break;
    }
    if (p[1].fd >= 0)
        close(p[1].fd);
}

int main(int argc, char **argv)
{
    struct pvhv_error err = {""};
    struct host_loop *loop;
    struct xenstore *xs;
    struct xenstore_socket *sock;
    sigset_t sigs;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: %s SOCKET-PATH\n", argv[0]);
        return 2;
    }
    /* Blocked before the loop's thread starts, so it inherits the mask. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    rc = host_loop_start(&loop);
    if (rc) {
        fprintf(stderr, "xs_serve: host_loop_start: %s\n", strerror(-rc));
        return 1;
    }
    rc = xenstore_create(&xs);
    if (rc) {
        fprintf(stderr, "xs_serve: xenstore_create: %s\n", strerror(-rc));
        return 1;
    }
    rc = xenstore_domain_introduce(xs, 1, "guest", guest_uuid);
    if (!rc)
        rc = xenstore_socket_start(xs, loop, argv[1], &sock, err.msg,
                                   sizeof(err.msg));
    if (rc) {
        fprintf(stderr, "xs_serve: %s\n", err.msg[0] ? err.msg : strerror(-rc));
        xenstore_destroy(xs);
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    wait_for_end(&sigs);
    xenstore_socket_stop(sock); /* unlinks the socket */
    xenstore_destroy(xs);
    host_loop_free(loop);
    return 0;
}
