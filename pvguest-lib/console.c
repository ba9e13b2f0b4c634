/* SPDX-License-Identifier: MIT */
/*
 * console.c: console output: the PV console ring once it is up (boot step
 * "console ring"), as Mini-OS does, and the debug port before it, where
 * the hypervisor offers no ring, and for what the ring cannot take.
 *
 * Both are the domain's console. console_io is not used: on Xen it is
 * the hypervisor's log (`xl dmesg`), and so it is on pvhv (ABI.md 5);
 * a guest that wants to write there calls HYPERVISOR_console_io itself.
 */

#include "internal.h"

/* rep outsb: one exit to the hypervisor for many bytes, not one each. */
static void debugcon_write(const char *buf, size_t len)
{
    __asm__ volatile("rep outsb"
                     : "+S"(buf), "+c"(len)
                     : "d"((uint16_t)PVHV_DEBUGCON_PORT)
                     : "memory");
}

void console_early_puts(const char *s)
{
    debugcon_write(s, strlen(s));
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
    if (len > 0)
        debugcon_write(buf, len);
}

size_t console_read(char *buf, size_t len)
{
    return console_ring_read(buf, len);
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
        .buf = buf,
        .size = sizeof(buf),
        .flush = flush_to_console,
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
