/* SPDX-License-Identifier: MIT */
/* guest_memory.c: checked access to guest RAM, by guest address. */
#include <stdatomic.h>
#include <string.h>

#include "pvabi/errno.h"
#include "core/guest_memory.h"

/* Control register bits the walk looks at. */
#define CR0_WP (1ULL << 16)
#define CR0_PG (1ULL << 31)
#define CR4_PSE (1ULL << 4)
#define CR4_PAE (1ULL << 5)
#define CR4_LA57 (1ULL << 12)
#define EFER_LMA (1ULL << 10)

/* Page table entry bits. */
#define PTE_P (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_PS (1ULL << 7)

/* Physical address bits 51:12 of a 64-bit entry (PAE and long mode). */
#define PTE64_ADDR 0x000ffffffffff000ULL

void *guest_ram_ptr(const struct guest_ram *ram, gpa_t gpa, uint64_t len)
{
    uint64_t end, high_size;

    if (!ram->host || __builtin_add_overflow(gpa, len, &end))
        return NULL;
    if (end <= ram->low_size)
        return ram->host + gpa;
    high_size = ram->size - ram->low_size;
    if (gpa >= GUEST_4G && end - GUEST_4G <= high_size)
        return ram->host + ram->low_size + (gpa - GUEST_4G);
    return NULL;
}

int64_t guest_ram_page(const struct guest_ram *ram, gpa_t gpa)
{
    const uint8_t *p = guest_ram_ptr(ram, gpa, 1);

    return p ? (int64_t)((uint64_t)(p - ram->host) / GUEST_PAGE_SIZE) : -1;
}

static bool page_released(const _Atomic uint64_t *bits, uint64_t idx)
{
    return atomic_load_explicit(&bits[idx / 64], memory_order_relaxed) &
           (1ULL << (idx % 64));
}

/*
 * The copies' fast path: one load and a branch while nothing is released
 * (no domain that never balloons pays more).
 */
void *guest_ram_data(const struct guest_ram *ram, gpa_t gpa, uint64_t len)
{
    uint8_t *p = guest_ram_ptr(ram, gpa, len);
    uint64_t first, last;

    if (!p || len == 0 ||
        __builtin_expect(
            atomic_load_explicit(&ram->nr_released, memory_order_relaxed) == 0,
            1))
        return p;
    first = (uint64_t)(p - ram->host) / GUEST_PAGE_SIZE;
    last = (uint64_t)(p - ram->host + len - 1) / GUEST_PAGE_SIZE;
    for (uint64_t i = first; i <= last; i++)
        if (page_released(ram->released, i))
            return NULL;
    return p;
}

bool guest_ram_mark_released(struct guest_ram *ram, uint64_t idx, bool released)
{
    uint64_t bit = 1ULL << (idx % 64), old;

    if (released) {
        old = atomic_fetch_or(&ram->released[idx / 64], bit);
        if (old & bit)
            return false;
        atomic_fetch_add(&ram->nr_released, 1);
        return true;
    }
    old = atomic_fetch_and(&ram->released[idx / 64], ~bit);
    if (!(old & bit))
        return false;
    atomic_fetch_sub(&ram->nr_released, 1);
    return true;
}

/* Reads one page table entry of (size) 4 or 8 bytes; false if not in RAM. */
static bool read_entry(const struct guest_ram *ram, gpa_t table, uint64_t index,
                       unsigned int size, uint64_t *entry)
{
    const void *p = guest_ram_data(ram, table + index * size, size);
    uint32_t e32;

    if (!p)
        return false;
    /* Copy out: another vCPU may be rewriting the entry right now. */
    if (size == 4) {
        memcpy(&e32, p, 4);
        *entry = e32;
    } else {
        memcpy(entry, p, 8);
    }
    return true;
}

/*
 * A supervisor write honours R/W only with CR0.WP set; reads and writes
 * both need P. Hypercalls run at CPL 0, so U/S never matters here.
 */
static bool entry_allows(const struct guest_paging *pg, uint64_t entry,
                         bool write)
{
    if (!(entry & PTE_P))
        return false;
    return !write || !(pg->cr0 & CR0_WP) || (entry & PTE_RW);
}

/* 32-bit paging: two levels of 4-byte entries, 4 MiB pages with CR4.PSE. */
static int walk_2level(const struct guest_ram *ram,
                       const struct guest_paging *pg, gva_t va, bool write,
                       gpa_t *gpa)
{
    uint64_t pde, pte;

    if (va > UINT32_MAX)
        return -XEN_EFAULT;
    if (!read_entry(ram, pg->cr3 & 0xfffff000ULL, va >> 22, 4, &pde) ||
        !entry_allows(pg, pde, write))
        return -XEN_EFAULT;
    if ((pde & PTE_PS) && (pg->cr4 & CR4_PSE)) {
        /* PSE-36: bits 20:13 of the entry are physical bits 39:32. */
        *gpa = (pde & 0xffc00000ULL) | (((pde >> 13) & 0xff) << 32) |
               (va & 0x3fffff);
        return 0;
    }
    if (!read_entry(ram, pde & 0xfffff000ULL, (va >> 12) & 0x3ff, 4, &pte) ||
        !entry_allows(pg, pte, write))
        return -XEN_EFAULT;
    *gpa = (pte & 0xfffff000ULL) | (va & 0xfff);
    return 0;
}

/*
 * The 8-byte-entry walk shared by PAE and long mode, from (table) at
 * (level) down: level 2 maps 1 GiB pages, level 1 2 MiB pages, level 0
 * 4 KiB pages. (large_from) is the highest level allowed a PS entry.
 */
static int walk_64(const struct guest_ram *ram, const struct guest_paging *pg,
                   gpa_t table, int level, int large_from, gva_t va, bool write,
                   gpa_t *gpa)
{
    uint64_t entry, page_mask;

    for (; level >= 0; level--) {
        unsigned int shift = 12 + 9 * (unsigned int)level;

        if (!read_entry(ram, table, (va >> shift) & 0x1ff, 8, &entry) ||
            !entry_allows(pg, entry, write))
            return -XEN_EFAULT;
        if (level == 0 || (level <= large_from && (entry & PTE_PS))) {
            page_mask = (1ULL << shift) - 1;
            *gpa = (entry & PTE64_ADDR & ~page_mask) | (va & page_mask);
            return 0;
        }
        table = entry & PTE64_ADDR;
    }
    return -XEN_EFAULT;
}

/* PAE: four PDPTEs (no R/W bit in them), then the 8-byte walk from the PD. */
static int walk_pae(const struct guest_ram *ram, const struct guest_paging *pg,
                    gva_t va, bool write, gpa_t *gpa)
{
    uint64_t pdpte;

    if (va > UINT32_MAX)
        return -XEN_EFAULT;
    if (!read_entry(ram, pg->cr3 & 0xffffffe0ULL, va >> 30, 8, &pdpte) ||
        !(pdpte & PTE_P))
        return -XEN_EFAULT;
    return walk_64(ram, pg, pdpte & PTE64_ADDR, 1, 1, va, write, gpa);
}

/* Long mode: 4 levels (5 with CR4.LA57) after a canonical-address check. */
static int walk_long(const struct guest_ram *ram, const struct guest_paging *pg,
                     gva_t va, bool write, gpa_t *gpa)
{
    unsigned int bits = (pg->cr4 & CR4_LA57) ? 57 : 48;
    int64_t sign = (int64_t)(va << (64 - bits)) >> (64 - bits);

    if ((uint64_t)sign != va)
        return -XEN_EFAULT;
    return walk_64(ram, pg, pg->cr3 & PTE64_ADDR, bits == 57 ? 4 : 3, 2, va,
                   write, gpa);
}

int guest_translate(const struct guest_ram *ram, const struct guest_paging *pg,
                    gva_t va, bool write, gpa_t *gpa)
{
    if (!(pg->cr0 & CR0_PG)) {
        *gpa = va;
        return 0;
    }
    if (pg->efer & EFER_LMA)
        return walk_long(ram, pg, va, write, gpa);
    if (pg->cr4 & CR4_PAE)
        return walk_pae(ram, pg, va, write, gpa);
    return walk_2level(ram, pg, va, write, gpa);
}

/*
 * copy_guest: the page-by-page loop of both copies. A range that wraps
 * past the top of the address space is refused before anything moves.
 */
static int copy_guest(const struct guest_ram *ram,
                      const struct guest_paging *pg, gva_t va, uint8_t *host,
                      size_t len, bool to_guest)
{
    uint64_t last;
    gpa_t gpa;
    uint8_t *p;

    if (len && __builtin_add_overflow(va, (uint64_t)len - 1, &last))
        return -XEN_EFAULT;
    while (len) {
        size_t chunk = GUEST_PAGE_SIZE - (va & (GUEST_PAGE_SIZE - 1));

        if (chunk > len)
            chunk = len;
        if (guest_translate(ram, pg, va, to_guest, &gpa) ||
            !(p = guest_ram_data(ram, gpa, chunk)))
            return -XEN_EFAULT;
        if (to_guest)
            memcpy(p, host, chunk);
        else
            memcpy(host, p, chunk);
        host += chunk;
        va += chunk;
        len -= chunk;
    }
    return 0;
}

int copy_from_guest(const struct guest_ram *ram, const struct guest_paging *pg,
                    void *dst, gva_t src, size_t len)
{
    return copy_guest(ram, pg, src, dst, len, false);
}

int copy_to_guest(const struct guest_ram *ram, const struct guest_paging *pg,
                  gva_t dst, const void *src, size_t len)
{
    /* copy_guest only reads (host) when copying to the guest. */
    return copy_guest(ram, pg, dst, (uint8_t *)src, len, true);
}
