/* SPDX-License-Identifier: MIT */
/* vm_assist.c: vm_assist(cmd, type): the assists a PVH guest may turn on. */
#include "pvabi/errno.h"
#include "pvabi/xen.h"
#include "core/domain.h"
#include "core/hypercall_handler.h"

/* Xen's HVM_VM_ASSIST_MASK: the only assist an HVM or PVH guest has. */
#define PVH_VM_ASSIST_MASK (1u << VMASST_TYPE_runstate_update_flag)

long do_vm_assist(struct vcpu *v, const uint64_t arg[5])
{
    struct domain *d = v->domain;
    uint64_t cmd = (uint32_t)arg[0], type = arg[1];

    if (cmd != VMASST_CMD_enable && cmd != VMASST_CMD_disable)
        return -XEN_ENOSYS;
    if (type >= 32 || !(PVH_VM_ASSIST_MASK & (1u << type)))
        return -XEN_EINVAL;
    if (cmd == VMASST_CMD_enable)
        __atomic_fetch_or(&d->vm_assist, 1u << type, __ATOMIC_RELEASE);
    else
        __atomic_fetch_and(&d->vm_assist, ~(1u << type), __ATOMIC_RELEASE);
    return 0;
}
