/* SPDX-License-Identifier: MIT */
/* com1.h: a polled 16550 console on COM1 for guests on emulated hardware. */
#ifndef PVHV_TESTS_GUESTS_HW_COM1_H
#define PVHV_TESTS_GUESTS_HW_COM1_H

#include <stdint.h>

#define COM1 0x3f8
#define COM1_LSR_DR 0x01
#define COM1_LSR_THRE 0x20

static inline void com1_outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t com1_inb(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* com1_init: 115200 baud 8N1, FIFOs on and cleared, no interrupts. */
static inline void com1_init(void)
{
    com1_outb(COM1 + 3, 0x83);
    com1_outb(COM1, 1);
    com1_outb(COM1 + 1, 0);
    com1_outb(COM1 + 3, 0x03);
    com1_outb(COM1 + 2, 0x07);
}

static inline void com1_putc(char c)
{
    while (!(com1_inb(COM1 + 5) & COM1_LSR_THRE))
        ;
    com1_outb(COM1, (uint8_t)c);
}

static inline void com1_puts(const char *s)
{
    for (; *s; s++)
        com1_putc(*s);
}

/* com1_getc: a received byte, or -1 when none is there. */
static inline int com1_getc(void)
{
    return com1_inb(COM1 + 5) & COM1_LSR_DR ? com1_inb(COM1) : -1;
}

static inline void com1_put_hex(uint32_t v)
{
    for (int i = 28; i >= 0; i -= 4)
        com1_putc("0123456789abcdef"[(v >> i) & 15]);
}

#endif /* PVHV_TESTS_GUESTS_HW_COM1_H */
