/* SPDX-License-Identifier: MIT */
/* emulated.c: an hvm domain's device table, attached in one build step. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain.h"
#include "emulated/emulated.h"
#include "pvhv.h"

/*
 * The devices of every hvm domain, a row each: a new one is its file and
 * its row here. Each range's opaque is the domain's struct emulated.
 */
static const struct io_device *const emulated_devices[] = {
    &uart16550_device, &debug_exit_device, &ata_cmd_device,
    &ata_ctl_device,   &ata_bm_device,
};
#define NR_EMULATED (sizeof(emulated_devices) / sizeof(emulated_devices[0]))

/* The UART's output is the domain's console, as the PV console's is. */
static void uart_tx(void *opaque, uint8_t byte)
{
    struct emulated *e = opaque;

    domain_console_write(e->domain, (const char *)&byte, 1);
}

static void unregister(struct domain *d, unsigned int n)
{
    while (n-- > 0)
        io_unregister(d, emulated_devices[n]->space, emulated_devices[n]->base);
}

int emulated_step_init(struct domain *d, const struct pvhv_domain_config *cfg,
                       struct pvhv_error *err)
{
    struct emulated *e;
    int rc;

    if (!d->hvm)
        return 0;
    e = calloc(1, sizeof(*e));
    if (!e) {
        snprintf(err->msg, sizeof(err->msg), "emulated devices: out of memory");
        return -ENOMEM;
    }
    e->domain = d;
    /* No interrupt line yet: guests poll LSR (see README). */
    uart16550_init(&e->uart, uart_tx, NULL, e);
    rc = ata_io_init(e, cfg, err);
    if (rc < 0) {
        uart16550_fini(&e->uart);
        free(e);
        return rc;
    }
    for (unsigned int i = 0; i < NR_EMULATED; i++) {
        const struct io_device *dev = emulated_devices[i];
        rc = io_register(d, dev->space, dev->base, dev->len, dev->access, e);

        if (rc < 0) {
            snprintf(err->msg, sizeof(err->msg),
                     "cannot attach the %s at 0x%llx: %s", dev->name,
                     (unsigned long long)dev->base, strerror(-rc));
            unregister(d, i);
            ata_io_fini(e);
            uart16550_fini(&e->uart);
            free(e);
            return rc;
        }
    }
    d->emulated = e;
    return 0;
}

void emulated_step_fini(struct domain *d)
{
    struct emulated *e = d->emulated;

    if (!e)
        return;
    unregister(d, NR_EMULATED);
    ata_io_fini(e);
    uart16550_fini(&e->uart);
    free(e);
    d->emulated = NULL;
}

int emulated_console_input(struct domain *d, const char *buf, size_t len)
{
    if (!d->emulated)
        return -ENODEV;
    return (int)uart16550_input(&d->emulated->uart, buf, len);
}
