/* SPDX-License-Identifier: MIT */
/* run_console.c: several domains' consoles on one stdout, line by line. */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "run.h"

/*
 * One lock for every domain's console: it keeps whole lines apart on stdout
 * and guards each line buffer, which the vCPUs of a domain share.
 */
static pthread_mutex_t console_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * write_line: writes (len) bytes with one write(): a line of up to
 * PIPE_BUF bytes then reaches a pipe or file whole, never mixed with
 * pvctl's or the hypervisor's lines on stderr (2>&1). Gives up when
 * stdout is gone.
 */
static void write_line(const char *buf, size_t len)
{
    ssize_t n;

    while (len > 0) {
        n = write(STDOUT_FILENO, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* stdout closed: the output has nowhere to go */
        buf += n;
        len -= (size_t)n;
    }
}

/* text_max: how much of a line fits in one "name| text\n" of PIPE_BUF. */
static size_t text_max(const struct run_console *c)
{
    return RUN_CONSOLE_LINE_MAX - strlen(c->name) - 3;
}

/* emit: writes the held line as "name| line\n" and empties it. */
static void emit(struct run_console *c)
{
    char out[RUN_CONSOLE_LINE_MAX];
    size_t name = strlen(c->name);

    memcpy(out, c->name, name);
    memcpy(out + name, "| ", 2);
    memcpy(out + name + 2, c->line, c->len);
    out[name + 2 + c->len] = '\n';
    write_line(out, name + 3 + c->len);
    c->len = 0;
}

void run_console_write(void *opaque, const char *buf, size_t len)
{
    struct run_console *c = opaque;
    size_t max = text_max(c);
    const char *nl;
    size_t take;

    pthread_mutex_lock(&console_lock);
    while (len > 0) {
        nl = memchr(buf, '\n', len);
        take = nl ? (size_t)(nl - buf) : len;
        if (take > max - c->len)
            take = max - c->len;
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
        } else if (c->len == max) {
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
