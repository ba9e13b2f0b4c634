/* SPDX-License-Identifier: MIT */
/*
 * io_unclaimed.c: reads and writes where no device is, through I/O ports
 * (POST, COM1, the PIT, PCI configuration, a read of the hypercall port)
 * and MMIO (the HPET's page at 0xfed00000: a PC has one, a PV domain
 * does not). Every read must return all ones, every write must vanish,
 * and the guest must carry on: a driver probing for absent hardware gets
 * "nothing here", not a crash. rounds=N repeats it all; each access costs
 * the hypervisor one warning, which its per-domain log rate must bound.
 */

#include "../testguest.h"

#define HPET_BASE 0xfed00000UL
#define HPET_GEN_CONF 0x10 /* enable bit 0; a real HPET reads it back */
#define PORT_POST 0x80
#define PORT_COM1 0x3f8
#define PORT_PIT 0x40
#define PORT_PCI_ADDR 0xcf8

#define ACCESSES_PER_ROUND 14

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;

    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;

    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

/* expect: aborts unless the access (what) read (got) == (want). */
static void expect(const char *what, uint64_t got, uint64_t want)
{
    if (got != want)
        test_abort("%s read 0x%lx, expected 0x%lx", what, (unsigned long)got,
                   (unsigned long)want);
}

/* ports: 7 accesses, no device behind any of them. */
static void ports(void)
{
    outb(PORT_POST, 0x42);
    expect("inb(0x80)", inb(PORT_POST), 0xff);
    expect("inb(0x3f8)", inb(PORT_COM1), 0xff);
    expect("inw(0x40)", inw(PORT_PIT), 0xffff);
    outl(PORT_PCI_ADDR, 0x80000000u); /* bus 0, device 0, function 0 */
    expect("inl(0xcf8)", inl(PORT_PCI_ADDR), 0xffffffffu);
    /* The hypercall port serves its stubs' `out` only. */
    expect("inl(hypercall port)", inl(PVHV_HYPERCALL_PORT), 0xffffffffu);
}

/* mmio: 7 accesses to the absent HPET, of each size. */
static void mmio(void)
{
    volatile uint8_t *b = (volatile uint8_t *)HPET_BASE;
    volatile uint32_t *l = (volatile uint32_t *)HPET_BASE;
    volatile uint64_t *q = (volatile uint64_t *)HPET_BASE;

    expect("HPET capabilities (32-bit)", l[0], 0xffffffffu);
    expect("HPET capabilities (64-bit)", q[0], ~0UL);
    expect("HPET byte 7", b[7], 0xff);
    q[HPET_GEN_CONF / 8] = 1;
    expect("HPET configuration after enabling", q[HPET_GEN_CONF / 8], ~0UL);
    b[0x20] = 0;
    expect("HPET interrupt status after a write", l[0x20 / 4], 0xffffffffu);
}

int main(void)
{
    unsigned long rounds = test_option("rounds", 1);

    for (unsigned long r = 0; r < rounds; r++) {
        ports();
        mmio();
    }
    printf("io_unclaimed: %lu accesses without a device, all ones\n",
           rounds * ACCESSES_PER_ROUND);
    puts("SUCCESS");
    return 0;
}
