/* SPDX-License-Identifier: MIT */
/* io.c: the I/O port and MMIO table of a domain, the unclaimed policy, and
 * its devices' interrupt lines. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain.h"
#include "core/io.h"
#include "core/log.h"
#include "core/platform.h"
#include "pvabi/pvhv.h"

#define PORT_END 0x10000ULL
#define MMIO_END (1ULL << 52) /* the architecture's widest physical address */

static const char *const space_names[IO_SPACES] = {
    [IO_SPACE_PORT] = "I/O port",
    [IO_SPACE_MMIO] = "guest-physical",
};

/* after: how many ranges of (t) start at or below (addr). */
static unsigned int after(const struct io_table *t, uint64_t addr)
{
    unsigned int lo = 0, hi = t->n;

    while (lo < hi) {
        unsigned int mid = lo + (hi - lo) / 2;

        if (t->range[mid].base <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* find: the range of (t) that holds (addr), or NULL. */
static const struct io_range *find(const struct io_table *t, uint64_t addr)
{
    unsigned int i = after(t, addr);
    const struct io_range *r = i ? &t->range[i - 1] : NULL;

    return r && addr - r->base < r->len ? r : NULL;
}

/* overlaps: whether [base, end) and [lo, lo + len) share an address. */
static bool overlaps(uint64_t base, uint64_t end, uint64_t lo, uint64_t len)
{
    return len && base < lo + len && lo < end;
}

/*
 * over_memory: whether [base, end) touches what KVM serves as memory for
 * (d): RAM below 4 GiB, RAM above it, the grant window.
 */
static bool over_memory(const struct domain *d, uint64_t base, uint64_t end)
{
    return overlaps(base, end, 0, d->ram.low_size) ||
           overlaps(base, end, GUEST_4G, d->ram.size - d->ram.low_size) ||
           overlaps(base, end, PVHV_GRANT_WINDOW_BASE, PVHV_GRANT_WINDOW_SIZE);
}

static bool running(const struct domain *d)
{
    return atomic_load_explicit(&d->state, memory_order_acquire) ==
           DOMAIN_RUNNING;
}

/* check_range: 0, or why [base, base + len) of (space) cannot be a range. */
static int check_range(const struct domain *d, enum io_space space,
                       uint64_t base, uint64_t len)
{
    uint64_t end;

    if (len == 0 || __builtin_add_overflow(base, len, &end))
        return -EINVAL;
    if (space == IO_SPACE_PORT)
        return end > PORT_END ? -EINVAL : 0;
    if (end > MMIO_END)
        return -EINVAL;
    return over_memory(d, base, end) ? -EEXIST : 0;
}

int io_register(struct domain *d, enum io_space space, uint64_t base,
                uint64_t len, io_fn fn, void *opaque)
{
    struct io_table *t;
    unsigned int i;
    int rc;

    if ((unsigned int)space >= IO_SPACES || !fn)
        return -EINVAL;
    rc = check_range(d, space, base, len);
    if (rc < 0)
        return rc;
    if (running(d))
        return -EBUSY;
    t = &d->io[space];
    i = after(t, base);
    /* Sorted and disjoint: only the neighbours can overlap. */
    if ((i > 0 && t->range[i - 1].base + t->range[i - 1].len > base) ||
        (i < t->n && t->range[i].base - base < len))
        return -EEXIST;
    if (t->n == IO_RANGES_MAX)
        return -ENOSPC;
    memmove(&t->range[i + 1], &t->range[i], (t->n - i) * sizeof(t->range[0]));
    t->range[i] = (struct io_range){base, len, fn, opaque};
    t->n++;
    return 0;
}

/*
 * take: removes the range of (space) in (d) that starts at (base) and is
 * served by (fn), or by anything if (fn) is NULL; its opaque in (*opaque).
 */
static int take(struct domain *d, enum io_space space, uint64_t base, io_fn fn,
                void **opaque)
{
    struct io_table *t;
    unsigned int i;

    if ((unsigned int)space >= IO_SPACES)
        return -EINVAL;
    if (running(d))
        return -EBUSY;
    t = &d->io[space];
    i = after(t, base);
    if (i == 0 || t->range[i - 1].base != base ||
        (fn && t->range[i - 1].fn != fn))
        return -ENOENT;
    *opaque = t->range[i - 1].opaque;
    memmove(&t->range[i - 1], &t->range[i], (t->n - i) * sizeof(t->range[0]));
    t->n--;
    return 0;
}

int io_unregister(struct domain *d, enum io_space space, uint64_t base)
{
    void *opaque;

    return take(d, space, base, NULL, &opaque);
}

int io_device_attach(struct domain *d, const struct io_device *dev)
{
    void *state = dev->state_size ? calloc(1, dev->state_size) : NULL;
    int rc;

    if (dev->state_size && !state)
        return -ENOMEM;
    rc = io_register(d, dev->space, dev->base, dev->len, dev->access, state);
    if (rc < 0)
        free(state);
    return rc;
}

void io_device_detach(struct domain *d, const struct io_device *dev)
{
    void *state;

    if (take(d, dev->space, dev->base, dev->access, &state) == 0)
        free(state);
}

/*
 * unclaimed: no device serves (bytes) bytes at (addr) of (space): reads
 * float high, as on an empty bus, writes go nowhere (Xen completes such
 * MMIO through its null handler), and the guest carries on.
 */
static void unclaimed(struct vcpu *v, enum io_space space, uint64_t addr,
                      uint8_t *data, size_t bytes, bool is_write)
{
    if (!is_write)
        memset(data, 0xff, bytes);
    gdprintk(v->domain, "vCPU %u: %s of %zu bytes at %s 0x%llx: no device, %s",
             v->id, is_write ? "write" : "read", bytes, space_names[space],
             (unsigned long long)addr,
             is_write ? "dropped" : "read as all ones");
}

void io_access(struct vcpu *v, enum io_space space, uint64_t addr,
               uint8_t *data, unsigned int len, unsigned int count,
               bool is_write)
{
    const struct io_range *r = find(&v->domain->io[space], addr);

    for (unsigned int i = 0; i < count; i++, data += len) {
        if (!r || !r->fn(v, addr, data, len, is_write, r->opaque)) {
            unclaimed(v, space, addr, data, (size_t)len * (count - i),
                      is_write);
            return;
        }
    }
}

int io_irq_line(struct domain *d, unsigned int irq, bool level)
{
    if (irq >= PLATFORM_ISA_IRQS) {
        pr_warn("d%u: a device drove ISA interrupt line %u (level %d): no "
                "such line (0 to %d), refused",
                d->domid, irq, level, PLATFORM_ISA_IRQS - 1);
        return -EINVAL;
    }
    return platform_irq_line(d, irq, level);
}
