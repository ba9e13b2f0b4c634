/* SPDX-License-Identifier: MIT */
/* sched_op.h: sched_op's typed helpers, for both callers' layouts. */
#ifndef PVHV_CORE_SCHED_OP_H
#define PVHV_CORE_SCHED_OP_H

struct vcpu;
struct sched_poll;

/* Xen's limit on the ports one SCHEDOP_poll may name. */
#define SCHED_POLL_MAX_PORTS 128

/*
 * sched_poll: SCHEDOP_poll for the calling vCPU (v) with (op) read from
 * the guest: sleeps until one of the op->nr_ports ports at guest-virtual
 * op->ports is pending or the system time reaches op->timeout (0: none).
 * Returns 0 either way, -XEN_EINVAL for more than SCHED_POLL_MAX_PORTS
 * ports or one beyond the table, -XEN_EFAULT for a bad port list.
 */
long sched_poll(struct vcpu *v, const struct sched_poll *op);

#endif /* PVHV_CORE_SCHED_OP_H */
