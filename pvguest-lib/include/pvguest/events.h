/* SPDX-License-Identifier: MIT */
/* events.h: event channels, the upcall, and the interrupt flag. */
#ifndef PVGUEST_EVENTS_H
#define PVGUEST_EVENTS_H

#include <stdint.h>

#include <pvabi/event_channel.h>
#include <pvabi/xen.h>
#include <pvguest/hypercall.h>

/*
 * Events reach the guest through one interrupt vector (the callback
 * vector, HVM_PARAM_CALLBACK_IRQ). Its handler scans the 2-level pending
 * bitmaps of shared_info and calls, for each pending unmasked port, the
 * handler bound to it with pvg_evtchn_bind(). Handlers run in interrupt
 * context, interrupts off: they must be short and must not block or make
 * XenStore calls; they set flags that the code waiting in wait_until()
 * (<pvguest/time.h>) then sees.
 */

/* The vector the hypervisor injects for events. */
#define EVTCHN_CALLBACK_VECTOR 0xf0

/* The shared_info page, mapped by events_init() at boot. */
extern struct shared_info *HYPERVISOR_shared_info;

/* pvg_evtchn_handler_t(port, data): called for each event on (port). */
typedef void (*pvg_evtchn_handler_t)(evtchn_port_t port, void *data);

/*
 * pvg_evtchn_bind(port, fn, data): makes (fn)(port, data) the handler of
 * (port), then unmasks the port. Returns 0, -XEN_EINVAL for a port beyond
 * the 2-level ABI or a NULL (fn), -XEN_EBUSY when (port) already has a
 * handler (pvg_evtchn_unbind() it first).
 */
int pvg_evtchn_bind(evtchn_port_t port, pvg_evtchn_handler_t fn, void *data);

/*
 * pvg_evtchn_unbind(port): masks (port) and gives it back to the default
 * handler, which counts and reports events on unbound ports. The port
 * itself stays open: pvg_evtchn_close() closes it.
 */
void pvg_evtchn_unbind(evtchn_port_t port);

/*
 * pvg_evtchn_mask(port): no upcall for (port) until pvg_evtchn_unmask().
 * Inline, as pvg_evtchn_clear(): one locked instruction (the hypervisor sets
 * bits of the same words concurrently).
 */
static inline void pvg_evtchn_mask(evtchn_port_t port)
{
    if (port < EVTCHN_2L_NR_CHANNELS)
        __atomic_fetch_or(&HYPERVISOR_shared_info->evtchn_mask[port / 64],
                          1UL << (port % 64), __ATOMIC_SEQ_CST);
}

/*
 * pvg_evtchn_unmask(port): lets (port) raise upcalls again; an event that
 * arrived while it was masked is delivered now.
 */
void pvg_evtchn_unmask(evtchn_port_t port);

/*
 * pvg_evtchn_wait(port, deadline_ns): waits for an event on (port) without an
 * upcall, and takes it (clears its pending bit): the cheap way for a loop
 * that waits on one port, such as a request/response exchange. (port)
 * must stay masked (pvg_evtchn_mask(), or never bound): a send to a masked
 * port only sets its pending bit, which wakes the vCPU sleeping in
 * SCHEDOP_poll. Returns 0 at once if the event is already there, else
 * when it comes; -XEN_ETIMEDOUT at system time (deadline_ns) (0: none);
 * -XEN_EINVAL for a port beyond the 2-level ABI, -XEN_ENOSYS before
 * events are set up (a hypervisor without them). Watch callbacks run
 * while it waits, as in wait_until(); events on other ports are taken
 * (their handlers run) when a watch or the port wakes it, or after it
 * returns. Any context but an event handler; interrupts on or off.
 */
int pvg_evtchn_wait(evtchn_port_t port, uint64_t deadline_ns);

/* pvg_evtchn_clear(port): forgets an event pending on (port). */
static inline void pvg_evtchn_clear(evtchn_port_t port)
{
    if (port < EVTCHN_2L_NR_CHANNELS)
        __atomic_fetch_and(&HYPERVISOR_shared_info->evtchn_pending[port / 64],
                           ~(1UL << (port % 64)), __ATOMIC_SEQ_CST);
}

/* pvg_evtchn_is_pending(port): 1 if (port)'s pending bit is set, else 0. */
int pvg_evtchn_is_pending(evtchn_port_t port);

/*
 * pvg_evtchn_count(port): how many times the upcall has called (port)'s
 * handler (its default one included) since boot.
 */
unsigned long pvg_evtchn_count(evtchn_port_t port);

/*
 * The hypercalls. Each returns 0 or the hypervisor's -XEN_Exxx, and
 * stores the port it made in (*port). None installs a handler.
 *
 * pvg_evtchn_notify(port): EVTCHNOP_send: signals the other end of (port).
 * pvg_evtchn_alloc_unbound(remote, port): a port that domain (remote) may
 *   bind with pvg_evtchn_bind_interdomain().
 * pvg_evtchn_bind_interdomain(dom, remote_port, port): connects a new local
 *   port to (remote_port) of domain (dom); the new port is pending at once.
 * pvg_evtchn_bind_virq(virq, vcpu, port): VIRQ_* on (vcpu).
 * pvg_evtchn_bind_ipi(vcpu, port): a port whose sends signal our own (vcpu).
 * pvg_evtchn_close(port): closes (port); the peer's end becomes unbound.
 *   Also drops the handler, as pvg_evtchn_unbind().
 * pvg_evtchn_status(st): EVTCHNOP_status; fill st->dom and st->port.
 */
static inline int pvg_evtchn_notify(evtchn_port_t port);
int pvg_evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port);
int pvg_evtchn_bind_interdomain(domid_t dom, evtchn_port_t remote_port,
                                evtchn_port_t *port);
int pvg_evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port);
int pvg_evtchn_bind_ipi(uint32_t vcpu, evtchn_port_t *port);
int pvg_evtchn_close(evtchn_port_t port);
int pvg_evtchn_status(struct evtchn_status *st);

/*
 * evtchn_do_upcall(): what the callback vector's handler runs (clear
 * upcall_pending, scan, call the ports' handlers), for a guest that takes
 * upcalls through a vector of its own, such as a per-vCPU upcall vector
 * (HVMOP_set_evtchn_upcall_vector), whose handler then EOIs. Interrupts
 * off.
 */
void evtchn_do_upcall(void);

/* Inline: the hot path of every ring's notification, a handful of moves. */
static inline int pvg_evtchn_notify(evtchn_port_t port)
{
    struct evtchn_send op = {.port = port};

    return (int)HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

/*
 * The interrupt flag of the calling vCPU. Events are delivered only while
 * it is set; libpvguest sets it at boot once events are ready.
 * local_irq_save() returns the old flags and clears IF;
 * local_irq_restore(flags) sets IF again if (flags) had it.
 */
#define X86_EFLAGS_IF 0x200UL

static inline void local_irq_disable(void)
{
    __asm__ volatile("cli" : : : "memory");
}

static inline void local_irq_enable(void)
{
    __asm__ volatile("sti" : : : "memory");
}

static inline unsigned long local_irq_save(void)
{
    unsigned long flags;

    __asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
    return flags;
}

static inline void local_irq_restore(unsigned long flags)
{
    if (flags & X86_EFLAGS_IF)
        local_irq_enable();
}

static inline int local_irq_enabled(void)
{
    unsigned long flags;

    __asm__ volatile("pushfq; popq %0" : "=r"(flags) : : "memory");
    return (flags & X86_EFLAGS_IF) != 0;
}

#endif /* PVGUEST_EVENTS_H */
