/* SPDX-License-Identifier: MIT */
/* log.h: one printf-checked log API for the hypervisor. */
#ifndef PVHV_CORE_LOG_H
#define PVHV_CORE_LOG_H

#include <stdint.h>

#include "core/ratelimit.h"

struct console_buffer;

enum log_level { LOG_ERROR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

/* Messages at or below this level are printed (default LOG_WARNING;
 * PVHV_LOG=debug|info|warning|error in the environment changes it). */
extern enum log_level log_threshold;

void log_msg(enum log_level lvl, const char *file, const char *func, int line,
             const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * log_set_sink: every line printed from now on goes to (sink) instead of
 * stderr: its level and the text after "pvhv: <level>: ", without the
 * newline. NULL restores stderr. (sink) runs on the thread that logs
 * (vCPU threads too: it may only write to descriptors already open).
 */
void log_set_sink(void (*sink)(enum log_level lvl, const char *msg));

#define pr_err(...)                                                            \
    log_msg(LOG_ERROR, __FILE__, __func__, __LINE__, __VA_ARGS__)
#define pr_warn(...)                                                           \
    log_msg(LOG_WARNING, __FILE__, __func__, __LINE__, __VA_ARGS__)
#define pr_info(...)                                                           \
    log_msg(LOG_INFO, __FILE__, __func__, __LINE__, __VA_ARGS__)
#define pr_debug(...)                                                          \
    log_msg(LOG_DEBUG, __FILE__, __func__, __LINE__, __VA_ARGS__)

/*
 * Guest-caused lines are rate-limited per domain: GUEST_LOG_BURST lines at
 * once, then GUEST_LOG_RATE a second. A domain's state is its
 * struct domain's log_limit (zero-initialised is ready), so domains, and
 * hypervisor instances, never share one. A line admitted after some were
 * suppressed is preceded by "d<N>: suppressed <n> messages" when the
 * bucket holds a unit for that line too.
 */
#define GUEST_LOG_BURST 20
#define GUEST_LOG_RATE 10

struct log_limit {
    struct ratelimit bucket;
    _Atomic uint64_t suppressed;   /* since the last summary line */
    struct console_buffer *record; /* NULL, or where admitted lines are kept
                                    * too (the domain's log) */
};

/*
 * guest_log_limited: a warning caused by domain (domid), limited by (l),
 * prefixed "d<domid>: ".
 */
void guest_log_limited(struct log_limit *l, uint16_t domid, const char *fmt,
                       ...) __attribute__((format(printf, 3, 4)));

/*
 * Lines a guest writes to the hypervisor's log with console_io: at most
 * CONSOLE_LOG_BURST at once, then CONSOLE_LOG_RATE a second (enough for
 * a kernel's boot log), each at most CONSOLE_LOG_LINE bytes (domain.h).
 * guest_console_line: prints (text), one line without its newline, as
 * "pvhv: d<domid>: console_io: <text>", limited by (l), in one write. A
 * line admitted after some were suppressed is preceded by
 * "pvhv: d<domid>: console_io: suppressed <n> lines".
 */
#define CONSOLE_LOG_BURST 2048
#define CONSOLE_LOG_RATE 256
void guest_console_line(struct log_limit *l, uint16_t domid, const char *text);

/* gdprintk(d, fmt, ...): a warning caused by the guest of domain (d). */
#define gdprintk(d, ...)                                                       \
    guest_log_limited(&(d)->log_limit, (d)->domid, __VA_ARGS__)

#endif /* PVHV_CORE_LOG_H */
