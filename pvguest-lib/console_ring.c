/* SPDX-License-Identifier: MIT */
/* console_ring.c: console output through the PV console ring. */

#include <pvabi/io/console.h>

#include "internal.h"

/* How long one wait for room lasts, and how long we wait at most. */
#define POLL_SLICE_NS (1 * NSEC_PER_MSEC)
#define ROOM_TIMEOUT_NS (2 * NSEC_PER_SEC)
#define FLUSH_TIMEOUT_NS (200 * NSEC_PER_MSEC)

static struct xencons_interface *ring;
static evtchn_port_t cons_port;
static int ring_ready;
static struct spinlock ring_lock;

int console_ring_ready(void)
{
    return ring_ready;
}

static int get_param(uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = {.domid = DOMID_SELF, .index = index};
    long rc = HYPERVISOR_hvm_op(HVMOP_get_param, &p);

    if (rc == 0)
        *value = p.value;
    return (int)rc;
}

/*
 * Boot step, after time: finds the ring and its port. A hypervisor that
 * offers none (both parameters 0) leaves output on console_io. The port
 * stays masked and has no handler: writers wait for room with
 * SCHEDOP_poll on it, which works with interrupts off, in event handlers
 * and in crash paths alike.
 */
int console_ring_init(void)
{
    uint64_t pfn = 0, port = 0;
    int rc;

    if ((rc = get_param(HVM_PARAM_CONSOLE_PFN, &pfn)) < 0 ||
        (rc = get_param(HVM_PARAM_CONSOLE_EVTCHN, &port)) < 0)
        return rc == -XEN_ENOSYS || rc == -XEN_EINVAL ? -XEN_ENOSYS : rc;
    /* No port: a hypervisor that reserves the page but serves no ring. */
    if (pfn == 0 || port == 0)
        return -XEN_ENOSYS;
    if (pfn >= (1ULL << (32 - XEN_PAGE_SHIFT)) ||
        port >= EVTCHN_2L_NR_CHANNELS) {
        printf("pvguest: console: no usable ring (pfn 0x%lx, port %lu)\n",
               (unsigned long)pfn, (unsigned long)port);
        return -XEN_ENOSYS;
    }
    ring = (struct xencons_interface *)(uintptr_t)(pfn << XEN_PAGE_SHIFT);
    cons_port = (evtchn_port_t)port;
    pvg_evtchn_mask(cons_port);
    ring_ready = 1;
    return 0;
}

/* Sleeps until the console port is pending, or (deadline) at most. */
static void poll_port(uint64_t deadline)
{
    struct sched_poll p = {
        .ports = (uint64_t)(uintptr_t)&cons_port,
        .nr_ports = 1,
        .timeout = deadline,
    };

    HYPERVISOR_sched_op(SCHEDOP_poll, &p);
    pvg_evtchn_clear(cons_port);
}

/* Bytes free in out[]; -1 when the indexes make no sense. */
static long room(void)
{
    XENCONS_RING_IDX cons = __atomic_load_n(&ring->out_cons, __ATOMIC_ACQUIRE);
    XENCONS_RING_IDX used = ring->out_prod - cons;

    if (used > sizeof(ring->out))
        return -1;
    return (long)(sizeof(ring->out) - used);
}

/* Copies up to (len) bytes into out[]; returns how many, -1 if broken. */
static long put_some(const char *buf, size_t len)
{
    XENCONS_RING_IDX prod = ring->out_prod;
    long free_ = room();
    size_t n, off, first;

    if (free_ <= 0)
        return free_;
    n = len < (size_t)free_ ? len : (size_t)free_;
    /* Up to the end of out[], then from its start: two copies at most. */
    off = MASK_XENCONS_IDX(prod, ring->out);
    first = sizeof(ring->out) - off < n ? sizeof(ring->out) - off : n;
    memcpy(ring->out + off, buf, first);
    memcpy(ring->out, buf + first, n - first);
    /* The bytes before the index that publishes them. */
    __atomic_store_n(&ring->out_prod, prod + (XENCONS_RING_IDX)n,
                     __ATOMIC_RELEASE);
    return (long)n;
}

/*
 * Writes while there is room, notifying after each piece; waits for room
 * (a console that reads slowly holds the writer up, output is never
 * dropped) up to ROOM_TIMEOUT_NS. A second write on the same vCPU while
 * one is in progress (a fault report, an event handler's message) takes
 * nothing: console_write() sends it to the debug port.
 */
size_t console_ring_write(const char *buf, size_t len)
{
    unsigned long flags;
    uint64_t give_up = 0, now;
    size_t done = 0;
    long n;

    if (!ring_ready ||
        __atomic_load_n(&ring_lock.owner, __ATOMIC_RELAXED) == smp_id() + 1)
        return 0;
    flags = spin_lock_irqsave(&ring_lock);
    while (done < len) {
        n = put_some(buf + done, len - done);
        if (n < 0) {
            ring_ready = 0; /* the console broke its index: stop using it */
            break;
        }
        if (n > 0) {
            done += (size_t)n;
            pvg_evtchn_notify(cons_port);
            give_up = 0;
            continue;
        }
        now = monotonic_ns();
        if (give_up == 0)
            give_up = now + ROOM_TIMEOUT_NS;
        else if (now >= give_up)
            break;
        poll_port(now + POLL_SLICE_NS);
    }
    spin_unlock_irqrestore(&ring_lock, flags);
    return done;
}

void console_ring_flush(void)
{
    uint64_t end;

    if (!ring_ready)
        return;
    end = monotonic_ns() + FLUSH_TIMEOUT_NS;
    while (room() >= 0 && room() < (long)sizeof(ring->out) &&
           monotonic_ns() < end)
        poll_port(monotonic_ns() + POLL_SLICE_NS);
}

size_t console_ring_read(char *buf, size_t len)
{
    XENCONS_RING_IDX cons, prod;
    size_t n = 0;

    if (!ring_ready)
        return 0;
    cons = ring->in_cons;
    prod = __atomic_load_n(&ring->in_prod, __ATOMIC_ACQUIRE);
    if ((XENCONS_RING_IDX)(prod - cons) > sizeof(ring->in))
        return 0; /* the backend broke the ring: nothing to trust */
    while (n < len && cons != prod)
        buf[n++] = ring->in[MASK_XENCONS_IDX(cons++, ring->in)];
    /* Bytes copied before the backend may write there again. */
    __atomic_store_n(&ring->in_cons, cons, __ATOMIC_RELEASE);
    if (n > 0)
        pvg_evtchn_notify(cons_port);
    return n;
}
