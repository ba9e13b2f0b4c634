/* SPDX-License-Identifier: MIT */
/* xenbus.c: the XenStore ring client: requests, replies, watches, transactions.
 */

#include "internal.h"

#define WATCH_MAX 16       /* watches this domain may hold */
#define WATCH_QUEUE 32     /* reports waiting for their callback */
#define WATCH_PATH_MAX 256 /* longest reported path we keep */
#define WATCH_TOKEN_MAX 64
#define TX_RETRIES 32

/* A piece of a request's payload. */
struct xs_part {
    const void *buf;
    size_t len;
};

struct xs_watch {
    char token[WATCH_TOKEN_MAX]; /* "" = free slot */
    xenbus_watch_fn fn;
    void *data;
};

struct xs_event {
    char path[WATCH_PATH_MAX];
    char token[WATCH_TOKEN_MAX];
};

static struct xenstore_domain_interface *ring;
static evtchn_port_t store_port;
static int store_ready;
evtchn_port_t xenbus_store_port; /* store_port once ready, for polling */

/*
 * The message being read: header first, then its payload, into rx_body
 * or, for the reply we wait for, straight into reply_body.
 */
static struct xsd_sockmsg rx_hdr;
static char rx_body[XENSTORE_PAYLOAD_MAX + 1];
static char *rx_dst;    /* where the payload goes, once the header is in */
static uint32_t rx_got; /* bytes of header + payload read so far */
static int ring_broken;
/*
 * Set by the store port's handler, or while watch reports wait: the
 * cheap test wait_until() makes on every turn before xenbus_poll().
 */
volatile int xenbus_attention;

/* The one outstanding request, and its reply once it came. */
static uint32_t next_req_id = 1;
static uint32_t want_req_id;
static int in_call;
static int reply_ready;
static struct xsd_sockmsg reply_hdr;
static char reply_body[XENSTORE_PAYLOAD_MAX + 1];

static struct xs_watch watches[WATCH_MAX];
static struct xs_event events[WATCH_QUEUE];
static unsigned int ev_head, ev_count, ev_dropped;
static int in_poll;

static const struct xsd_errors xs_errors[] = XSD_ERRORS_INIT;

int xenbus_ready(void)
{
    return store_ready;
}

/* The store answered or reported: this wakes the waiter. */
static void store_handler(evtchn_port_t port, void *data)
{
    (void)port;
    (void)data;
    xenbus_attention = 1;
}

static void ring_fail(const char *why)
{
    if (!ring_broken)
        printf("pvguest: xenbus: %s; the store ring is now unusable\n", why);
    ring_broken = 1;
}

/* Finds a watch by token; NULL if none. */
static struct xs_watch *watch_find(const char *token)
{
    unsigned int i;

    for (i = 0; i < WATCH_MAX; i++)
        if (watches[i].token[0] && strcmp(watches[i].token, token) == 0)
            return &watches[i];
    return NULL;
}

/* A complete XS_WATCH_EVENT: queue it for xenbus_poll(). */
static void queue_event(void)
{
    const char *path = rx_body, *token;
    size_t plen = strnlen(path, rx_hdr.len);
    struct xs_event *ev;

    if (plen + 1 >= rx_hdr.len)
        return; /* no token: malformed, ignore */
    token = path + plen + 1;
    if (!watch_find(token))
        return; /* a report for a watch we already cancelled */
    if (ev_count == WATCH_QUEUE || plen >= WATCH_PATH_MAX ||
        strlen(token) >= WATCH_TOKEN_MAX) {
        if (ev_dropped++ < 4)
            printf("pvguest: xenbus: dropped a watch report for %s\n", path);
        return;
    }
    ev = &events[(ev_head + ev_count++) % WATCH_QUEUE];
    memcpy(ev->path, path, plen + 1);
    memcpy(ev->token, token, strlen(token) + 1);
    xenbus_attention = 1;
}

/* The header is in: is this the reply we wait for? */
static int is_our_reply(void)
{
    return rx_hdr.type != XS_WATCH_EVENT && in_call && !reply_ready &&
           rx_hdr.req_id == want_req_id;
}

/* A complete message arrived: a reply to our request, or a watch report. */
static void message_done(void)
{
    rx_dst[rx_hdr.len] = '\0';
    if (rx_dst == reply_body) {
        reply_hdr = rx_hdr;
        reply_ready = 1;
    } else if (rx_hdr.type == XS_WATCH_EVENT) {
        queue_event();
    } else {
        printf("pvguest: xenbus: unexpected reply (type %u, req_id %u)\n",
               rx_hdr.type, rx_hdr.req_id);
    }
    rx_got = 0;
}

/* Copies (len) bytes out of the response ring starting at index (cons). */
static void ring_copy_out(void *dst, XENSTORE_RING_IDX cons, uint32_t len)
{
    uint32_t off = MASK_XENSTORE_IDX(cons);
    uint32_t first = XENSTORE_RING_SIZE - off;

    if (first >= len) {
        memcpy(dst, ring->rsp + off, len);
        return;
    }
    memcpy(dst, ring->rsp + off, first);
    memcpy((char *)dst + first, ring->rsp, len - first);
}

/*
 * Takes up to (avail) bytes of the message being read from (cons);
 * returns how many it took. A whole header at an offset that does not
 * wrap (nearly always) is two 8-byte moves.
 */
static uint32_t take(XENSTORE_RING_IDX cons, uint32_t avail)
{
    uint32_t off = MASK_XENSTORE_IDX(cons), want, n;

    if (rx_got == 0 && avail >= sizeof(rx_hdr) &&
        off <= XENSTORE_RING_SIZE - sizeof(rx_hdr)) {
        memcpy(&rx_hdr, ring->rsp + off, sizeof(rx_hdr));
        n = sizeof(rx_hdr);
    } else if (rx_got < sizeof(rx_hdr)) {
        want = sizeof(rx_hdr) - rx_got;
        n = avail < want ? avail : want;
        ring_copy_out((char *)&rx_hdr + rx_got, cons, n);
    } else {
        want = sizeof(rx_hdr) + rx_hdr.len - rx_got;
        n = avail < want ? avail : want;
        ring_copy_out(rx_dst + rx_got - sizeof(rx_hdr), cons, n);
    }
    rx_got += n;
    if (rx_got == sizeof(rx_hdr))
        rx_dst = is_our_reply() ? reply_body : rx_body;
    return n;
}

/*
 * Reads everything the store has written so far (xs_wire.h reader
 * steps): prod, read barrier, copy, full barrier, advance cons. The
 * store is told only when the ring was full: a store that had more to
 * send could only be waiting for room then (it writes what fits and
 * keeps the rest until notified), as Linux's xenbus reasons; a
 * notification is an exit, and the store answers it with an event.
 * Thread context only.
 */
static void ring_process(void)
{
    XENSTORE_RING_IDX cons, prod, start;
    uint32_t avail;

    if (!store_ready || ring_broken)
        return;
    xenbus_attention = ev_count > 0;
    start = cons = ring->rsp_cons;
    prod = __atomic_load_n(&ring->rsp_prod, __ATOMIC_ACQUIRE);
    if (prod == cons)
        return;
    if (prod - cons > XENSTORE_RING_SIZE) {
        ring_fail("response ring indexes out of range");
        return;
    }
    while ((avail = prod - cons) > 0) {
        cons += take(cons, avail);
        if (rx_got == sizeof(rx_hdr) && rx_hdr.len > XENSTORE_PAYLOAD_MAX) {
            ring_fail("the store sent a payload over 4096 bytes");
            break;
        }
        if (rx_got >= sizeof(rx_hdr) && rx_got == sizeof(rx_hdr) + rx_hdr.len)
            message_done();
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    ring->rsp_cons = cons;
    if (prod - start == XENSTORE_RING_SIZE)
        pvg_evtchn_notify(store_port);
}

/*
 * Inside a call the store port is masked (xs_talk): the store's events
 * for our own request only set its pending bit, which pvg_evtchn_wait()
 * takes, and raise no upcall: an upcall is some 90 guest instructions
 * and an injection, for a reply that is there already.
 */
static void store_wait(int (*ready)(void *arg))
{
    while (!ready(NULL))
        pvg_evtchn_wait(store_port, 0);
}

/*
 * The call is done: its events are forgotten; unread bytes (a watch
 * report that came meanwhile) are noted for xenbus_poll(); then the
 * port raises upcalls again. Clearing before unmasking keeps
 * pvg_evtchn_unmask() from asking the hypervisor to deliver a stale event.
 */
static void store_unmask(void)
{
    pvg_evtchn_clear(store_port);
    if (__atomic_load_n(&ring->rsp_prod, __ATOMIC_SEQ_CST) != ring->rsp_cons)
        xenbus_attention = 1;
    pvg_evtchn_unmask(store_port);
}

static int ring_has_room(void *arg)
{
    (void)arg;
    ring_process();
    return ring_broken || ring->req_prod - ring->req_cons < XENSTORE_RING_SIZE;
}

/*
 * Writes (len) bytes to the request ring (xs_wire.h writer steps), in as
 * many pieces as the free space allows, waiting for the store to make
 * room: a request may be larger than the ring.
 */
static int ring_write(const void *data, size_t len)
{
    const char *p = data;
    XENSTORE_RING_IDX prod;
    uint32_t off, room, n;

    while (len > 0) {
        store_wait(ring_has_room);
        if (ring_broken)
            return -XEN_EIO;
        prod = ring->req_prod;
        room = XENSTORE_RING_SIZE - (prod - ring->req_cons);
        off = MASK_XENSTORE_IDX(prod);
        n = XENSTORE_RING_SIZE - off;
        if (n > room)
            n = room;
        if (n > len)
            n = (uint32_t)len;
        memcpy(ring->req + off, p, n);
        __atomic_thread_fence(__ATOMIC_RELEASE);
        __atomic_store_n(&ring->req_prod, prod + n, __ATOMIC_RELEASE);
        pvg_evtchn_notify(store_port);
        p += n;
        len -= n;
    }
    return 0;
}

/* Copies (len) bytes into the request ring at index (prod). */
static void ring_copy_in(XENSTORE_RING_IDX prod, const void *src, uint32_t len)
{
    uint32_t off = MASK_XENSTORE_IDX(prod);
    uint32_t first = XENSTORE_RING_SIZE - off;

    if (first >= len) {
        memcpy(ring->req + off, src, len);
        return;
    }
    memcpy(ring->req + off, src, first);
    memcpy(ring->req, (const char *)src + first, len - first);
}

/*
 * Sends a request: header and parts. Where the ring has room for all of
 * it (the store empties it on each notification, so nearly always) it
 * goes in at once with one notification, one exit; else in pieces as
 * room comes (ring_write).
 */
static int ring_send(const struct xsd_sockmsg *hdr, const struct xs_part *parts,
                     unsigned int nparts)
{
    XENSTORE_RING_IDX prod = ring->req_prod, cons;
    unsigned int i;
    int rc;

    cons = __atomic_load_n(&ring->req_cons, __ATOMIC_ACQUIRE);
    if (prod - cons > XENSTORE_RING_SIZE) {
        ring_fail("request ring indexes out of range");
        return -XEN_EIO;
    }
    if (XENSTORE_RING_SIZE - (prod - cons) < sizeof(*hdr) + hdr->len) {
        rc = ring_write(hdr, sizeof(*hdr));
        for (i = 0; rc == 0 && i < nparts; i++)
            rc = ring_write(parts[i].buf, parts[i].len);
        return rc;
    }
    if (MASK_XENSTORE_IDX(prod) <= XENSTORE_RING_SIZE - sizeof(*hdr))
        memcpy(ring->req + MASK_XENSTORE_IDX(prod), hdr, sizeof(*hdr));
    else
        ring_copy_in(prod, hdr, sizeof(*hdr));
    prod += sizeof(*hdr);
    for (i = 0; i < nparts; i++) {
        ring_copy_in(prod, parts[i].buf, (uint32_t)parts[i].len);
        prod += (uint32_t)parts[i].len;
    }
    __atomic_store_n(&ring->req_prod, prod, __ATOMIC_RELEASE);
    pvg_evtchn_notify(store_port);
    return 0;
}

static int have_reply(void *arg)
{
    (void)arg;
    ring_process();
    return reply_ready || ring_broken;
}

/* Turns an XS_ERROR payload ("ENOENT") into -XEN_ENOENT. */
static int error_of(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(xs_errors) / sizeof(xs_errors[0]); i++)
        if (strcmp(name, xs_errors[i].errstring) == 0)
            return -xs_errors[i].errnum;
    printf("pvguest: xenbus: unknown error \"%s\" from the store\n", name);
    return -XEN_EIO;
}

/*
 * One request and its reply. On success the reply's payload is in
 * reply_body (NUL added) and its length in *rlen; it stays there until
 * the next call.
 */
static int xs_talk(xenbus_transaction_t t, uint32_t type,
                   const struct xs_part *parts, unsigned int nparts,
                   uint32_t *rlen)
{
    struct xsd_sockmsg hdr = {.type = type, .tx_id = t};
    unsigned int i;
    int rc = 0;

    if (!store_ready)
        return -XEN_ENOSYS;
    if (ring_broken)
        return -XEN_EIO;
    if (in_call)
        return -XEN_EBUSY; /* called from an event handler */
    for (i = 0; i < nparts; i++)
        hdr.len += parts[i].len;
    if (hdr.len > XENSTORE_PAYLOAD_MAX)
        return -XEN_E2BIG;
    in_call = 1;
    reply_ready = 0;
    hdr.req_id = want_req_id = next_req_id++;
    pvg_evtchn_mask(store_port);
    rc = ring_send(&hdr, parts, nparts);
    /* A store in the hypervisor has answered already: no sleep then. */
    if (rc == 0)
        store_wait(have_reply);
    store_unmask();
    in_call = 0;
    if (rc < 0 || ring_broken)
        return rc < 0 ? rc : -XEN_EIO;
    if (reply_hdr.type == XS_ERROR)
        return error_of(reply_body);
    if (reply_hdr.type != type) {
        printf("pvguest: xenbus: reply of type %u to a request of type %u\n",
               reply_hdr.type, type);
        return -XEN_EIO;
    }
    if (rlen)
        *rlen = reply_hdr.len;
    return 0;
}

/* A request whose payload is (path)\0 alone. */
static int xs_path_op(xenbus_transaction_t t, uint32_t type, const char *path,
                      uint32_t *rlen)
{
    struct xs_part part = {path, strlen(path) + 1};

    return xs_talk(t, type, &part, 1, rlen);
}

int xenbus_read(xenbus_transaction_t t, const char *path, char *buf, size_t len)
{
    uint32_t rlen;
    size_t n;
    int rc = xs_path_op(t, XS_READ, path, &rlen);

    if (rc < 0)
        return rc;
    n = rlen < len ? rlen : (len ? len - 1 : 0);
    if (len) {
        memcpy(buf, reply_body, n);
        buf[n] = '\0';
    }
    return rlen < len ? (int)rlen : -XEN_ENOSPC;
}

int xenbus_read_ulong(xenbus_transaction_t t, const char *path,
                      unsigned long *value)
{
    char buf[24], *end;
    int rc = xenbus_read(t, path, buf, sizeof(buf));

    if (rc < 0)
        return rc;
    if (rc == 0 || buf[0] < '0' || buf[0] > '9')
        return -XEN_EINVAL;
    *value = strtoul(buf, &end, 10);
    return *end == '\0' ? 0 : -XEN_EINVAL;
}

int xenbus_write(xenbus_transaction_t t, const char *path, const char *value)
{
    struct xs_part parts[2] = {
        {path, strlen(path) + 1},
        {value, strlen(value)},
    };

    return xs_talk(t, XS_WRITE, parts, 2, NULL);
}

int xenbus_write_ulong(xenbus_transaction_t t, const char *dir, const char *key,
                       unsigned long value)
{
    char path[XENSTORE_ABS_PATH_MAX], text[24];

    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, key) >= sizeof(path))
        return -XEN_E2BIG;
    snprintf(text, sizeof(text), "%lu", value);
    return xenbus_write(t, path, text);
}

int xenbus_directory(xenbus_transaction_t t, const char *path, char *buf,
                     size_t len)
{
    uint32_t rlen, i;
    int count = 0;
    int rc = xs_path_op(t, XS_DIRECTORY, path, &rlen);

    if (rc < 0)
        return rc;
    if (rlen > len)
        return -XEN_ENOSPC;
    memcpy(buf, reply_body, rlen);
    for (i = 0; i < rlen; i++)
        count += reply_body[i] == '\0';
    return count;
}

int xenbus_rm(xenbus_transaction_t t, const char *path)
{
    return xs_path_op(t, XS_RM, path, NULL);
}

int xenbus_mkdir(xenbus_transaction_t t, const char *path)
{
    return xs_path_op(t, XS_MKDIR, path, NULL);
}

int xenbus_set_perms(xenbus_transaction_t t, const char *path,
                     const char *const *perms, unsigned int n)
{
    struct xs_part parts[1 + 16];
    unsigned int i;

    if (n == 0 || n > 16)
        return -XEN_EINVAL;
    parts[0].buf = path;
    parts[0].len = strlen(path) + 1;
    for (i = 0; i < n; i++) {
        parts[1 + i].buf = perms[i];
        parts[1 + i].len = strlen(perms[i]) + 1;
    }
    return xs_talk(t, XS_SET_PERMS, parts, 1 + n, NULL);
}

int xenbus_watch(const char *path, const char *token, xenbus_watch_fn fn,
                 void *data)
{
    struct xs_part parts[2] = {
        {path, strlen(path) + 1},
        {token, strlen(token) + 1},
    };
    struct xs_watch *w = NULL;
    unsigned int i;
    int rc;

    if (!fn || token[0] == '\0' || strlen(token) >= WATCH_TOKEN_MAX)
        return -XEN_EINVAL;
    if (watch_find(token))
        return -XEN_EEXIST;
    for (i = 0; i < WATCH_MAX && !w; i++)
        if (!watches[i].token[0])
            w = &watches[i];
    if (!w)
        return -XEN_ENOSPC;
    /* In the table before asking: the first report may beat the reply. */
    memcpy(w->token, token, strlen(token) + 1);
    w->fn = fn;
    w->data = data;
    rc = xs_talk(XBT_NIL, XS_WATCH, parts, 2, NULL);
    if (rc < 0)
        w->token[0] = '\0';
    return rc;
}

/* Drops the queued reports of (token), keeping the others in order. */
static void drop_events(const char *token)
{
    unsigned int i, kept = 0;

    for (i = 0; i < ev_count; i++) {
        struct xs_event *ev = &events[(ev_head + i) % WATCH_QUEUE];

        if (strcmp(ev->token, token) == 0)
            continue;
        if (kept != i)
            events[(ev_head + kept) % WATCH_QUEUE] = *ev;
        kept++;
    }
    ev_count = kept;
}

int xenbus_unwatch(const char *path, const char *token)
{
    struct xs_part parts[2] = {
        {path, strlen(path) + 1},
        {token, strlen(token) + 1},
    };
    struct xs_watch *w = watch_find(token);
    int rc;

    if (!w)
        return -XEN_ENOENT;
    rc = xs_talk(XBT_NIL, XS_UNWATCH, parts, 2, NULL);
    w->token[0] = '\0';
    drop_events(token);
    return rc;
}

int xenbus_work_pending(void)
{
    if (!store_ready || in_call || in_poll)
        return 0;
    /* Unread bytes: the upcall that announced them may have run already. */
    return ev_count > 0 || ring->rsp_prod != ring->rsp_cons;
}

void xenbus_poll(void)
{
    struct xs_event ev;
    struct xs_watch *w;

    if (!store_ready || in_call || in_poll)
        return;
    in_poll = 1;
    ring_process();
    while (ev_count > 0) {
        ev = events[ev_head];
        ev_head = (ev_head + 1) % WATCH_QUEUE;
        ev_count--;
        w = watch_find(ev.token);
        if (w)
            w->fn(ev.path, ev.token, w->data);
        ring_process();
    }
    in_poll = 0;
}

int xenbus_transaction_start(xenbus_transaction_t *t)
{
    struct xs_part part = {"", 1};
    char *end;
    int rc = xs_talk(XBT_NIL, XS_TRANSACTION_START, &part, 1, NULL);

    if (rc < 0)
        return rc;
    *t = (xenbus_transaction_t)strtoul(reply_body, &end, 10);
    return *t != XBT_NIL ? 0 : -XEN_EIO;
}

int xenbus_transaction_end(xenbus_transaction_t t, int abort)
{
    struct xs_part part = {abort ? "F" : "T", 2};

    return xs_talk(t, XS_TRANSACTION_END, &part, 1, NULL);
}

int xenbus_transaction_run(int (*body)(xenbus_transaction_t t, void *arg),
                           void *arg)
{
    xenbus_transaction_t t;
    unsigned int tries;
    int rc = -XEN_EAGAIN;

    for (tries = 0; tries < TX_RETRIES && rc == -XEN_EAGAIN; tries++) {
        rc = xenbus_transaction_start(&t);
        if (rc < 0)
            return rc;
        rc = body(t, arg);
        if (rc < 0) {
            xenbus_transaction_end(t, 1);
            return rc;
        }
        rc = xenbus_transaction_end(t, 0);
    }
    return rc;
}

static int get_param(uint32_t index, uint64_t *value, const char *name)
{
    struct xen_hvm_param p = {.domid = DOMID_SELF, .index = index};
    long rc = HYPERVISOR_hvm_op(HVMOP_get_param, &p);

    if (rc < 0) {
        printf("pvguest: xenbus: hvm_op(HVMOP_get_param, %s) failed: %ld%s\n",
               name, rc,
               rc == -XEN_ENOSYS ? " (not offered by this hypervisor)" : "");
        return (int)rc;
    }
    *value = p.value;
    return 0;
}

/*
 * Boot step, after events and time: finds the ring and its port. The
 * ring page is a reserved page below 4 GiB, which the boot page tables
 * map one to one.
 */
int xenbus_init(void)
{
    uint64_t pfn = 0, port = 0;
    int rc;

    if ((rc = get_param(HVM_PARAM_STORE_PFN, &pfn, "HVM_PARAM_STORE_PFN")) ||
        (rc = get_param(HVM_PARAM_STORE_EVTCHN, &port,
                        "HVM_PARAM_STORE_EVTCHN")))
        return rc;
    /* A domain the toolstack gave no store: run without, as on old builds. */
    if (pfn == 0 && port == 0)
        return -XEN_ENOSYS;
    if (pfn == 0 || pfn >= (1ULL << (32 - XEN_PAGE_SHIFT)) || port == 0 ||
        port >= EVTCHN_2L_NR_CHANNELS) {
        printf("pvguest: xenbus: no usable store ring (pfn 0x%lx, port %lu)\n",
               (unsigned long)pfn, (unsigned long)port);
        return -XEN_ENODEV;
    }
    ring = (struct xenstore_domain_interface *)(uintptr_t)(pfn << 12);
    store_port = (evtchn_port_t)port;
    rc = pvg_evtchn_bind(store_port, store_handler, NULL);
    if (rc < 0)
        return rc;
    store_ready = 1;
    xenbus_store_port = store_port;
    return 0;
}

/* The domid of the domain called (name) in /local/domain; -XEN_ENOENT. */
static int domid_by_name(const char *name)
{
    static char list[2048];
    char path[48], value[64];
    const char *id;
    int n, i;

    n = xenbus_directory(XBT_NIL, "/local/domain", list, sizeof(list));
    for (i = 0, id = list; i < n; i++, id += strlen(id) + 1) {
        snprintf(path, sizeof(path), "/local/domain/%s/name", id);
        if (xenbus_read(XBT_NIL, path, value, sizeof(value)) >= 0 &&
            strcmp(value, name) == 0)
            return (int)strtoul(id, NULL, 10);
    }
    return n < 0 ? n : -XEN_ENOENT;
}

static unsigned long intro_fires;

static void on_introduce(const char *path, const char *token, void *data)
{
    (void)path;
    (void)token;
    (void)data;
    intro_fires++;
}

static int introduced(void *arg)
{
    return intro_fires != *(unsigned long *)arg;
}

int xenbus_find_domain(const char *name, uint64_t deadline_ns)
{
    unsigned long seen;
    int rc, watching;

    watching = xenbus_watch("@introduceDomain", "pvguest-find-domain",
                            on_introduce, NULL) == 0;
    for (;;) {
        seen = intro_fires;
        rc = domid_by_name(name);
        if (rc != -XEN_ENOENT)
            break;
        if (deadline_ns && monotonic_ns() >= deadline_ns) {
            rc = -XEN_ETIMEDOUT;
            break;
        }
        /* A domain names itself after it is introduced: look again soon. */
        wait_until(introduced, &seen, monotonic_ns() + 20 * NSEC_PER_MSEC);
    }
    if (watching)
        xenbus_unwatch("@introduceDomain", "pvguest-find-domain");
    return rc;
}
