/* SPDX-License-Identifier: MIT */
/* hypercall.h: the hypercall table and its dispatcher. */
#ifndef PVHV_CORE_HYPERCALL_H
#define PVHV_CORE_HYPERCALL_H

#include <stdint.h>

#include "pvabi/xen.h"

struct vcpu;

/* A handler gets the calling vCPU and up to five arguments. */
typedef long (*hypercall_fn)(struct vcpu *v, const uint64_t arg[5]);

struct hypercall {
    const char *name;
    hypercall_fn fn;
    unsigned int nargs;
};

/*
 * hypercall_lookup: the table entry for (nr), or NULL when (nr) is out of
 * range or not served.
 */
const struct hypercall *hypercall_lookup(uint64_t nr);

/*
 * hypercall_dispatch: runs hypercall (nr) for (v) and returns what goes
 * back in %rax: the handler's result, -XEN_ENOSYS for an unknown number,
 * -XEN_EPERM when the guest is not at CPL 0.
 */
long hypercall_dispatch(struct vcpu *v, uint64_t nr, const uint64_t arg[5]);

/* Handlers, one file each under hypervisor/core/. */
long do_console_io(struct vcpu *v, const uint64_t arg[5]);
long do_xen_version(struct vcpu *v, const uint64_t arg[5]);
long do_sched_op(struct vcpu *v, const uint64_t arg[5]);
long do_memory_op(struct vcpu *v, const uint64_t arg[5]);
long do_hvm_op(struct vcpu *v, const uint64_t arg[5]);
long do_vcpu_op(struct vcpu *v, const uint64_t arg[5]);
long do_event_channel_op(struct vcpu *v, const uint64_t arg[5]);
long do_set_timer_op(struct vcpu *v, const uint64_t arg[5]);

#endif /* PVHV_CORE_HYPERCALL_H */
