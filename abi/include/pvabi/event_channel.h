/* SPDX-License-Identifier: MIT */
/* event_channel.h: event_channel_op(cmd, arg): ports between domains and vCPUs.
 */
#ifndef PVABI_EVENT_CHANNEL_H
#define PVABI_EVENT_CHANNEL_H

#include <stdint.h>
#include "xen.h"

/*
 * An event channel is a pair of ports; sending on one end sets the other
 * end's pending bit (2-level ABI, see struct shared_info in xen.h) and
 * upcalls the vCPU it is bound to. Ports are numbered from 1; port 0 is
 * never valid. A domain owns at most its configured number of ports
 * (default 1023). An unprivileged domain acts on itself only: `dom`
 * fields must be DOMID_SELF or its own id.
 *
 *   enum event_channel_op {  // EVTCHNOP_* => struct evtchn_*
 *       EVTCHNOP_bind_interdomain  = 0,  // struct evtchn_bind_interdomain
 *       EVTCHNOP_bind_virq         = 1,  // struct evtchn_bind_virq
 *       EVTCHNOP_close             = 3,  // struct evtchn_close
 *       EVTCHNOP_send              = 4,  // struct evtchn_send
 *       EVTCHNOP_status            = 5,  // struct evtchn_status
 *       EVTCHNOP_alloc_unbound     = 6,  // struct evtchn_alloc_unbound
 *       EVTCHNOP_bind_ipi          = 7,  // struct evtchn_bind_ipi
 *       EVTCHNOP_bind_vcpu         = 8,  // struct evtchn_bind_vcpu
 *       EVTCHNOP_unmask            = 9,  // struct evtchn_unmask
 *   };
 * bind_pirq (2) and reset (10) answer -XEN_ENOSYS. The FIFO ABI ops
 * (11-13) check their arguments as Xen does, then answer what Xen answers
 * a domain that stays on the 2-level ABI (see each below): a guest that
 * probes for FIFO falls back on 2-level, as Linux and Mini-OS do.
 */
/*
 * EVTCHNOP_alloc_unbound: a new port in <dom> that <remote_dom> may bind.
 * Errors: -ENOSPC no free port, -EPERM dom is another domain, -ESRCH
 * remote_dom does not exist.
 */
#define EVTCHNOP_alloc_unbound 6
struct evtchn_alloc_unbound {
    /* IN parameters */
    domid_t dom, remote_dom;
    /* OUT parameters */
    evtchn_port_t port;
};

/*
 * EVTCHNOP_bind_interdomain: connects a new local port to <remote_port>
 * of <remote_dom>, which must be unbound and offered to the caller.
 * NOTES: 1. The new local port is set pending, as the peer may have
 * signalled before the bind. Errors: -EINVAL the remote port is not
 * unbound for us, -ESRCH no such domain, -ENOSPC no free port.
 */
#define EVTCHNOP_bind_interdomain 0
struct evtchn_bind_interdomain {
    /* IN parameters */
    domid_t remote_dom;
    evtchn_port_t remote_port;
    /* OUT parameters */
    evtchn_port_t local_port;
};

/*
 * EVTCHNOP_bind_virq: binds virtual IRQ <virq> on <vcpu>. Per-vCPU VIRQs
 * (VIRQ_TIMER, ...) bind once per vCPU; global ones on vCPU 0 only.
 * Errors: -EINVAL virq >= NR_VIRQS or a global VIRQ on a vCPU other
 * than 0, -ENOENT no such vCPU, -EEXIST already bound, -ENOSPC.
 */
#define EVTCHNOP_bind_virq 1
struct evtchn_bind_virq {
    /* IN parameters */
    uint32_t virq;
    uint32_t vcpu;
    /* OUT parameters */
    evtchn_port_t port;
};

/* EVTCHNOP_bind_pirq: physical IRQs; not served. */
#define EVTCHNOP_bind_pirq 2
struct evtchn_bind_pirq {
    uint32_t pirq;
#define BIND_PIRQ__WILL_SHARE 1
    uint32_t flags;
    evtchn_port_t port;
};

/*
 * EVTCHNOP_bind_ipi: a port that signals <vcpu> of the caller's domain.
 * Errors: -ENOENT no such vCPU, -ENOSPC.
 */
#define EVTCHNOP_bind_ipi 7
struct evtchn_bind_ipi {
    uint32_t vcpu;
    /* OUT parameters */
    evtchn_port_t port;
};

/*
 * EVTCHNOP_close: closes <port>; the remote end of an interdomain channel
 * reverts to unbound (offered to this domain again).
 */
#define EVTCHNOP_close 3
struct evtchn_close {
    /* IN parameters */
    evtchn_port_t port;
};

/* EVTCHNOP_send: signals the remote end of <port> (or its vCPU, for IPIs). */
#define EVTCHNOP_send 4
struct evtchn_send {
    /* IN parameters */
    evtchn_port_t port;
};

/*
 * EVTCHNOP_status: the state of <port> in <dom> (DOMID_SELF or own id
 * unless privileged). -EINVAL: port out of range; -ESRCH no such domain;
 * -EPERM another domain. Port 0 reads as closed.
 */
#define EVTCHNOP_status 5
struct evtchn_status {
    /* IN parameters */
    domid_t dom;
    evtchn_port_t port;
    /* OUT parameters */
#define EVTCHNSTAT_closed 0      /* free */
#define EVTCHNSTAT_unbound 1     /* waiting for u.unbound.dom to bind */
#define EVTCHNSTAT_interdomain 2 /* connected to u.interdomain */
#define EVTCHNSTAT_pirq 3
#define EVTCHNSTAT_virq 4 /* bound to u.virq */
#define EVTCHNSTAT_ipi 5
    uint32_t status;
    uint32_t vcpu; /* vCPU the port notifies */
    union {
        struct {
            domid_t dom;
        } unbound;
        struct {
            domid_t dom;
            evtchn_port_t port;
        } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;
};

/*
 * EVTCHNOP_bind_vcpu: makes <port> notify <vcpu>. IPI and per-vCPU VIRQ
 * ports cannot move (-EINVAL), nor closed ones; -ENOENT no such vCPU.
 */
#define EVTCHNOP_bind_vcpu 8
struct evtchn_bind_vcpu {
    /* IN parameters */
    evtchn_port_t port;
    uint32_t vcpu;
};

/*
 * EVTCHNOP_unmask: clears <port>'s mask bit and, if it is pending,
 * re-delivers it (an edge lost while masked is caught up here).
 */
#define EVTCHNOP_unmask 9
struct evtchn_unmask {
    /* IN parameters */
    evtchn_port_t port;
};

/* EVTCHNOP_reset: closes every port of <dom>; not served (-ENOSYS). */
#define EVTCHNOP_reset 10
struct evtchn_reset {
    /* IN parameters */
    domid_t dom;
};

/*
 * EVTCHNOP_init_control: would switch the domain to the FIFO ABI, with
 * vCPU <vcpu>'s struct evtchn_fifo_control_block at <offset> in frame
 * <control_gfn>. pvhv serves the 2-level ABI only; it checks the
 * arguments in Xen's order and answers:
 *   -ENOENT  no such vCPU;
 *   -EINVAL  <offset> beyond XEN_PAGE_SIZE - sizeof(control block) (the
 *            block would cross the page), or not 8-byte aligned, or
 *            <control_gfn> not a RAM frame of the caller;
 *   -ENOSYS  arguments Xen would accept: stay on 2-level.
 * -EFAULT: a bad argument pointer. <link_bits> is never written.
 */
#define EVTCHNOP_init_control 11
struct evtchn_init_control {
    /* IN parameters */
    uint64_t control_gfn;
    uint32_t offset;
    uint32_t vcpu;
    /* OUT parameters */
    uint8_t link_bits;
    uint8_t _pad[7];
};

/*
 * EVTCHNOP_expand_array: would add frame <array_gfn> to the FIFO event
 * array. Xen answers -EOPNOTSUPP while a domain has no FIFO control
 * block, which under pvhv is always.
 */
#define EVTCHNOP_expand_array 12
struct evtchn_expand_array {
    /* IN parameters */
    uint64_t array_gfn;
};

/*
 * EVTCHNOP_set_priority: a FIFO priority for <port>. -EINVAL: port beyond
 * the table; otherwise -ENOSYS, as Xen answers on the 2-level ABI.
 */
#define EVTCHNOP_set_priority 13
struct evtchn_set_priority {
    /* IN parameters */
    evtchn_port_t port;
    uint32_t priority;
};

/* The FIFO ABI's per-vCPU control block (what init_control would map). */
#define EVTCHN_FIFO_PRIORITY_MIN 15
#define EVTCHN_FIFO_MAX_QUEUES (EVTCHN_FIFO_PRIORITY_MIN + 1)
#define EVTCHN_FIFO_LINK_BITS 17
struct evtchn_fifo_control_block {
    uint32_t ready;
    uint32_t _rsvd;
    uint32_t head[EVTCHN_FIFO_MAX_QUEUES];
};

/* The default and largest per-domain port counts of the 2-level ABI. */
#define EVTCHN_DEFAULT_MAX 1023
#define EVTCHN_2L_MAX (EVTCHN_2L_NR_CHANNELS - 1)

#endif /* PVABI_EVENT_CHANNEL_H */
