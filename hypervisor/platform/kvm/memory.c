/* SPDX-License-Identifier: MIT */
/* memory.c: a domain's memory in the host: two RAM views, special pages. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/guest_memory.h"
#include "platform/kvm/kvm.h"
#include "pvabi/pvhv.h"

#define SPECIAL_SIZE (PLATFORM_SPECIAL_PAGES * GUEST_PAGE_SIZE)

/*
 * RAM is one memfd, mapped twice. The guest's view (pvm->guest_ram) backs
 * KVM's memslots, and grants and special pages are mapped over it with
 * MAP_FIXED, so that the guest sees them at once. The hypervisor's view
 * (pvm->ram->host, what guest_ram_ptr returns) is a second mapping nothing
 * is ever mapped over: a guest cannot make it read-only or move what the
 * hypervisor's copies reach (a read-only grant over its own RAM would
 * otherwise turn every host write there into SIGSEGV).
 */
static int map_ram(struct platform_vm *pvm, struct pvhv_error *err)
{
    char name[80];
    void *host, *guest;

    snprintf(name, sizeof(name), "pvhv-ram-%s", pvm->name);
    pvm->mem_fd = memfd_create(name, MFD_CLOEXEC);
    if (pvm->mem_fd < 0 || ftruncate(pvm->mem_fd, (off_t)pvm->ram->size) < 0) {
        pvhv_error_set(err, "cannot allocate %llu bytes of guest RAM: %s",
                       (unsigned long long)pvm->ram->size, strerror(errno));
        return -ENOMEM;
    }
    host = mmap(NULL, pvm->ram->size, PROT_READ | PROT_WRITE, MAP_SHARED,
                pvm->mem_fd, 0);
    if (host != MAP_FAILED) {
        pvm->ram->host = host;
        guest = mmap(NULL, pvm->ram->size, PROT_READ | PROT_WRITE, MAP_SHARED,
                     pvm->mem_fd, 0);
        if (guest != MAP_FAILED) {
            pvm->guest_ram = guest;
            pvm->ram->low_size = pvm->ram->size < GUEST_LOW_RAM_MAX
                                     ? pvm->ram->size
                                     : GUEST_LOW_RAM_MAX;
            return 0;
        }
    }
    pvhv_error_set(err, "cannot map %llu bytes of guest RAM twice: %s",
                   (unsigned long long)pvm->ram->size, strerror(errno));
    return -ENOMEM;
}

/* Pages such as shared_info live in their own memfd, so that they can be
 * mapped over any guest frame and still be reached by the hypervisor. */
static int map_special(struct platform_vm *pvm, struct pvhv_error *err)
{
    char name[80];

    snprintf(name, sizeof(name), "pvhv-special-%s", pvm->name);
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

int kvm_memory_create(struct platform_vm *pvm, struct pvhv_error *err)
{
    int rc = map_special(pvm, err);

    if (rc == 0)
        rc = map_ram(pvm, err);
    return rc < 0 ? rc : map_grant_window(pvm, err);
}

void kvm_memory_destroy(struct platform_vm *pvm)
{
    if (pvm->ram->host)
        munmap(pvm->ram->host, pvm->ram->size);
    pvm->ram->host = NULL;
    if (pvm->guest_ram)
        munmap(pvm->guest_ram, pvm->ram->size);
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
static off_t ram_offset(struct platform_vm *pvm, uint64_t gpa)
{
    uint8_t *host = pvm ? guest_ram_ptr(pvm->ram, gpa, GUEST_PAGE_SIZE) : NULL;

    return host ? (off_t)(host - pvm->ram->host) : -1;
}

/* window_page: the address of (gpa) in (d)'s window, or NULL. */
static uint8_t *window_page(struct platform_vm *pvm, uint64_t gpa)
{
    if (!pvm || !pvm->grant_window || gpa < PVHV_GRANT_WINDOW_BASE ||
        gpa - PVHV_GRANT_WINDOW_BASE >= PVHV_GRANT_WINDOW_SIZE)
        return NULL;
    return pvm->grant_window + (gpa - PVHV_GRANT_WINDOW_BASE);
}

/*
 * guest_page: where the guest's view has page (gpa) of (d): a page of
 * its RAM in the guest view, or of its window; NULL if neither.
 */
static uint8_t *guest_page(struct platform_vm *pvm, uint64_t gpa)
{
    off_t off;

    if (!pvm || !pvm->guest_ram || gpa % GUEST_PAGE_SIZE)
        return NULL;
    off = ram_offset(pvm, gpa);
    return off >= 0 ? pvm->guest_ram + off : window_page(pvm, gpa);
}

/* ---- Mapping over the guest's view ------------------------------------- */

void *kvm_special_page(struct platform_vm *pvm, unsigned int idx)
{
    if (!pvm || !pvm->special || idx >= PLATFORM_SPECIAL_PAGES)
        return NULL;
    return pvm->special + idx * GUEST_PAGE_SIZE;
}

/* map_special_at: (nr) special pages of (d) from (idx) at (at). */
static int map_special_at(struct platform_vm *pvm, unsigned int idx,
                          unsigned int nr, uint8_t *at)
{
    /* KVM's MMU notifiers see the new page at once: no memslot change. */
    void *m = mmap(at, nr * GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_FIXED, pvm->special_fd,
                   (off_t)(idx * GUEST_PAGE_SIZE));

    return m == MAP_FAILED ? -errno : 0;
}

/* One mapping for the whole range: one entry in the host's map count. */
int kvm_map_special_pages(struct platform_vm *pvm, unsigned int idx,
                          unsigned int nr, uint64_t gpa)
{
    uint8_t *host;

    if (nr == 0 || idx >= PLATFORM_SPECIAL_PAGES ||
        nr > PLATFORM_SPECIAL_PAGES - idx || gpa % GUEST_PAGE_SIZE || !pvm ||
        !pvm->guest_ram)
        return -EINVAL;
    host = guest_ram_ptr(pvm->ram, gpa, nr * GUEST_PAGE_SIZE);
    if (!host)
        return -EINVAL;
    return map_special_at(pvm, idx, nr,
                          pvm->guest_ram + (host - pvm->ram->host));
}

int kvm_map_grant_frame(struct platform_vm *pvm, unsigned int idx, uint64_t gpa)
{
    uint8_t *at = guest_page(pvm, gpa);
    int rc;

    if (idx >= PLATFORM_SPECIAL_PAGES || !pvm || gpa % GUEST_PAGE_SIZE)
        return -EINVAL;
    if (!at) /* neither RAM nor window: a memslot of its own */
        return kvm_frame_slot_set(pvm, idx, gpa);
    rc = map_special_at(pvm, idx, 1, at);
    if (rc == 0)
        kvm_frame_slot_clear(pvm, idx);
    return rc;
}

/*
 * The granter's page comes from its memfd, not from a view: what the
 * granter has mapped over that frame (a special page, someone else's
 * grant) is not what it granted.
 */
int kvm_map_foreign_page(struct platform_vm *mapper, uint64_t gpa,
                         struct platform_vm *granter, uint64_t granter_gpa,
                         bool readonly)
{
    uint8_t *at = guest_page(mapper, gpa);
    off_t src = ram_offset(granter, granter_gpa);
    void *m;

    if (!at || src < 0 || !granter || granter_gpa % GUEST_PAGE_SIZE)
        return -EINVAL;
    /* MAP_FIXED swaps the page in one step; KVM's MMU notifiers drop
     * the old translation, so the guest sees the new page at once. */
    m = mmap(at, GUEST_PAGE_SIZE, readonly ? PROT_READ : PROT_READ | PROT_WRITE,
             MAP_SHARED | MAP_FIXED, granter->mem_fd, src);
    return m == MAP_FAILED ? -errno : 0;
}

/*
 * Back to what the frame was: the mapper's RAM page (its memfd at the
 * same offset) or a read-only hole of the window. The kernel merges the
 * page back into its neighbours, so the host's map count drops again.
 */
int kvm_unmap_foreign_page(struct platform_vm *mapper, uint64_t gpa)
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
                 MAP_SHARED | MAP_FIXED, mapper->mem_fd, off);
    return m == MAP_FAILED ? -errno : 0;
}

/*
 * A hole punched in the memfd frees its pages at once, in both views and
 * in KVM's (its MMU notifiers drop the translations); the next access of
 * either faults in a fresh zero page. Mappings over the guest's view (a
 * grant, shared_info) are of other pages and stay.
 */
int kvm_release_ram(struct platform_vm *pvm, uint64_t gpa, uint64_t len)
{
    uint8_t *host = pvm ? guest_ram_ptr(pvm->ram, gpa, len) : NULL;

    if (!host || pvm->mem_fd < 0 || gpa % GUEST_PAGE_SIZE ||
        len % GUEST_PAGE_SIZE)
        return -EINVAL;
    if (fallocate(pvm->mem_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                  (off_t)(host - pvm->ram->host), (off_t)len) < 0)
        return -errno;
    return 0;
}

const char *kvm_memory_region(struct platform_vm *pvm, uint64_t gpa)
{
    if (window_page(pvm, gpa))
        return "a page of the grant window, read-only where no grant is "
               "mapped writable";
    if (pvm && guest_ram_ptr(pvm->ram, gpa, 1))
        return "a page of RAM covered by a read-only grant mapping";
    return NULL;
}

const char *kvm_memory_describe(struct platform_vm *pvm, uint64_t gpa)
{
    const char *what = kvm_memory_region(pvm, gpa);

    return what ? what : "not RAM, no device";
}
