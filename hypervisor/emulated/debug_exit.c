/* SPDX-License-Identifier: MIT */
/* debug_exit.c: port 0xf4, QEMU's isa-debug-exit: a write ends the domain. */
#include "core/domain.h"
#include "emulated/emulated.h"
#include "pvabi/sched.h"

#define DEBUG_EXIT_PORT 0xf4

/*
 * An hvm guest has no SCHEDOP_shutdown; as under QEMU's isa-debug-exit,
 * it writes its status: 0 powers off, anything else is a crash. So the
 * same guest image ends the same way under both.
 */
static bool debug_exit_io(struct vcpu *v, uint64_t port, uint8_t *data,
                          unsigned int len, bool is_write, void *opaque)
{
    (void)port;
    (void)len;
    (void)opaque;
    if (!is_write)
        return false;
    domain_note(v->domain, "isa-debug-exit: status %u", data[0]);
    domain_shutdown(v, data[0] ? SHUTDOWN_crash : SHUTDOWN_poweroff);
    return true;
}

const struct io_device debug_exit_device = {
    .name = "isa-debug-exit",
    .space = IO_SPACE_PORT,
    .base = DEBUG_EXIT_PORT,
    .len = 1,
    .access = debug_exit_io,
};
