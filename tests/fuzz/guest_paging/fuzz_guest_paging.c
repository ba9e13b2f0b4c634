/* SPDX-License-Identifier: MIT */
/* fuzz_guest_paging.c: fuzz target: guest page-table walks in every paging
 * mode. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/guest_memory.h"

/*
 * Input: a header, then up to FUZZ_OPS accesses, then guest RAM contents
 * (the page tables the walk reads, among them):
 *   u8 mode (below), u8 bits (bit 0: CR0.WP; bit 1: CR3 inside RAM),
 *   u64 cr3, u8 nr_ops, then nr_ops x { u64 va, u16 len, u8 write },
 *   then the bytes of RAM from guest-physical 0.
 * RAM is FUZZ_LOW bytes at 0 and FUZZ_HIGH at 4 GiB, as a domain larger
 * than 3 GiB has it, each allocated at its exact size so that ASan sees a
 * walk or a copy that strays out of it.
 */
#define FUZZ_LOW (48u << 10)
#define FUZZ_HIGH (16u << 10)
#define FUZZ_OPS 8
#define OP_SIZE 11

#define CR0_PE (1ULL << 0)
#define CR0_WP (1ULL << 16)
#define CR0_PG (1ULL << 31)
#define CR4_PSE (1ULL << 4)
#define CR4_PAE (1ULL << 5)
#define CR4_LA57 (1ULL << 12)
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)

/* The paging modes the walk knows, as a guest would set them up. */
static const struct guest_paging modes[] = {
    {.cr0 = CR0_PE},                          /* paging off */
    {.cr0 = CR0_PE | CR0_PG},                 /* 2-level */
    {.cr0 = CR0_PE | CR0_PG, .cr4 = CR4_PSE}, /* 2-level, 4 MiB */
    {.cr0 = CR0_PE | CR0_PG, .cr4 = CR4_PAE}, /* PAE */
    {.cr0 = CR0_PE | CR0_PG,
     .cr4 = CR4_PAE, /* long, 4-level */
     .efer = EFER_LME | EFER_LMA},
    {.cr0 = CR0_PE | CR0_PG,
     .cr4 = CR4_PAE | CR4_LA57, /* long, 5-level */
     .efer = EFER_LME | EFER_LMA},
};
#define NR_MODES (sizeof(modes) / sizeof(modes[0]))

static uint64_t get64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

/* One access: the walk's answers must agree with each other. */
static void access_once(const struct guest_ram *ram,
                        const struct guest_paging *pg, const uint8_t *op)
{
    static uint8_t buf[1u << 16];
    uint64_t va = get64(op);
    uint16_t len;
    gpa_t gr, gw;

    memcpy(&len, op + 8, sizeof(len));
    int r = guest_translate(ram, pg, va, false, &gr);
    int w = guest_translate(ram, pg, va, true, &gw);
    /* Write permission implies read permission, to the same frame. */
    if (w == 0 && (r != 0 || gr != gw))
        abort();
    if (!(pg->cr0 & CR0_PG) && (r != 0 || gr != va))
        abort();
    if (op[10] & 1)
        copy_to_guest(ram, pg, va, buf, len);
    else
        copy_from_guest(ram, pg, buf, va, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t *mem;
    struct guest_ram ram;
    struct guest_paging pg;
    size_t hdr = 11;

    if (size < hdr)
        return 0;
    unsigned int nr = data[10] % (FUZZ_OPS + 1);
    if (size < hdr + nr * OP_SIZE)
        return 0;
    if (!mem && !(mem = malloc(FUZZ_LOW + FUZZ_HIGH)))
        abort();
    memset(mem, 0, FUZZ_LOW + FUZZ_HIGH);
    size_t body = hdr + nr * OP_SIZE;
    size_t n =
        size - body < FUZZ_LOW + FUZZ_HIGH ? size - body : FUZZ_LOW + FUZZ_HIGH;
    memcpy(mem, data + body, n);
    ram = (struct guest_ram){
        .host = mem, .size = FUZZ_LOW + FUZZ_HIGH, .low_size = FUZZ_LOW};
    pg = modes[data[0] % NR_MODES];
    if (data[1] & 1)
        pg.cr0 |= CR0_WP;
    pg.cr3 = get64(data + 2);
    if (data[1] & 2)
        pg.cr3 %= FUZZ_LOW;
    for (unsigned int i = 0; i < nr; i++)
        access_once(&ram, &pg, data + hdr + i * OP_SIZE);
    return 0;
}
