/* SPDX-License-Identifier: MIT */
/* doorbell.c: the inter-domain doorbell at ports 0x540-0x55f, IRQ 10: one
 * hvm domain rings another's, which takes an interrupt. */
#include <errno.h>
#include <string.h>

#include "core/domain.h"
#include "core/domain_lookup.h"
#include "emulated/doorbell.h"
#include "emulated/emulated.h"

void doorbell_init(struct doorbell *db, uint16_t id,
                   int (*ring)(void *, uint32_t), void (*irq)(void *, bool),
                   void *opaque)
{
    memset(db, 0, sizeof(*db));
    pthread_mutex_init(&db->lock, NULL);
    db->ring = ring;
    db->irq = irq;
    db->opaque = opaque;
    db->id = id;
    db->peer = DOORBELL_NOBODY;
    db->source = DOORBELL_NOBODY;
}

void doorbell_fini(struct doorbell *db)
{
    /* A ring that found this domain before it left the registry may still
     * hold the lock: it is let go before the lock is destroyed. */
    pthread_mutex_lock(&db->lock);
    pthread_mutex_unlock(&db->lock);
    pthread_mutex_destroy(&db->lock);
}

void doorbell_lock(struct doorbell *db)
{
    pthread_mutex_lock(&db->lock);
}

void doorbell_unlock(struct doorbell *db)
{
    pthread_mutex_unlock(&db->lock);
}

/* set_line: the interrupt line to (level), (irq) told of a change only. */
static void set_line(struct doorbell *db, bool level)
{
    if (db->level == level)
        return;
    db->level = level;
    if (db->irq)
        db->irq(db->opaque, level);
}

void doorbell_receive(struct doorbell *db, uint16_t from)
{
    if (db->pending != UINT32_MAX)
        db->pending++;
    db->source = from;
    set_line(db, true); /* already high: coalesced, no new interrupt */
}

/*
 * acknowledge: the guest saw (n) rings: as many fewer pending (not below
 * none). With none left the line goes low; with some left it goes low
 * and high again, a new edge, since the I/O APIC takes ISA lines by edge
 * and the rings that came meanwhile would otherwise raise nothing.
 */
static void acknowledge(struct doorbell *db, uint32_t n)
{
    db->pending -= n < db->pending ? n : db->pending;
    set_line(db, false);
    if (db->pending)
        set_line(db, true);
}

/* ring: RING written: the peer as it is now, rung without our lock (a
 * domain ringing itself takes it there). */
static void ring(struct doorbell *db)
{
    uint32_t peer;
    int rc;

    pthread_mutex_lock(&db->lock);
    peer = db->peer;
    pthread_mutex_unlock(&db->lock);
    rc = db->ring ? db->ring(db->opaque, peer) : -ESRCH;
    pthread_mutex_lock(&db->lock);
    if (rc == 0)
        db->delivered++;
    else
        db->error |=
            rc == -EINVAL ? DOORBELL_ERR_BAD_PEER : DOORBELL_ERR_NO_PEER;
    pthread_mutex_unlock(&db->lock);
}

bool doorbell_read(struct doorbell *db, unsigned int reg, uint32_t *val)
{
    bool ok = true;

    pthread_mutex_lock(&db->lock);
    switch (reg) {
    case DOORBELL_ID:
        *val = db->id;
        break;
    case DOORBELL_PEER:
        *val = db->peer;
        break;
    case DOORBELL_RING:
        *val = db->delivered;
        break;
    case DOORBELL_STATUS:
        *val = db->pending;
        break;
    case DOORBELL_ERROR:
        *val = db->error;
        break;
    case DOORBELL_SOURCE:
        *val = db->source;
        break;
    default:
        ok = false;
        break;
    }
    pthread_mutex_unlock(&db->lock);
    return ok;
}

bool doorbell_write(struct doorbell *db, unsigned int reg, uint32_t val)
{
    if (reg == DOORBELL_RING) {
        ring(db);
        return true;
    }
    if (reg != DOORBELL_ID && reg != DOORBELL_PEER && reg != DOORBELL_STATUS &&
        reg != DOORBELL_ERROR && reg != DOORBELL_SOURCE)
        return false;
    pthread_mutex_lock(&db->lock);
    if (reg == DOORBELL_PEER)
        db->peer = val;
    else if (reg == DOORBELL_STATUS)
        acknowledge(db, val);
    else if (reg == DOORBELL_ERROR)
        db->error &= ~val; /* write 1 to clear */
    /* ID and SOURCE are read-only: the write is ignored */
    pthread_mutex_unlock(&db->lock);
    return true;
}

/* ---- Between domains --------------------------------------------------- */

/*
 * has_doorbell: (td) is an hvm domain that runs: its devices are attached
 * (the domain started after they were) and stay until its teardown, which
 * takes it out of the registry first (domain_teardown).
 */
static bool has_doorbell(const struct domain *td)
{
    return td->hvm &&
           atomic_load_explicit(&td->state, memory_order_acquire) ==
               DOMAIN_RUNNING &&
           td->emulated;
}

static void lock_doorbell(struct domain *d, struct domain *td)
{
    (void)d;
    doorbell_lock(&td->emulated->doorbell);
}

/*
 * doorbell_ring_peer: rings (peer)'s doorbell for the domain of (opaque)
 * (struct emulated): found under its registry stripe and its doorbell
 * locked there, so that it cannot go away meanwhile. Any hvm domain may
 * ring any other; a ring costs the ringer an exit and the target at most
 * one interrupt until it acknowledges.
 */
static int doorbell_ring_peer(void *opaque, uint32_t peer)
{
    static const struct domain_lookup how = {
        .rights = LOOKUP_ANY,
        .usable = has_doorbell,
        .lock = lock_doorbell,
    };
    struct emulated *e = opaque;
    struct domain *td;

    if (peer >= DOMID_FIRST_RESERVED) {
        gdprintk(e->domain, "doorbell: PEER 0x%x is no domain id, not rung",
                 peer);
        return -EINVAL;
    }
    if (domain_lookup(e->domain, (domid_t)peer, &how, &td) < 0) {
        gdprintk(e->domain,
                 "doorbell: domain %u is no running hvm domain, not rung",
                 peer);
        return -ESRCH;
    }
    doorbell_receive(&td->emulated->doorbell, e->domain->domid);
    doorbell_unlock(&td->emulated->doorbell);
    return 0;
}

/* The line is the domain's ISA IRQ 10. */
static void doorbell_irq(void *opaque, bool level)
{
    struct emulated *e = opaque;

    (void)io_irq_line(e->domain, DOORBELL_IRQ, level);
}

void doorbell_attach(struct emulated *e)
{
    doorbell_init(&e->doorbell, e->domain->domid, doorbell_ring_peer,
                  doorbell_irq, e);
}

/* 32-bit accesses to a register only; others are refused. */
static bool doorbell_io(struct vcpu *v, uint64_t port, uint8_t *data,
                        unsigned int len, bool is_write, void *opaque)
{
    struct emulated *e = opaque;
    unsigned int reg = (unsigned int)(port - DOORBELL_BASE);
    uint32_t val;

    (void)v;
    if (len != 4 || reg % 4)
        return false;
    if (is_write) {
        memcpy(&val, data, 4);
        return doorbell_write(&e->doorbell, reg, val);
    }
    if (!doorbell_read(&e->doorbell, reg, &val))
        return false;
    memcpy(data, &val, 4);
    return true;
}

const struct io_device doorbell_device = {
    .name = "inter-domain doorbell",
    .space = IO_SPACE_PORT,
    .base = DOORBELL_BASE,
    .len = DOORBELL_PORTS,
    .access = doorbell_io,
};
