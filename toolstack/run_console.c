/* SPDX-License-Identifier: MIT */
/* run_console.c: several domains' consoles on one stdout, line by line. */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "run.h"

/*
 * One lock for every domain's console: it keeps whole lines apart on stdout
 * and guards each line buffer, which the vCPUs of a domain share.
 */
static pthread_mutex_t console_lock = PTHREAD_MUTEX_INITIALIZER;

/* write_all: writes (iov) completely; gives up when stdout is gone. */
static void write_all(struct iovec *iov, int iovcnt)
{
    ssize_t n;

    while (iovcnt > 0) {
        n = writev(STDOUT_FILENO, iov, iovcnt);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* stdout closed: the output has nowhere to go */
        while (iovcnt > 0 && (size_t)n >= iov->iov_len) {
            n -= (ssize_t)iov->iov_len;
            iov++;
            iovcnt--;
        }
        if (iovcnt > 0) {
            iov->iov_base = (char *)iov->iov_base + n;
            iov->iov_len -= (size_t)n;
        }
    }
}

/* emit: writes the held line as "name| line\n" and empties it. */
static void emit(struct run_console *c)
{
    struct iovec iov[4] = {
        {(void *)c->name, strlen(c->name)},
        {"| ", 2},
        {c->line, c->len},
        {"\n", 1},
    };

    write_all(iov, 4);
    c->len = 0;
}

void run_console_write(void *opaque, const char *buf, size_t len)
{
    struct run_console *c = opaque;
    const char *nl;
    size_t take;

    pthread_mutex_lock(&console_lock);
    while (len > 0) {
        nl = memchr(buf, '\n', len);
        take = nl ? (size_t)(nl - buf) : len;
        if (take > sizeof(c->line) - c->len)
            take = sizeof(c->line) - c->len;
        memcpy(c->line + c->len, buf, take);
        c->len += take;
        buf += take;
        len -= take;
        /* A full buffer is written as a line of its own: a longer line is
         * cut rather than letting another domain's line into its middle. */
        if (len > 0 && buf[0] == '\n') {
            buf++;
            len--;
            if (c->len > 0 && c->line[c->len - 1] == '\r')
                c->len--; /* a guest's "\r\n": the newline is ours */
            emit(c);
        } else if (c->len == sizeof(c->line)) {
            emit(c);
        }
    }
    pthread_mutex_unlock(&console_lock);
}

void run_console_flush(struct run_console *c)
{
    pthread_mutex_lock(&console_lock);
    if (c->len > 0)
        emit(c);
    pthread_mutex_unlock(&console_lock);
}
