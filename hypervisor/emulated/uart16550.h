/* SPDX-License-Identifier: MIT */
/* uart16550.h: the register model of a 16550A UART, the PC's COM1. */
#ifndef PVHV_EMULATED_UART16550_H
#define PVHV_EMULATED_UART16550_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UART_COM1_BASE 0x3f8
#define UART_COM1_IRQ 4
#define UART_REGS 8
#define UART_FIFO 16 /* bytes in each direction (16550A) */

/* Register offsets from the base port (datasheet names). */
enum uart_reg {
    UART_RBR_THR_DLL = 0,
    UART_IER_DLM = 1,
    UART_IIR_FCR = 2,
    UART_LCR = 3,
    UART_MCR = 4,
    UART_LSR = 5,
    UART_MSR = 6,
    UART_SCR = 7,
};

#define UART_LCR_DLAB 0x80
#define UART_IER_RDI 0x01  /* received data available */
#define UART_IER_THRI 0x02 /* transmitter holding register empty */
#define UART_IER_RLSI 0x04 /* receiver line status */
#define UART_IER_MSI 0x08  /* modem status */
#define UART_IIR_NONE 0x01
#define UART_IIR_MSI 0x00
#define UART_IIR_THRI 0x02
#define UART_IIR_RDI 0x04
#define UART_IIR_RLSI 0x06
#define UART_IIR_FIFO 0xc0 /* FIFOs enabled */
#define UART_FCR_ENABLE 0x01
#define UART_FCR_CLEAR_RX 0x02
#define UART_FCR_CLEAR_TX 0x04
#define UART_LSR_DR 0x01
#define UART_LSR_OE 0x02
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
#define UART_MCR_OUT2 0x08 /* on a PC, gates the interrupt line */
#define UART_MCR_LOOP 0x10

/*
 * One UART. (tx) takes each transmitted byte (the console), (irq) is told
 * each change of the interrupt line (level); both are called with (lock)
 * held and must not call back. Output never waits: THR is always empty
 * again by the time the guest looks, as on a fast line.
 */
struct uart16550 {
    pthread_mutex_t lock;
    void (*tx)(void *opaque, uint8_t byte);
    void (*irq)(void *opaque, bool level);
    void *opaque;
    uint8_t ier, lcr, mcr, scr, fcr, msr_delta;
    uint16_t divisor;
    bool lsr_oe;
    bool thri_pending; /* THRE interrupt raised and not yet acknowledged */
    bool irq_level;
    uint8_t rx[UART_FIFO];
    unsigned int rx_head, rx_len;
};

/* uart16550_init: a UART in its reset state; uart16550_fini frees it. */
void uart16550_init(struct uart16550 *u, void (*tx)(void *, uint8_t),
                    void (*irq)(void *, bool), void *opaque);
void uart16550_fini(struct uart16550 *u);

/*
 * uart16550_read, uart16550_write: the guest's access to register (reg)
 * (0 to 7; others read 0xff and are ignored).
 */
uint8_t uart16550_read(struct uart16550 *u, unsigned int reg);
void uart16550_write(struct uart16550 *u, unsigned int reg, uint8_t val);

/*
 * uart16550_input: (len) bytes from the host for the guest to receive.
 * Returns how many the receive FIFO took (fewer when full: the caller
 * keeps the rest, nothing is lost as an overrun).
 */
size_t uart16550_input(struct uart16550 *u, const char *buf, size_t len);

#endif /* PVHV_EMULATED_UART16550_H */
