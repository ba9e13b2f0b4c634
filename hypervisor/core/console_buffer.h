/* SPDX-License-Identifier: MIT */
/* console_buffer.h: the last bytes of a domain's output, for several readers.
 */
#ifndef PVHV_CORE_CONSOLE_BUFFER_H
#define PVHV_CORE_CONSOLE_BUFFER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvabi/limits.h"

/*
 * A ring of (size) bytes (a power of two) keeping the last (size) bytes
 * written since the domain was made, from its first. A byte is known by
 * its position: how many bytes were written before it. Each reader keeps
 * its own position, so several read the same bytes at their own pace and
 * none can hold the writer up; one that falls more than (size) behind
 * skips what was overwritten and is told how much. A zeroed buffer
 * (data NULL) is off: writes are ignored, reads find nothing.
 *
 * With notify, an eventfd (notify_fd) a poll loop can watch: it becomes
 * readable at the first byte written after a read found nothing new
 * (console_buffer_read arms it), and at console_buffer_signal. A writer
 * makes no system call while no reader waits.
 */
struct console_buffer {
    pthread_mutex_t lock;
    char *data;    /* NULL: off */
    size_t size;   /* a power of two */
    uint64_t end;  /* bytes written so far */
    int notify_fd; /* eventfd, or -1 */
    bool armed;    /* a reader waits for the next byte */
};

#define CONSOLE_BUFFER_MAX PVHV_CONSOLE_BUFFER_MAX /* 16 MiB */

/*
 * console_buffer_init: makes (b) keep (size) bytes (rounded up to a power
 * of two, at least 4 KiB, at most CONSOLE_BUFFER_MAX), with an eventfd if
 * (notify). (size) 0 leaves it off. Returns 0, -EINVAL (too large) or
 * -errno.
 */
int console_buffer_init(struct console_buffer *b, size_t size, bool notify);

/* console_buffer_fini: frees (b); it is off again. Off is fine. */
void console_buffer_fini(struct console_buffer *b);

/* console_buffer_write: appends (len) bytes at (buf). Any thread. */
void console_buffer_write(struct console_buffer *b, const char *buf,
                          size_t len);

/*
 * console_buffer_read: copies up to (len) bytes from position (*pos) to
 * (buf) and moves (*pos) past them. When (*pos) is older than the oldest
 * byte kept, it first moves to that byte and adds the bytes skipped to
 * (*lost) (if not NULL). Returns the bytes copied; 0 when nothing is new,
 * and then arms notify_fd for the next byte. Any thread.
 */
size_t console_buffer_read(struct console_buffer *b, uint64_t *pos, char *buf,
                           size_t len, uint64_t *lost);

/* console_buffer_end: the position after the last byte written. */
uint64_t console_buffer_end(struct console_buffer *b);

/* console_buffer_signal: makes notify_fd readable now (the output ended). */
void console_buffer_signal(struct console_buffer *b);

#endif /* PVHV_CORE_CONSOLE_BUFFER_H */
