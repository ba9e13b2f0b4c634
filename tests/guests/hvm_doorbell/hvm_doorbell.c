/* SPDX-License-Identifier: MIT */
/*
 * hvm_doorbell.c: a guest of an hvm domain rings another through pvhv's
 * inter-domain doorbell (hw/doorbell.h) and takes its rings as IRQ
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
 *   role=flood peer=P n=N bad=B badn=M  rings B (no domain: ERROR's
 *                         NO_PEER; M more times when given)
 *                         and 0x7ff0 (no domain id: BAD_PEER), then P
 *                         N times in a tight loop.
 * Console: COM1; end: isa-debug-exit. Entry: hw/hvm_entry.S.
 */
#include <stddef.h>
#include <stdint.h>

#include <pvabi/pvhv.h>
#include <pvabi/start_info.h>

#include "../hw/doorbell.h"
#include "../hw/hw.h"
#include "../hw/irq.h"

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

#define outb com1_outb
#define put com1_puts

void hvm_exit(int code)
{
    hw_exit_to(code);
}

void doorbell_handler(void)
{
    received += doorbell_ack();
    irqs++;
    hw_lapic_eoi();
}

/* setup: IDT, 8259s masked, LAPIC on, ISA 10 to VEC_DOORBELL (edge). */
static void setup(void)
{
    hw_set_gate(VEC_DOORBELL, irq_doorbell_entry);
    hw_set_gate(VEC_SPURIOUS, irq_spurious_entry);
    hw_irq_setup(VEC_SPURIOUS);
    hw_ioapic_route(DOORBELL_IRQ, VEC_DOORBELL);
    doorbell_enable();
}

/* wait_ring: sleeps until more than (seen) rings came; how many now. */
static uint32_t wait_ring(uint32_t seen)
{
    while (received <= seen)
        hw_sleep();
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
    return hw_fail("the peer never became a running hvm domain");
}

static void report(const char *what, unsigned long a, const char *b)
{
    put(what);
    hw_put_dec(a);
    put(b);
}

static void counts(void)
{
    report(", ", received, " received in ");
    report("", irqs, " interrupt(s), ");
    report("", doorbell_inl(DOORBELL_RING), " delivered, error ");
    hw_put_dec(doorbell_inl(DOORBELL_ERROR));
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
        uint64_t t0 = hw_rdtsc();

        doorbell_ring_fast();
        seen = wait_ring(seen);
        tsc += hw_rdtsc() - t0;
    }
    outb(PVHV_BOOT_MARKER_PORT, 3);
    report("hvm_doorbell: domain ", doorbell_id(), " rang domain ");
    report("", peer, ": ");
    report("", n, " round trips");
    counts();
    put("BENCH tsc ");
    hw_put_dec(tsc);
    put("\n");
    return doorbell_inl(DOORBELL_ERROR) ? hw_fail("a ring failed") : 0;
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
    return doorbell_inl(DOORBELL_ERROR) ? hw_fail("a ring failed") : 0;
}

static int flood(uint32_t peer, unsigned long n, uint32_t bad,
                 unsigned long badn)
{
    uint32_t err[2];

    doorbell_peer(bad);
    err[0] = doorbell_ring();
    doorbell_clear_errors();
    doorbell_peer(0x7ff0);
    err[1] = doorbell_ring();
    doorbell_peer(bad);
    /* A hostile loop of refused rings: each is logged, rate-limited. */
    for (unsigned long i = 0; i < badn; i++)
        (void)doorbell_ring();
    doorbell_clear_errors();
    report("hvm_doorbell: ring of domain ", bad, ": error ");
    report("", err[0], ", of domain 0x7ff0: error ");
    report("", err[1], "\n");
    if (err[0] != DOORBELL_ERR_NO_PEER || err[1] != DOORBELL_ERR_BAD_PEER)
        return hw_fail("a bad peer was not refused");
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
    const char *cmdline = hw_cmdline(start_info);
    unsigned long n, peer;
    int rc;

    com1_init();
    setup();
    n = hw_option(cmdline, "n", 100);
    peer = hw_option(cmdline, "peer", DOORBELL_NOBODY);
    if (hw_word(cmdline, "role=ping"))
        rc = ping((uint32_t)peer, n);
    else if (hw_word(cmdline, "role=pong"))
        rc = pong(n + 1, 1); /* the first ring and N round trips */
    else if (hw_word(cmdline, "role=sink"))
        rc = pong(n, 0);
    else if (hw_word(cmdline, "role=flood"))
        rc = flood((uint32_t)peer, n, (uint32_t)hw_option(cmdline, "bad", 99),
                   hw_option(cmdline, "badn", 0));
    else
        rc = hw_fail("no role=ping, pong, sink or flood on the command line");
    if (spurious)
        report("hvm_doorbell: spurious interrupts: ", spurious, "\n");
    if (!rc)
        put("SUCCESS\n");
    return rc;
}
