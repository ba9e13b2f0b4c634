/* SPDX-License-Identifier: MIT */
/* fuzz_control_socket.c: fuzz target: a client's bytes on pvhvd's socket. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/sockios.h>

/* pvhvd's own reading of its clients, whole, and its epoll set; its
 * loop is below. */
#include "daemon/client.c"
#include "daemon/loop.c"

/*
 * Each input gets a fresh daemon's state (struct server: an epoll set,
 * a manager on one hypervisor instance made once) and two clients on
 * UNIX socket pairs, accepted by the real client_accept (SO_PEERCRED:
 * this process, root or not, is allowed: the group is its own). Input:
 * byte 0 picks how the rest is cut (a rotation of the piece sizes
 * below), byte 1 which pieces carry descriptors (bit i of it for piece i
 * mod 8: 1 + (i mod 3) of /dev/null, 20 on the piece after a bit 7), the
 * rest is the stream of client A. Each piece is sent, then the daemon's
 * loop (client_event, as server.c dispatches it) runs until it has read
 * every byte or stopped reading, and A reads what came. A model of the
 * daemon's framing says what must happen: one reply per whole message
 * (none for a bad magic), the connection closed after a bad magic, a
 * length over PVHV_CONTROL_MSG_MAX or more descriptors than a request
 * may carry, and open otherwise. Every reply must be framed as
 * control.h says. At the end client B must still be served (INFO), and
 * once both are gone no client, descriptor or request part may remain.
 * Without /dev/kvm the daemon is "stopping", so CREATE is refused.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FDS_PER_PIECE 3
#define WAIT_S 10

static const size_t pieces[] = {1, 16, 5, 3, 17, 200, 15, 1000, 2, 4096, 24};

static struct server sv;
static struct pvhv *hv;
static bool set_up;

/* What the rest of the daemon (log.c, console.c, server.c) gives client.c. */
void log_say(int level, const char *fmt, ...)
{
    va_list ap;

    (void)level;
    if (!getenv("FUZZ_VERBOSE"))
        return;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void reap(struct server *s)
{
    (void)s; /* no domain is ever made: every kernel is /dev/null */
}

static const struct client_ops fuzz_client_ops = {.closed = reap};

bool console_attach(struct consoles *cs, struct console_reader *r,
                    struct mdom *md, const struct console_ops *ops, void *arg)
{
    (void)cs, (void)r, (void)md, (void)ops, (void)arg;
    abort(); /* no domain exists to attach to */
}

void console_detach(struct consoles *cs, struct console_reader *r)
{
    (void)cs;
    r->md = NULL;
}

bool console_pump(struct console_reader *r)
{
    (void)r;
    return true;
}

void console_input(struct console_reader *r, const char *buf, size_t len)
{
    (void)r, (void)buf, (void)len;
}

/* A client's end: what it read of the daemon's replies. */
struct peer {
    int fd;
    bool closed;
    unsigned int replies; /* besides the hello */
    bool hello;
    struct pvhv_control_hdr hdr;
    size_t hdr_got, pay_left;
    uint8_t buf[65536];
};

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_control_socket: %s\n", what);
    abort();
}

static unsigned int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    unsigned int n = 0;

    if (!d)
        abort();
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

/* absorb: the daemon's bytes, framed and checked. */
static void absorb(struct peer *p, const uint8_t *b, size_t n)
{
    for (; n; n--, b++) {
        if (p->pay_left) {
            p->pay_left--;
            continue;
        }
        ((uint8_t *)&p->hdr)[p->hdr_got++] = *b;
        if (p->hdr_got < sizeof(p->hdr))
            continue;
        p->hdr_got = 0;
        if (p->hdr.magic != PVHV_CONTROL_MAGIC ||
            p->hdr.version != PVHV_CONTROL_VERSION ||
            p->hdr.length > PVHV_CONTROL_MSG_MAX - sizeof(p->hdr) ||
            p->hdr.status > 0 || p->hdr.status <= -PVHV_CONTROL_ERRORS ||
            (p->hdr.status &&
             (!p->hdr.length || p->hdr.length > PVHV_CONTROL_TEXT_MAX)))
            fail("a reply framed against control.h");
        if (!p->hello) {
            if (p->hdr.type != PVHV_CONTROL_HELLO || p->hdr.status)
                fail("no hello first");
            p->hello = true;
        } else if (!(p->hdr.type & PVHV_CONTROL_REPLY)) {
            fail("a message that is not a reply");
        } else {
            p->replies++;
        }
        p->pay_left = p->hdr.length;
    }
}

static void drain(struct peer *p)
{
    ssize_t n;

    while (!p->closed &&
           (n = recv(p->fd, p->buf, sizeof(p->buf), MSG_DONTWAIT)) != 0) {
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        if (n < 0)
            break;
        absorb(p, p->buf, (size_t)n);
    }
    p->closed = true;
}

/* run: the daemon's loop until it has nothing more to do now. */
static void run(struct peer *a, struct peer *b)
{
    struct epoll_event ev[8];
    int n, idle = 0;

    while (idle < 2) {
        n = epoll_wait(sv.epfd, ev, 8, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            abort();
        for (int i = 0; i < n; i++) {
            struct tag *t = ev[i].data.ptr;

            if (t->kind != TAG_CLIENT)
                abort();
            client_event(&sv, t->ptr, ev[i].events);
        }
        drain(a);
        drain(b);
        idle = n ? 0 : idle + 1;
    }
}

/* unread: bytes (p) sent that the daemon has not read. */
static int unread(struct peer *p)
{
    int q = 0;

    if (p->closed || ioctl(p->fd, SIOCOUTQ, &q) != 0)
        return 0;
    return q;
}

/* send_piece: (len) bytes with (nfds) descriptors on the first. */
static void send_piece(struct peer *a, struct peer *b, const uint8_t *p,
                       size_t len, unsigned int nfds)
{
    union {
        char buf[CMSG_SPACE(sizeof(int) * 32)];
        struct cmsghdr align;
    } u;
    int fds[32];
    time_t end = time(NULL) + WAIT_S;

    for (unsigned int i = 0; i < nfds; i++)
        if ((fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
            abort();
    while (len && !a->closed) {
        struct iovec iov = {(void *)p, len};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
        ssize_t n;

        if (nfds) {
            struct cmsghdr *c;

            memset(&u, 0, sizeof(u));
            mh.msg_control = u.buf;
            mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
            c = CMSG_FIRSTHDR(&mh);
            c->cmsg_level = SOL_SOCKET;
            c->cmsg_type = SCM_RIGHTS;
            c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
            memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
        }
        n = sendmsg(a->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
            for (unsigned int i = 0; i < nfds; i++)
                close(fds[i]);
            nfds = 0;
        } else if (n < 0 && errno == EAGAIN) {
            run(a, b);
            if (time(NULL) > end)
                fail("the daemon reads nothing more of a client");
        } else {
            a->closed = true; /* the daemon closed it */
        }
    }
    for (unsigned int i = 0; i < nfds; i++)
        close(fds[i]);
    run(a, b);
}

/* The model: what the daemon must do with the stream. */
struct model {
    size_t at, need; /* header or payload bytes still due */
    struct pvhv_control_hdr hdr;
    size_t hdr_got;
    unsigned int whole, fds; /* messages whole; descriptors of this one */
    bool close, open_ended;  /* closes; a reply then closes */
};

static void model_fds(struct model *m, unsigned int n)
{
    if (!m->close)
        m->fds += n;
}

static void model(struct model *m, const uint8_t *b, size_t n)
{
    for (; n && !m->close; n--, b++) {
        if (m->need) {
            if (--m->need == 0)
                goto whole;
            continue;
        }
        ((uint8_t *)&m->hdr)[m->hdr_got++] = *b;
        if (m->hdr_got < sizeof(m->hdr))
            continue;
        m->hdr_got = 0;
        if (m->hdr.magic != PVHV_CONTROL_MAGIC) {
            m->close = true; /* no reply */
            return;
        }
        if (m->hdr.length > PVHV_CONTROL_MSG_MAX - sizeof(m->hdr)) {
            m->whole++; /* ETOOBIG, then closed */
            m->close = true;
            return;
        }
        m->need = m->hdr.length;
        if (m->need)
            continue;
    whole:
        m->whole++;
        if (m->fds > PVHV_CONTROL_FDS_MAX) {
            m->close = true;
            return;
        }
        m->fds = 0;
    }
}

static void new_client(struct peer *p)
{
    int pair[2];

    memset(p, 0, offsetof(struct peer, buf));
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
        abort();
    fcntl(pair[1], F_SETFL, O_NONBLOCK);
    p->fd = pair[0];
    client_accept(&sv, pair[1]);
}

static void setup(void)
{
    struct pvhv_error err = {""};
    struct manager_opts mo = {0};

    if (set_up)
        return;
    set_up = true;
    if (access("/dev/kvm", R_OK | W_OK) != 0 || pvhv_open(&hv, &err) < 0)
        hv = NULL;
    sv.o.group = "fuzz";
    sv.o.max_clients = 4;
    sv.gid = getgid(); /* this process is allowed, root or not */
    sv.client_ops = &fuzz_client_ops;
    sv.hv = hv;
    mo.hv = hv;
    sv.m = manager_new(&mo);
    if (!sv.m)
        abort();
    sv.srv.m = sv.m;
    sv.srv.hv = hv;
    sv.srv.own_fds = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct peer a, b;
    struct model m = {0};
    unsigned int before, i = 0;
    size_t off = 2;
    uint8_t cut, fdbits;

    if (size < 2)
        return 0;
    setup();
    before = open_fds();
    cut = data[0];
    fdbits = data[1];
    sv.epfd = epoll_create1(EPOLL_CLOEXEC);
    sv.stopping = hv == NULL;
    if (sv.epfd < 0)
        abort();
    new_client(&a);
    new_client(&b);
    run(&a, &b);
    if (!a.hello || !b.hello)
        fail("a client allowed got no hello");
    for (; off < size && !a.closed; i++) {
        size_t len = pieces[(cut + i) % (sizeof(pieces) / sizeof(pieces[0]))];
        unsigned int nfds = 0;

        if (len > size - off)
            len = size - off;
        if (fdbits & (1u << (i % 8)))
            nfds = 1 + i % FDS_PER_PIECE;
        if (i && (fdbits & 0x80) && ((i - 1) % 8) == 7)
            nfds = 20;
        model_fds(&m, nfds);
        model(&m, data + off, len);
        send_piece(&a, &b, data + off, len, nfds);
        off += len;
        if (unread(&a) && !m.close)
            fail("the daemon left a client's bytes unread");
    }
    run(&a, &b);
    if (m.close != a.closed)
        fail(m.close ? "the daemon kept a connection it must close"
                     : "the daemon closed a connection it must keep");
    if (a.replies != m.whole)
        fail("not one reply per whole request");
    /* The other client is still served. */
    {
        struct pvhv_control_hdr h = control_header(PVHV_CONTROL_INFO, 0, 0);
        unsigned int had = b.replies;

        if (send(b.fd, &h, sizeof(h), MSG_NOSIGNAL) != sizeof(h))
            fail("the other client was closed");
        run(&a, &b);
        if (b.replies != had + 1 || b.closed || b.hdr_got || b.pay_left ||
            b.hdr.status ||
            b.hdr.type != (PVHV_CONTROL_INFO | PVHV_CONTROL_REPLY))
            fail("the other client is not served");
    }
    close(a.fd);
    close(b.fd);
    a.closed = b.closed = true;
    run(&a, &b);
    if (sv.clients || sv.nclients)
        fail("a client stayed after its peer closed");
    close(sv.epfd);
    if (open_fds() != before)
        fail("a descriptor leaked");
    return 0;
}
