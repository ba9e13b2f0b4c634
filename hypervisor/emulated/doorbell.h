/* SPDX-License-Identifier: MIT */
/* doorbell.h: the register model of the inter-domain doorbell, an ISA-port
 * device by which one hvm domain interrupts another. */
#ifndef PVHV_EMULATED_DOORBELL_H
#define PVHV_EMULATED_DOORBELL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * Ports 0x540-0x55f: above the ISA block (0x000-0x3ff), clear of what PC
 * firmware and QEMU put near it (pvpanic 0x505, fw_cfg 0x510-0x51b, the
 * WSS sound codec 0x530-0x537, PIIX4 ACPI 0x600-0x63f and SMBus 0x700)
 * and below the PCI I/O window (0x1000 up; our bus master is at 0xc000).
 * IRQ 10: no PC device has it; the MP table lists ISA IRQ 10 on I/O APIC
 * pin 10, edge, active high, as every ISA line (mptable.c).
 */
#define DOORBELL_BASE 0x540
#define DOORBELL_PORTS 0x20
#define DOORBELL_IRQ 10

/* Registers: 32 bits each, at these offsets from DOORBELL_BASE. */
enum doorbell_reg {
    DOORBELL_ID = 0x00,     /* R: the domain's own id */
    DOORBELL_PEER = 0x04,   /* RW: the id RING interrupts */
    DOORBELL_RING = 0x08,   /* W: ring PEER; R: rings delivered */
    DOORBELL_STATUS = 0x0c, /* R: rings pending; W: acknowledge n */
    DOORBELL_ERROR = 0x10,  /* R: error bits; W: clears the bits written */
    DOORBELL_SOURCE = 0x14, /* R: the id of the last domain that rang */
    DOORBELL_REGS = 0x18,
};

#define DOORBELL_ERR_NO_PEER 0x1  /* PEER is no running hvm domain */
#define DOORBELL_ERR_BAD_PEER 0x2 /* PEER is no domain id at all */
#define DOORBELL_ERR_MASK 0x3
#define DOORBELL_NOBODY 0xffffu /* PEER and SOURCE after reset */

/*
 * One doorbell. (ring) delivers a ring of PEER to that domain's doorbell
 * (doorbell_receive there) and returns 0, -ESRCH where PEER has none or
 * -EINVAL where PEER is no domain id; it is called without (lock) held.
 * (irq) is told each change of the interrupt line, with (lock) held: it
 * must not call back. Rings received count up in (pending), saturating,
 * and hold the line high until the guest acknowledges all of them; a
 * flood of rings costs the receiver one interrupt.
 */
struct doorbell {
    pthread_mutex_t lock;
    int (*ring)(void *opaque, uint32_t peer);
    void (*irq)(void *opaque, bool level);
    void *opaque;
    uint16_t id, source;
    uint32_t peer; /* as written: checked at each ring */
    uint32_t pending, delivered, error;
    bool level;
};

/*
 * doorbell_init: (db) of domain (id) in its reset state (no peer, nothing
 * pending, the line low); doorbell_fini frees it, once no ring is on its
 * way to it (the caller's locking sees to that).
 */
void doorbell_init(struct doorbell *db, uint16_t id,
                   int (*ring)(void *, uint32_t), void (*irq)(void *, bool),
                   void *opaque);
void doorbell_fini(struct doorbell *db);

/*
 * doorbell_read, doorbell_write: the guest's 32-bit access to register
 * (reg), an offset of enum doorbell_reg. Returns true if (reg) is one;
 * false leaves it to the unclaimed policy (core/io.h). A write to RING
 * rings PEER: a failure sets an ERROR bit and returns true all the same.
 */
bool doorbell_read(struct doorbell *db, unsigned int reg, uint32_t *val);
bool doorbell_write(struct doorbell *db, unsigned int reg, uint32_t val);

/*
 * doorbell_receive: a ring from domain (from) reaches (db), whose (lock)
 * the caller holds (doorbell_lock): one more pending, the line raised if
 * it was low.
 */
void doorbell_lock(struct doorbell *db);
void doorbell_unlock(struct doorbell *db);
void doorbell_receive(struct doorbell *db, uint16_t from);

#endif /* PVHV_EMULATED_DOORBELL_H */
