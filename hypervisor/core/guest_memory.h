/* SPDX-License-Identifier: MIT */
/* guest_memory.h: checked access to guest RAM, by physical or virtual address.
 */
#ifndef PVHV_CORE_GUEST_MEMORY_H
#define PVHV_CORE_GUEST_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Guest addresses are numbers, never host pointers. */
typedef uint64_t gpa_t; /* guest-physical */
typedef uint64_t gva_t; /* guest-virtual (linear) */

#define GUEST_PAGE_SIZE 4096ULL
#define GUEST_4G (1ULL << 32)

/*
 * Guest RAM: one host mapping of `size` bytes. The first `low_size` bytes
 * sit at guest-physical 0; the rest, if any, at 4 GiB, leaving the range
 * [low_size, 4 GiB) for hypervisor-provided windows.
 */
struct guest_ram {
    uint8_t *host;
    uint64_t size;
    uint64_t low_size;
    /*
     * Frames the guest gave back (XENMEM_decrease_reservation), one bit
     * per page of RAM in host order, NULL while nothing may be given
     * back; nr_released counts the bits set. A released frame is still
     * part of the address space (a grant may be mapped there) but holds
     * no memory: the hypervisor's copies treat it as not RAM.
     */
    _Atomic uint64_t *released;
    _Atomic uint64_t nr_released;
};

/* The highest RAM below 4 GiB (the rest goes above 4 GiB). */
#define GUEST_LOW_RAM_MAX 0xC0000000ULL

/*
 * guest_ram_ptr: the host address of [gpa, gpa + len) in (ram), or NULL
 * unless the whole range lies in RAM. Overflow-safe; len 0 is valid.
 */
void *guest_ram_ptr(const struct guest_ram *ram, gpa_t gpa, uint64_t len);

/*
 * guest_ram_data: as guest_ram_ptr, for the hypervisor's own reads and
 * writes of guest memory: also NULL when a page of the range has been
 * released (it holds no data; a host access would give zeros).
 */
void *guest_ram_data(const struct guest_ram *ram, gpa_t gpa, uint64_t len);

/*
 * guest_ram_page: the index of RAM page (gpa) in host order (its page in
 * ram->host), or -1 if (gpa) is not in RAM.
 */
int64_t guest_ram_page(const struct guest_ram *ram, gpa_t gpa);

/*
 * guest_ram_mark_released: sets (released true) or clears the released
 * bit of page (idx) (from guest_ram_page); returns whether it changed.
 * ram->released must be set. Atomic: two vCPUs never both change a bit.
 */
bool guest_ram_mark_released(struct guest_ram *ram, uint64_t idx,
                             bool released);

/* The paging registers that decide how a guest-virtual address maps. */
struct guest_paging {
    uint64_t cr0, cr3, cr4, efer;
};

/*
 * guest_translate: walks the guest's page tables (none, 2-level, PAE or
 * 4-level, as cr0/cr4/efer say) for (va). Returns 0 and the address in
 * (gpa), or -XEN_EFAULT if it is not mapped, not writable when (write),
 * or a table lies outside RAM.
 */
int guest_translate(const struct guest_ram *ram, const struct guest_paging *pg,
                    gva_t va, bool write, gpa_t *gpa);

/*
 * copy_from_guest / copy_to_guest: copy (len) bytes between a host buffer
 * and guest-virtual memory, page by page. Return 0 or -XEN_EFAULT; a
 * failed copy may have copied a prefix.
 */
int copy_from_guest(const struct guest_ram *ram, const struct guest_paging *pg,
                    void *dst, gva_t src, size_t len);
int copy_to_guest(const struct guest_ram *ram, const struct guest_paging *pg,
                  gva_t dst, const void *src, size_t len);

#endif /* PVHV_CORE_GUEST_MEMORY_H */
