/* SPDX-License-Identifier: MIT */
/* memory.c: a domain's memory in the host: two RAM views, special pages. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/domain.h"
#include "platform/kvm/kvm.h"
#include "pvabi/pvhv.h"

#define SPECIAL_SIZE (PLATFORM_SPECIAL_PAGES * GUEST_PAGE_SIZE)

/*
 * RAM is one memfd, mapped twice. The guest's view (pvm->guest_ram) backs
 * KVM's memslots, and grants and special pages are mapped over it with
 * MAP_FIXED, so that the guest sees them at once. The hypervisor's view
 * (d->ram.host, what guest_ram_ptr returns) is a second mapping nothing
 * is ever mapped over: a guest cannot make it read-only or move what the
 * hypervisor's copies reach (a read-only grant over its own RAM would
 * otherwise turn every host write there into SIGSEGV).
 */
static int map_ram(struct platform_vm *pvm, struct domain *d,
                   struct pvhv_error *err)
{
    char name[80];
    void *host, *guest;

    snprintf(name, sizeof(name), "pvhv-ram-%s", d->name);
    pvm->mem_fd = memfd_create(name, MFD_CLOEXEC);
    if (pvm->mem_fd < 0 || ftruncate(pvm->mem_fd, (off_t)d->ram.size) < 0) {
        pvhv_error_set(err, "cannot allocate %llu bytes of guest RAM: %s",
                       (unsigned long long)d->ram.size, strerror(errno));
        return -ENOMEM;
    }
    host = mmap(NULL, d->ram.size, PROT_READ | PROT_WRITE, MAP_SHARED,
                pvm->mem_fd, 0);
    if (host != MAP_FAILED) {
        d->ram.host = host;
        guest = mmap(NULL, d->ram.size, PROT_READ | PROT_WRITE, MAP_SHARED,
                     pvm->mem_fd, 0);
        if (guest != MAP_FAILED) {
            pvm->guest_ram = guest;
            d->ram.low_size = d->ram.size < GUEST_LOW_RAM_MAX
                                  ? d->ram.size
                                  : GUEST_LOW_RAM_MAX;
            return 0;
        }
    }
    pvhv_error_set(err, "cannot map %llu bytes of guest RAM twice: %s",
                   (unsigned long long)d->ram.size, strerror(errno));
    return -ENOMEM;
}

/* Pages such as shared_info live in their own memfd, so that they can be
 * mapped over any guest frame and still be reached by the hypervisor. */
static int map_special(struct platform_vm *pvm, struct domain *d,
                       struct pvhv_error *err)
{
    char name[80];

    snprintf(name, sizeof(name), "pvhv-special-%s", d->name);
    pvm->special_fd = memfd_create(name, MFD_CLOEXEC);
    if (pvm->special_fd < 0 || ftruncate(pvm->special_fd, SPECIAL_SIZE) < 0)
        goto fail;
    pvm->special = mmap(NULL, SPECIAL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
                        pvm->special_fd, 0);
    if (pvm->special != MAP_FAILED)
        return 0;
    pvm->special = NULL;
fail:
    pvhv_error_set(err, "cannot allocate hypervisor pages: %s",
                   strerror(errno));
    return -ENOMEM;
}

/*
 * A hole of the grant window: read-only anonymous memory. Reads give the
 * shared zero page and cost no host RAM; a guest write cannot be served
 * (KVM fails KVM_RUN with EFAULT or exits), and the vCPU loop crashes
 * the domain, where a writable hole would have cost a host page per page
 * written, 64 MiB beyond the domain's memory for the whole window.
 */
static void *map_hole(void *at, size_t len)
{
    return mmap(at, len, PROT_READ,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
                    (at ? MAP_FIXED : 0),
                -1, 0);
}

static int map_grant_window(struct platform_vm *pvm, struct pvhv_error *err)
{
    void *w = map_hole(NULL, PVHV_GRANT_WINDOW_SIZE);

    if (w == MAP_FAILED) {
        pvhv_error_set(err, "cannot reserve the grant window: %s",
                       strerror(errno));
        return -ENOMEM;
    }
    pvm->grant_window = w;
    return 0;
}

int kvm_memory_create(struct platform_vm *pvm, struct domain *d,
                      struct pvhv_error *err)
{
    int rc = map_special(pvm, d, err);

    if (rc == 0)
        rc = map_ram(pvm, d, err);
    return rc < 0 ? rc : map_grant_window(pvm, err);
}

void kvm_memory_destroy(struct platform_vm *pvm, struct domain *d)
{
    if (d->ram.host)
        munmap(d->ram.host, d->ram.size);
    d->ram.host = NULL;
    if (pvm->guest_ram)
        munmap(pvm->guest_ram, d->ram.size);
    pvm->guest_ram = NULL;
    if (pvm->mem_fd >= 0)
        close(pvm->mem_fd);
    pvm->mem_fd = -1;
    if (pvm->grant_window)
        munmap(pvm->grant_window, PVHV_GRANT_WINDOW_SIZE);
    pvm->grant_window = NULL;
    if (pvm->special)
        munmap(pvm->special, SPECIAL_SIZE);
    pvm->special = NULL;
    if (pvm->special_fd >= 0)
        close(pvm->special_fd);
    pvm->special_fd = -1;
}

/* ---- Where a guest frame is, in each view ------------------------------ */

/* ram_offset: the memfd offset of RAM page (gpa) of (d), or -1. */
static off_t ram_offset(struct domain *d, uint64_t gpa)
{
    uint8_t *host = guest_ram_ptr(&d->ram, gpa, GUEST_PAGE_SIZE);

    return host ? (off_t)(host - d->ram.host) : -1;
}

/* window_page: the address of (gpa) in (d)'s window, or NULL. */
static uint8_t *window_page(struct domain *d, uint64_t gpa)
{
    if (!d->pv || !d->pv->grant_window || gpa < PVHV_GRANT_WINDOW_BASE ||
        gpa - PVHV_GRANT_WINDOW_BASE >= PVHV_GRANT_WINDOW_SIZE)
        return NULL;
    return d->pv->grant_window + (gpa - PVHV_GRANT_WINDOW_BASE);
}

/*
 * guest_page: where the guest's view has page (gpa) of (d): a page of
 * its RAM in the guest view, or of its window; NULL if neither.
 */
static uint8_t *guest_page(struct domain *d, uint64_t gpa)
{
    off_t off;

    if (!d->pv || !d->pv->guest_ram || gpa % GUEST_PAGE_SIZE)
        return NULL;
    off = ram_offset(d, gpa);
    return off >= 0 ? d->pv->guest_ram + off : window_page(d, gpa);
}

/* ---- Mapping over the guest's view ------------------------------------- */

void *kvm_special_page(struct domain *d, unsigned int idx)
{
    if (!d->pv || !d->pv->special || idx >= PLATFORM_SPECIAL_PAGES)
        return NULL;
    return d->pv->special + idx * GUEST_PAGE_SIZE;
}

/* map_special_at: (nr) special pages of (d) from (idx) at (at). */
static int map_special_at(struct domain *d, unsigned int idx, unsigned int nr,
                          uint8_t *at)
{
    /* KVM's MMU notifiers see the new page at once: no memslot change. */
    void *m = mmap(at, nr * GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_FIXED, d->pv->special_fd,
                   (off_t)(idx * GUEST_PAGE_SIZE));

    return m == MAP_FAILED ? -errno : 0;
}

/* One mapping for the whole range: one entry in the host's map count. */
int kvm_map_special_pages(struct domain *d, unsigned int idx, unsigned int nr,
                          uint64_t gpa)
{
    uint8_t *host;

    if (nr == 0 || idx >= PLATFORM_SPECIAL_PAGES ||
        nr > PLATFORM_SPECIAL_PAGES - idx || gpa % GUEST_PAGE_SIZE || !d->pv ||
        !d->pv->guest_ram)
        return -EINVAL;
    host = guest_ram_ptr(&d->ram, gpa, nr * GUEST_PAGE_SIZE);
    if (!host)
        return -EINVAL;
    return map_special_at(d, idx, nr, d->pv->guest_ram + (host - d->ram.host));
}

int kvm_map_grant_frame(struct domain *d, unsigned int idx, uint64_t gpa)
{
    uint8_t *at = guest_page(d, gpa);
    int rc;

    if (idx >= PLATFORM_SPECIAL_PAGES || !d->pv || gpa % GUEST_PAGE_SIZE)
        return -EINVAL;
    if (!at) /* neither RAM nor window: a memslot of its own */
        return kvm_frame_slot_set(d, idx, gpa);
    rc = map_special_at(d, idx, 1, at);
    if (rc == 0)
        kvm_frame_slot_clear(d, idx);
    return rc;
}

/*
 * The granter's page comes from its memfd, not from a view: what the
 * granter has mapped over that frame (a special page, someone else's
 * grant) is not what it granted.
 */
int kvm_map_foreign_page(struct domain *mapper, uint64_t gpa,
                         struct domain *granter, uint64_t granter_gpa,
                         bool readonly)
{
    uint8_t *at = guest_page(mapper, gpa);
    off_t src = ram_offset(granter, granter_gpa);
    void *m;

    if (!at || src < 0 || !granter->pv || granter_gpa % GUEST_PAGE_SIZE)
        return -EINVAL;
    /* MAP_FIXED swaps the page in one step; KVM's MMU notifiers drop
     * the old translation, so the guest sees the new page at once. */
    m = mmap(at, GUEST_PAGE_SIZE, readonly ? PROT_READ : PROT_READ | PROT_WRITE,
             MAP_SHARED | MAP_FIXED, granter->pv->mem_fd, src);
    return m == MAP_FAILED ? -errno : 0;
}

/*
 * Back to what the frame was: the mapper's RAM page (its memfd at the
 * same offset) or a read-only hole of the window. The kernel merges the
 * page back into its neighbours, so the host's map count drops again.
 */
int kvm_unmap_foreign_page(struct domain *mapper, uint64_t gpa)
{
    uint8_t *at = guest_page(mapper, gpa);
    off_t off;
    void *m;

    if (!at)
        return -EINVAL;
    off = ram_offset(mapper, gpa);
    if (off < 0)
        m = map_hole(at, GUEST_PAGE_SIZE);
    else
        m = mmap(at, GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_FIXED, mapper->pv->mem_fd, off);
    return m == MAP_FAILED ? -errno : 0;
}

/*
 * A hole punched in the memfd frees its pages at once, in both views and
 * in KVM's (its MMU notifiers drop the translations); the next access of
 * either faults in a fresh zero page. Mappings over the guest's view (a
 * grant, shared_info) are of other pages and stay.
 */
int kvm_release_ram(struct domain *d, uint64_t gpa, uint64_t len)
{
    uint8_t *host = guest_ram_ptr(&d->ram, gpa, len);

    if (!host || !d->pv || d->pv->mem_fd < 0 || gpa % GUEST_PAGE_SIZE ||
        len % GUEST_PAGE_SIZE)
        return -EINVAL;
    if (fallocate(d->pv->mem_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                  (off_t)(host - d->ram.host), (off_t)len) < 0)
        return -errno;
    return 0;
}

const char *kvm_memory_region(struct domain *d, uint64_t gpa)
{
    if (window_page(d, gpa))
        return "a page of the grant window, read-only where no grant is "
               "mapped writable";
    if (guest_ram_ptr(&d->ram, gpa, 1))
        return "a page of RAM covered by a read-only grant mapping";
    return NULL;
}

const char *kvm_memory_describe(struct domain *d, uint64_t gpa)
{
    const char *what = kvm_memory_region(d, gpa);

    return what ? what : "not RAM, no device";
}
