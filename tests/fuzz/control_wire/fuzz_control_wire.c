/* SPDX-License-Identifier: MIT */
/* fuzz_control_wire.c: fuzz target: a message on pvhvd's control socket. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libpvctl/control_wire.h"

/*
 * Input: byte 0: bits 0-4 how many descriptors come with the message
 * (mod PVHV_CONTROL_FDS_MAX + 3: one too many included), bit 5 the
 * connection carries a console, bits 6-7 pick the reply type checked
 * below; byte 1: bit 0 forces the magic, bit 1 the version, bit 2 the
 * length (to what follows), bit 3 the status (0); then the header
 * (struct pvhv_control_hdr, zero-padded) and the payload. The message
 * goes through control_header_check and control_request_check as the
 * daemon reads it, and over a socket pair through control_send and
 * control_recv (the descriptors with it); control_reply_check reads it
 * as a client would. A request accepted must be of a request type, with
 * the payload size its type requires, its strings terminated within
 * their fields, its values in range and its descriptors those it must
 * carry; a refusal must carry a code and a message; no descriptor may
 * stay open.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct control_msg m, got;

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

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_control_wire: %s (type %u, length %u, %u fds)\n",
            what, m.hdr.type, m.hdr.length, m.nfds);
    abort();
}

static bool terminated(const char *s, size_t size)
{
    return memchr(s, '\0', size) != NULL;
}

static size_t request_size(unsigned int type)
{
    switch (type) {
    case PVHV_CONTROL_CREATE:
        return sizeof(struct pvhv_control_create);
    case PVHV_CONTROL_LIST:
        return sizeof(struct pvhv_control_list);
    case PVHV_CONTROL_SHUTDOWN:
        return sizeof(struct pvhv_control_shutdown);
    case PVHV_CONTROL_INFO:
        return 0;
    case PVHV_CONTROL_DESTROY:
    case PVHV_CONTROL_PAUSE:
    case PVHV_CONTROL_UNPAUSE:
    case PVHV_CONTROL_CONSOLE:
    case PVHV_CONTROL_DMESG:
    case PVHV_CONTROL_FIND:
        return sizeof(struct pvhv_control_select);
    default:
        return SIZE_MAX;
    }
}

/* accepted: what a request control_request_check passed must be. */
static void accepted(bool console)
{
    const struct pvhv_control_create *c = (const void *)m.payload;
    const struct pvhv_control_shutdown *sd = (const void *)m.payload;
    const struct pvhv_control_select *s = (const void *)m.payload;
    unsigned int type = m.hdr.type;

    if (m.hdr.version != PVHV_CONTROL_VERSION || m.hdr.status != 0)
        fail("a request of another version or with a status accepted");
    if (console) {
        if (type != PVHV_CONTROL_CONSOLE_DATA ||
            m.hdr.length > PVHV_CONTROL_DATA_MAX || m.nfds)
            fail("console input of a bad type, size or descriptors accepted");
        return;
    }
    if (m.hdr.length != request_size(type))
        fail("a request of an unknown type or the wrong size accepted");
    if (type == PVHV_CONTROL_CREATE) {
        if (!terminated(c->name, sizeof(c->name)) || !c->name[0] ||
            !terminated(c->xml, sizeof(c->xml)) ||
            !terminated(c->kernel, sizeof(c->kernel)) ||
            !terminated(c->cmdline, sizeof(c->cmdline)))
            fail("create with a string not terminated accepted");
        if (c->vcpus < 1 || c->vcpus > 32 || !c->memory || c->memory % 4096 ||
            c->target_memory > c->memory || c->nr_disks > 16 ||
            c->on_poweroff > 2 || c->on_reboot > 2 || c->on_crash > 2 ||
            c->exec_mode > 1 || (c->flags & ~3u))
            fail("create with a value out of range accepted");
        for (unsigned int i = 0; i < c->nr_disks; i++)
            if (!terminated(c->disks[i].vdev, sizeof(c->disks[i].vdev)) ||
                !terminated(c->disks[i].path, sizeof(c->disks[i].path)) ||
                c->disks[i].readonly > 1 || c->disks[i].block > 1)
                fail("create with a bad disk accepted");
        if (m.nfds != 1 + c->nr_disks)
            fail("create with the wrong descriptors accepted");
        return;
    }
    if (m.nfds)
        fail("descriptors with a request other than create accepted");
    if (type == PVHV_CONTROL_SHUTDOWN &&
        (sd->reason > 1 || !terminated(sd->sel.domain, 64) ||
         !sd->sel.domain[0]))
        fail("shutdown with a bad reason or domain accepted");
    if (request_size(type) == sizeof(*s) &&
        (!terminated(s->domain, sizeof(s->domain)) || !s->domain[0]))
        fail("a domain selector not terminated accepted");
}

/* round_trip: (m) sent over a socket pair and read back as it was. */
static void round_trip(bool header_ok)
{
    struct pvctl_error err = {""};
    int sv[2], rc;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        abort();
    rc = control_send(sv[0], m.hdr.type, m.hdr.status, m.payload,
                      header_ok ? m.hdr.length : 0, m.fds, m.nfds);
    if (rc != 0)
        fail("control_send failed on a socket pair");
    close(sv[0]);
    rc = control_recv(sv[1], &got, &err);
    if (rc != 0)
        fail("control_recv refused what control_send framed");
    if (got.hdr.type != m.hdr.type || got.hdr.status != m.hdr.status ||
        got.nfds != m.nfds ||
        (header_ok && (got.hdr.length != m.hdr.length ||
                       memcmp(got.payload, m.payload, m.hdr.length) != 0)))
        fail("control_recv read another message than was sent");
    control_msg_close_fds(&got);
    rc = control_recv(sv[1], &got, &err);
    if (rc != -ECONNRESET || got.nfds)
        fail("no clean end of stream after the message");
    close(sv[1]);
}

/* raw: the input's header and payload written as they are, then read. */
static void raw(const uint8_t *p, size_t n)
{
    struct pvctl_error err = {""};
    struct pvhv_control_hdr h = {0, 0, 0, 0, 0};
    bool header_ok;
    int sv[2], rc;

    memcpy(&h, p, n < sizeof(h) ? n : sizeof(h));
    header_ok = n >= sizeof(h) && control_header_check(&h, &err) == 0 &&
                n - sizeof(h) >= h.length;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        abort();
    if (n && write(sv[0], p, n) != (ssize_t)n)
        abort();
    close(sv[0]);
    memset(&err, 0, sizeof(err));
    rc = control_recv(sv[1], &got, &err);
    if (got.nfds)
        fail("control_recv left descriptors in a message");
    if (n == 0 && rc != -ECONNRESET)
        fail("an empty stream is not a clean end");
    if ((rc == 0) != header_ok)
        fail("control_recv and control_header_check disagree");
    if (rc == -EPROTO && !err.msg[0])
        fail("control_recv refused a message without saying why");
    close(sv[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned int reply_types[] = {
        PVHV_CONTROL_LIST, PVHV_CONTROL_CREATE, PVHV_CONTROL_DMESG,
        PVHV_CONTROL_INFO};
    struct pvctl_error err = {""};
    unsigned int before, nfds;
    bool console, header_ok;
    size_t left;
    int rc;

    if (size < 2)
        return 0;
    before = open_fds();
    nfds = (data[0] & 31) % (PVHV_CONTROL_FDS_MAX + 3);
    console = data[0] & 32;
    memset(&m, 0, sizeof(m));
    memcpy(&m.hdr, data + 2,
           size - 2 < sizeof(m.hdr) ? size - 2 : sizeof(m.hdr));
    left = size - 2 > sizeof(m.hdr) ? size - 2 - sizeof(m.hdr) : 0;
    if (left > sizeof(m.payload))
        left = sizeof(m.payload);
    if (data[1] & 1)
        m.hdr.magic = PVHV_CONTROL_MAGIC;
    if (data[1] & 2)
        m.hdr.version = PVHV_CONTROL_VERSION;
    if (data[1] & 4)
        m.hdr.length = (uint32_t)left;
    if (data[1] & 8)
        m.hdr.status = 0;
    raw(data + 2, size - 2);

    memset(&err, 0, sizeof(err));
    rc = control_header_check(&m.hdr, &err);
    header_ok = rc == 0;
    if (rc != 0 && (!err.msg[0] || (rc != -PVHV_CONTROL_EPROTO &&
                                    rc != -PVHV_CONTROL_ETOOBIG)))
        fail("a header refused without a message or with another code");
    if (rc == 0 && m.hdr.length > PVHV_CONTROL_MSG_MAX - sizeof(m.hdr))
        fail("a header longer than PVHV_CONTROL_MSG_MAX accepted");
    /* The payload: what came, the rest of its length zeros. */
    if (header_ok)
        memcpy(m.payload, data + 2 + sizeof(m.hdr),
               left < m.hdr.length ? left : m.hdr.length);
    /* As control_recv keeps them: PVHV_CONTROL_FDS_MAX at most. */
    for (unsigned int i = 0; i < nfds && i < PVHV_CONTROL_FDS_MAX; i++)
        if ((m.fds[m.nfds++] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
            abort();

    if (header_ok) {
        memset(&err, 0, sizeof(err));
        rc = control_request_check(&m, console, &err);
        if (rc == 0)
            accepted(console);
        else if (rc > 0 || rc <= -PVHV_CONTROL_ERRORS || !err.msg[0] ||
                 !terminated(err.msg, sizeof(err.msg)))
            fail("a request refused without a code or a message");
        memset(&err, 0, sizeof(err));
        rc = control_reply_check(&m, reply_types[data[0] >> 6], console, &err);
        if (rc == 0 && m.hdr.status == 0 &&
            m.hdr.type == (PVHV_CONTROL_LIST | PVHV_CONTROL_REPLY)) {
            const struct pvhv_control_list_reply *l = (const void *)m.payload;

            if (m.hdr.length < sizeof(*l) || l->count > PVHV_CONTROL_LIST_MAX ||
                m.hdr.length !=
                    sizeof(*l) + l->count * sizeof(struct pvhv_control_domain))
                fail("a list reply of the wrong size accepted");
        }
        if (rc == 0 &&
            (m.hdr.status > 0 || m.hdr.status <= -PVHV_CONTROL_ERRORS ||
             (m.hdr.status && m.hdr.length > PVHV_CONTROL_TEXT_MAX)))
            fail("a reply of an unknown status or a message too long "
                 "accepted");
        if (rc != 0 && (rc != -PVHV_CONTROL_EPROTO || !err.msg[0]))
            fail("a reply refused with another code or without a message");
    }
    /* One too many descriptors, where asked: control_send refuses. */
    if (nfds > PVHV_CONTROL_FDS_MAX) {
        int more[PVHV_CONTROL_FDS_MAX + 1];

        for (unsigned int i = 0; i <= PVHV_CONTROL_FDS_MAX; i++)
            more[i] = m.fds[0];
        if (control_send(STDIN_FILENO, m.hdr.type, 0, NULL, 0, more,
                         PVHV_CONTROL_FDS_MAX + 1) != -EINVAL)
            fail("control_send took too many descriptors");
    }
    round_trip(header_ok);
    control_msg_close_fds(&m);
    if (open_fds() != before)
        fail("a descriptor leaked");
    return 0;
}
