/* SPDX-License-Identifier: MIT */
/* control_wire.c: pvhvd's control messages: framing, checks, transfer. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "control_wire.h"
#include "pvabi/limits.h"

#define VARIABLE ((size_t)-1) /* checked by the type's own rule */
#define NONE ((size_t)-2)     /* never sent in that direction */

/* Each type: its name and payload sizes, request and reply. */
static const struct control_type {
    const char *name;
    size_t request;
    size_t reply;
} types[PVHV_CONTROL_TYPES] = {
    [PVHV_CONTROL_HELLO] = {"hello", NONE, sizeof(struct pvhv_control_hello)},
    [PVHV_CONTROL_CREATE] = {"create", sizeof(struct pvhv_control_create),
                             sizeof(struct pvhv_control_domain)},
    [PVHV_CONTROL_LIST] = {"list", sizeof(struct pvhv_control_list), VARIABLE},
    [PVHV_CONTROL_DESTROY] = {"destroy", sizeof(struct pvhv_control_select),
                              sizeof(struct pvhv_control_domain)},
    [PVHV_CONTROL_SHUTDOWN] = {"shutdown", sizeof(struct pvhv_control_shutdown),
                               sizeof(struct pvhv_control_domain)},
    [PVHV_CONTROL_PAUSE] = {"pause", sizeof(struct pvhv_control_select),
                            sizeof(struct pvhv_control_domain)},
    [PVHV_CONTROL_UNPAUSE] = {"unpause", sizeof(struct pvhv_control_select),
                              sizeof(struct pvhv_control_domain)},
    [PVHV_CONTROL_CONSOLE] = {"console", sizeof(struct pvhv_control_select),
                              sizeof(struct pvhv_control_domain)},
    [PVHV_CONTROL_CONSOLE_DATA] = {"console data", VARIABLE, NONE},
    [PVHV_CONTROL_CONSOLE_END] = {"console end", NONE,
                                  sizeof(struct pvhv_control_console_end)},
    [PVHV_CONTROL_DMESG] = {"dmesg", sizeof(struct pvhv_control_select),
                            VARIABLE},
    [PVHV_CONTROL_INFO] = {"info", 0, sizeof(struct pvhv_control_info)},
    [PVHV_CONTROL_FIND] = {"find", sizeof(struct pvhv_control_select),
                           sizeof(struct pvhv_control_domain)},
};

const char *control_type_name(unsigned int type)
{
    type &= ~PVHV_CONTROL_REPLY;
    return type < PVHV_CONTROL_TYPES && types[type].name ? types[type].name
                                                         : "unknown";
}

const char *control_error_name(int code)
{
    static const char *const names[] = PVHV_CONTROL_ERROR_NAMES;

    if (code < 0)
        code = -code;
    return code < PVHV_CONTROL_ERRORS ? names[code] : "unknown";
}

bool control_cstr(const char *s, size_t size)
{
    return memchr(s, '\0', size) != NULL;
}

int control_header_check(const struct pvhv_control_hdr *h,
                         struct pvctl_error *err)
{
    if (h->magic != PVHV_CONTROL_MAGIC) {
        pvctl_error_set(err,
                        "bad magic 0x%08x; allowed: 0x%08x (not a pvhvd "
                        "control message)",
                        h->magic, PVHV_CONTROL_MAGIC);
        return -PVHV_CONTROL_EPROTO;
    }
    if (h->length > PVHV_CONTROL_MSG_MAX - sizeof(*h)) {
        pvctl_error_set(err, "%s message of %u bytes; allowed: at most %zu",
                        control_type_name(h->type), h->length,
                        PVHV_CONTROL_MSG_MAX - sizeof(*h));
        return -PVHV_CONTROL_ETOOBIG;
    }
    return 0;
}

static int check_disk(const struct pvhv_control_disk *k, unsigned int i,
                      struct pvctl_error *err)
{
    if (!control_cstr(k->vdev, sizeof(k->vdev)) || k->vdev[0] == '\0' ||
        !control_cstr(k->path, sizeof(k->path))) {
        pvctl_error_set(err, "create: disk %u: vdev or path not a string", i);
        return -PVHV_CONTROL_EPROTO;
    }
    if (k->readonly > 1 || k->block > 1) {
        pvctl_error_set(err,
                        "create: disk %u: readonly %u, block %u; allowed: 0 "
                        "or 1",
                        i, k->readonly, k->block);
        return -PVHV_CONTROL_EPROTO;
    }
    return 0;
}

/* The strings of (c): each must end within its array. */
static int check_create_strings(const struct pvhv_control_create *c,
                                struct pvctl_error *err)
{
    static const struct {
        const char *what;
        size_t off, size;
    } str[] = {
        {"name", offsetof(struct pvhv_control_create, name), 64},
        {"xml", offsetof(struct pvhv_control_create, xml), 1024},
        {"kernel", offsetof(struct pvhv_control_create, kernel), 1024},
        {"cmdline", offsetof(struct pvhv_control_create, cmdline), 4096},
        {"initrd", offsetof(struct pvhv_control_create, initrd), 1024},
    };

    for (size_t i = 0; i < sizeof(str) / sizeof(str[0]); i++)
        if (!control_cstr((const char *)c + str[i].off, str[i].size)) {
            pvctl_error_set(err,
                            "create: %s is not a string of at most %zu bytes",
                            str[i].what, str[i].size - 1);
            return -PVHV_CONTROL_EPROTO;
        }
    if (c->name[0] == '\0') {
        pvctl_error_set(err, "create: empty name");
        return -PVHV_CONTROL_EPROTO;
    }
    return 0;
}

int control_create_check(const struct pvhv_control_create *c,
                         struct pvctl_error *err)
{
    int rc = check_create_strings(c, err);

    if (rc)
        return rc;
    if (c->vcpus < 1 || c->vcpus > PVHV_MAX_VCPUS || c->memory == 0 ||
        c->memory % 4096 || c->memory > PVHV_MEMORY_MAX ||
        c->target_memory % 4096 || c->target_memory > c->memory) {
        pvctl_error_set(err,
                        "create: %u vCPUs, %llu bytes of memory, target %llu; "
                        "allowed: 1 to %d vCPUs, a multiple of 4 KiB up to 1 "
                        "TiB, a target no larger",
                        c->vcpus, (unsigned long long)c->memory,
                        (unsigned long long)c->target_memory, PVHV_MAX_VCPUS);
        return -PVHV_CONTROL_EPROTO;
    }
    if (c->on_poweroff > 2 || c->on_reboot > 2 || c->on_crash > 2 ||
        c->exec_mode > 1 || (c->flags & ~7u) ||
        c->max_grant_frames > PVHV_MAX_GRANT_FRAMES ||
        c->max_event_channels > PVHV_MAX_EVENT_CHANNELS) {
        pvctl_error_set(err,
                        "create: actions %u/%u/%u, exec %u, flags 0x%x, %u "
                        "grant frames, %u event channels: out of range",
                        c->on_poweroff, c->on_reboot, c->on_crash, c->exec_mode,
                        c->flags, c->max_grant_frames, c->max_event_channels);
        return -PVHV_CONTROL_EPROTO;
    }
    if (c->nr_disks > PVHV_CONTROL_DISKS_MAX) {
        pvctl_error_set(err, "create: %u disks; allowed: at most %d",
                        c->nr_disks, PVHV_CONTROL_DISKS_MAX);
        return -PVHV_CONTROL_EPROTO;
    }
    for (unsigned int i = 0; i < c->nr_disks; i++) {
        rc = check_disk(&c->disks[i], i, err);
        if (rc)
            return rc;
    }
    return 0;
}

/* check_select: a domain selector: a string, not empty. */
static int check_select(const struct pvhv_control_select *s,
                        struct pvctl_error *err)
{
    if (!control_cstr(s->domain, sizeof(s->domain)) || !s->domain[0]) {
        pvctl_error_set(err, "domain: not a name, id or UUID of at most 63 "
                             "bytes");
        return -PVHV_CONTROL_EPROTO;
    }
    return 0;
}

/* check_payload: the rules of (type) beyond its size. */
static int check_payload(const struct control_msg *m, unsigned int type,
                         struct pvctl_error *err)
{
    const struct pvhv_control_shutdown *sd = (const void *)m->payload;
    const struct pvhv_control_create *c = (const void *)m->payload;
    unsigned int want = 0;

    if (type == PVHV_CONTROL_CREATE) {
        int rc = control_create_check(c, err);
        if (rc)
            return rc;
        want = 1 + c->nr_disks + (c->initrd[0] != '\0');
    }
    if (m->nfds != want) {
        pvctl_error_set(err, "%s: %u descriptors; allowed: %u",
                        control_type_name(type), m->nfds, want);
        return -PVHV_CONTROL_EPROTO;
    }
    if (type == PVHV_CONTROL_SHUTDOWN && sd->reason > 1) {
        pvctl_error_set(err,
                        "shutdown: reason %u; allowed: 0 (poweroff), "
                        "1 (reboot)",
                        sd->reason);
        return -PVHV_CONTROL_EPROTO;
    }
    if (types[type].request == sizeof(struct pvhv_control_select) ||
        type == PVHV_CONTROL_SHUTDOWN)
        return check_select((const void *)m->payload, err);
    return 0;
}

int control_request_check(const struct control_msg *m, bool console,
                          struct pvctl_error *err)
{
    unsigned int type = m->hdr.type;
    size_t want;

    if (m->hdr.version != PVHV_CONTROL_VERSION) {
        pvctl_error_set(err, "protocol version %u; this daemon speaks %d",
                        m->hdr.version, PVHV_CONTROL_VERSION);
        return -PVHV_CONTROL_EVERSION;
    }
    if (type >= PVHV_CONTROL_TYPES || !types[type].name) {
        pvctl_error_set(err, "message type %u%s is not a request", type,
                        type & PVHV_CONTROL_REPLY ? " (a reply)" : "");
        return type & PVHV_CONTROL_REPLY ? -PVHV_CONTROL_EORDER
                                         : -PVHV_CONTROL_ETYPE;
    }
    want = types[type].request;
    if (want == NONE || console != (type == PVHV_CONTROL_CONSOLE_DATA) ||
        m->hdr.status != 0) {
        pvctl_error_set(err, "a %s request is not in order %s",
                        types[type].name, console ? "on a console" : "here");
        return -PVHV_CONTROL_EORDER;
    }
    if (want == VARIABLE ? m->hdr.length > PVHV_CONTROL_DATA_MAX
                         : m->hdr.length != want) {
        pvctl_error_set(
            err, "%s request of %u bytes; allowed: %s%zu", types[type].name,
            m->hdr.length, want == VARIABLE ? "at most " : "",
            want == VARIABLE ? (size_t)PVHV_CONTROL_DATA_MAX : want);
        return -PVHV_CONTROL_EPROTO;
    }
    return check_payload(m, type, err);
}

int control_reply_check(const struct control_msg *m, unsigned int type,
                        bool console, struct pvctl_error *err)
{
    unsigned int got = m->hdr.type & ~PVHV_CONTROL_REPLY;
    const struct pvhv_control_list_reply *l = (const void *)m->payload;
    size_t want;

    if (m->hdr.version != PVHV_CONTROL_VERSION || m->nfds) {
        pvctl_error_set(err,
                        "reply of protocol version %u with %u "
                        "descriptors; allowed: version %d, none",
                        m->hdr.version, m->nfds, PVHV_CONTROL_VERSION);
        return -PVHV_CONTROL_EPROTO;
    }
    if (console && (m->hdr.type == PVHV_CONTROL_CONSOLE_DATA ||
                    m->hdr.type == PVHV_CONTROL_CONSOLE_END))
        got = type = m->hdr.type;
    else if (!(m->hdr.type & PVHV_CONTROL_REPLY) || got != type) {
        pvctl_error_set(err, "a %s message, where the %s reply was due",
                        control_type_name(m->hdr.type),
                        control_type_name(type));
        return -PVHV_CONTROL_EPROTO;
    }
    if (m->hdr.status > 0 || m->hdr.status <= -PVHV_CONTROL_ERRORS) {
        pvctl_error_set(err, "%s reply of status %d; allowed: 0 or -1 to -%d",
                        control_type_name(got), m->hdr.status,
                        PVHV_CONTROL_ERRORS - 1);
        return -PVHV_CONTROL_EPROTO;
    }
    if (m->hdr.status != 0 && m->hdr.length > PVHV_CONTROL_TEXT_MAX) {
        pvctl_error_set(err,
                        "%s error reply of %u bytes; allowed: a message of at "
                        "most %d",
                        control_type_name(got), m->hdr.length,
                        PVHV_CONTROL_TEXT_MAX);
        return -PVHV_CONTROL_EPROTO;
    }
    if (m->hdr.status != 0)
        return 0;
    want = types[got].reply;
    if (got == PVHV_CONTROL_LIST)
        want = m->hdr.length < sizeof(*l) || l->count > PVHV_CONTROL_LIST_MAX
                   ? 0
                   : sizeof(*l) + l->count * sizeof(l->domains[0]);
    else if (want == VARIABLE || type == PVHV_CONTROL_CONSOLE_DATA)
        want = m->hdr.length;
    if (m->hdr.length != want || want == NONE || want == 0) {
        if (want == m->hdr.length && got != PVHV_CONTROL_LIST)
            return 0; /* an empty text or data */
        pvctl_error_set(err, "%s reply of %u bytes; expected %zu",
                        control_type_name(got), m->hdr.length, want);
        return -PVHV_CONTROL_EPROTO;
    }
    return 0;
}

struct pvhv_control_hdr control_header(unsigned int type, int status,
                                       size_t length)
{
    return (struct pvhv_control_hdr){
        .magic = PVHV_CONTROL_MAGIC,
        .version = PVHV_CONTROL_VERSION,
        .type = (uint16_t)type,
        .length = (uint32_t)length,
        .status = status,
    };
}

int control_send(int sock, unsigned int type, int status, const void *payload,
                 size_t len, const int *fds, unsigned int nfds)
{
    struct pvhv_control_hdr h = control_header(type, status, len);
    union {
        char buf[CMSG_SPACE(sizeof(int) * PVHV_CONTROL_FDS_MAX)];
        struct cmsghdr align;
    } u;
    struct iovec iov[2] = {{&h, sizeof(h)}, {(void *)payload, len}};
    struct msghdr mh = {.msg_iov = iov, .msg_iovlen = len ? 2 : 1};
    size_t left = sizeof(h) + len;

    if (nfds > PVHV_CONTROL_FDS_MAX)
        return -EINVAL;
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
    while (left > 0) {
        ssize_t n = sendmsg(sock, &mh, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        left -= (size_t)n;
        mh.msg_control = NULL; /* the descriptors went with the first byte */
        mh.msg_controllen = 0;
        while (n > 0 && mh.msg_iovlen > 0) {
            size_t take = (size_t)n < mh.msg_iov->iov_len ? (size_t)n
                                                          : mh.msg_iov->iov_len;
            mh.msg_iov->iov_base = (char *)mh.msg_iov->iov_base + take;
            mh.msg_iov->iov_len -= take;
            n -= (ssize_t)take;
            if (mh.msg_iov->iov_len == 0) {
                mh.msg_iov++;
                mh.msg_iovlen--;
            }
        }
    }
    return 0;
}

void control_msg_close_fds(struct control_msg *m)
{
    for (unsigned int i = 0; i < m->nfds; i++)
        close(m->fds[i]);
    m->nfds = 0;
}

/* take_fds: the descriptors of (mh) into (m); extra ones are closed. */
static int take_fds(struct msghdr *mh, struct control_msg *m)
{
    int rc = 0;

    for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
        size_t n;

        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < n; i++) {
            int fd;

            memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
            if (m->nfds < PVHV_CONTROL_FDS_MAX)
                m->fds[m->nfds++] = fd;
            else {
                close(fd);
                rc = -EPROTO;
            }
        }
    }
    if (mh->msg_flags & MSG_CTRUNC)
        rc = -EPROTO;
    return rc;
}

/* read_full: (len) bytes into (buf), descriptors into (m). */
static int read_full(int sock, void *buf, size_t len, struct control_msg *m)
{
    union {
        char buf[CMSG_SPACE(sizeof(int) * PVHV_CONTROL_FDS_MAX)];
        struct cmsghdr align;
    } u;
    size_t done = 0;
    int rc = 0;

    while (done < len) {
        struct iovec iov = {(char *)buf + done, len - done};
        struct msghdr mh = {.msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = u.buf,
                            .msg_controllen = sizeof(u.buf)};
        ssize_t n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            return done == 0 ? -ECONNRESET : -EPROTO;
        if (take_fds(&mh, m) < 0)
            rc = -EPROTO;
        done += (size_t)n;
    }
    return rc;
}

int control_recv(int sock, struct control_msg *m, struct pvctl_error *err)
{
    int rc;

    m->nfds = 0;
    rc = read_full(sock, &m->hdr, sizeof(m->hdr), m);
    if (rc == 0 && control_header_check(&m->hdr, err) != 0)
        rc = -EPROTO;
    if (rc == 0 && m->hdr.length)
        rc = read_full(sock, m->payload, m->hdr.length, m);
    if (rc == -EPROTO && !err->msg[0])
        pvctl_error_set(err, "a truncated message, or too many descriptors");
    if (rc < 0)
        control_msg_close_fds(m);
    return rc;
}
