/* SPDX-License-Identifier: MIT */
/* log.h: one printf-checked log API for the hypervisor. */
#ifndef PVHV_CORE_LOG_H
#define PVHV_CORE_LOG_H

#include <stdint.h>

enum log_level { LOG_ERROR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

/* Messages at or below this level are printed (default LOG_WARNING;
 * PVHV_LOG=debug|info|warning|error in the environment changes it). */
extern enum log_level log_threshold;

void log_msg(enum log_level lvl, const char *file, const char *func, int line,
             const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#define pr_err(...)  log_msg(LOG_ERROR, __FILE__, __func__, __LINE__, __VA_ARGS__)
#define pr_warn(...) log_msg(LOG_WARNING, __FILE__, __func__, __LINE__, __VA_ARGS__)
#define pr_info(...) log_msg(LOG_INFO, __FILE__, __func__, __LINE__, __VA_ARGS__)
#define pr_debug(...) log_msg(LOG_DEBUG, __FILE__, __func__, __LINE__, __VA_ARGS__)

/*
 * gdprintk: a warning caused by a guest, prefixed with its domain id and
 * rate-limited per domain (a guest cannot flood the host's log).
 */
void guest_log(uint16_t domid, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#define gdprintk(d, ...) guest_log((d)->domid, __VA_ARGS__)

#endif /* PVHV_CORE_LOG_H */
