/* SPDX-License-Identifier: MIT */
/* console_io.c: console_io(cmd, count, buffer): the guest's early console. */
#include "pvabi/errno.h"
#include "pvabi/xen.h"
#include "core/domain.h"
#include "core/hypercall.h"
#include "core/log.h"

/* Bytes moved per copy: bounds the stack buffer, not the write. */
#define CONSOLE_CHUNK 1024

/*
 * Bytes served per call: a longer write continues (hypercall_continue),
 * so that a guest asking for gigabytes stays preemptible. libpvguest
 * writes at most this much at once: its writes are served in one call.
 */
#define CONSOLE_IO_SLICE (64 * 1024)

/*
 * console_write: passes up to CONSOLE_IO_SLICE of the (count) bytes at
 * guest-virtual (buf) to the domain's console, a chunk at a time, and
 * continues with the rest. Chunks already passed stay written when a
 * later one faults.
 */
static long console_write(struct vcpu *v, uint32_t count, gva_t buf)
{
    struct domain *d = v->domain;
    char chunk[CONSOLE_CHUNK];
    uint32_t slice = CONSOLE_IO_SLICE;

    while (count) {
        uint32_t n = count < CONSOLE_CHUNK ? count : CONSOLE_CHUNK;

        if (slice == 0) {
            const uint64_t next[5] = {CONSOLEIO_write, count, buf};

            return hypercall_continue(v, next);
        }
        if (copy_from_guest(&d->ram, &v->ctx.paging, chunk, buf, n)) {
            gdprintk(d, "console_io write: bad buffer 0x%llx (%u bytes left)",
                     (unsigned long long)buf, count);
            return -XEN_EFAULT;
        }
        domain_console_write(d, chunk, n);
        buf += n;
        count -= n;
        slice -= n;
    }
    return 0;
}

long do_console_io(struct vcpu *v, const uint64_t arg[5])
{
    /* cmd and count are 32-bit in Xen's signature: upper bits ignored. */
    switch ((uint32_t)arg[0]) {
    case CONSOLEIO_write:
        return console_write(v, (uint32_t)arg[1], arg[2]);
    default: /* CONSOLEIO_read: no input path yet */
        return -XEN_ENOSYS;
    }
}
