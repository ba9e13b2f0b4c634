/* SPDX-License-Identifier: MIT */
/* log.c: the hypervisor's log, and rate-limited lines caused by guests. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/console_buffer.h"
#include "core/log.h"

enum log_level log_threshold = LOG_WARNING;

static void (*_Atomic log_sink)(enum log_level lvl, const char *msg);

void log_set_sink(void (*sink)(enum log_level lvl, const char *msg))
{
    atomic_store(&log_sink, sink);
}

static const char *const level_names[] = {
    [LOG_ERROR] = "error",
    [LOG_WARNING] = "warning",
    [LOG_INFO] = "info",
    [LOG_DEBUG] = "debug",
};

static pthread_once_t log_once = PTHREAD_ONCE_INIT;

/* Reads PVHV_LOG once; an unknown value leaves the default and says so. */
static void log_init(void)
{
    const char *env = getenv("PVHV_LOG");
    unsigned int i;

    if (!env || !*env)
        return;
    for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
        if (strcmp(env, level_names[i]) == 0) {
            log_threshold = (enum log_level)i;
            return;
        }
    }
    fprintf(
        stderr,
        "pvhv: warning: PVHV_LOG=%s is not one of error, warning, info, debug; using warning\n",
        env);
}

/*
 * write_line: writes (len) bytes at (buf), one line, with one write(): a
 * line up to PIPE_BUF long then never mixes with what other threads (vCPUs,
 * pvctl's console) write to the same pipe or file.
 */
static void write_line(const char *buf, size_t len)
{
    ssize_t n;

    while (len > 0) {
        n = write(STDERR_FILENO, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* stderr gone: the log has nowhere to go */
        buf += n;
        len -= (size_t)n;
    }
}

static void log_vprint(enum log_level lvl, const char *file, const char *func,
                       int line, const char *prefix, const char *fmt,
                       va_list ap)
{
    void (*sink)(enum log_level, const char *) = atomic_load(&log_sink);
    char msg[1024], out[PIPE_BUF];
    int n;

    vsnprintf(msg, sizeof(msg), fmt, ap);
    if (sink) {
        snprintf(out, sizeof(out), "%s%s", prefix, msg);
        sink(lvl, out);
        return;
    }
    if (log_threshold >= LOG_DEBUG && file)
        n = snprintf(out, sizeof(out), "pvhv: %s: %s:%s:%d: %s%s\n",
                     level_names[lvl], file, func, line, prefix, msg);
    else
        n = snprintf(out, sizeof(out), "pvhv: %s: %s%s\n", level_names[lvl],
                     prefix, msg);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof(out)) { /* cut, but still one whole line */
        n = sizeof(out) - 1;
        out[n - 1] = '\n';
    }
    write_line(out, (size_t)n);
}

void log_msg(enum log_level lvl, const char *file, const char *func, int line,
             const char *fmt, ...)
{
    va_list ap;

    pthread_once(&log_once, log_init);
    if (lvl > log_threshold)
        return;
    va_start(ap, fmt);
    log_vprint(lvl, file, func, line, "", fmt, ap);
    va_end(ap);
}

static const struct ratelimit_params guest_log_rate =
    RATELIMIT(GUEST_LOG_RATE, GUEST_LOG_BURST);

/* record_line: a guest-caused line, kept in (b) (the domain's log). */
static void record_line(struct console_buffer *b, const char *fmt, va_list ap)
{
    char line[512];
    int n;

    if (!b)
        return;
    n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
    if (n < 0)
        return;
    if (n > (int)sizeof(line) - 2)
        n = (int)sizeof(line) - 2;
    line[n++] = '\n';
    console_buffer_write(b, line, (size_t)n);
}

static void guest_vlog(struct log_limit *l, uint16_t domid, const char *fmt,
                       va_list ap)
{
    uint64_t now, missed;
    char prefix[16];
    va_list copy;

    pthread_once(&log_once, log_init);
    if (log_threshold < LOG_WARNING && !l->record)
        return;
    now = ratelimit_now();
    if (ratelimit_take(&l->bucket, &guest_log_rate, 1, 1, now) == 0) {
        atomic_fetch_add_explicit(&l->suppressed, 1, memory_order_relaxed);
        return;
    }
    va_copy(copy, ap);
    record_line(l->record, fmt, copy);
    va_end(copy);
    if (log_threshold < LOG_WARNING)
        return;
    /* The summary is a line too: it waits until the bucket pays for it. */
    if (atomic_load_explicit(&l->suppressed, memory_order_relaxed) &&
        ratelimit_take(&l->bucket, &guest_log_rate, 1, 1, now) == 1) {
        missed =
            atomic_exchange_explicit(&l->suppressed, 0, memory_order_relaxed);
        log_msg(LOG_WARNING, NULL, NULL, 0, "d%u: suppressed %llu messages",
                domid, (unsigned long long)missed);
    }
    snprintf(prefix, sizeof(prefix), "d%u: ", domid);
    log_vprint(LOG_WARNING, NULL, NULL, 0, prefix, fmt, ap);
}

void guest_log_limited(struct log_limit *l, uint16_t domid, const char *fmt,
                       ...)
{
    va_list ap;

    va_start(ap, fmt);
    guest_vlog(l, domid, fmt, ap);
    va_end(ap);
}

static const struct ratelimit_params console_line_rate =
    RATELIMIT(CONSOLE_LOG_RATE, CONSOLE_LOG_BURST);

void guest_console_line(struct log_limit *l, uint16_t domid, const char *text)
{
    char out[PIPE_BUF];
    uint64_t now, missed;
    int n;

    pthread_once(&log_once, log_init);
    if (log_threshold < LOG_WARNING)
        return;
    now = ratelimit_now();
    if (ratelimit_take(&l->bucket, &console_line_rate, 1, 1, now) == 0) {
        atomic_fetch_add_explicit(&l->suppressed, 1, memory_order_relaxed);
        return;
    }
    missed = atomic_exchange_explicit(&l->suppressed, 0, memory_order_relaxed);
    if (missed) {
        n = snprintf(out, sizeof(out),
                     "pvhv: d%u: console_io: suppressed %llu lines\n", domid,
                     (unsigned long long)missed);
        write_line(out, (size_t)n);
    }
    /* A line is at most CONSOLE_LOG_LINE bytes: it always fits. */
    n = snprintf(out, sizeof(out), "pvhv: d%u: console_io: %s\n", domid, text);
    if (n > 0)
        write_line(out, (size_t)n < sizeof(out) ? (size_t)n : sizeof(out) - 1);
}
