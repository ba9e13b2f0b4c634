/* SPDX-License-Identifier: MIT */
/* debug_port.c: port 0xe9, the debug console: what is written is output. */
#include "core/domain.h"
#include "core/io.h"
#include "pvabi/pvhv.h"

/*
 * As Bochs' and QEMU's debug console, from the first instruction on and
 * within the domain's console budget (domain_console_write). Reads find
 * no device (all ones), as they always did here: Bochs answers 0xe9, but
 * no guest of ours looks.
 */
static bool debug_port_io(struct vcpu *v, uint64_t port, uint8_t *data,
                          unsigned int len, bool is_write, void *opaque)
{
    (void)port;
    (void)opaque;
    if (!is_write)
        return false;
    domain_console_write(v->domain, (const char *)data, len);
    return true;
}

const struct io_device debug_port_device = {
    .name = "debug console",
    .space = IO_SPACE_PORT,
    .base = PVHV_DEBUGCON_PORT,
    .len = 1,
    .access = debug_port_io,
};
