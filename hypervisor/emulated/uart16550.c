/* SPDX-License-Identifier: MIT */
/* uart16550.c: a 16550A UART's registers, FIFOs and interrupt line. */
#include <string.h>

#include "emulated/uart16550.h"

static unsigned int rx_size(const struct uart16550 *u)
{
    return u->fcr & UART_FCR_ENABLE ? UART_FIFO : 1;
}

/* iir: the highest-priority pending source (datasheet table 4). */
static uint8_t iir(const struct uart16550 *u)
{
    uint8_t fifo = u->fcr & UART_FCR_ENABLE ? UART_IIR_FIFO : 0;

    if ((u->ier & UART_IER_RLSI) && u->lsr_oe)
        return fifo | UART_IIR_RLSI;
    if ((u->ier & UART_IER_RDI) && u->rx_len)
        return fifo | UART_IIR_RDI;
    if ((u->ier & UART_IER_THRI) && u->thri_pending)
        return fifo | UART_IIR_THRI;
    if ((u->ier & UART_IER_MSI) && u->msr_delta)
        return fifo | UART_IIR_MSI;
    return fifo | UART_IIR_NONE;
}

/* update: the interrupt line after a change; OUT2 gates it, as on a PC. */
static void update(struct uart16550 *u)
{
    bool level = !(iir(u) & UART_IIR_NONE) && (u->mcr & UART_MCR_OUT2);

    if (level != u->irq_level) {
        u->irq_level = level;
        if (u->irq)
            u->irq(u->opaque, level);
    }
}

static void reset(struct uart16550 *u)
{
    u->ier = u->lcr = u->mcr = u->scr = u->fcr = u->msr_delta = 0;
    u->divisor = 12; /* 9600 baud */
    u->lsr_oe = u->thri_pending = false;
    u->rx_head = u->rx_len = 0;
}

void uart16550_init(struct uart16550 *u, void (*tx)(void *, uint8_t),
                    void (*irq)(void *, bool), void *opaque)
{
    memset(u, 0, sizeof(*u));
    pthread_mutex_init(&u->lock, NULL);
    u->tx = tx;
    u->irq = irq;
    u->opaque = opaque;
    reset(u);
}

void uart16550_fini(struct uart16550 *u)
{
    pthread_mutex_destroy(&u->lock);
}

/* rx_push: one received byte; false when the FIFO is full. */
static bool rx_push(struct uart16550 *u, uint8_t b)
{
    if (u->rx_len >= rx_size(u))
        return false;
    u->rx[(u->rx_head + u->rx_len++) % UART_FIFO] = b;
    return true;
}

static uint8_t rx_pop(struct uart16550 *u)
{
    uint8_t b;

    if (!u->rx_len)
        return 0;
    b = u->rx[u->rx_head];
    u->rx_head = (u->rx_head + 1) % UART_FIFO;
    u->rx_len--;
    return b;
}

/* msr: DCD, DSR and CTS up (a terminal is there); in loopback, MCR's. */
static uint8_t msr(const struct uart16550 *u)
{
    uint8_t m = u->mcr;

    if (!(u->mcr & UART_MCR_LOOP))
        return 0xb0 | u->msr_delta;
    return (uint8_t)((m & 0x01) << 5 | (m & 0x02) << 3 | (m & 0x04) << 4 |
                     (m & 0x08) << 4 | u->msr_delta);
}

static uint8_t read_reg(struct uart16550 *u, unsigned int reg)
{
    bool dlab = u->lcr & UART_LCR_DLAB;
    uint8_t v;

    switch (reg) {
    case UART_RBR_THR_DLL:
        return dlab ? (uint8_t)u->divisor : rx_pop(u);
    case UART_IER_DLM:
        return dlab ? (uint8_t)(u->divisor >> 8) : u->ier;
    case UART_IIR_FCR:
        v = iir(u);
        /* Reading IIR acknowledges a THRE interrupt it reports. */
        if ((v & 0x0f) == UART_IIR_THRI)
            u->thri_pending = false;
        return v;
    case UART_LCR:
        return u->lcr;
    case UART_MCR:
        return u->mcr;
    case UART_LSR:
        v = (uint8_t)(UART_LSR_THRE | UART_LSR_TEMT |
                      (u->rx_len ? UART_LSR_DR : 0) |
                      (u->lsr_oe ? UART_LSR_OE : 0));
        u->lsr_oe = false;
        return v;
    case UART_MSR:
        v = msr(u);
        u->msr_delta = 0;
        return v;
    case UART_SCR:
        return u->scr;
    }
    return 0xff;
}

/* thr: a byte to send; in loopback it comes back as received (or overruns). */
static void thr(struct uart16550 *u, uint8_t val)
{
    if (u->mcr & UART_MCR_LOOP) {
        if (!rx_push(u, val))
            u->lsr_oe = true;
    } else if (u->tx) {
        u->tx(u->opaque, val);
    }
    u->thri_pending = true; /* sent at once: THR is empty again */
}

static void fcr(struct uart16550 *u, uint8_t val)
{
    /* Switching the FIFOs on or off clears them. */
    if ((val ^ u->fcr) & UART_FCR_ENABLE)
        val |= UART_FCR_CLEAR_RX;
    if (val & UART_FCR_CLEAR_RX)
        u->rx_head = u->rx_len = 0;
    u->fcr = val & 0xc9; /* enable, DMA mode, trigger level are kept */
}

static void write_reg(struct uart16550 *u, unsigned int reg, uint8_t val)
{
    bool dlab = u->lcr & UART_LCR_DLAB;

    switch (reg) {
    case UART_RBR_THR_DLL:
        if (dlab)
            u->divisor = (uint16_t)((u->divisor & 0xff00) | val);
        else
            thr(u, val);
        break;
    case UART_IER_DLM:
        if (dlab) {
            u->divisor = (uint16_t)((u->divisor & 0xff) | val << 8);
            break;
        }
        /* Enabling THRI with THR empty raises it at once (8250 rule). */
        if ((val & UART_IER_THRI) && !(u->ier & UART_IER_THRI))
            u->thri_pending = true;
        u->ier = val & 0x0f;
        break;
    case UART_IIR_FCR:
        fcr(u, val);
        break;
    case UART_LCR:
        u->lcr = val;
        break;
    case UART_MCR:
        u->mcr = val & 0x1f;
        break;
    case UART_SCR:
        u->scr = val;
        break;
    default: /* LSR, MSR: factory test registers, writes ignored */
        break;
    }
}

uint8_t uart16550_read(struct uart16550 *u, unsigned int reg)
{
    uint8_t v;

    pthread_mutex_lock(&u->lock);
    v = read_reg(u, reg);
    update(u);
    pthread_mutex_unlock(&u->lock);
    return v;
}

void uart16550_write(struct uart16550 *u, unsigned int reg, uint8_t val)
{
    pthread_mutex_lock(&u->lock);
    write_reg(u, reg, val);
    update(u);
    pthread_mutex_unlock(&u->lock);
}

size_t uart16550_input(struct uart16550 *u, const char *buf, size_t len)
{
    size_t n = 0;

    pthread_mutex_lock(&u->lock);
    /* In loopback the line is cut off from the outside. */
    while (!(u->mcr & UART_MCR_LOOP) && n < len && rx_push(u, (uint8_t)buf[n]))
        n++;
    update(u);
    pthread_mutex_unlock(&u->lock);
    return n;
}
