/* SPDX-License-Identifier: MIT */
/* native.c: native execution, used only where its self-test proves it. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "core/log.h"
#include "core/vcpu.h"
#include "platform/kvm/kvm.h"
#include "platform/kvm/native.h"
#include "pvabi/cpuid.h"

/*
 * The mode is private and undocumented, and the same binary has met it
 * behaving differently on two builds of one host kernel (CPUID trapped
 * on one, ran on the host CPU on the other). So a domain gets it only
 * after a throw-away guest has shown, on this host and in this process,
 * the three things pvhv relies on.
 */
static const char *ending(const struct native_probe *o)
{
    return o->end[0] ? o->end : "no reason recorded";
}

bool native_verdict(const struct native_probe *o, char *why, size_t len)
{
    if (!o->started) {
        snprintf(why, len, "%s", o->setup[0] ? o->setup : "no probe ran");
        return false;
    }
    if (!o->cpuid_done) {
        snprintf(why, len, "the probe guest stopped before CPUID: %s",
                 ending(o));
        return false;
    }
    if (o->cpuid_ebx != XEN_CPUID_SIGNATURE_EBX ||
        o->cpuid_ecx != XEN_CPUID_SIGNATURE_ECX ||
        o->cpuid_edx != XEN_CPUID_SIGNATURE_EDX) {
        snprintf(why, len, "guest CPUID does not trap");
        return false;
    }
    if (!o->loop_done) {
        snprintf(why, len, "the probe guest stopped in its loop: %s",
                 ending(o));
        return false;
    }
    if (!o->loop_counted) {
        snprintf(why, len,
                 "the host does not count emulated instructions "
                 "(no insn_emulation statistic), so native execution cannot "
                 "be proven");
        return false;
    }
    if (o->loop_emulated >= NATIVE_PROBE_LOOP) {
        snprintf(why, len,
                 "guest instructions still run emulated (%" PRIu64
                 " of a %d-iteration loop)",
                 o->loop_emulated, NATIVE_PROBE_LOOP);
        return false;
    }
    if (!o->fault_done) {
        snprintf(why, len,
                 "a guest page fault ended as %s, not in the "
                 "guest's handler",
                 ending(o));
        return false;
    }
    if (o->fault_vector != 14 || o->fault_error != NATIVE_PROBE_FAULT_ERROR ||
        o->fault_cr2 != NATIVE_PROBE_FAULT_ADDR) {
        snprintf(why, len,
                 "a guest page fault arrived as vector %u, error "
                 "code 0x%" PRIx64 ", cr2 0x%" PRIx64 " (the architecture "
                 "says 14, 0x%llx, 0x%llx)",
                 o->fault_vector, o->fault_error, o->fault_cr2,
                 NATIVE_PROBE_FAULT_ERROR, NATIVE_PROBE_FAULT_ADDR);
        return false;
    }
    return true;
}

static void native_settle(struct kvm_platform *p, const struct native_probe *o)
{
    char why[256];
    p->native_seen = *o;
    p->native_ok = native_verdict(o, why, sizeof(why));
    p->native_known = true;
    pr_info("native execution self-test (%.2f ms): %s%s", (double)o->ns / 1e6,
            p->native_ok ? "usable" : "unusable: ", p->native_ok ? "" : why);
}

bool kvm_native_usable(struct kvm_platform *p, char *why, size_t len,
                       uint64_t *ns)
{
    pthread_mutex_lock(&p->native_lock);
    if (!p->native_known) {
        struct native_probe o;
        native_probe_run(p, &o);
        native_settle(p, &o);
    }
    bool ok = p->native_ok;
    if (!ok && why)
        native_verdict(&p->native_seen, why, len);
    if (ns)
        *ns = p->native_seen.ns;
    pthread_mutex_unlock(&p->native_lock);
    return ok;
}

void native_inject(struct kvm_platform *p, const struct native_probe *o)
{
    pthread_mutex_lock(&p->native_lock);
    native_settle(p, o);
    pthread_mutex_unlock(&p->native_lock);
}

bool kvm_native_setup(struct vcpu *v, const struct platform_vcpu_config *cfg)
{
    uint64_t area = cfg->platform_page | 1;
    if (cfg->exec_mode != PVHV_EXEC_NATIVE ||
        !kvm_native_usable(v->pv->p, NULL, 0, NULL))
        return false;
    if (kvm_msr(v->pv->fd, KVM_SET_MSRS, PVM_MSR_AREA, &area) < 0) {
        pr_warn("domain %u vCPU %u: native mode refused; running emulated",
                cfg->domid, v->id);
        return false;
    }
    return true;
}
