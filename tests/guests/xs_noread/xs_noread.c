/* SPDX-License-Identifier: MIT */
/*
 * xs_noread.c: sends XenStore requests on its ring and never reads the
 * replies. The store must stop taking requests instead of queueing
 * replies without end; and when one request makes more output than a
 * connection may hold (a write that fires 120 of the domain's own
 * watches, each event carrying a 3000-byte path), it must close the ring
 * (error XENSTORE_ERROR_COMM) rather than grow.
 *
 * The ring is driven directly, past libpvguest: after its last call the
 * library has read every reply, so the response stream is at a message
 * boundary and the request ring is empty. The store serves the ring on a
 * thread of its own: a notification may return before it answered, so
 * each kick waits for its answer (the store's event) a little.
 */

#include "../testguest.h"

#define VALUE_LEN 2048 /* the largest value a guest may store */
#define REPLY_LEN (16 + VALUE_LEN)
#define REQ_LEN 32     /* 16-byte header + "data/noread_val\0" */
#define KICKS_MAX 6000 /* ~32 reads each: ~390 MiB of replies */
#define STALL_KICKS 4  /* kicks without progress: the store waits */
#define WATCHES 120    /* under the quota of 128 */
#define LONG_NAME 3000 /* the written node's last component */

/* The longest a kick waits for the store's answer. */
#define ANSWER_NS (100 * NSEC_PER_MSEC)

static struct xenstore_domain_interface *ring;
static evtchn_port_t port;
static char stream[WATCHES * 64 + LONG_NAME + 256];

static uint64_t param(uint32_t index)
{
    struct xen_hvm_param p = {.domid = DOMID_SELF, .index = index};
    long rc = HYPERVISOR_hvm_op(HVMOP_get_param, &p);

    if (rc < 0)
        test_abort("HVMOP_get_param %u returned %ld", index, rc);
    return p.value;
}

static XENSTORE_RING_IDX req_cons(void)
{
    return __atomic_load_n(&ring->req_cons, __ATOMIC_ACQUIRE);
}

/* What the store changes when it answers a kick, and its events. */
struct ring_state {
    XENSTORE_RING_IDX req_cons, rsp_prod;
    uint32_t error;
    unsigned long events;
};

static struct ring_state ring_state(void)
{
    return (struct ring_state){
        req_cons(), __atomic_load_n(&ring->rsp_prod, __ATOMIC_ACQUIRE),
        __atomic_load_n(&ring->error, __ATOMIC_ACQUIRE),
        pvg_evtchn_count(port)};
}

/*
 * Notifies the store; until it answered (an index moved, its event came)
 * waits for its event, ANSWER_NS at most: a store with nothing to do
 * sends none. Events stay off while it looks and waits, so that the
 * upcall cannot take the event between the two (SCHEDOP_poll needs none).
 */
static void kick(void)
{
    struct ring_state a = ring_state(), b;
    struct sched_poll poll = {.ports = (uint64_t)(uintptr_t)&port,
                              .nr_ports = 1};
    unsigned long flags;

    pvg_evtchn_notify(port);
    flags = local_irq_save();
    b = ring_state();
    if (a.req_cons == b.req_cons && a.rsp_prod == b.rsp_prod &&
        a.error == b.error && a.events == b.events) {
        poll.timeout = monotonic_ns() + ANSWER_NS;
        HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
    }
    local_irq_restore(flags);
}

/* Copies (len) bytes into req[] from index (prod) on, wrapping. */
static void req_put(XENSTORE_RING_IDX prod, const char *buf, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++)
        ring->req[MASK_XENSTORE_IDX(prod + i)] = buf[i];
}

/* Appends one message to (stream) at (*len). */
static void put_msg(size_t *len, uint32_t type, const char *a, size_t alen,
                    const char *b, size_t blen)
{
    struct xsd_sockmsg h = {type, 1, 0, (uint32_t)(alen + blen)};

    memcpy(stream + *len, &h, sizeof(h));
    memcpy(stream + *len + sizeof(h), a, alen);
    memcpy(stream + *len + sizeof(h) + alen, b, blen);
    *len += sizeof(h) + alen + blen;
}

/*
 * Phase 1: READs of a 2048-byte value, 32 per lap of the ring. The ring
 * is filled once (every lap holds the same bytes at the same offsets), so
 * a kick costs only moving req_prod over the room the store made. Returns
 * the reads sent; stops when the store made no room for STALL_KICKS kicks.
 */
static unsigned long flood_reads(void)
{
    struct xsd_sockmsg h = {XS_READ, 7, 0, REQ_LEN - 16};
    char req[REQ_LEN];
    XENSTORE_RING_IDX prod = ring->req_prod;
    unsigned long kicks, sent = 0;
    unsigned int stalls = 0;

    memcpy(req, &h, sizeof(h));
    memcpy(req + sizeof(h), "data/noread_val", REQ_LEN - 16);
    for (uint32_t i = 0; i < XENSTORE_RING_SIZE; i += REQ_LEN)
        req_put(prod + i, req, REQ_LEN);
    for (kicks = 0; kicks < KICKS_MAX && stalls < STALL_KICKS; kicks++) {
        uint32_t room = XENSTORE_RING_SIZE - (prod - req_cons());

        if (room) {
            prod += room;
            __atomic_store_n(&ring->req_prod, prod, __ATOMIC_RELEASE);
            sent += room / REQ_LEN;
            stalls = 0;
        } else {
            stalls++;
        }
        kick();
        if (ring->error)
            test_abort("the store closed the ring (error %u) after %lu reads",
                       ring->error, sent);
    }
    if (stalls < STALL_KICKS)
        test_abort(
            "the store took %lu reads (%lu MiB of replies unread) and never stopped",
            sent, sent * REPLY_LEN >> 20);
    return sent;
}

/* Reads (discards) replies until the store has nothing more; their bytes. */
static unsigned long drain(void)
{
    unsigned long bytes = 0;
    XENSTORE_RING_IDX prod;

    do {
        prod = __atomic_load_n(&ring->rsp_prod, __ATOMIC_ACQUIRE);
        bytes += prod - ring->rsp_cons;
        __atomic_store_n(&ring->rsp_cons, prod, __ATOMIC_RELEASE);
        kick();
    } while (ring->rsp_prod != prod || req_cons() != ring->req_prod);
    return bytes;
}

/* Writes (len) bytes of requests, as the room the store makes allows. */
static void send_stream(size_t len)
{
    XENSTORE_RING_IDX prod = ring->req_prod;
    unsigned int stalls = 0;
    size_t off = 0;

    while (off < len && !ring->error) {
        uint32_t room = XENSTORE_RING_SIZE - (prod - req_cons());

        if (room > len - off)
            room = (uint32_t)(len - off);
        if (!room && ++stalls > STALL_KICKS)
            test_abort("the store stopped taking requests at byte %lu of %lu",
                       (unsigned long)off, (unsigned long)len);
        req_put(prod, stream + off, room);
        prod += room;
        off += room;
        __atomic_store_n(&ring->req_prod, prod, __ATOMIC_RELEASE);
        kick();
    }
}

/* Phase 2: 120 watches on our data/, then one write under it. */
static void overflow_events(void)
{
    static char name[64 + LONG_NAME];
    char dir[48], tok[8];
    size_t len = 0, dl;

    dl = (size_t)snprintf(dir, sizeof(dir), "/local/domain/%u/data",
                          (unsigned int)pvguest_domid());
    for (unsigned int i = 0; i < WATCHES; i++) {
        size_t tl = (size_t)snprintf(tok, sizeof(tok), "w%u", i);

        put_msg(&len, XS_WATCH, dir, dl + 1, tok, tl + 1);
    }
    memcpy(name, dir, dl);
    name[dl] = '/';
    memset(name + dl + 1, 'n', LONG_NAME);
    name[dl + 1 + LONG_NAME] = '\0';
    put_msg(&len, XS_WRITE, name, dl + 2 + LONG_NAME, "x", 1);
    send_stream(len);
    for (unsigned int i = 0; i < STALL_KICKS && !ring->error; i++)
        kick();
    printf("xs_noread: %u watches and a write sent, ring error %u\n", WATCHES,
           ring->error);
    check_result("ring error after the overflow", ring->error,
                 XENSTORE_ERROR_COMM);
}

int main(void)
{
    static char value[VALUE_LEN + 1];
    unsigned long reads, bytes;

    memset(value, 'v', VALUE_LEN);
    check_result("write data/noread_val",
                 xenbus_write(XBT_NIL, "data/noread_val", value), 0);
    ring = (struct xenstore_domain_interface
                *)(uintptr_t)(param(HVM_PARAM_STORE_PFN) << XEN_PAGE_SHIFT);
    port = (evtchn_port_t)param(HVM_PARAM_STORE_EVTCHN);

    reads = flood_reads();
    printf("xs_noread: the store stopped taking requests after %lu reads\n",
           reads);
    bytes = drain();
    printf("xs_noread: reading resumed it: %lu bytes of replies\n", bytes);
    check_result("reply bytes for every read", (long)bytes,
                 (long)(reads * REPLY_LEN));
    overflow_events();
    puts("SUCCESS");
    return 0;
}
