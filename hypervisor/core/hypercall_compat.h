/* SPDX-License-Identifier: MIT */
/* hypercall_compat.h: hypercalls of callers outside 64-bit mode. */
#ifndef PVHV_CORE_HYPERCALL_COMPAT_H
#define PVHV_CORE_HYPERCALL_COMPAT_H

#include <stdint.h>

#include "core/hypercall_handler.h"

/*
 * hypercall_compat: runs hypercall (nr) (< XEN_HYPERCALL_MAX) for (v), a
 * caller outside 64-bit mode (v->ctx.compat): the calls and sub-ops whose
 * structures have another layout there (pvabi/compat.h) are translated
 * (hypercall_compat.c holds the table of them); the others go to (fn),
 * the native handler, as they are. Returns as the handler would.
 */
long hypercall_compat(struct vcpu *v, uint64_t nr, uint64_t arg[5],
                      hypercall_fn fn);

#endif /* PVHV_CORE_HYPERCALL_COMPAT_H */
