/* SPDX-License-Identifier: MIT */
/* fuzz_control_serve.c: fuzz target: requests served by pvhvd's manager. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "libpvctl/control_serve.h"
#include "libpvctl/control_wire.h"
#include "libpvctl/manager.h"
#include "pvhv.h"

/*
 * Each input gets a fresh manager (libpvctl/manager.c) on one hypervisor
 * instance (made once; without /dev/kvm, CREATE records are skipped) and
 * is a list of records of 3 bytes, 48 at most: type, arg, extra. The
 * record becomes a request of type (type % 16: unknown types, replies
 * and daemon-only types included), checked by control_request_check and
 * served by control_serve as pvhvd does (a refusal answered by
 * control_reply_error); ended domains are reaped after each, as pvhvd
 * does. arg picks the domain named: bits 0-1 which of four ("d0" ...
 * "d3"), bits 2-3 by name, by id (its current boot's, or one unused), by
 * UUID, or a name that never exists; bits 4-5: 1 leaves the name
 * unterminated, 2 makes the payload a byte short, 3 sends one descriptor
 * too many. extra: LIST's start; SHUTDOWN's reason (extra % 3: 2 is out
 * of range); CREATE's flags (bits 0-1: paused, console), its kernel
 * (bits 2-3: the lifecycle test guest, an ELF cut short, /dev/null, no
 * descriptor), bits 4-5 (1: 2 vCPUs, 2: no memory, 3: on_poweroff
 * preserve), bit 6 a disk (xvda, a 1 MiB memfd; bit 7: read-only). At
 * most 3 domains run at once. Every reply must be well
 * formed (its type the request's, a known status, the payload size of
 * its type, an error's message) and read by control_reply_check as a
 * client reads it; at the end a LIST must list every record, and once
 * they are destroyed no descriptor may stay open.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RECORDS 48
#define MAX_DOMAINS 3
#define WAIT_S 20

static struct pvhv *hv;
static bool hv_tried;
static int guest_fd = -1; /* the lifecycle guest's ELF, when built */
static struct control_msg q, got;
static struct control_reply r;

static void fail(const char *what)
{
    fprintf(stderr,
            "fuzz_control_serve: %s (request %u, reply status %d, %zu "
            "bytes: %.*s)\n",
            what, q.hdr.type, r.status, r.len, r.status ? (int)r.len : 0,
            (const char *)r.payload);
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

static void quiet(void *opaque, bool status, const char *text)
{
    (void)opaque, (void)status, (void)text;
}

static void setup(void)
{
    struct pvhv_error err = {""};
    const char *dir = getenv("GUESTS");
    char path[4096];

    if (hv_tried)
        return;
    hv_tried = true;
    if (access("/dev/kvm", R_OK | W_OK) != 0 || pvhv_open(&hv, &err) < 0) {
        fprintf(stderr,
                "fuzz_control_serve: no hypervisor (%s): CREATE "
                "records are skipped\n",
                err.msg[0] ? err.msg : "no /dev/kvm");
        hv = NULL;
    }
    snprintf(path, sizeof(path), "%s/lifecycle/lifecycle.elf",
             dir ? dir : FUZZ_GUESTS_DIR);
    guest_fd = open(path, O_RDONLY | O_CLOEXEC);
    if (guest_fd < 0)
        fprintf(stderr, "fuzz_control_serve: no %s: kernels are cut ones\n",
                path);
}

/* A kernel: the guest (dup), the first 100 bytes of it or of "\177ELF". */
static int kernel_fd(unsigned int kind)
{
    static const char elf[] = "\177ELF\2\1\1";
    char buf[100] = {0};
    int fd;

    if (kind == 0 && guest_fd >= 0)
        return fcntl(guest_fd, F_DUPFD_CLOEXEC, 3);
    if (kind == 2)
        return open("/dev/null", O_RDONLY | O_CLOEXEC);
    fd = memfd_create("kernel", MFD_CLOEXEC);
    if (fd < 0)
        abort();
    if (guest_fd < 0 || pread(guest_fd, buf, sizeof(buf), 0) < 0)
        memcpy(buf, elf, sizeof(elf));
    if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
        abort();
    return fd;
}

/* A domain's selector: (arg) as the top comment says. */
static void selector(struct manager *m, uint8_t arg, char out[64])
{
    unsigned int which = arg & 3;
    char name[8];
    struct mdom *md;

    snprintf(name, sizeof(name), "d%u", which);
    md = manager_find(m, name);
    switch ((arg >> 2) & 3) {
    case 0:
        snprintf(out, 64, "%s", name);
        break;
    case 1:
        snprintf(out, 64, "%u", md ? mdom_id(md) : 1000 + which);
        break;
    case 2:
        snprintf(out, 64, "00000000-0000-4000-8000-%012x", 0x100 + which);
        break;
    default:
        snprintf(out, 64, "no-such-domain-%u", which);
        break;
    }
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
    case PVHV_CONTROL_HELLO:
    case PVHV_CONTROL_CONSOLE_END:
        return 0;
    case PVHV_CONTROL_CONSOLE_DATA:
        return 5;
    default:
        return sizeof(struct pvhv_control_select);
    }
}

/* build: the request of one record into (q). False: skip it. */
static bool build(struct manager *m, const uint8_t *rec, unsigned int running)
{
    unsigned int type = rec[0] % 16, bad = (rec[1] >> 4) & 3;
    uint8_t extra = rec[2];
    char *sel = (char *)q.payload;

    memset(&q, 0, sizeof(q));
    q.hdr = control_header(type, 0, request_size(type));
    if (type == PVHV_CONTROL_SHUTDOWN) {
        struct pvhv_control_shutdown *s = (void *)q.payload;

        s->reason = extra % 3;
    } else if (type == PVHV_CONTROL_LIST) {
        ((struct pvhv_control_list *)q.payload)->start = extra;
    } else if (type == PVHV_CONTROL_CREATE) {
        struct pvhv_control_create *c = (void *)q.payload;
        unsigned int kind = (extra >> 2) & 3, which = rec[1] & 3;

        if (!hv || running >= MAX_DOMAINS)
            return false;
        snprintf(c->name, sizeof(c->name), "d%u", which);
        memset(c->uuid, 0, 16);
        c->uuid[6] = 0x40;
        c->uuid[8] = 0x80;
        c->uuid[14] = 0x01;
        c->uuid[15] = (uint8_t)which;
        c->memory = (extra >> 4) == 2 ? 0 : 4 << 20;
        c->vcpus = (extra >> 4) == 1 ? 2 : 1;
        c->flags = extra & 3;
        c->on_poweroff = (extra >> 4) == 3 ? PVHV_CONTROL_ACTION_PRESERVE : 0;
        snprintf(c->xml, sizeof(c->xml), "fuzz-d%u.xml", which);
        snprintf(c->kernel, sizeof(c->kernel), "lifecycle.elf");
        if (kind != 3) {
            q.fds[0] = kernel_fd(kind);
            q.nfds = q.fds[0] >= 0;
        }
        if ((extra & 0x40) && q.nfds == 1) {
            struct pvhv_control_disk *k = &c->disks[0];

            c->nr_disks = 1;
            snprintf(k->vdev, sizeof(k->vdev), "xvda");
            snprintf(k->path, sizeof(k->path), "fuzz.img");
            k->readonly = (extra >> 7) & 1;
            q.fds[1] = memfd_create("disk", MFD_CLOEXEC);
            if (q.fds[1] < 0 || ftruncate(q.fds[1], 1 << 20) != 0)
                abort();
            q.nfds = 2;
        }
        sel = c->name;
    }
    if (request_size(type) == sizeof(struct pvhv_control_select))
        selector(m, rec[1], sel);
    else if (type == PVHV_CONTROL_SHUTDOWN)
        selector(m, rec[1],
                 ((struct pvhv_control_shutdown *)q.payload)->sel.domain);
    if (bad == 1 && type != PVHV_CONTROL_CREATE)
        memset(q.payload, 'x', 64);
    else if (bad == 1)
        memset(((struct pvhv_control_create *)q.payload)->cmdline, 'x', 4096);
    else if (bad == 2 && q.hdr.length)
        q.hdr.length--;
    else if (bad == 3 && q.nfds < PVHV_CONTROL_FDS_MAX)
        if ((q.fds[q.nfds] = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
            q.nfds++;
    return true;
}

static bool terminated(const char *s, size_t size)
{
    return memchr(s, '\0', size) != NULL;
}

static void check_domain(const struct pvhv_control_domain *d)
{
    if (!terminated(d->name, sizeof(d->name)) || !d->name[0] ||
        !terminated(d->end, sizeof(d->end)) ||
        !terminated(d->kernel, sizeof(d->kernel)) ||
        !terminated(d->cmdline, sizeof(d->cmdline)) ||
        d->state >= PVHV_CONTROL_STATES || d->vcpus < 1 || d->vcpus > 32)
        fail("a domain described with a bad string or value");
}

/* check_reply: (r), the answer to (q), well formed. */
static void check_reply(unsigned int type)
{
    struct pvctl_error err = {""};

    if (r.type != (type | PVHV_CONTROL_REPLY))
        fail("a reply of another type");
    if (r.status > 0 || r.status <= -PVHV_CONTROL_ERRORS)
        fail("a reply of an unknown status");
    if (r.status) {
        if (r.len == 0 || r.len > PVHV_CONTROL_TEXT_MAX ||
            memchr(r.payload, '\0', r.len))
            fail("an error without a message, or a message too long");
        if (r.console)
            fail("an error that carries a console");
    } else if (type == PVHV_CONTROL_LIST) {
        const struct pvhv_control_list_reply *l = (const void *)r.payload;

        if (r.len < sizeof(*l) || l->count > PVHV_CONTROL_LIST_MAX ||
            r.len != sizeof(*l) + l->count * sizeof(l->domains[0]))
            fail("a list of the wrong size");
        for (unsigned int i = 0; i < l->count; i++)
            check_domain(&l->domains[i]);
    } else if (type == PVHV_CONTROL_INFO) {
        const struct pvhv_control_info *i = (const void *)r.payload;

        if (r.len != sizeof(*i) || !terminated(i->version, 32) ||
            !terminated(i->native_why, 256))
            fail("info of the wrong size or with a bad string");
    } else if (type == PVHV_CONTROL_DMESG) {
        if (r.len > sizeof(r.payload))
            fail("dmesg longer than a message");
    } else {
        if (r.len != sizeof(struct pvhv_control_domain))
            fail("a domain reply of the wrong size");
        check_domain((const void *)r.payload);
    }
    if (r.console && type != PVHV_CONTROL_CONSOLE &&
        type != PVHV_CONTROL_CREATE)
        fail("a console from a request that does not attach one");
    /* As the client reads it. */
    memset(&got, 0, sizeof(got));
    got.hdr = control_header(r.type, r.status, r.len);
    memcpy(got.payload, r.payload, r.len);
    if (type < PVHV_CONTROL_TYPES && type != PVHV_CONTROL_HELLO &&
        type != PVHV_CONTROL_CONSOLE_DATA && type != PVHV_CONTROL_CONSOLE_END &&
        control_reply_check(&got, type, false, &err) != 0)
        fail("a reply the client refuses");
}

static bool reap_one(void *ctx, struct mdom *md)
{
    struct manager *m = ctx;

    if (mdom_done(md))
        manager_remove(m, md);
    return true;
}

static bool destroy_one(void *ctx, struct mdom *md)
{
    (void)ctx;
    mdom_destroy(md);
    return true;
}

static bool count_one(void *ctx, struct mdom *md)
{
    (void)md;
    ++*(unsigned int *)ctx;
    return true;
}

/* serve: (q) checked and served as pvhvd's client.c serve() does. */
static void serve(struct control_server *srv)
{
    struct pvctl_error err = {""};
    unsigned int type = q.hdr.type;
    int rc = control_request_check(&q, false, &err);

    memset(&r, 0, sizeof(r));
    if (rc)
        control_reply_error(&r, type, rc, "%s", err.msg);
    else
        control_serve(srv, &q, &r);
    control_msg_close_fds(&q);
    if (getenv("FUZZ_VERBOSE"))
        fprintf(stderr, "%s: status %d, %zu bytes%s%.*s\n",
                control_type_name(type), r.status, r.len, r.status ? ": " : "",
                r.status ? (int)r.len : 0, (const char *)r.payload);
    check_reply(type);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct manager_opts mo = {
        .max_restarts = 2,
        .console_buffer = 4096,
        .log_buffer = 4096,
        .say = quiet,
    };
    struct control_server srv = {0};
    unsigned int before, n = 0, records = 0;
    time_t end;

    setup();
    before = open_fds();
    mo.hv = hv;
    srv.m = manager_new(&mo);
    srv.hv = hv;
    srv.own_fds = true;
    if (!srv.m)
        abort();
    for (size_t off = 0; off + 3 <= size && records < MAX_RECORDS;
         off += 3, records++) {
        unsigned int running = manager_count(srv.m);

        if (!build(srv.m, data + off, running))
            continue;
        serve(&srv);
        manager_each(srv.m, 0, reap_one, srv.m);
    }
    /* The manager still serves: LIST lists every record. */
    memset(&q, 0, sizeof(q));
    q.hdr =
        control_header(PVHV_CONTROL_LIST, 0, sizeof(struct pvhv_control_list));
    serve(&srv);
    manager_each(srv.m, 0, count_one, &n);
    if (r.status || ((struct pvhv_control_list_reply *)r.payload)->count != n)
        fail("the final list does not list every record");
    /* Every record destroyed, its thread ended, freed. */
    manager_each(srv.m, 0, destroy_one, NULL);
    end = time(NULL) + WAIT_S;
    while (manager_count(srv.m)) {
        manager_each(srv.m, 0, reap_one, srv.m);
        if (manager_count(srv.m) && time(NULL) > end)
            fail("a destroyed domain's thread did not end");
        if (manager_count(srv.m))
            usleep(1000);
    }
    manager_free(srv.m);
    if (open_fds() != before)
        fail("a descriptor leaked");
    return 0;
}
