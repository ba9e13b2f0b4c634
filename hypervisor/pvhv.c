/* SPDX-License-Identifier: MIT */
/* pvhv.c: the embedding API: a hypervisor instance and its domains. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/instance.h"
#include "core/log.h"
#include "core/schedule.h"
#include "core/time.h"
#include "core/xenstore/xenstore.h"
#include "emulated/emulated.h"
#include "host/loop.h"
#include "core/platform.h"
#include "platform/platforms.h"
#include "pvhv.h"

/*
 * Every device kind a domain gets (core/device_types.h), in attach order:
 * the console makes the domain's backend list the others join. A new PV
 * backend or emulated machine is one file that defines its struct
 * device_type and one row here.
 */
static const struct device_type *const backend_types[] = {
    &console_backend, &vbd_backend,
    &emulated_pc, /* an hvm domain's PC hardware (emulated/) */
};

int pvhv_open(struct pvhv **hvp, struct pvhv_error *err)
{
    return pvhv_open_on(&platform_kvm, hvp, err);
}

int pvhv_open_on(const struct platform_ops *ops, struct pvhv **hvp,
                 struct pvhv_error *err)
{
    struct pvhv *hv = calloc(1, sizeof(*hv));
    if (!hv) {
        pvhv_error_set(err, "out of memory");
        return -ENOMEM;
    }
    registry_init(&hv->registry);
    map_budget_init(&hv->maps, map_budget_host_max());
    hv->device_types = backend_types;
    hv->nr_device_types = sizeof(backend_types) / sizeof(backend_types[0]);
    int rc = platform_open(ops, &hv->platform, err);
    if (rc < 0)
        goto fail;
    rc = host_loop_start(&hv->loop);
    if (rc == 0)
        rc = xenstore_create(&hv->xs);
    if (rc == 0)
        rc = evtchn_host_create(&hv->host_ports);
    if (rc < 0) {
        pvhv_error_set(err, "cannot start the hypervisor's services: %s",
                       strerror(-rc));
        goto fail;
    }
    *hvp = hv;
    return 0;
fail:
    evtchn_host_destroy(hv->host_ports);
    if (hv->xs)
        xenstore_destroy(hv->xs);
    platform_close(hv->platform);
    host_loop_free(hv->loop);
    registry_fini(&hv->registry);
    map_budget_fini(&hv->maps);
    free(hv);
    return rc;
}

void pvhv_close(struct pvhv *hv)
{
    if (!hv)
        return;
    /* Nothing runs on the loop from here on; its users then let go. */
    host_loop_stop(hv->loop);
    xenstore_socket_stop(hv->xs_socket);
    evtchn_host_destroy(hv->host_ports);
    xenstore_destroy(hv->xs);
    platform_close(hv->platform);
    host_loop_free(hv->loop);
    registry_fini(&hv->registry);
    map_budget_fini(&hv->maps);
    free(hv);
}

bool pvhv_vmcall_hypercalls(struct pvhv *hv)
{
    return platform_vmcall_hypercalls(hv->platform);
}

void pvhv_native_status(struct pvhv *hv, struct pvhv_native_status *st)
{
    memset(st, 0, sizeof(*st));
    st->usable = platform_native_usable(hv->platform, st->why, sizeof(st->why),
                                        &st->selftest_ns);
}

int pvhv_xenstore_socket(struct pvhv *hv, const char *path,
                         struct pvhv_error *err)
{
    if (hv->xs_socket) {
        pvhv_error_set(err, "%s: XenStore is already served on a socket", path);
        return -EBUSY;
    }
    return xenstore_socket_start(hv->xs, hv->loop, path, &hv->xs_socket,
                                 err->msg, sizeof(err->msg));
}

/* The device list a pvhv_domain_config makes, and the names of its entries. */
struct device_list {
    struct domain_device dev[DOMAIN_MAX_DEVICES];
    char origin[DOMAIN_MAX_DEVICES][24]; /* "disks[N]", "devices[N]" */
};

/*
 * device_list: (cfg)'s devices in attach order: a PV domain's console,
 * then each of its disks, a vbd ("ata" for an hvm domain's drives), then
 * its further devices as given.
 */
static int device_list(const struct pvhv_domain_config *cfg,
                       struct device_list *l, unsigned int *nr,
                       struct pvhv_error *err)
{
    unsigned int n = 0;

    if (cfg->nr_disks > PVHV_MAX_DISKS) {
        pvhv_error_set(err, "%u disks: at most %d", cfg->nr_disks,
                       PVHV_MAX_DISKS);
        return -EINVAL;
    }
    if (cfg->nr_devices > DOMAIN_MAX_DEVICES - !cfg->hvm - cfg->nr_disks) {
        pvhv_error_set(err, "%u disks and %u devices: at most %d in all",
                       cfg->nr_disks, cfg->nr_devices,
                       DOMAIN_MAX_DEVICES - !cfg->hvm);
        return -EINVAL;
    }
    if (cfg->nr_devices && !cfg->devices) {
        pvhv_error_set(err, "%u devices listed at NULL", cfg->nr_devices);
        return -EINVAL;
    }
    if (!cfg->hvm)
        l->dev[n++] = (struct domain_device){.type = "console",
                                             .origin = "the PV console"};
    for (unsigned int i = 0; i < cfg->nr_disks; i++) {
        const struct pvhv_disk *k = &cfg->disks[i];

        snprintf(l->origin[n], sizeof(l->origin[n]), "disks[%u]", i);
        l->dev[n] = (struct domain_device){
            .type = cfg->hvm ? "ata" : "vbd",
            .origin = l->origin[n],
            .file = k->image,
            .params.disk = {k->vdev, k->readonly, k->block},
        };
        n++;
    }
    for (unsigned int i = 0; i < cfg->nr_devices; i++, n++) {
        l->dev[n] = cfg->devices[i];
        if (l->dev[n].origin)
            continue;
        snprintf(l->origin[n], sizeof(l->origin[n]), "devices[%u]", i);
        l->dev[n].origin = l->origin[n];
    }
    *nr = n;
    return 0;
}

/* core_config: the core's configuration of the domain (cfg) describes. */
static int core_config(const struct pvhv_domain_config *cfg,
                       struct device_list *l, struct domain_config *out,
                       struct pvhv_error *err)
{
    *out = (struct domain_config){
        .name = cfg->name,
        .memory = cfg->memory,
        .target_memory = cfg->target_memory,
        .vcpus = cfg->vcpus,
        .kernel = cfg->kernel,
        .initrd = cfg->initrd,
        .cmdline = cfg->cmdline,
        .console = cfg->console,
        .console_opaque = cfg->console_opaque,
        .console_buffer = cfg->console_buffer,
        .log_buffer = cfg->log_buffer,
        .exec_mode = cfg->exec_mode,
        .max_event_channels = cfg->max_event_channels,
        .max_grant_frames = cfg->max_grant_frames,
        .devices = l->dev,
        .hvm = cfg->hvm,
    };
    memcpy(out->uuid, cfg->uuid, sizeof(out->uuid));
    return device_list(cfg, l, &out->nr_devices, err);
}

int pvhv_domain_create(struct pvhv *hv, const struct pvhv_domain_config *cfg,
                       struct domain **d, struct pvhv_error *err)
{
    struct device_list l;
    struct domain_config core;
    int rc = core_config(cfg, &l, &core, err);

    return rc < 0 ? rc : domain_build(hv, &core, d, err);
}

int pvhv_domain_start(struct domain *d, struct pvhv_error *err)
{
    return domain_start(d, err);
}

void pvhv_domain_stop(struct domain *d)
{
    domain_destroy_running(d);
}

void pvhv_domain_destroy(struct domain *d)
{
    if (d)
        domain_teardown(d);
}

int pvhv_domain_shutdown_request(struct domain *d, const char *reason)
{
    char path[64];
    if (strcmp(reason, "poweroff") && strcmp(reason, "reboot") &&
        strcmp(reason, "suspend"))
        return -EINVAL;
    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", d->domid);
    return xenstore_write(d->hv->xs, path, reason);
}

bool pvhv_domain_hears_shutdown(struct domain *d)
{
    char path[64], *v = NULL;
    bool yes;

    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", d->domid);
    if (xenstore_domain_watches(d->hv->xs, d->domid, path))
        return true;
    snprintf(path, sizeof(path), "/local/domain/%u/control/feature-poweroff",
             d->domid);
    yes = xenstore_read(d->hv->xs, path, &v, NULL) == 0 && !strcmp(v, "1");
    free(v);
    return yes;
}

/* The vCPUs' guest instructions, summed; not counted in native mode. */
static void domain_guest_insns(const struct domain *d, struct pvhv_stats *st)
{
    uint64_t sum = 0, n;
    st->guest_insns = 0;
    st->guest_insns_counted = false;
    if (d->native)
        return;
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        if (platform_vcpu_guest_insns(&d->vcpus[i], &n) < 0)
            return;
        sum += n;
    }
    st->guest_insns = sum;
    st->guest_insns_counted = true;
}

/* The vCPUs' KVM exits, summed; not counted where a vCPU has no count. */
static void domain_kvm_exits(const struct domain *d, struct pvhv_stats *st)
{
    uint64_t sum = 0, n;
    st->kvm_exits = 0;
    st->kvm_exits_counted = false;
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        if (platform_vcpu_kvm_exits(&d->vcpus[i], &n) < 0)
            return;
        sum += n;
    }
    st->kvm_exits = sum;
    st->kvm_exits_counted = true;
}

void pvhv_domain_stats(const struct domain *d, struct pvhv_stats *st)
{
    st->exits = atomic_load_explicit(&d->exits, memory_order_relaxed);
    st->exits_io = atomic_load_explicit(&d->exits_io, memory_order_relaxed);
    st->hypercalls = atomic_load_explicit(&d->hypercalls, memory_order_relaxed);
    st->console_dropped = domain_console_dropped(d);
    st->native = d->native;
    st->markers = atomic_load_explicit(&d->markers, memory_order_relaxed);
    st->marker_value =
        atomic_load_explicit(&d->marker_value, memory_order_relaxed);
    st->marker_first_ns =
        atomic_load_explicit(&d->marker_first_ns, memory_order_relaxed);
    st->marker_last_ns =
        atomic_load_explicit(&d->marker_last_ns, memory_order_relaxed);
    st->marker_first_exits =
        atomic_load_explicit(&d->marker_first_exits, memory_order_relaxed);
    st->marker_last_exits =
        atomic_load_explicit(&d->marker_last_exits, memory_order_relaxed);
    st->marker_first_insns =
        atomic_load_explicit(&d->marker_first_insns, memory_order_relaxed);
    st->marker_last_insns =
        atomic_load_explicit(&d->marker_last_insns, memory_order_relaxed);
    st->marker_first_kvm_exits =
        atomic_load_explicit(&d->marker_first_kvm_exits, memory_order_relaxed);
    st->marker_last_kvm_exits =
        atomic_load_explicit(&d->marker_last_kvm_exits, memory_order_relaxed);
    domain_guest_insns(d, st);
    domain_kvm_exits(d, st);
}

void pvhv_domain_wait(struct domain *d, struct pvhv_domain_result *res)
{
    pthread_mutex_lock(&d->lock);
    while (!domain_is_stopped(d))
        pthread_cond_wait(&d->stopped, &d->lock);
    *res = d->result;
    pthread_mutex_unlock(&d->lock);
    pvhv_domain_stats(d, &res->stats);
}

int pvhv_domain_pause(struct domain *d)
{
    return domain_pause(d);
}

int pvhv_domain_unpause(struct domain *d)
{
    return domain_unpause(d);
}

static enum pvhv_state state_of(struct domain *d)
{
    enum pvhv_end end;

    if (domain_is_stopped(d)) {
        pthread_mutex_lock(&d->lock);
        end = d->result.end;
        pthread_mutex_unlock(&d->lock);
        if (end == PVHV_END_CRASH || end == PVHV_END_WATCHDOG)
            return PVHV_STATE_CRASHED;
        return end == PVHV_END_DESTROYED ? PVHV_STATE_DYING
                                         : PVHV_STATE_SHUTDOWN;
    }
    if (atomic_load(&d->paused))
        return PVHV_STATE_PAUSED;
    if (atomic_load(&d->state) == DOMAIN_RUNNING && domain_vcpus_blocked(d))
        return PVHV_STATE_BLOCKED;
    return PVHV_STATE_RUNNING;
}

void pvhv_domain_info(struct domain *d, struct pvhv_domain_info *info)
{
    memset(info, 0, sizeof(*info));
    info->state = state_of(d);
    info->vcpus = d->nr_vcpus;
    info->memory = d->ram.size;
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        info->cpu_ns += vcpu_cpu_ns(&d->vcpus[i]);
    info->system_ns = domain_system_time(d);
    pvhv_domain_stats(d, &info->stats);
}

const char *pvhv_state_name(enum pvhv_state state)
{
    static const char *const names[] = {
        [PVHV_STATE_RUNNING] = "running", [PVHV_STATE_BLOCKED] = "blocked",
        [PVHV_STATE_PAUSED] = "paused",   [PVHV_STATE_SHUTDOWN] = "shutdown",
        [PVHV_STATE_CRASHED] = "crashed", [PVHV_STATE_DYING] = "dying",
    };
    if ((unsigned int)state < sizeof(names) / sizeof(names[0]))
        return names[state];
    return "unknown";
}

size_t pvhv_console_read(struct domain *d, uint64_t *pos, char *buf, size_t len,
                         uint64_t *lost)
{
    return console_buffer_read(&d->console_buf, pos, buf, len, lost);
}

int pvhv_console_fd(struct domain *d)
{
    return d->console_buf.data ? d->console_buf.notify_fd : -1;
}

int pvhv_console_input(struct domain *d, const char *buf, size_t len)
{
    return d->hvm ? emulated_console_input(d, buf, len)
                  : console_backend_input(d, buf, len);
}

size_t pvhv_domain_log_read(struct domain *d, uint64_t *pos, char *buf,
                            size_t len, uint64_t *lost)
{
    return console_buffer_read(&d->log_buf, pos, buf, len, lost);
}

void pvhv_log_sink(void (*sink)(int level, const char *msg))
{
    /* enum log_level's values are the documented numbers. */
    log_set_sink((void (*)(enum log_level, const char *))sink);
}

uint16_t pvhv_domain_id(const struct domain *d)
{
    return d->domid;
}

size_t pvhv_domain_dmesg(struct domain *d, char *buf, size_t len)
{
    return console_log_read(d, buf, len);
}

const char *pvhv_domain_name(const struct domain *d)
{
    return d->name;
}

const char *pvhv_end_name(enum pvhv_end end)
{
    return domain_end_name(end);
}

void pvhv_regs_format(const struct pvhv_regs *r, char *buf, size_t len)
{
    snprintf(buf, len,
             "rip %016llx  rsp %016llx  rflags %08llx  cs %04x  ss %04x\n"
             "rax %016llx  rbx %016llx  rcx %016llx  rdx %016llx\n"
             "rsi %016llx  rdi %016llx  rbp %016llx  r8  %016llx\n"
             "r9  %016llx  r10 %016llx  r11 %016llx  r12 %016llx\n"
             "r13 %016llx  r14 %016llx  r15 %016llx\n"
             "cr0 %016llx  cr2 %016llx  cr3 %016llx  cr4 %016llx  efer %llx\n",
             (unsigned long long)r->rip, (unsigned long long)r->rsp,
             (unsigned long long)r->rflags, r->cs, r->ss,
             (unsigned long long)r->rax, (unsigned long long)r->rbx,
             (unsigned long long)r->rcx, (unsigned long long)r->rdx,
             (unsigned long long)r->rsi, (unsigned long long)r->rdi,
             (unsigned long long)r->rbp, (unsigned long long)r->r8,
             (unsigned long long)r->r9, (unsigned long long)r->r10,
             (unsigned long long)r->r11, (unsigned long long)r->r12,
             (unsigned long long)r->r13, (unsigned long long)r->r14,
             (unsigned long long)r->r15, (unsigned long long)r->cr0,
             (unsigned long long)r->cr2, (unsigned long long)r->cr3,
             (unsigned long long)r->cr4, (unsigned long long)r->efer);
}
