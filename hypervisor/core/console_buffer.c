/* SPDX-License-Identifier: MIT */
/* console_buffer.c: the last bytes of a domain's output, for several readers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core/console_buffer.h"

int console_buffer_init(struct console_buffer *b, size_t size, bool notify)
{
    size_t n = 4096;

    memset(b, 0, sizeof(*b));
    b->notify_fd = -1;
    if (size == 0)
        return 0;
    if (size > CONSOLE_BUFFER_MAX)
        return -EINVAL;
    while (n < size)
        n <<= 1;
    /* Not touched until written: a quiet domain costs no resident memory. */
    b->data = malloc(n);
    if (!b->data)
        return -ENOMEM;
    if (notify) {
        b->notify_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (b->notify_fd < 0) {
            int e = errno;
            free(b->data);
            b->data = NULL;
            return -e;
        }
    }
    b->size = n;
    pthread_mutex_init(&b->lock, NULL);
    return 0;
}

void console_buffer_fini(struct console_buffer *b)
{
    if (!b->data)
        return;
    if (b->notify_fd >= 0)
        close(b->notify_fd);
    pthread_mutex_destroy(&b->lock);
    free(b->data);
    memset(b, 0, sizeof(*b));
    b->notify_fd = -1;
}

/* wake: one eventfd write; EAGAIN means it is readable already. */
static void wake(int fd)
{
    uint64_t one = 1;

    if (fd >= 0 && write(fd, &one, sizeof(one)) < 0)
        return;
}

void console_buffer_write(struct console_buffer *b, const char *buf, size_t len)
{
    bool armed;

    if (!b->data || len == 0)
        return;
    pthread_mutex_lock(&b->lock);
    /* Only the last (size) bytes of a long write can stay. */
    if (len > b->size) {
        b->end += len - b->size;
        buf += len - b->size;
        len = b->size;
    }
    while (len > 0) {
        size_t off = (size_t)(b->end & (b->size - 1));
        size_t n = b->size - off < len ? b->size - off : len;

        memcpy(b->data + off, buf, n);
        b->end += n;
        buf += n;
        len -= n;
    }
    armed = b->armed;
    b->armed = false;
    pthread_mutex_unlock(&b->lock);
    if (armed)
        wake(b->notify_fd);
}

size_t console_buffer_read(struct console_buffer *b, uint64_t *pos, char *buf,
                           size_t len, uint64_t *lost)
{
    size_t done = 0;

    if (!b->data)
        return 0;
    pthread_mutex_lock(&b->lock);
    if (*pos > b->end) /* a position from the future: start over here */
        *pos = b->end;
    if (b->end - *pos > b->size) {
        if (lost)
            *lost += b->end - b->size - *pos;
        *pos = b->end - b->size;
    }
    while (done < len && *pos < b->end) {
        size_t off = (size_t)(*pos & (b->size - 1));
        size_t n = b->size - off;

        if (n > b->end - *pos)
            n = (size_t)(b->end - *pos);
        if (n > len - done)
            n = len - done;
        memcpy(buf + done, b->data + off, n);
        *pos += n;
        done += n;
    }
    if (done == 0)
        b->armed = true;
    pthread_mutex_unlock(&b->lock);
    return done;
}

uint64_t console_buffer_end(struct console_buffer *b)
{
    uint64_t end;

    if (!b->data)
        return 0;
    pthread_mutex_lock(&b->lock);
    end = b->end;
    pthread_mutex_unlock(&b->lock);
    return end;
}

void console_buffer_signal(struct console_buffer *b)
{
    if (b->data)
        wake(b->notify_fd);
}
