/* SPDX-License-Identifier: MIT */
/*
 * control_poke.c: a misbehaving pvhvd client for pvhvd_control.sh. Usage:
 * control_poke SOCKET MODE [FILE]. It reads the greeting, sends what MODE
 * says and prints what came back: "reply TYPE STATUS", "closed", or for
 * the modes that never read, nothing. Modes: bad-magic, too-big,
 * bad-version, unknown-type, reply-type, short, unterminated, fds-on-list,
 * half-create FILE (a create cut short, its kernel's descriptor sent, then
 * the client dies), stall (half a header, then waits), flood N (N list
 * requests, no reply read, then waits 2 s).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <fcntl.h>
#include <unistd.h>

#include "pvabi/control.h"

static int sock;

static void put(const void *buf, size_t len, int fd)
{
    union {
        char b[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    struct iovec iov = {(void *)buf, len};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

    if (fd >= 0) {
        struct cmsghdr *c;

        memset(&u, 0, sizeof(u));
        mh.msg_control = u.b;
        mh.msg_controllen = sizeof(u.b);
        c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof(int));
    }
    if (sendmsg(sock, &mh, MSG_NOSIGNAL) != (ssize_t)len)
        perror("control_poke: send");
}

static void header(unsigned int type, size_t len, uint16_t version,
                   uint32_t magic)
{
    struct pvhv_control_hdr h = {magic, version, (uint16_t)type, (uint32_t)len,
                                 0};
    put(&h, sizeof(h), -1);
}

/* answer: prints the next message's type and status, or "closed". */
static void answer(void)
{
    struct pvhv_control_hdr h;
    static char payload[PVHV_CONTROL_MSG_MAX];
    size_t got = 0;

    while (got < sizeof(h)) {
        ssize_t n = read(sock, (char *)&h + got, sizeof(h) - got);
        if (n <= 0) {
            puts("closed");
            return;
        }
        got += (size_t)n;
    }
    for (got = 0; got < h.length && got < sizeof(payload);) {
        ssize_t n = read(sock, payload + got, h.length - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    printf("reply 0x%x %d %.*s\n", h.type, h.status, h.status ? (int)got : 0,
           payload);
}

int main(int argc, char **argv)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    struct pvhv_control_select sel;
    const char *mode = argc > 2 ? argv[2] : "";

    if (argc < 3 || strlen(argv[1]) >= sizeof(a.sun_path))
        return 2;
    strcpy(a.sun_path, argv[1]);
    sock = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(sock, (struct sockaddr *)&a, sizeof(a)) != 0) {
        perror("control_poke: connect");
        return 1;
    }
    answer(); /* the greeting */
    memset(&sel, 'x', sizeof(sel));
    if (!strcmp(mode, "bad-magic")) {
        header(PVHV_CONTROL_LIST, 8, PVHV_CONTROL_VERSION, 0xdeadbeef);
    } else if (!strcmp(mode, "too-big")) {
        header(PVHV_CONTROL_CREATE, 1 << 20, PVHV_CONTROL_VERSION,
               PVHV_CONTROL_MAGIC);
    } else if (!strcmp(mode, "bad-version")) {
        header(PVHV_CONTROL_INFO, 0, 9, PVHV_CONTROL_MAGIC);
    } else if (!strcmp(mode, "unknown-type")) {
        header(77, 0, PVHV_CONTROL_VERSION, PVHV_CONTROL_MAGIC);
    } else if (!strcmp(mode, "reply-type")) {
        header(PVHV_CONTROL_INFO | PVHV_CONTROL_REPLY, 0, PVHV_CONTROL_VERSION,
               PVHV_CONTROL_MAGIC);
    } else if (!strcmp(mode, "short")) {
        header(PVHV_CONTROL_LIST, 3, PVHV_CONTROL_VERSION, PVHV_CONTROL_MAGIC);
        put("abc", 3, -1);
    } else if (!strcmp(mode, "unterminated")) {
        header(PVHV_CONTROL_DESTROY, sizeof(sel), PVHV_CONTROL_VERSION,
               PVHV_CONTROL_MAGIC);
        put(&sel, sizeof(sel), -1);
    } else if (!strcmp(mode, "fds-on-list")) {
        struct pvhv_control_list l = {0, 0};
        struct pvhv_control_hdr h = {PVHV_CONTROL_MAGIC, PVHV_CONTROL_VERSION,
                                     PVHV_CONTROL_LIST, sizeof(l), 0};
        char buf[sizeof(h) + sizeof(l)];

        memcpy(buf, &h, sizeof(h));
        memcpy(buf + sizeof(h), &l, sizeof(l));
        put(buf, sizeof(buf), open("/dev/null", O_RDONLY));
    } else if (!strcmp(mode, "half-create") && argc > 3) {
        struct pvhv_control_hdr h = {PVHV_CONTROL_MAGIC, PVHV_CONTROL_VERSION,
                                     PVHV_CONTROL_CREATE,
                                     sizeof(struct pvhv_control_create), 0};
        char buf[sizeof(h) + 100] = {0};

        memcpy(buf, &h, sizeof(h));
        put(buf, sizeof(buf), open(argv[3], O_RDONLY));
        usleep(200000);
        return 0; /* gone mid-request */
    } else if (!strcmp(mode, "stall")) {
        put("\x70\x76\x68\x64", 4, -1);
        sleep(30);
        return 0;
    } else if (!strcmp(mode, "flood") && argc > 3) {
        struct pvhv_control_list l = {0, 0};
        struct pvhv_control_hdr h = {PVHV_CONTROL_MAGIC, PVHV_CONTROL_VERSION,
                                     PVHV_CONTROL_LIST, sizeof(l), 0};
        char buf[sizeof(h) + sizeof(l)];

        memcpy(buf, &h, sizeof(h));
        memcpy(buf + sizeof(h), &l, sizeof(l));
        fcntl(sock, F_SETFL, O_NONBLOCK);
        for (int i = 0; i < atoi(argv[3]); i++)
            if (send(sock, buf, sizeof(buf), MSG_NOSIGNAL) < 0)
                break; /* the daemon reads no more: our buffer is full */
        sleep(2);
        return 0;
    } else {
        return 2;
    }
    answer();
    return 0;
}
