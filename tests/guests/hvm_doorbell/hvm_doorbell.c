/* SPDX-License-Identifier: MIT */
/*
 * hvm_doorbell.c: a guest of an hvm domain rings another through pvhv's
 * inter-domain doorbell (ide_pio/doorbell.h) and takes its rings as IRQ
 * 10, routed by the I/O APIC to vector 0x3a; the handler acknowledges
 * what is pending and counts it. One image, its role on the command line:
 *   role=ping peer=P n=N  a first ring (retried while P does not run yet)
 *                         and its answer, then N round trips between two
 *                         boot-marker writes: ring P, `sti; hlt` until
 *                         P's ring comes; prints "BENCH tsc <cycles>",
 *                         the TSC summed over the N;
 *   role=pong n=N         answers N + 1 rings, each to the domain that
 *                         rang (SOURCE), between two marker writes (the
 *                         first before its answer to the first ring);
 *   role=sink n=N         takes N rings without answering and prints in
 *                         how many interrupts they came;
 *   role=flood peer=P n=N bad=B  rings B (no domain: ERROR's NO_PEER)
 *                         and 0x7ff0 (no domain id: BAD_PEER), then P
 *                         N times in a tight loop.
 * Console: COM1; end: isa-debug-exit. Entry: ide_pio's hvm_entry.S.
 */
#include <stddef.h>
#include <stdint.h>

#include <pvabi/pvhv.h>
#include <pvabi/start_info.h>

#include "../ide_pio/com1.h"
#include "../ide_pio/doorbell.h"

#define DEBUG_EXIT_PORT 0xf4
#define LAPIC_BASE 0xfee00000u
#define LAPIC_TPR 0x080
#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LVT_MASKED 0x10000u
#define IOAPIC_BASE 0xfec00000u
#define VEC_DOORBELL 0x3a /* ISA 10 */
#define VEC_SPURIOUS 0xff
#define TRIES 100000 /* first rings while the peer is not running yet */

int hvm_main(uint32_t start_info);
void hvm_exit(int code);
void doorbell_handler(void);

/* Written by the handler. */
static volatile uint32_t received, irqs;
volatile uint32_t spurious;

/* The handler saves the caller-saved registers (9 pushes keep the stack
 * 16-byte aligned for the call) and calls C. */
__asm__(".text\n"
        "irq_doorbell_entry:\n"
        "    push %rdi\n"
        "    push %rax\n"
        "    push %rcx\n"
        "    push %rdx\n"
        "    push %rsi\n"
        "    push %r8\n"
        "    push %r9\n"
        "    push %r10\n"
        "    push %r11\n"
        "    call doorbell_handler\n"
        "    pop %r11\n"
        "    pop %r10\n"
        "    pop %r9\n"
        "    pop %r8\n"
        "    pop %rsi\n"
        "    pop %rdx\n"
        "    pop %rcx\n"
        "    pop %rax\n"
        "    pop %rdi\n"
        "    iretq\n"
        "irq_spurious_entry:\n"
        "    incl spurious(%rip)\n"
        "    iretq\n");

extern const char irq_doorbell_entry[], irq_spurious_entry[];

struct gate {
    uint16_t off0, sel;
    uint8_t ist, type;
    uint16_t off1;
    uint32_t off2, zero;
} __attribute__((packed));

static struct gate idt[256] __attribute__((aligned(16)));
/* Page directory of the 4th GiB: the I/O APIC's and LAPIC's 2 MiB pages. */
static uint64_t io_pd[512] __attribute__((aligned(4096)));

#define outb com1_outb
#define put com1_puts

static inline void mmio_write(uint32_t a, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)a = v;
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* sleep: `sti; hlt` (the STI shadow covers the HLT: nothing is missed). */
static inline void sleep(void)
{
    __asm__ volatile("sti; hlt; cli" : : : "memory");
}

void hvm_exit(int code)
{
    outb(DEBUG_EXIT_PORT, (uint8_t)code);
}

void doorbell_handler(void)
{
    received += doorbell_ack();
    irqs++;
    mmio_write(LAPIC_BASE + LAPIC_EOI, 0);
}

static void put_dec(unsigned long v)
{
    char d[24], *p = d + sizeof(d) - 1;

    *p = '\0';
    do
        *--p = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    put(p);
}

static int fail(const char *why)
{
    put("ABORT: ");
    put(why);
    put("\n");
    return 1;
}

/* word: where (key) starts a word of (cmdline), else NULL. */
static const char *word(const char *cmdline, const char *key)
{
    for (const char *p = cmdline; p && *p; p++) {
        const char *k = key, *q = p;

        if (p != cmdline && p[-1] != ' ')
            continue;
        while (*k && *q == *k)
            k++, q++;
        if (!*k)
            return q;
    }
    return NULL;
}

/* option: the number after "key=" in (cmdline), else (dflt). */
static unsigned long option(const char *cmdline, const char *key,
                            unsigned long dflt)
{
    char k[16];
    size_t i = 0;
    const char *q;
    unsigned long v = 0;

    for (; key[i] && i < sizeof(k) - 2; i++)
        k[i] = key[i];
    k[i++] = '=';
    k[i] = '\0';
    q = word(cmdline, k);
    if (!q || *q < '0' || *q > '9')
        return dflt;
    for (; *q >= '0' && *q <= '9'; q++)
        v = v * 10 + (unsigned long)(*q - '0');
    return v;
}

static void set_gate(unsigned int vec, const void *fn)
{
    uint64_t a = (uint64_t)(uintptr_t)fn;

    idt[vec] = (struct gate){.off0 = (uint16_t)a,
                             .sel = 0x08, /* hvm_entry.S's 64-bit code */
                             .type = 0x8e,
                             .off1 = (uint16_t)(a >> 16),
                             .off2 = (uint32_t)(a >> 32)};
}

/* map_apics: the 4th GiB's two 2 MiB pages of the APICs, uncached. */
static void map_apics(void)
{
    uint64_t cr3, *pml4, *pdpt;

    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    pml4 = (uint64_t *)(uintptr_t)(cr3 & ~0xfffull);
    pdpt = (uint64_t *)(uintptr_t)(pml4[0] & ~0xfffull);
    io_pd[(IOAPIC_BASE >> 21) & 511] = IOAPIC_BASE | 0x9f;
    io_pd[(LAPIC_BASE >> 21) & 511] = LAPIC_BASE | 0x9f;
    pdpt[3] = (uint64_t)(uintptr_t)io_pd | 0x7;
    __asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
}

/* setup: IDT, 8259s masked, LAPIC on, ISA 10 to VEC_DOORBELL (edge). */
static void setup(void)
{
    static const uint8_t icw[2][3] = {{0x20, 0x04, 0x01}, {0x28, 0x02, 0x01}};
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) desc = {sizeof(idt) - 1, (uintptr_t)idt};

    set_gate(VEC_DOORBELL, irq_doorbell_entry);
    set_gate(VEC_SPURIOUS, irq_spurious_entry);
    __asm__ volatile("lidt %0" : : "m"(desc));
    map_apics();
    for (int i = 0; i < 2; i++) {
        uint16_t port = i ? 0xa0 : 0x20;

        outb(port, 0x11);
        for (int k = 0; k < 3; k++)
            outb((uint16_t)(port + 1), icw[i][k]);
        outb((uint16_t)(port + 1), 0xff);
    }
    mmio_write(LAPIC_BASE + LAPIC_SVR, 0x100 | VEC_SPURIOUS);
    mmio_write(LAPIC_BASE + LAPIC_TPR, 0);
    mmio_write(LAPIC_BASE + LAPIC_LVT_LINT0, LVT_MASKED);
    mmio_write(LAPIC_BASE + LAPIC_LVT_LINT1, LVT_MASKED);
    mmio_write(IOAPIC_BASE, 0x10 + 2 * DOORBELL_IRQ + 1);
    mmio_write(IOAPIC_BASE + 0x10, 0); /* destination: APIC ID 0 */
    mmio_write(IOAPIC_BASE, 0x10 + 2 * DOORBELL_IRQ);
    mmio_write(IOAPIC_BASE + 0x10, VEC_DOORBELL);
    doorbell_enable();
}

/* wait_ring: sleeps until more than (seen) rings came; how many now. */
static uint32_t wait_ring(uint32_t seen)
{
    while (received <= seen)
        sleep();
    return received;
}

/* first_ring: rings (peer) until it runs (ERROR clear), TRIES times. */
static int first_ring(uint32_t peer)
{
    doorbell_peer(peer);
    for (int i = 0; i < TRIES; i++) {
        if (!doorbell_ring())
            return 0;
        doorbell_clear_errors();
        for (int k = 0; k < 100; k++)
            __asm__ volatile("pause");
    }
    return fail("the peer never became a running hvm domain");
}

static void report(const char *what, unsigned long a, const char *b)
{
    put(what);
    put_dec(a);
    put(b);
}

static void counts(void)
{
    report(", ", received, " received in ");
    report("", irqs, " interrupt(s), ");
    report("", doorbell_inl(DOORBELL_RING), " delivered, error ");
    put_dec(doorbell_inl(DOORBELL_ERROR));
    put("\n");
}

static int ping(uint32_t peer, unsigned long n)
{
    uint64_t tsc = 0;
    uint32_t seen;

    if (first_ring(peer))
        return 1;
    seen = wait_ring(0);
    outb(PVHV_BOOT_MARKER_PORT, 2);
    for (unsigned long i = 0; i < n; i++) {
        uint64_t t0 = rdtsc();

        doorbell_ring_fast();
        seen = wait_ring(seen);
        tsc += rdtsc() - t0;
    }
    outb(PVHV_BOOT_MARKER_PORT, 3);
    report("hvm_doorbell: domain ", doorbell_id(), " rang domain ");
    report("", peer, ": ");
    report("", n, " round trips");
    counts();
    put("BENCH tsc ");
    put_dec(tsc);
    put("\n");
    return doorbell_inl(DOORBELL_ERROR) ? fail("a ring failed") : 0;
}

static int pong(unsigned long n, int answer)
{
    uint32_t seen = 0;
    unsigned long answered = 0;

    while (seen < n) {
        seen = wait_ring(seen);
        if (!answer)
            continue;
        if (!answered) {
            doorbell_peer(doorbell_inl(DOORBELL_SOURCE));
            outb(PVHV_BOOT_MARKER_PORT, 2);
        }
        doorbell_ring_fast();
        answered++;
    }
    if (answer)
        outb(PVHV_BOOT_MARKER_PORT, 3);
    report("hvm_doorbell: domain ", doorbell_id(), "");
    if (answer) {
        report(" answered domain ", doorbell_inl(DOORBELL_PEER), " ");
        report("", answered, " time(s)");
    } else {
        report(" took ", n, " rings");
    }
    counts();
    return doorbell_inl(DOORBELL_ERROR) ? fail("a ring failed") : 0;
}

static int flood(uint32_t peer, unsigned long n, uint32_t bad)
{
    uint32_t err[2];

    doorbell_peer(bad);
    err[0] = doorbell_ring();
    doorbell_clear_errors();
    doorbell_peer(0x7ff0);
    err[1] = doorbell_ring();
    doorbell_clear_errors();
    report("hvm_doorbell: ring of domain ", bad, ": error ");
    report("", err[0], ", of domain 0x7ff0: error ");
    report("", err[1], "\n");
    if (err[0] != DOORBELL_ERR_NO_PEER || err[1] != DOORBELL_ERR_BAD_PEER)
        return fail("a bad peer was not refused");
    if (first_ring(peer))
        return 1;
    for (unsigned long i = 1; i < n; i++)
        doorbell_ring_fast();
    report("hvm_doorbell: domain ", doorbell_id(), " flooded domain ");
    report("", peer, " with ");
    report("", n, " rings");
    counts();
    return 0;
}

int hvm_main(uint32_t start_info)
{
    const struct hvm_start_info *si =
        (const struct hvm_start_info *)(uintptr_t)start_info;
    const char *cmdline = NULL;
    unsigned long n, peer;
    int rc;

    if (si->magic == XEN_HVM_START_MAGIC_VALUE && si->cmdline_paddr)
        cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
    com1_init();
    setup();
    n = option(cmdline, "n", 100);
    peer = option(cmdline, "peer", DOORBELL_NOBODY);
    if (word(cmdline, "role=ping"))
        rc = ping((uint32_t)peer, n);
    else if (word(cmdline, "role=pong"))
        rc = pong(n + 1, 1); /* the first ring and N round trips */
    else if (word(cmdline, "role=sink"))
        rc = pong(n, 0);
    else if (word(cmdline, "role=flood"))
        rc = flood((uint32_t)peer, n, (uint32_t)option(cmdline, "bad", 99));
    else
        rc = fail("no role=ping, pong, sink or flood on the command line");
    if (spurious)
        report("hvm_doorbell: spurious interrupts: ", spurious, "\n");
    if (!rc)
        put("SUCCESS\n");
    return rc;
}
