/* SPDX-License-Identifier: MIT */
/* doorbell.h: a driver of pvhv's inter-domain doorbell (ports 0x540-0x55f,
 * ISA IRQ 10) for guests of hvm domains. */
#ifndef PVHV_TESTS_GUESTS_HW_DOORBELL_H
#define PVHV_TESTS_GUESTS_HW_DOORBELL_H

#include <stdint.h>

/*
 * The registers (abi/ABI.md "hvm devices"), 32 bits each, reached with
 * inl/outl only. A ring of PEER raises the peer's IRQ 10, which stays
 * high until it acknowledges every ring pending (STATUS); ringing a
 * domain that is no running hvm domain sets an ERROR bit instead.
 */
#define DOORBELL_BASE 0x540
#define DOORBELL_IRQ 10
#define DOORBELL_ID (DOORBELL_BASE + 0x00)
#define DOORBELL_PEER (DOORBELL_BASE + 0x04)
#define DOORBELL_RING (DOORBELL_BASE + 0x08)
#define DOORBELL_STATUS (DOORBELL_BASE + 0x0c)
#define DOORBELL_ERROR (DOORBELL_BASE + 0x10)
#define DOORBELL_SOURCE (DOORBELL_BASE + 0x14)
#define DOORBELL_ERR_NO_PEER 0x1
#define DOORBELL_ERR_BAD_PEER 0x2
#define DOORBELL_ERR_MASK 0x3
#define DOORBELL_NOBODY 0xffffu

static inline uint32_t doorbell_inl(uint16_t port)
{
    uint32_t v;

    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void doorbell_outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline uint32_t doorbell_id(void)
{
    return doorbell_inl(DOORBELL_ID);
}

/* doorbell_peer: the domain later rings go to. */
static inline void doorbell_peer(uint32_t domid)
{
    doorbell_outl(DOORBELL_PEER, domid);
}

/* doorbell_ring: rings the peer; its ERROR bits afterwards (0: rung). */
static inline uint32_t doorbell_ring(void)
{
    doorbell_outl(DOORBELL_RING, 1);
    return doorbell_inl(DOORBELL_ERROR);
}

/* doorbell_ring_fast: rings the peer, one exit; errors left in ERROR. */
static inline void doorbell_ring_fast(void)
{
    doorbell_outl(DOORBELL_RING, 1);
}

/* doorbell_clear_errors: ERROR's bits cleared (written back as 1s). */
static inline void doorbell_clear_errors(void)
{
    doorbell_outl(DOORBELL_ERROR, DOORBELL_ERR_MASK);
}

/*
 * doorbell_ack: for the IRQ 10 handler: the rings pending, acknowledged
 * (the line goes low unless more came meanwhile: then it pulses, and the
 * handler runs again). Returns how many it took.
 */
static inline uint32_t doorbell_ack(void)
{
    uint32_t n = doorbell_inl(DOORBELL_STATUS);

    doorbell_outl(DOORBELL_STATUS, n);
    return n;
}

/*
 * doorbell_enable: once IRQ 10 is routed: an acknowledge of none, which
 * pulses the line if rings came before it was (the I/O APIC takes ISA
 * lines by edge, and that edge went to a masked pin).
 */
static inline void doorbell_enable(void)
{
    doorbell_outl(DOORBELL_STATUS, 0);
}

#endif /* PVHV_TESTS_GUESTS_HW_DOORBELL_H */
