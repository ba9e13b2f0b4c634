/* SPDX-License-Identifier: MIT */
/* vcpu_op.h: vcpu_op's typed helpers, for both callers' layouts. */
#ifndef PVHV_CORE_VCPU_OP_H
#define PVHV_CORE_VCPU_OP_H

struct vcpu;
struct vcpu_set_singleshot_timer;

/*
 * vcpu_set_singleshot_timer: VCPUOP_set_singleshot_timer by (v) for its
 * vCPU (t), with (op) read from the guest. Returns 0, -XEN_EINVAL (t is
 * another vCPU) or -XEN_ETIME (VCPU_SSHOTTMR_future and a past time).
 */
long vcpu_set_singleshot_timer(struct vcpu *v, struct vcpu *t,
                               const struct vcpu_set_singleshot_timer *op);

#endif /* PVHV_CORE_VCPU_OP_H */
