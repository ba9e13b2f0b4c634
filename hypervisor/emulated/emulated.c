/* SPDX-License-Identifier: MIT */
/* emulated.c: an hvm domain's device table, attached in one build step. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/device_types.h"
#include "core/domain.h"
#include "core/error.h"
#include "emulated/emulated.h"
#include "emulated/mptable.h"

/*
 * The devices of every hvm domain, a row each: a new one is its file and
 * its row here. Each range's opaque is the domain's struct emulated.
 */
static const struct io_device *const emulated_devices[] = {
    &uart16550_device, &debug_exit_device, &ata_cmd_device,  &ata_ctl_device,
    &ata_bm_device,    &cmos_rtc_device,   &doorbell_device,
};
#define NR_EMULATED (sizeof(emulated_devices) / sizeof(emulated_devices[0]))

/* The UART's output is the domain's console, as the PV console's is. */
static void uart_tx(void *opaque, uint8_t byte)
{
    struct emulated *e = opaque;

    domain_console_write(e->domain, (const char *)&byte, 1);
}

/* COM1's line is ISA IRQ 4, as on a PC. */
static void uart_irq(void *opaque, bool level)
{
    struct emulated *e = opaque;

    (void)io_irq_line(e->domain, UART_COM1_IRQ, level);
}

static void unregister(struct domain *d, unsigned int n)
{
    while (n-- > 0)
        io_unregister(d, emulated_devices[n]->space, emulated_devices[n]->base);
}

static int emulated_attach(struct domain *d, const struct domain_config *cfg,
                           struct pvhv_error *err)
{
    struct emulated *e;
    int rc;

    e = calloc(1, sizeof(*e));
    if (!e) {
        pvhv_error_set(err, "emulated devices: out of memory");
        return -ENOMEM;
    }
    e->domain = d;
    uart16550_init(&e->uart, uart_tx, uart_irq, e);
    cmos_rtc_init(&e->rtc, NULL, NULL);
    doorbell_attach(e);
    rc = ata_io_init(e, cfg, err);
    if (rc < 0) {
        doorbell_fini(&e->doorbell);
        cmos_rtc_fini(&e->rtc);
        uart16550_fini(&e->uart);
        free(e);
        return rc;
    }
    for (unsigned int i = 0; i < NR_EMULATED; i++) {
        const struct io_device *dev = emulated_devices[i];
        rc = io_register(d, dev->space, dev->base, dev->len, dev->access, e);

        if (rc < 0) {
            pvhv_error_set(err, "cannot attach the %s at 0x%llx: %s", dev->name,
                           (unsigned long long)dev->base, strerror(-rc));
            unregister(d, i);
            ata_io_fini(e);
            doorbell_fini(&e->doorbell);
            cmos_rtc_fini(&e->rtc);
            uart16550_fini(&e->uart);
            free(e);
            return rc;
        }
    }
    d->emulated = e;
    /* Firmware tables: where a guest finds its CPUs and interrupts. */
    (void)mptable_write(d);
    (void)acpi_pc_write(d);
    return 0;
}

static void emulated_detach(struct domain *d)
{
    struct emulated *e = d->emulated;

    if (!e)
        return;
    unregister(d, NR_EMULATED);
    ata_io_fini(e);
    doorbell_fini(&e->doorbell);
    cmos_rtc_fini(&e->rtc);
    uart16550_fini(&e->uart);
    free(e);
    d->emulated = NULL;
}

const struct device_type emulated_pc = {
    .name = "emulated",
    .type = "ata", /* its drives; the rest of the PC every hvm domain gets */
    .attach = emulated_attach,
    .detach = emulated_detach,
    .hvm = true,
};

int emulated_console_input(struct domain *d, const char *buf, size_t len)
{
    if (!d->emulated)
        return -ENODEV;
    return (int)uart16550_input(&d->emulated->uart, buf, len);
}
