/* SPDX-License-Identifier: MIT */
/*
 * console.c: console output: the PV console ring once it is up (boot step
 * "console ring"), console_io before it and where the hypervisor offers
 * no ring, the debug port before the hypercall page.
 */

#include "internal.h"

/* Set by console_init() once console_io can be called. */
static int use_console_io;

static void debugcon_write(const char *buf, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        __asm__ volatile("outb %0, %1"
                         :
                         : "a"(buf[i]), "Nd"((uint16_t)PVHV_DEBUGCON_PORT));
}

void console_early_puts(const char *s)
{
    debugcon_write(s, strlen(s));
}

int console_init(void)
{
    if (!hypercall_ready())
        return -XEN_ENODEV;
    use_console_io = 1;
    return 0;
}

void console_write(const char *buf, size_t len)
{
    size_t n;

    /* What the ring cannot take (see console_ring_write) goes on below. */
    if (console_ring_ready()) {
        n = console_ring_write(buf, len);
        buf += n;
        len -= n;
    }
    /* CONSOLEIO_write takes an int count: split anything larger. */
    while (use_console_io && len > 0) {
        int chunk = len > 0x10000 ? 0x10000 : (int)len;

        if (HYPERVISOR_console_io(CONSOLEIO_write, chunk, buf) < 0)
            break;  /* the debug port takes the rest */
        buf += chunk;
        len -= chunk;
    }
    if (len > 0)
        debugcon_write(buf, len);
}

int puts(const char *s)
{
    /* Through printf's buffer: a short line is one console write. */
    return printf("%s\n", s) < 0 ? -1 : 0;
}

static void flush_to_console(struct fmt_sink *sink)
{
    console_write(sink->buf, sink->pos);
    sink->pos = 0;
}

int vprintf(const char *fmt, va_list ap)
{
    char buf[128];
    struct fmt_sink sink = {
        .buf = buf, .size = sizeof(buf), .flush = flush_to_console,
    };

    fmt_format(&sink, fmt, ap);
    flush_to_console(&sink);
    return (int)sink.total;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}
