/* SPDX-License-Identifier: MIT */
/* pvhv.c: the embedding API: a hypervisor instance and its domains' lifecycle. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/domain.h"
#include "core/loader.h"
#include "core/log.h"
#include "platform/platform.h"

/* Larger kernel files are refused before reading: no PVH kernel is this big. */
#define KERNEL_FILE_MAX (1ULL << 30)

struct pvhv {
    struct platform *platform;
    pthread_mutex_t lock;
    uint16_t next_domid;
};

int pvhv_open(struct pvhv **hvp, struct pvhv_error *err)
{
    struct pvhv *hv = calloc(1, sizeof(*hv));
    if (!hv) {
        snprintf(err->msg, sizeof(err->msg), "out of memory");
        return -ENOMEM;
    }
    int rc = platform_open(&hv->platform, err);
    if (rc < 0) {
        free(hv);
        return rc;
    }
    pthread_mutex_init(&hv->lock, NULL);
    hv->next_domid = 1; /* domain 0 is the toolstack */
    *hvp = hv;
    return 0;
}

void pvhv_close(struct pvhv *hv)
{
    if (!hv)
        return;
    platform_close(hv->platform);
    pthread_mutex_destroy(&hv->lock);
    free(hv);
}

static int read_kernel(const char *path, uint8_t **buf, size_t *len,
                       struct pvhv_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        snprintf(err->msg, sizeof(err->msg), "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -errno;
    }
    int rc = 0;
    if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > KERNEL_FILE_MAX) {
        snprintf(err->msg, sizeof(err->msg),
                 "%s: not a regular file of at most 1 GiB", path);
        rc = -EINVAL;
        goto out;
    }
    *len = (size_t)st.st_size;
    *buf = malloc(*len ? *len : 1);
    if (!*buf) {
        snprintf(err->msg, sizeof(err->msg), "%s: out of memory", path);
        rc = -ENOMEM;
        goto out;
    }
    size_t done = 0;
    while (done < *len) {
        ssize_t n = read(fd, *buf + done, *len - done);
        if (n <= 0) {
            snprintf(err->msg, sizeof(err->msg), "%s: read failed: %s", path,
                     n < 0 ? strerror(errno) : "file shrank while read");
            free(*buf);
            rc = -EIO;
            goto out;
        }
        done += (size_t)n;
    }
out:
    close(fd);
    return rc;
}

/* Loads the kernel and writes the boot data: nothing runs before this passes. */
static int load_kernel(struct domain *d, const struct pvhv_domain_config *cfg,
                       struct pvhv_error *err)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    struct elf_image img;
    struct boot_layout layout;
    int rc = read_kernel(cfg->kernel, &buf, &len, err);
    if (rc < 0)
        return rc;
    rc = elf_parse(cfg->kernel, buf, len, &d->ram, &img, err);
    if (rc == 0) {
        elf_load(&img, buf, &d->ram);
        rc = boot_build(&img, &d->ram, cfg->cmdline, 1, &layout, err);
    }
    free(buf);
    if (rc < 0)
        return rc;
    d->entry = img.entry;
    d->start_info = layout.start_info;
    d->platform_page = layout.extra;
    return 0;
}

static int check_config(const struct pvhv_domain_config *cfg,
                        struct pvhv_error *err)
{
    if (!cfg->name || !cfg->name[0] || strlen(cfg->name) >= 64) {
        snprintf(err->msg, sizeof(err->msg),
                 "domain name must have 1 to 63 characters");
        return -EINVAL;
    }
    if (cfg->vcpus < 1 || cfg->vcpus > PVHV_MAX_VCPUS) {
        snprintf(err->msg, sizeof(err->msg),
                 "%u vCPUs: a domain has 1 to %d", cfg->vcpus, PVHV_MAX_VCPUS);
        return -EINVAL;
    }
    if (cfg->memory == 0 || cfg->memory % GUEST_PAGE_SIZE) {
        snprintf(err->msg, sizeof(err->msg),
                 "memory of %llu bytes: must be a positive multiple of 4 KiB",
                 (unsigned long long)cfg->memory);
        return -EINVAL;
    }
    if (!cfg->kernel || !cfg->kernel[0]) {
        snprintf(err->msg, sizeof(err->msg), "no kernel given");
        return -EINVAL;
    }
    return 0;
}

static struct domain *domain_alloc(struct pvhv *hv,
                                   const struct pvhv_domain_config *cfg)
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
    d->hv = hv;
    snprintf(d->name, sizeof(d->name), "%s", cfg->name);
    memcpy(d->uuid, cfg->uuid, sizeof(d->uuid));
    d->ram.size = cfg->memory;
    d->console = cfg->console;
    d->console_opaque = cfg->console_opaque;
    d->exec_mode = cfg->exec_mode;
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->stopped, NULL);
    atomic_init(&d->state, DOMAIN_CREATED);
    pthread_mutex_lock(&hv->lock);
    d->domid = hv->next_domid++;
    if (hv->next_domid >= DOMID_FIRST_RESERVED)
        hv->next_domid = 1;
    pthread_mutex_unlock(&hv->lock);
    return d;
}

int pvhv_domain_create(struct pvhv *hv, const struct pvhv_domain_config *cfg,
                       struct domain **dp, struct pvhv_error *err)
{
    int rc = check_config(cfg, err);
    if (rc < 0)
        return rc;
    struct domain *d = domain_alloc(hv, cfg);
    if (!d) {
        snprintf(err->msg, sizeof(err->msg), "out of memory");
        return -ENOMEM;
    }
    rc = platform_vm_create(hv->platform, d, err);
    if (rc == 0)
        rc = load_kernel(d, cfg, err);
    for (unsigned int i = 0; rc == 0 && i < cfg->vcpus; i++) {
        d->vcpus[i].domain = d;
        d->vcpus[i].id = i;
        d->nr_vcpus = i + 1;
        rc = platform_vcpu_create(&d->vcpus[i], err);
    }
    if (rc < 0) {
        atomic_store(&d->state, DOMAIN_STOPPED);
        pvhv_domain_destroy(d);
        return rc;
    }
    *dp = d;
    return 0;
}

static void *vcpu_thread(void *opaque)
{
    struct vcpu *v = opaque;
    sigset_t set;
    /* Process signals (SIGINT, SIGTERM, ...) belong to the toolstack's
     * thread; a vCPU thread takes only the kick. */
    sigfillset(&set);
    sigdelset(&set, SIGRTMIN);
    pthread_sigmask(SIG_SETMASK, &set, NULL);
    platform_vcpu_run(v);
    return NULL;
}

int pvhv_domain_start(struct domain *d, struct pvhv_error *err)
{
    int expected = DOMAIN_CREATED;
    if (!atomic_compare_exchange_strong(&d->state, &expected, DOMAIN_RUNNING)) {
        snprintf(err->msg, sizeof(err->msg), "domain %u was already started",
                 d->domid);
        return -EBUSY;
    }
    /* Secondary vCPUs start when the guest brings them up (VCPUOP_up). */
    struct vcpu *v = &d->vcpus[0];
    int rc = pthread_create(&v->thread, NULL, vcpu_thread, v);
    if (rc != 0) {
        snprintf(err->msg, sizeof(err->msg), "cannot start vCPU 0: %s",
                 strerror(rc));
        domain_crash(d, NULL, "could not start vCPU 0");
        return -rc;
    }
    v->thread_started = true;
    return 0;
}

void pvhv_domain_stats(const struct domain *d, struct pvhv_stats *st)
{
    st->exits = atomic_load_explicit(&d->exits, memory_order_relaxed);
    st->exits_io = atomic_load_explicit(&d->exits_io, memory_order_relaxed);
    st->hypercalls = atomic_load_explicit(&d->hypercalls, memory_order_relaxed);
    st->native = d->native;
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

void pvhv_domain_destroy(struct domain *d)
{
    if (!d)
        return;
    domain_destroy_running(d);
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = &d->vcpus[i];
        if (v->thread_started)
            pthread_join(v->thread, NULL);
        v->thread_started = false;
        platform_vcpu_destroy(v);
    }
    platform_vm_destroy(d);
    pthread_cond_destroy(&d->stopped);
    pthread_mutex_destroy(&d->lock);
    free(d->cmdline);
    free(d->vcpus);
    free(d);
}

uint16_t pvhv_domain_id(const struct domain *d)
{
    return d->domid;
}

const char *pvhv_domain_name(const struct domain *d)
{
    return d->name;
}

const char *pvhv_end_name(enum pvhv_end end)
{
    static const char *const names[] = {
        [PVHV_END_POWEROFF] = "poweroff",
        [PVHV_END_REBOOT] = "reboot",
        [PVHV_END_SUSPEND] = "suspend",
        [PVHV_END_CRASH] = "crash",
        [PVHV_END_WATCHDOG] = "watchdog",
        [PVHV_END_SOFT_RESET] = "soft_reset",
        [PVHV_END_DESTROYED] = "destroyed",
    };
    if ((unsigned int)end < sizeof(names) / sizeof(names[0]) && names[end])
        return names[end];
    return "unknown";
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
