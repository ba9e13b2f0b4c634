/* SPDX-License-Identifier: MIT */
/* console.h: console output and the printf family. */
#ifndef PVGUEST_CONSOLE_H
#define PVGUEST_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

/*
 * console_write(buf, len): writes (len) bytes of (buf) to the domain's
 * console: through the PV console ring once events are up (waiting for
 * room when it is full), through the debug port (PVHV_DEBUGCON_PORT)
 * before that, where the hypervisor offers no ring, and for a nested
 * write while the ring is busy on this vCPU. Never fails. console_io is
 * the hypervisor's log, not the console: call HYPERVISOR_console_io to
 * write there.
 */
void console_write(const char *buf, size_t len);

/*
 * console_read(buf, len): copies up to (len) bytes of console input (what
 * the toolstack typed: `pvctl console`) from the PV console ring to
 * (buf), without waiting. Returns the count: 0 when none is queued or
 * there is no ring.
 */
size_t console_read(char *buf, size_t len);

/* puts(s): writes (s) and a newline. Returns a non-negative number. */
int puts(const char *s);

/*
 * printf(fmt, ...), vprintf(fmt, ap): formatted console output.
 * Conversions: %d %i %u %x %X %p %s %c %%; length modifiers hh h l ll z;
 * flags '-' and '0'; a field width (digits or '*'); a precision for %s.
 * Return the number of characters written.
 */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/*
 * snprintf(buf, size, fmt, ...), vsnprintf(buf, size, fmt, ap): format
 * into (buf), at most (size) bytes NUL included. Return the length the
 * whole output would have had, like C99: a result >= size means it was
 * truncated.
 */
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif /* PVGUEST_CONSOLE_H */
