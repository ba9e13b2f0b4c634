/* SPDX-License-Identifier: MIT */
/* uart16550_io.c: COM1 of an hvm domain: its console, through the I/O table. */
#include "core/domain.h"
#include "emulated/emulated.h"

/* Byte accesses only, as the UART decodes them; wider ones are refused. */
static bool uart_io(struct vcpu *v, uint64_t port, uint8_t *data,
                    unsigned int len, bool is_write, void *opaque)
{
    struct emulated *e = opaque;
    unsigned int reg = (unsigned int)(port - UART_COM1_BASE);

    (void)v;
    if (len != 1)
        return false;
    if (is_write)
        uart16550_write(&e->uart, reg, data[0]);
    else
        data[0] = uart16550_read(&e->uart, reg);
    return true;
}

const struct io_device uart16550_device = {
    .name = "16550A UART (COM1)",
    .space = IO_SPACE_PORT,
    .base = UART_COM1_BASE,
    .len = UART_REGS,
    .access = uart_io,
};
