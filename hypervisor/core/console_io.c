/* SPDX-License-Identifier: MIT */
/* console_io.c: console_io(cmd, count, buffer): the guest's hypervisor log. */
#include <string.h>

#include "pvabi/errno.h"
#include "pvabi/xen.h"
#include "core/console_buffer.h"
#include "core/domain.h"
#include "core/hypercall_handler.h"
#include "core/log.h"

/* Bytes moved per copy: bounds the stack buffer, not the write. */
#define CONSOLE_CHUNK 1024

/*
 * Bytes served per call: a longer write continues (hypercall_continue),
 * so that a guest asking for gigabytes stays preemptible.
 */
#define CONSOLE_IO_SLICE (64 * 1024)

/*
 * On Xen, a domU's CONSOLEIO_write goes to the hypervisor's console
 * (`xl dmesg`), not to the domain's console (the PV ring, xenconsoled):
 * a kernel that writes both would show each line twice here otherwise.
 * So these bytes go to the domain's log (struct console_log), line by
 * line as Xen's guest_console_write keeps them.
 */

/* end_line: the line built so far goes out, kept and printed; lock held. */
static void end_line(struct domain *d, struct console_log *l)
{
    l->line[l->len++] = '\n';
    console_buffer_write(&d->log_buf, l->line, l->len);
    l->line[l->len - 1] = '\0';
    guest_console_line(&l->limit, d->domid, l->line);
    l->len = 0;
}

/* Xen keeps printable characters and tabs; a newline ends the line. */
static bool printable(char c)
{
    return (c >= 0x20 && c < 0x7f) || c == '\t';
}

void console_log_write(struct domain *d, const char *buf, size_t len)
{
    struct console_log *l = &d->console_log;

    atomic_fetch_add_explicit(&l->bytes, len, memory_order_relaxed);
    pthread_mutex_lock(&l->lock);
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n') {
            end_line(d, l);
            continue;
        }
        if (!printable(buf[i]))
            continue;
        l->line[l->len++] = buf[i];
        if (l->len == CONSOLE_LOG_LINE - 1)
            end_line(d, l);
    }
    pthread_mutex_unlock(&l->lock);
}

void console_log_flush(struct domain *d)
{
    struct console_log *l = &d->console_log;

    pthread_mutex_lock(&l->lock);
    if (l->len)
        end_line(d, l);
    pthread_mutex_unlock(&l->lock);
}

size_t console_log_read(struct domain *d, char *buf, size_t len)
{
    struct console_buffer *b = &d->log_buf;
    uint64_t end = console_buffer_end(b);
    uint64_t pos = end > b->size ? end - b->size : 0;
    size_t n;

    /*
     * A ring that wrapped may begin mid-line (the byte before it is
     * overwritten: there is no knowing): from the next line on.
     */
    if (pos > 0) {
        char chunk[256];
        size_t got, i = 0;

        while ((got = console_buffer_read(b, &pos, chunk, sizeof(chunk),
                                          NULL)) > 0) {
            for (i = 0; i < got && chunk[i] != '\n'; i++)
                ;
            if (i < got) {
                pos -= got - i - 1;
                break;
            }
        }
    }
    n = (size_t)(end > pos ? end - pos : 0);
    if (len > 0)
        buf[console_buffer_read(b, &pos, buf, len - 1, NULL)] = '\0';
    return n;
}

/*
 * console_io_write: passes up to CONSOLE_IO_SLICE of the (count) bytes at
 * guest-virtual (buf) to the domain's log, a chunk at a time, through the
 * console budget, and continues with the rest. Chunks already passed stay
 * written when a later one faults.
 */
static long console_io_write(struct vcpu *v, uint32_t count, gva_t buf)
{
    struct domain *d = v->domain;
    char chunk[CONSOLE_CHUNK];
    uint32_t slice = CONSOLE_IO_SLICE;

    if (d->console_drain)
        d->console_drain(d->console_drain_opaque);
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
        console_log_write(d, chunk, domain_console_budget(d, n));
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
        return console_io_write(v, (uint32_t)arg[1], arg[2]);
    default: /* CONSOLEIO_read: no input path yet */
        return -XEN_ENOSYS;
    }
}
