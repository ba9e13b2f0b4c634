/* SPDX-License-Identifier: MIT */
/* runstate.c: each vCPU's run/block/offline times, as Xen keeps them. */
#include <string.h>

#include "pvabi/errno.h"
#include "pvabi/vcpu.h"
#include "pvabi/xen.h"
#include "core/domain.h"
#include "core/log.h"
#include "core/runstate.h"
#include "core/time.h"

/* The guest's layouts: 48 bytes (64-bit), 44 packed (32-bit). */
#define RUNSTATE_LEN_64 48u
#define RUNSTATE_LEN_32 44u

/* serialise: (r) in the guest layout; returns the entry time's offset. */
static uint32_t serialise(const struct vcpu_runstate_info *r, bool compat,
                          uint8_t *buf, uint32_t *len)
{
    uint32_t at = compat ? 4 : 8;
    int32_t state = r->state;

    memset(buf, 0, RUNSTATE_LEN_64);
    memcpy(buf, &state, sizeof(state));
    memcpy(buf + at, &r->state_entry_time, 8);
    memcpy(buf + at + 8, r->time, sizeof(r->time));
    *len = compat ? RUNSTATE_LEN_32 : RUNSTATE_LEN_64;
    return at;
}

/*
 * update_area: Xen's protocol when the guest asked for the update flag:
 * first XEN_RUNSTATE_UPDATE in the top byte of state_entry_time, then the
 * whole area (flag still set), then the top byte again without it, each
 * step ordered after the last. A reader that sees the flag clear and the
 * same entry time before and after its copy has a consistent copy.
 */
static void update_area(struct vcpu *v)
{
    struct domain *d = v->domain;
    struct vcpu_runstate_info r = v->runstate;
    bool flag = __atomic_load_n(&d->vm_assist, __ATOMIC_ACQUIRE) &
                (1u << VMASST_TYPE_runstate_update_flag);
    uint8_t buf[RUNSTATE_LEN_64];
    uint32_t len, at;

    if (!v->runstate_area.len)
        return;
    if (flag)
        r.state_entry_time |= XEN_RUNSTATE_UPDATE;
    at = serialise(&r, v->runstate_compat, buf, &len);
    if (flag) {
        guest_area_write(&v->runstate_area, &d->ram, at + 7, buf + at + 7, 1);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    }
    guest_area_write(&v->runstate_area, &d->ram, 0, buf, len);
    if (flag) {
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        buf[at + 7] &= 0x7f;
        guest_area_write(&v->runstate_area, &d->ram, at + 7, buf + at + 7, 1);
    }
}

void runstate_change(struct vcpu *v, int state)
{
    uint64_t now;

    if (v->runstate.state == state)
        return;
    now = domain_system_time(v->domain);
    pthread_mutex_lock(&v->runstate_lock);
    if (now > v->runstate.state_entry_time) {
        v->runstate.time[v->runstate.state & 3] +=
            now - v->runstate.state_entry_time;
        v->runstate.state_entry_time = now;
    }
    v->runstate.state = state;
    update_area(v);
    pthread_mutex_unlock(&v->runstate_lock);
}

void runstate_blocked_for(struct vcpu *v, uint64_t ns)
{
    uint64_t now, from;

    if (!ns || v->runstate.state != RUNSTATE_running)
        return;
    now = domain_system_time(v->domain);
    pthread_mutex_lock(&v->runstate_lock);
    from = now > ns ? now - ns : 0;
    if (from > v->runstate.state_entry_time) {
        v->runstate.time[RUNSTATE_running] +=
            from - v->runstate.state_entry_time;
        v->runstate.state_entry_time = from;
    }
    if (now > v->runstate.state_entry_time) {
        v->runstate.time[RUNSTATE_blocked] +=
            now - v->runstate.state_entry_time;
        v->runstate.state_entry_time = now;
    }
    update_area(v);
    pthread_mutex_unlock(&v->runstate_lock);
}

long runstate_register(struct vcpu *v, struct vcpu *t, gva_t va)
{
    struct domain *d = v->domain;
    bool compat = v->ctx.compat;
    struct guest_area a;
    int rc;

    if (compat)
        va = (uint32_t)va; /* a 32-bit handle in the low half */
    rc = guest_area_set(&a, &d->ram, &v->ctx.paging, va,
                        compat ? RUNSTATE_LEN_32 : RUNSTATE_LEN_64);
    if (rc) {
        gdprintk(d,
                 "vcpu_op register_runstate_memory_area: address 0x%llx "
                 "is not mapped writable to RAM",
                 (unsigned long long)va);
        return rc;
    }
    pthread_mutex_lock(&t->runstate_lock);
    t->runstate_area = a;
    t->runstate_compat = compat;
    update_area(t);
    pthread_mutex_unlock(&t->runstate_lock);
    return 0;
}

/*
 * As Xen answers it: the times as of now, the current state's share
 * counted up to now, its entry time unchanged.
 */
long runstate_get(struct vcpu *v, struct vcpu *t, gva_t va)
{
    struct domain *d = v->domain;
    uint64_t now = domain_system_time(d);
    struct vcpu_runstate_info r;
    uint8_t buf[RUNSTATE_LEN_64];
    uint32_t len;

    pthread_mutex_lock(&t->runstate_lock);
    r = t->runstate;
    pthread_mutex_unlock(&t->runstate_lock);
    if (now > r.state_entry_time)
        r.time[r.state & 3] += now - r.state_entry_time;
    if (v->ctx.compat)
        va = (uint32_t)va;
    serialise(&r, v->ctx.compat, buf, &len);
    if (copy_to_guest(&d->ram, &v->ctx.paging, va, buf, len) < 0) {
        gdprintk(d,
                 "vcpu_op get_runstate_info: address 0x%llx is not "
                 "mapped writable to RAM",
                 (unsigned long long)va);
        return -XEN_EFAULT;
    }
    return 0;
}

void runstate_init(struct vcpu *v)
{
    pthread_mutex_init(&v->runstate_lock, NULL);
}

void runstate_fini(struct vcpu *v)
{
    pthread_mutex_destroy(&v->runstate_lock);
}
