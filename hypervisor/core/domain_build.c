/* SPDX-License-Identifier: MIT */
/* domain_build.c: making a domain, in ordered steps, and taking it apart. */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/acpi.h"
#include "core/device_types.h"
#include "core/domain.h"
#include "core/event_channel.h"
#include "core/grant_table.h"
#include "core/host_file.h"
#include "core/instance.h"
#include "core/io.h"
#include "core/loader.h"
#include "core/log.h"
#include "core/memory_reservation.h"
#include "core/multiboot.h"
#include "core/schedule.h"
#include "core/time.h"
#include "core/xenstore/ring.h"
#include "core/xenstore/xenstore.h"
#include "core/platform.h"

/* Larger kernel files are refused before reading: no PVH kernel is this big. */
#define KERNEL_FILE_MAX (1ULL << 30)

/*
 * Pages after the boot data, in the reserved boot region: the platform's,
 * the XenStore ring, the console ring, then the grant table frames.
 */
enum { EXTRA_PLATFORM, EXTRA_STORE, EXTRA_CONSOLE, EXTRA_GRANT_FRAMES };
#define DEFAULT_GRANT_FRAMES 32
_Static_assert(PVHV_MAX_GRANT_FRAMES == PLATFORM_SPECIAL_PAGES - 1,
               "grant frames follow shared_info in the special pages");
_Static_assert(PVHV_MAX_EVENT_CHANNELS == EVTCHN_2L_MAX, "2-level ports");

static unsigned int grant_frames(const struct domain_config *cfg)
{
    return cfg->max_grant_frames ? cfg->max_grant_frames : DEFAULT_GRANT_FRAMES;
}

/*
 * The kernel, read whole from the caller's descriptor (pvhv opens no path):
 * a regular file of at most KERNEL_FILE_MAX bytes, so that neither a FIFO
 * nor a device can hold the build up.
 */
static int read_whole(const struct pvhv_file *f, const char *what, uint64_t max,
                      const char *max_text, uint8_t **buf, size_t *len,
                      struct pvhv_error *err)
{
    char nbuf[HOST_FILE_NAME_MAX];
    const char *name = host_file_name(f, nbuf, sizeof(nbuf));
    struct stat st;
    int rc = host_file_stat(f, what, &st, err);

    if (rc < 0)
        return rc;
    if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
        pvhv_error_set(err,
                       "%s %s: %s of %lld bytes; allowed: a regular file of "
                       "at most %s",
                       what, name, host_file_type(st.st_mode),
                       (long long)st.st_size, max_text);
        return -EINVAL;
    }
    *len = (size_t)st.st_size;
    *buf = malloc(*len ? *len : 1);
    if (!*buf) {
        pvhv_error_set(err, "%s %s: out of memory", what, name);
        return -ENOMEM;
    }
    rc = host_file_read(f, what, *buf, *len, err);
    if (rc < 0)
        free(*buf);
    return rc;
}

static int read_kernel(const struct pvhv_file *f, uint8_t **buf, size_t *len,
                       struct pvhv_error *err)
{
    return read_whole(f, "kernel", KERNEL_FILE_MAX, "1 GiB", buf, len, err);
}

/* read_initrd: the optional initrd, at most the domain's RAM; (name),
 * HOST_FILE_NAME_MAX bytes, holds its name for messages. */
static int read_initrd(const struct domain *d, const struct domain_config *cfg,
                       struct boot_module *mod, char *name,
                       struct pvhv_error *err)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc;

    memset(mod, 0, sizeof(*mod));
    if (!cfg->initrd.set)
        return 0;
    rc = read_whole(&cfg->initrd, "initrd", d->ram.size, "the domain's RAM",
                    &buf, &len, err);
    if (rc < 0)
        return rc;
    mod->data = buf;
    mod->len = len;
    mod->name = host_file_name(&cfg->initrd, name, HOST_FILE_NAME_MAX);
    return 0;
}

/*
 * warn_vmcall: a Linux kernel (its GUEST_OS note) may issue VMCALL
 * hypercalls that this host cannot pass on: say so, once per process,
 * since it then hangs early with no other sign (pvhv.h PVHV_NO_VMCALL).
 */
static void warn_vmcall(struct domain *d, const char *kernel)
{
    static atomic_bool said;

    if (platform_vmcall_hypercalls(d->hv->platform) ||
        atomic_exchange(&said, true))
        return;
    pr_warn("kernel %s is Linux: %s", kernel, PVHV_NO_VMCALL);
}

/*
 * parse_kernel: a PVH kernel (its note), or in an hvm domain a Multiboot
 * one: (*multiboot) says which. A kernel with both boots the PVH way.
 */
static int parse_kernel(struct domain *d, const char *name, const uint8_t *buf,
                        size_t len, struct elf_image *img, bool *multiboot,
                        struct pvhv_error *err)
{
    struct pvhv_error mb_err = {""};
    uint32_t flags;
    int rc = elf_parse(name, buf, len, &d->ram, img, err), found;

    *multiboot = false;
    if (rc != -ENOEXEC || !d->hvm)
        return rc;
    found = multiboot_find(name, buf, len, &flags, &mb_err);
    if (found < 0)
        *err = mb_err;
    if (found <= 0)
        return found < 0 ? found : rc;
    *multiboot = true;
    return elf_parse_multiboot(name, buf, len, &d->ram, img, err);
}

/* step "kernel": load it and write the boot data; nothing has run yet. */
static int load_kernel(struct domain *d, const struct domain_config *cfg,
                       struct pvhv_error *err)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    struct elf_image img;
    struct boot_layout layout;
    struct boot_module mod = {0};
    char nbuf[HOST_FILE_NAME_MAX], ibuf[HOST_FILE_NAME_MAX];
    const char *kname;
    /* One more page after the grant frames: Multiboot's information. */
    unsigned int extra = EXTRA_GRANT_FRAMES + grant_frames(cfg);
    /* Then the ACPI tables, where the vCPUs have local APICs. */
    unsigned int acpi = d->lapic ? acpi_domain_pages(cfg->vcpus) : 0;
    bool multiboot;
    int rc = read_kernel(&cfg->kernel, &buf, &len, err);

    if (rc < 0)
        return rc;
    kname = host_file_name(&cfg->kernel, nbuf, sizeof(nbuf));
    rc = parse_kernel(d, kname, buf, len, &img, &multiboot, err);
    if (rc == 0 && img.guest_os_linux)
        warn_vmcall(d, kname);
    if (rc == 0)
        rc = read_initrd(d, cfg, &mod, ibuf, err);
    if (rc == 0) {
        elf_load(&img, buf, &d->ram);
        rc = boot_build_module(&img, &d->ram, cfg->cmdline,
                               extra + multiboot + acpi, &mod, &layout, err);
        free((void *)mod.data);
    }
    free(buf);
    if (rc == 0 && multiboot &&
        multiboot_info_build(&d->ram, &layout,
                             layout.extra + extra * GUEST_PAGE_SIZE) < 0) {
        pvhv_error_set(err, "cannot write the Multiboot information");
        rc = -EFAULT;
    }
    if (rc == 0 && acpi)
        rc = acpi_domain_tables(
            d, cfg->vcpus, layout.extra + (extra + multiboot) * GUEST_PAGE_SIZE,
            acpi * GUEST_PAGE_SIZE, layout.start_info, err);
    if (rc < 0)
        return rc;
    d->entry = img.entry;
    d->start_info =
        multiboot ? layout.extra + extra * GUEST_PAGE_SIZE : layout.start_info;
    d->boot_eax = multiboot ? MULTIBOOT_BOOTLOADER_MAGIC : 0;
    d->memmap = layout.memmap;
    d->memmap_entries = layout.memmap_entries;
    d->boot_base = layout.base;
    d->boot_size = layout.size;
    d->platform_page = layout.extra + EXTRA_PLATFORM * GUEST_PAGE_SIZE;
    d->hvm_param[HVM_PARAM_STORE_PFN] =
        (layout.extra + EXTRA_STORE * GUEST_PAGE_SIZE) >> 12;
    d->hvm_param[HVM_PARAM_CONSOLE_PFN] =
        (layout.extra + EXTRA_CONSOLE * GUEST_PAGE_SIZE) >> 12;
    d->grant_frames_gfn =
        (layout.extra + EXTRA_GRANT_FRAMES * GUEST_PAGE_SIZE) >> 12;
    return 0;
}

/*
 * step "output": the kept console output and log, where the toolstack
 * asks for them (freed with the domain, whatever step failed).
 */
static int step_output(struct domain *d, const struct domain_config *cfg,
                       struct pvhv_error *err)
{
    int rc = console_buffer_init(&d->console_buf, cfg->console_buffer, true);

    /* The log is always kept: pvhv_domain_dmesg reads it. */
    if (rc == 0)
        rc = console_buffer_init(
            &d->log_buf, cfg->log_buffer ? cfg->log_buffer : CONSOLE_LOG_KEEP,
            false);
    if (rc < 0)
        pvhv_error_set(err,
                       "cannot keep %zu bytes of console output and %zu of log "
                       "(at most %u each): %s",
                       cfg->console_buffer, cfg->log_buffer, CONSOLE_BUFFER_MAX,
                       strerror(-rc));
    else
        d->log_limit.record = &d->log_buf;
    return rc;
}

/* nr_with_file: the listed devices that hold a host file (the disks). */
static unsigned int nr_with_file(const struct domain_config *cfg)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < cfg->nr_devices; i++)
        n += cfg->devices[i].file.set;
    return n;
}

/*
 * step "mappings": the domain's guaranteed part of the process's memory
 * mappings (core/map_budget.h), before it makes any.
 */
static int step_mappings(struct domain *d, const struct domain_config *cfg,
                         struct pvhv_error *err)
{
    struct map_budget *b = &d->hv->maps;
    uint64_t fixed = map_budget_domain_fixed(cfg->vcpus, grant_frames(cfg),
                                             nr_with_file(cfg));

    if (map_budget_reserve(b, &d->maps, fixed, MAP_BUDGET_OWN) == 0)
        return 0;
    map_budget_explain(b, fixed + MAP_BUDGET_OWN, err->msg, sizeof(err->msg));
    return -ENOSPC;
}

static void unstep_mappings(struct domain *d)
{
    map_budget_release(&d->maps);
}

/* step "registry": the domain's id; listed so that peers can find it. */
static int step_registry(struct domain *d, const struct domain_config *cfg,
                         struct pvhv_error *err)
{
    (void)cfg;
    if (registry_add(&d->hv->registry, d) < 0) {
        pvhv_error_set(err, "no free domain id");
        return -ENOSPC;
    }
    return 0;
}

static void unstep_registry(struct domain *d)
{
    registry_remove(&d->hv->registry, d);
}

/*
 * A step that fails undoes what it did (domain_teardown undoes only the
 * steps done): a VM or vCPU half made would keep its descriptors and
 * memory, and a host short of descriptors would fail every later build.
 */
static int step_vm(struct domain *d, const struct domain_config *cfg,
                   struct pvhv_error *err)
{
    (void)cfg;
    int rc = platform_vm_create(d->hv->platform, d, err);

    if (rc < 0)
        platform_vm_destroy(d);
    else
        d->lapic = platform_vm_lapic(d);
    return rc;
}

/*
 * The devices every domain has (core/io.h), a row each: a new one is its
 * file and its row here. Attached before any vCPU runs.
 */
static const struct domain_io_row {
    const struct io_device *dev; /* NULL: the platform's hypercall port */
    bool pv_only; /* not in an hvm domain, which has no hypercalls */
} domain_devices[] = {
    {NULL, true}, /* where the hypercall stubs exit */
    {&debug_port_device, false},
    {&boot_marker_device, false},
};
#define NR_DOMAIN_DEVICES (sizeof(domain_devices) / sizeof(domain_devices[0]))

static const struct io_device *row_device(const struct domain *d,
                                          unsigned int i)
{
    const struct io_device *dev = domain_devices[i].dev;

    return dev ? dev : platform_hypercall_port(d);
}

/* detach_devices: the first (n) of domain_devices, in reverse. */
static void detach_devices(struct domain *d, unsigned int n)
{
    while (n-- > 0)
        io_device_detach(d, row_device(d, n));
}

/* step "io": the domain's devices. */
static int step_io(struct domain *d, const struct domain_config *cfg,
                   struct pvhv_error *err)
{
    (void)cfg;
    for (unsigned int i = 0; i < NR_DOMAIN_DEVICES; i++) {
        const struct io_device *dev = row_device(d, i);
        int rc =
            d->hvm && domain_devices[i].pv_only ? 0 : io_device_attach(d, dev);

        if (rc < 0) {
            pvhv_error_set(err, "cannot attach the %s at 0x%llx: %s", dev->name,
                           (unsigned long long)dev->base, strerror(-rc));
            detach_devices(d, i);
            return rc;
        }
    }
    return 0;
}

static void unstep_io(struct domain *d)
{
    detach_devices(d, NR_DOMAIN_DEVICES);
}

static void unstep_vcpus(struct domain *d);

static int step_vcpus(struct domain *d, const struct domain_config *cfg,
                      struct pvhv_error *err)
{
    const struct platform_vcpu_config vcfg = {
        .domid = d->domid,
        .entry = d->entry,
        .start_info = d->start_info,
        .boot_eax = d->boot_eax,
        .platform_page = d->platform_page,
        .exec_mode = d->exec_mode,
        .hvm = d->hvm,
    };

    for (unsigned int i = 0; i < cfg->vcpus; i++) {
        struct vcpu *v = &d->vcpus[i];
        v->domain = d;
        v->id = i;
        vcpu_schedule_init(v);
        atomic_init(&v->up, i == 0);
        d->nr_vcpus = i + 1;
        int rc = timer_vcpu_init(v, d->hv->loop);
        if (rc < 0)
            pvhv_error_set(err, "cannot make the timer of vCPU %u: %s", i,
                           strerror(-rc));
        else
            rc = platform_vcpu_create(v, d->pv, &vcfg, err);
        if (rc < 0) {
            unstep_vcpus(d);
            d->nr_vcpus = 0;
            return rc;
        }
        d->native |= platform_vcpu_native(v);
    }
    return 0;
}

static void unstep_vcpus(struct domain *d)
{
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        timer_cancel(&d->vcpus[i]);
        timer_vcpu_fini(&d->vcpus[i]);
        platform_vcpu_destroy(&d->vcpus[i]);
        vcpu_schedule_fini(&d->vcpus[i]);
    }
}

/* step "events": ports, shared_info (special page 0), time. */
static int step_events(struct domain *d, const struct domain_config *cfg,
                       struct pvhv_error *err)
{
    d->shared_info = platform_special_page(d, 0);
    int rc = d->shared_info ? evtchn_domain_init(d, cfg->max_event_channels)
                            : -ENOMEM;
    if (rc < 0) {
        pvhv_error_set(err, "cannot set up event channels (%u ports): %s",
                       cfg->max_event_channels, strerror(-rc));
        return rc;
    }
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = &d->vcpus[i];
        v->vcpu_info = &d->shared_info->vcpu_info[i];
        vcpu_time_update(v);
    }
    domain_wallclock_update(d);
    return 0;
}

static void unstep_events(struct domain *d)
{
    evtchn_domain_destroy(d);
}

/*
 * write_memory_nodes: as xl does, memory/static-max (the most the domain
 * may hold) and memory/target (what its balloon driver is to hold), in
 * KiB, under /local/domain/<D>: the toolstack's to write, the guest's to
 * read (they inherit the domain node's permissions).
 */
static int write_memory_nodes(struct domain *d, const struct domain_config *cfg)
{
    uint64_t target = cfg->target_memory ? cfg->target_memory : cfg->memory;
    char path[64], value[24];
    int rc;

    snprintf(path, sizeof(path), "/local/domain/%u/memory/static-max",
             d->domid);
    snprintf(value, sizeof(value), "%llu",
             (unsigned long long)(cfg->memory >> 10));
    rc = xenstore_write(d->hv->xs, path, value);
    if (rc == 0) {
        snprintf(path, sizeof(path), "/local/domain/%u/memory/target",
                 d->domid);
        snprintf(value, sizeof(value), "%llu",
                 (unsigned long long)(target >> 10));
        rc = xenstore_write(d->hv->xs, path, value);
    }
    return rc;
}

/* step "xenstore": the domain's nodes and its ring to the store. */
static int step_xenstore(struct domain *d, const struct domain_config *cfg,
                         struct pvhv_error *err)
{
    struct xenstore *xs = d->hv->xs;
    evtchn_port_t port;
    int rc = xenstore_domain_introduce(xs, d->domid, d->name, cfg->uuid);
    if (rc == 0)
        rc = write_memory_nodes(d, cfg);
    if (rc == 0) {
        rc = xenstore_ring_create(d, xs, d->hv->loop,
                                  d->hvm_param[HVM_PARAM_STORE_PFN] << 12,
                                  &d->store, &port);
        if (rc < 0)
            xenstore_domain_release(xs, d->domid);
    }
    if (rc < 0) {
        pvhv_error_set(err, "cannot connect to XenStore: %s", strerror(-rc));
        return rc;
    }
    d->hvm_param[HVM_PARAM_STORE_EVTCHN] = port;
    return 0;
}

static void unstep_xenstore(struct domain *d)
{
    xenstore_ring_destroy(d->store);
    d->store = NULL;
    xenstore_domain_release(d->hv->xs, d->domid);
}

/*
 * The devices: each kind the instance was given attaches its entries of
 * the device list, in table order; undone in reverse.
 */
const struct domain_device *domain_device_next(const struct domain_config *cfg,
                                               const char *type,
                                               unsigned int *pos)
{
    while (*pos < cfg->nr_devices) {
        const struct domain_device *dev = &cfg->devices[(*pos)++];

        if (type && dev->type && strcmp(dev->type, type) == 0)
            return dev;
    }
    return NULL;
}

/* claimed: whether a device kind for (d)'s kind attaches (dev). */
static bool claimed(const struct domain *d, const struct domain_device *dev)
{
    for (unsigned int i = 0; i < d->hv->nr_device_types; i++) {
        const struct device_type *t = d->hv->device_types[i];

        if (t->hvm == d->hvm && t->type && dev->type &&
            strcmp(t->type, dev->type) == 0)
            return true;
    }
    return false;
}

/* check_devices: refuses an entry of a type nothing attaches. */
static int check_devices(const struct domain *d,
                         const struct domain_config *cfg,
                         struct pvhv_error *err)
{
    for (unsigned int i = 0; i < cfg->nr_devices; i++) {
        const struct domain_device *dev = &cfg->devices[i];

        if (!claimed(d, dev)) {
            pvhv_error_set(err, "%s: unknown device type '%s' for %s domain",
                           dev->origin ? dev->origin : "device list",
                           dev->type ? dev->type : "(none)",
                           d->hvm ? "an hvm" : "a PV");
            return -EINVAL;
        }
    }
    return 0;
}
static void detach_from(struct domain *d, unsigned int n)
{
    while (n-- > 0)
        if (d->hv->device_types[n]->hvm == d->hvm)
            d->hv->device_types[n]->detach(d);
}

static int step_devices(struct domain *d, const struct domain_config *cfg,
                        struct pvhv_error *err)
{
    int rc = check_devices(d, cfg, err);

    if (rc < 0)
        return rc;
    for (unsigned int i = 0; i < d->hv->nr_device_types; i++) {
        const struct device_type *t = d->hv->device_types[i];
        rc = t->hvm == d->hvm ? t->attach(d, cfg, err) : 0;
        if (rc < 0) {
            detach_from(d, i);
            return rc;
        }
    }
    return 0;
}

static void unstep_devices(struct domain *d)
{
    detach_from(d, d->hv->nr_device_types);
}

/* Set-up runs in this order and is undone in reverse (kvmtool init levels). */
static const struct build_step {
    const char *name;
    int (*init)(struct domain *d, const struct domain_config *cfg,
                struct pvhv_error *err);
    void (*fini)(struct domain *d);
    bool pv_only; /* skipped for an hvm domain: PV interfaces only */
} build_steps[] = {
    {"output", step_output, NULL, false},
    {"mappings", step_mappings, unstep_mappings, false},
    {"registry", step_registry, unstep_registry, false},
    {"vm", step_vm, platform_vm_destroy, false},
    {"io", step_io, unstep_io, false},
    {"kernel", load_kernel, NULL, false},
    {"reservation", memory_reservation_step_init, memory_reservation_step_fini,
     false},
    {"vcpus", step_vcpus, unstep_vcpus, false},
    {"events", step_events, unstep_events, false},
    {"xenstore", step_xenstore, unstep_xenstore, true},
    {"grants", gnttab_step_init, gnttab_step_fini, true},
    {"devices", step_devices, unstep_devices, false},
};
#define NR_BUILD_STEPS (sizeof(build_steps) / sizeof(build_steps[0]))

static int check_config(const struct domain_config *cfg, struct pvhv_error *err)
{
    if (!cfg->name || !cfg->name[0] || strlen(cfg->name) >= 64) {
        pvhv_error_set(err, "domain name must have 1 to 63 characters");
        return -EINVAL;
    }
    if (cfg->vcpus < 1 || cfg->vcpus > PVHV_MAX_VCPUS) {
        pvhv_error_set(err, "%u vCPUs: a domain has 1 to %d", cfg->vcpus,
                       PVHV_MAX_VCPUS);
        return -EINVAL;
    }
    if (cfg->memory == 0 || cfg->memory % GUEST_PAGE_SIZE) {
        pvhv_error_set(
            err, "memory of %llu bytes: must be a positive multiple of 4 KiB",
            (unsigned long long)cfg->memory);
        return -EINVAL;
    }
    if (cfg->target_memory > cfg->memory) {
        pvhv_error_set(
            err,
            "target memory of %llu bytes: more than the domain's memory "
            "(%llu bytes)",
            (unsigned long long)cfg->target_memory,
            (unsigned long long)cfg->memory);
        return -EINVAL;
    }
    if (cfg->max_grant_frames > PVHV_MAX_GRANT_FRAMES) {
        pvhv_error_set(err, "%u grant frames: at most %d",
                       cfg->max_grant_frames, PVHV_MAX_GRANT_FRAMES);
        return -EINVAL;
    }
    if (cfg->nr_devices > DOMAIN_MAX_DEVICES) {
        pvhv_error_set(err, "%u devices: at most %d", cfg->nr_devices,
                       DOMAIN_MAX_DEVICES);
        return -EINVAL;
    }
    if (cfg->nr_devices && !cfg->devices) {
        pvhv_error_set(err, "%u devices listed at NULL", cfg->nr_devices);
        return -EINVAL;
    }
    if (cfg->max_event_channels > EVTCHN_2L_MAX) {
        pvhv_error_set(err, "%u event channels: at most %u",
                       cfg->max_event_channels, (unsigned int)EVTCHN_2L_MAX);
        return -EINVAL;
    }
    if (!cfg->kernel.set || cfg->kernel.fd < 0) {
        pvhv_error_set(
            err, "no kernel given: pvhv_domain_config.kernel needs an open "
                 "descriptor (pvhv_file_fd)");
        return -EBADF;
    }
    return 0;
}

static struct domain *domain_alloc(struct pvhv *hv,
                                   const struct domain_config *cfg)
{
    struct domain *d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    d->vcpus = calloc(cfg->vcpus, sizeof(*d->vcpus));
    d->cmdline = strdup(cfg->cmdline ? cfg->cmdline : "");
    if (!d->vcpus || !d->cmdline) {
        free(d->vcpus);
        free(d->cmdline);
        free(d);
        return NULL;
    }
    struct timespec mono, real;
    clock_gettime(CLOCK_MONOTONIC, &mono);
    clock_gettime(CLOCK_REALTIME, &real);
    d->boot_ns = (uint64_t)mono.tv_sec * 1000000000ULL + (uint64_t)mono.tv_nsec;
    d->boot_realtime_ns =
        (uint64_t)real.tv_sec * 1000000000ULL + (uint64_t)real.tv_nsec;
    d->hv = hv;
    snprintf(d->name, sizeof(d->name), "%s", cfg->name);
    memcpy(d->uuid, cfg->uuid, sizeof(d->uuid));
    d->ram.size = cfg->memory;
    d->console = cfg->console;
    d->console_opaque = cfg->console_opaque;
    d->exec_mode = cfg->exec_mode;
    d->hvm = cfg->hvm;
    d->domid = DOMID_INVALID;
    pthread_mutex_init(&d->lock, NULL);
    pthread_mutex_init(&d->pause_lock, NULL);
    pthread_cond_init(&d->stopped, NULL);
    pthread_mutex_init(&d->console_log.lock, NULL);
    atomic_init(&d->state, DOMAIN_CREATED);
    return d;
}

int domain_build(struct pvhv *hv, const struct domain_config *cfg,
                 struct domain **dp, struct pvhv_error *err)
{
    int rc = check_config(cfg, err);
    if (rc < 0)
        return rc;
    struct domain *d = domain_alloc(hv, cfg);
    if (!d) {
        pvhv_error_set(err, "out of memory");
        return -ENOMEM;
    }
    for (unsigned int i = 0; i < NR_BUILD_STEPS; i++) {
        rc = d->hvm && build_steps[i].pv_only
                 ? 0
                 : build_steps[i].init(d, cfg, err);
        if (rc < 0) {
            pr_info("domain '%s': set-up step '%s' failed: %s", d->name,
                    build_steps[i].name, err->msg);
            atomic_store(&d->state, DOMAIN_STOPPED);
            domain_teardown(d);
            return rc;
        }
        d->built_steps = i + 1;
    }
    *dp = d;
    return 0;
}

static void *vcpu_thread(void *opaque)
{
    struct vcpu *v = opaque;
    static const int own[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL,
                              SIGTRAP, SIGSYS, SIGABRT};
    sigset_t set;
    /* Process signals (SIGINT, SIGTERM, ...) belong to the toolstack's
     * threads; a vCPU thread takes the kick, and the signals its own
     * faults raise, so that a fault here is reported, not hidden. */
    sigfillset(&set);
    sigdelset(&set, SIGRTMIN);
    for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
        sigdelset(&set, own[i]);
    pthread_sigmask(SIG_SETMASK, &set, NULL);
    vcpu_set_current(v);
    platform_vcpu_run(v);
    vcpu_cpu_ns_final(v);
    return NULL;
}

/* Every vCPU gets its thread now; those still down park until VCPUOP_up. */
int domain_start(struct domain *d, struct pvhv_error *err)
{
    int expected = DOMAIN_CREATED;
    if (!atomic_compare_exchange_strong(&d->state, &expected, DOMAIN_RUNNING)) {
        pvhv_error_set(err, "domain %u was already started", d->domid);
        return -EBUSY;
    }
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = &d->vcpus[i];
        int rc = pthread_create(&v->thread, NULL, vcpu_thread, v);
        if (rc != 0) {
            pvhv_error_set(err, "cannot start vCPU %u: %s", i, strerror(rc));
            domain_crash(d, NULL, "could not start vCPU %u", i);
            return -rc;
        }
        v->thread_started = true;
    }
    return 0;
}

void domain_teardown(struct domain *d)
{
    domain_destroy_running(d);
    /* Unlisted first: no peer can find it while its ports close. */
    registry_remove(&d->hv->registry, d);
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = &d->vcpus[i];
        if (v->thread_started)
            pthread_join(v->thread, NULL);
        v->thread_started = false;
        /* A timer firing now would raise VIRQ_TIMER in a dying domain. */
        timer_cancel(v);
    }
    for (unsigned int i = d->built_steps; i-- > 0;)
        if (build_steps[i].fini && !(d->hvm && build_steps[i].pv_only))
            build_steps[i].fini(d);
    console_log_flush(d); /* a last line without its newline */
    pthread_mutex_destroy(&d->console_log.lock);
    pthread_cond_destroy(&d->stopped);
    pthread_mutex_destroy(&d->pause_lock);
    pthread_mutex_destroy(&d->lock);
    console_buffer_fini(&d->console_buf);
    console_buffer_fini(&d->log_buf);
    free(d->cmdline);
    free(d->vcpus);
    free(d);
}
