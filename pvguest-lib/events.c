/* SPDX-License-Identifier: MIT */
/* events.c: shared_info, the event upcall, and the per-port handler table. */

#include "internal.h"

#define NR_EVTCHN_PORTS EVTCHN_2L_NR_CHANNELS
#define BITS_PER_WORD 64

/*
 * The frame the hypervisor's shared_info replaces: a page of our .bss
 * (XENMEM_add_to_physmap takes a RAM frame; guest-physical = virtual).
 * All access goes through HYPERVISOR_shared_info, with atomics or
 * volatile reads, since the hypervisor writes it behind our back.
 */
static uint8_t shared_info_frame[XEN_PAGE_SIZE]
    __attribute__((aligned(XEN_PAGE_SIZE)));
struct shared_info *HYPERVISOR_shared_info;

/* One entry per port (Mini-OS ev_actions); 32 bytes: a shift indexes. */
struct evtchn_action {
    pvg_evtchn_handler_t handler;
    void *data;
    unsigned long count;
    unsigned long pad;
};
static struct evtchn_action actions[NR_EVTCHN_PORTS];
static unsigned long unbound_reports;

static void default_handler(evtchn_port_t port, void *data)
{
    (void)data;
    /* A few reports are enough: a storm must not flood the console. */
    if (unbound_reports++ < 8)
        printf("pvguest: event on port %u, which has no handler\n", port);
}

static inline xen_ulong_t *word_of(xen_ulong_t *bitmap, evtchn_port_t port)
{
    return &bitmap[port / BITS_PER_WORD];
}

static inline xen_ulong_t bit_of(evtchn_port_t port)
{
    return 1UL << (port % BITS_PER_WORD);
}

/* Locked read-modify-writes: the hypervisor sets bits concurrently. */
static void clear_bit_atomic(xen_ulong_t *bitmap, evtchn_port_t port)
{
    __atomic_fetch_and(word_of(bitmap, port), ~bit_of(port), __ATOMIC_SEQ_CST);
}

static int test_bit(xen_ulong_t *bitmap, evtchn_port_t port)
{
    return (__atomic_load_n(word_of(bitmap, port), __ATOMIC_SEQ_CST) &
            bit_of(port)) != 0;
}

static void dispatch(evtchn_port_t port)
{
    struct evtchn_action *a = &actions[port];

    a->count++;
    if (a->handler)
        a->handler(port, a->data);
    else
        default_handler(port, NULL);
}

/*
 * Clears bit (b) of (*word) with one locked instruction and says whether
 * it was set: what __atomic_fetch_and with a variable bit becomes in gcc,
 * a compare-and-swap loop, is seven instructions where this is two.
 */
static inline int test_and_clear(xen_ulong_t *word, unsigned int b)
{
    unsigned char was;

    __asm__ volatile("lock btrq %2, %0"
                     : "+m"(*word), "=@ccc"(was)
                     : "r"((xen_ulong_t)b)
                     : "memory");
    return was;
}

/*
 * The 2-level scan, in Xen's order: clear upcall_pending, take the
 * selector with one exchange, then for each selected word a snapshot of
 * its pending and unmasked bits, lowest first. A pending bit is cleared
 * before its handler runs, so an event raised while the handler runs is
 * not lost: the sender finds the bit clear, so sets it, the selector and
 * upcall_pending again, and the outer loop (or the next upcall) sees it.
 * The snapshot keeps a port raised over and over from starving the
 * higher ports of its word.
 */
void evtchn_do_upcall(void)
{
    struct vcpu_info *v = this_vcpu_info();
    xen_ulong_t sel, pending, *word;
    unsigned long w, b;

    do {
        /* A plain store: the exchange below is the full barrier after it. */
        __atomic_store_n(&v->evtchn_upcall_pending, 0, __ATOMIC_RELAXED);
        sel = __atomic_exchange_n(&v->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
        while (sel) {
            w = (unsigned long)__builtin_ctzl(sel);
            sel &= sel - 1;
            word = &HYPERVISOR_shared_info->evtchn_pending[w];
            /* Loads the x86 orders anyway: the snapshot needs no fence. */
            pending = __atomic_load_n(word, __ATOMIC_ACQUIRE) &
                      ~__atomic_load_n(&HYPERVISOR_shared_info->evtchn_mask[w],
                                       __ATOMIC_ACQUIRE);
            while (pending) {
                b = (unsigned long)__builtin_ctzl(pending);
                pending &= pending - 1;
                /* Only if still pending: another vCPU may have taken it. */
                if (test_and_clear(word, (unsigned int)b))
                    dispatch((evtchn_port_t)(w * BITS_PER_WORD + b));
            }
        }
    } while (__atomic_load_n(&v->evtchn_upcall_pending, __ATOMIC_ACQUIRE));
}

int pvg_evtchn_bind(evtchn_port_t port, pvg_evtchn_handler_t fn, void *data)
{
    unsigned long flags;

    if (port >= NR_EVTCHN_PORTS || fn == NULL)
        return -XEN_EINVAL;
    /* Interrupts off: the upcall must not see half an entry. */
    flags = local_irq_save();
    if (actions[port].handler) {
        local_irq_restore(flags);
        return -XEN_EBUSY;
    }
    actions[port].data = data;
    actions[port].handler = fn;
    local_irq_restore(flags);
    pvg_evtchn_unmask(port);
    return 0;
}

void pvg_evtchn_unbind(evtchn_port_t port)
{
    unsigned long flags;

    if (port >= NR_EVTCHN_PORTS)
        return;
    pvg_evtchn_mask(port);
    flags = local_irq_save();
    actions[port].handler = NULL;
    actions[port].data = NULL;
    local_irq_restore(flags);
}

/*
 * A sender that found the port masked set only its pending bit: the
 * selector and upcall_pending were left alone, so that edge is lost
 * unless someone raises it again. Mini-OS raises it locally (sets the
 * selector bit and upcall_pending of this vCPU); we ask the hypervisor
 * (EVTCHNOP_unmask), which knows the vCPU the port notifies, which may
 * not be ours, and injects the vector there. The hypercall is made only
 * when the bit is pending: the locked clear of the mask is a full
 * barrier, so either the sender saw the mask clear and delivered
 * itself, or we see its pending bit here (or both: the handler then
 * runs once, since the first scan clears the bit).
 */
void pvg_evtchn_unmask(evtchn_port_t port)
{
    struct shared_info *s = HYPERVISOR_shared_info;
    struct evtchn_unmask op = {.port = port};

    if (port >= NR_EVTCHN_PORTS)
        return;
    clear_bit_atomic(s->evtchn_mask, port);
    if (test_bit(s->evtchn_pending, port))
        HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op);
}

int pvg_evtchn_is_pending(evtchn_port_t port)
{
    if (port >= NR_EVTCHN_PORTS)
        return 0;
    return test_bit(HYPERVISOR_shared_info->evtchn_pending, port);
}

/*
 * No upcall, no handler: the port stays masked, so a send only sets its
 * pending bit (and wakes SCHEDOP_poll); taking the event is one locked
 * instruction. An upcall costs the interrupt frame, the 2-level scan and
 * the dispatch, about 90 guest instructions, where each is emulated.
 * The store port is polled too, so that watch callbacks (a shutdown
 * request) run while we wait, as they do in wait_until(). Interrupts
 * are off from the checks to the poll, so no event slips between them;
 * an upcall that became pending meanwhile is run here, as the vector
 * would have.
 */
static int __attribute__((noinline))
wait_polling(evtchn_port_t port, xen_ulong_t *word, uint64_t deadline_ns)
{
    evtchn_port_t ports[2] = {port, xenbus_store_port};
    struct sched_poll op = {
        .ports = (uint64_t)(uintptr_t)ports,
        .nr_ports = 1 + (ports[1] != 0),
        .timeout = deadline_ns,
    };
    unsigned long flags = local_irq_save();
    int rc;

    for (;;) {
        if (test_and_clear(word, port % BITS_PER_WORD)) {
            rc = 0;
            break;
        }
        if (xenbus_attention && xenbus_work_pending()) {
            local_irq_restore(flags);
            xenbus_poll();
            local_irq_disable();
            continue;
        }
        if (deadline_ns && monotonic_ns() >= deadline_ns) {
            rc = -XEN_ETIMEDOUT;
            break;
        }
        rc = (int)HYPERVISOR_sched_op(SCHEDOP_poll, &op);
        if (rc < 0)
            break;
        if (__atomic_load_n(&this_vcpu_info()->evtchn_upcall_pending,
                            __ATOMIC_ACQUIRE))
            evtchn_do_upcall();
    }
    local_irq_restore(flags);
    return rc;
}

int pvg_evtchn_wait(evtchn_port_t port, uint64_t deadline_ns)
{
    xen_ulong_t *word;

    if (!HYPERVISOR_shared_info)
        return -XEN_ENOSYS;
    if (port >= NR_EVTCHN_PORTS)
        return -XEN_EINVAL;
    word = &HYPERVISOR_shared_info->evtchn_pending[port / BITS_PER_WORD];
    /* Already there: the event costs a few instructions, no set-up. */
    if (test_and_clear(word, port % BITS_PER_WORD))
        return 0;
    return wait_polling(port, word, deadline_ns);
}

unsigned long pvg_evtchn_count(evtchn_port_t port)
{
    if (port >= NR_EVTCHN_PORTS)
        return 0;
    return __atomic_load_n(&actions[port].count, __ATOMIC_SEQ_CST);
}

int pvg_evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound op = {
        .dom = DOMID_SELF,
        .remote_dom = remote,
    };
    int rc = (int)HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

    if (rc == 0)
        *port = op.port;
    return rc;
}

int pvg_evtchn_bind_interdomain(domid_t dom, evtchn_port_t remote_port,
                                evtchn_port_t *port)
{
    struct evtchn_bind_interdomain op = {
        .remote_dom = dom,
        .remote_port = remote_port,
    };
    int rc = (int)HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);

    if (rc == 0)
        *port = op.local_port;
    return rc;
}

int pvg_evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_virq op = {.virq = virq, .vcpu = vcpu};
    int rc = (int)HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &op);

    if (rc == 0)
        *port = op.port;
    return rc;
}

int pvg_evtchn_bind_ipi(uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_ipi op = {.vcpu = vcpu};
    int rc = (int)HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &op);

    if (rc == 0)
        *port = op.port;
    return rc;
}

int pvg_evtchn_close(evtchn_port_t port)
{
    struct evtchn_close op = {.port = port};
    int rc = (int)HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);

    /* Only a port that was ours: never touch a table slot out of range. */
    if (rc == 0)
        pvg_evtchn_unbind(port);
    return rc;
}

int pvg_evtchn_status(struct evtchn_status *st)
{
    return (int)HYPERVISOR_event_channel_op(EVTCHNOP_status, st);
}

static int map_shared_info(void)
{
    struct xen_add_to_physmap xatp = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_shared_info,
        .idx = 0,
        .gpfn = (uintptr_t)shared_info_frame >> XEN_PAGE_SHIFT,
    };
    long rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);

    if (rc < 0) {
        printf("pvguest: events: memory_op(XENMEM_add_to_physmap, "
               "shared_info, gpfn 0x%lx) failed: %ld%s\n",
               (unsigned long)xatp.gpfn, rc,
               rc == -XEN_ENOSYS ? " (not offered by this hypervisor)" : "");
        return (int)rc;
    }
    HYPERVISOR_shared_info = (struct shared_info *)shared_info_frame;
    return 0;
}

static int set_callback_vector(void)
{
    struct xen_hvm_param p = {
        .domid = DOMID_SELF,
        .index = HVM_PARAM_CALLBACK_IRQ,
        .value = (uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56 |
                 EVTCHN_CALLBACK_VECTOR,
    };
    long rc = HYPERVISOR_hvm_op(HVMOP_set_param, &p);

    if (rc < 0)
        printf("pvguest: events: hvm_op(HVMOP_set_param, "
               "HVM_PARAM_CALLBACK_IRQ, 0x%lx) failed: %ld%s\n",
               (unsigned long)p.value, rc,
               rc == -XEN_ENOSYS ? " (not offered by this hypervisor)" : "");
    return (int)rc;
}

/*
 * Boot step: map shared_info, mask every port (a port gets unmasked
 * when pvg_evtchn_bind() gives it a handler, as in Mini-OS and Linux), then
 * install the gate and ask for the vector. Interrupts stay off until
 * events_irq_on(), the next boot step.
 */
int events_init(void)
{
    unsigned int i;
    int rc;

    rc = map_shared_info();
    if (rc < 0)
        return rc;
    for (i = 0; i < NR_EVTCHN_PORTS / BITS_PER_WORD; i++)
        __atomic_store_n(&HYPERVISOR_shared_info->evtchn_mask[i], ~0UL,
                         __ATOMIC_SEQ_CST);
    traps_set_gate(EVTCHN_CALLBACK_VECTOR, upcall_entry);
    return set_callback_vector();
}

int events_irq_on(void)
{
    local_irq_enable();
    return 0;
}
