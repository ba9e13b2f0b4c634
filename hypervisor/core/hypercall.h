/* SPDX-License-Identifier: MIT */
/* hypercall.h: the hypercall table and its dispatcher. */
#ifndef PVHV_CORE_HYPERCALL_H
#define PVHV_CORE_HYPERCALL_H

#include <stdint.h>

#include "core/hypercall_handler.h"
#include "pvabi/xen.h"

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
 * -XEN_EPERM when the guest is not at CPL 0; or HYPERCALL_CONTINUE with
 * (arg) updated, when the call is to be executed again
 * (core/hypercall_handler.h).
 */
long hypercall_dispatch(struct vcpu *v, uint64_t nr, uint64_t arg[5]);

#endif /* PVHV_CORE_HYPERCALL_H */
