/* SPDX-License-Identifier: MIT */
/* event_channel.h: event channels (Xen 2-level ABI) between domains and vCPUs.
 */
#ifndef PVHV_CORE_EVENT_CHANNEL_H
#define PVHV_CORE_EVENT_CHANNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "pvabi/event_channel.h"

struct domain;
struct host_ports;
struct vcpu;

/*
 * A port of the hypervisor itself (a backend, XenStore) is one of its
 * instance's host ports (struct host_ports), which guests see as ports of
 * domain 0 (HOST_DOMID): "delivering" to one calls its (notify), without
 * the sender's lock held, from the sender's thread.
 */
typedef void (*evtchn_host_notify_fn)(void *opaque);

/*
 * evtchn_host_create: an instance's host ports, all closed, in (*h).
 * Returns 0 or -ENOMEM. evtchn_host_destroy: closes every host port (a
 * guest end reverts to unbound, offered to domain 0) and frees (h)
 * (NULL: nothing).
 */
int evtchn_host_create(struct host_ports **h);
void evtchn_host_destroy(struct host_ports *h);

/*
 * evtchn_domain_init: gives (d) a port table of (max_ports) ports (1 ...
 * EVTCHN_2L_MAX; 0 means EVTCHN_DEFAULT_MAX). Returns 0 or -ENOMEM.
 * evtchn_domain_destroy: closes every port (peers revert to unbound) and
 * frees the table; the domain's vCPUs must have stopped.
 */
int evtchn_domain_init(struct domain *d, unsigned int max_ports);

/*
 * evtchn_latch_layout: the layout of (v)'s domain's shared_info and
 * vcpu_infos becomes that of (v)'s mode (v->ctx.compat: the 32-bit one of
 * pvabi/compat.h), as Xen latches it when the guest writes the hypercall
 * page MSR or sets HVM_PARAM_CALLBACK_IRQ; the wall clock is written
 * again where that layout has it.
 */
void evtchn_latch_layout(struct vcpu *v);
void evtchn_domain_destroy(struct domain *d);

/* The sub-op helpers behind do_event_channel_op; (d) is the caller. */
int evtchn_alloc_unbound(struct domain *d, struct evtchn_alloc_unbound *op);
int evtchn_bind_interdomain(struct domain *d,
                            struct evtchn_bind_interdomain *op);
int evtchn_bind_virq(struct domain *d, struct evtchn_bind_virq *op);
int evtchn_bind_ipi(struct domain *d, struct evtchn_bind_ipi *op);
int evtchn_close(struct domain *d, evtchn_port_t port);
int evtchn_send(struct domain *d, evtchn_port_t port);
int evtchn_status(struct domain *d, struct evtchn_status *op);
int evtchn_bind_vcpu(struct domain *d, struct evtchn_bind_vcpu *op);
int evtchn_unmask(struct domain *d, evtchn_port_t port);

/*
 * The FIFO ABI's sub-ops (event_channel_fifo.c): Xen's argument checks,
 * then Xen's answer for a domain on the 2-level ABI (-ENOSYS for
 * init_control and set_priority, -EOPNOTSUPP for expand_array).
 * evtchn_init_control takes the calling vCPU (v); -ENOENT, -EINVAL as
 * pvabi/event_channel.h says.
 */
struct evtchn_init_control;
struct evtchn_expand_array;
struct evtchn_set_priority;
int evtchn_init_control(struct vcpu *v, const struct evtchn_init_control *op);
int evtchn_expand_array(struct domain *d, const struct evtchn_expand_array *op);
int evtchn_set_priority(struct domain *d, const struct evtchn_set_priority *op);

long do_event_channel_op(struct vcpu *v, const uint64_t arg[5]);

/*
 * evtchn_send_virq: raises (virq) on (v) if bound there (VIRQ_TIMER from
 * the timer thread, ...). Any thread.
 */
void evtchn_send_virq(struct vcpu *v, unsigned int virq);

/*
 * evtchn_host_bind: connects a new port of (guest) to a new port of its
 * instance's host ports, both interdomain (the guest sees remote domain
 * 0). Returns 0 and the guest's port in (guest_port), the host's in
 * (host_port); -ENOSYS (no port table), -ENOSPC.
 * evtchn_host_send: signals the guest end of (host_port).
 * evtchn_host_close: closes the host end (the guest end reverts to
 * unbound, offered to domain 0).
 */
int evtchn_host_bind(struct domain *guest, evtchn_host_notify_fn notify,
                     void *opaque, evtchn_port_t *guest_port,
                     evtchn_port_t *host_port);

/*
 * evtchn_host_bind_existing: connects a new host port to (guest_port) of
 * (guest), which the guest allocated unbound for domain 0
 * (EVTCHNOP_alloc_unbound, remote_dom 0), as a backend does with the
 * port a frontend advertises. (notify, opaque) as for evtchn_host_bind.
 * Returns 0 and the host's port in (host_port); -EINVAL when
 * (guest_port) is not an unbound port offered to domain 0, -ENOSYS,
 * -ENOSPC.
 */
int evtchn_host_bind_existing(struct domain *guest, evtchn_port_t guest_port,
                              evtchn_host_notify_fn notify, void *opaque,
                              evtchn_port_t *host_port);
int evtchn_host_send(struct domain *guest, evtchn_port_t host_port);
void evtchn_host_close(struct domain *guest, evtchn_port_t host_port);

/*
 * evtchn_is_pending: the pending bit of (port) in (d)'s shared_info, for
 * SCHEDOP_poll. evtchn_vcpu_events_pending: (v)'s upcall_pending flag.
 */
bool evtchn_is_pending(struct domain *d, evtchn_port_t port);
bool evtchn_vcpu_events_pending(struct vcpu *v);

/*
 * evtchn_poll: SCHEDOP_poll for the calling vCPU (v): returns 0 at once if
 * one of (ports)[0 .. n) is pending, else blocks until one is, the
 * system time reaches (deadline) (0: none), or the domain stops, and
 * returns 0. -EINVAL: a port beyond the domain's maximum. Any port of
 * the domain becoming pending wakes its pollers, masked or not.
 */
int evtchn_poll(struct vcpu *v, const evtchn_port_t *ports, unsigned int n,
                uint64_t deadline);

#endif /* PVHV_CORE_EVENT_CHANNEL_H */
