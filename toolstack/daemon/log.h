/* SPDX-License-Identifier: MIT */
/* log.h: pvhvd's log, for every part of the daemon. */
#ifndef PVHV_TOOLSTACK_PVHVD_LOG_H
#define PVHV_TOOLSTACK_PVHVD_LOG_H

/*
 * log_use_syslog: from now on the daemon's lines (log_say) and the
 * hypervisor's (pvhv_log_sink) go to syslog, as "pvhvd" with its pid;
 * stderr otherwise. Called once, before any thread starts.
 */
void log_use_syslog(void);

/*
 * log_say: one line of the daemon's own at syslog (level), from (fmt):
 * to stderr as "pvhvd: <level>: line", or to syslog. LOG_DEBUG lines
 * only with PVHVD_DEBUG set.
 */
void log_say(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* PVHV_TOOLSTACK_PVHVD_LOG_H */
