/* SPDX-License-Identifier: MIT */
/* log.c: pvhvd's log: its lines to stderr or syslog, and the hypervisor's. */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"
#include "pvhv.h"

/* Where lines go is the process's, as openlog's ident is: set once. */
static bool use_syslog;

static const char *const level_names[] = {
    [LOG_EMERG] = "emergency", [LOG_ALERT] = "alert",
    [LOG_CRIT] = "critical",   [LOG_ERR] = "error",
    [LOG_WARNING] = "warning", [LOG_NOTICE] = "notice",
    [LOG_INFO] = "info",       [LOG_DEBUG] = "debug",
};

/* hv_sink: the hypervisor's own lines, in syslog; they name the domain. */
static void hv_sink(int level, const char *msg)
{
    static const int to_syslog[] = {LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG};

    syslog(to_syslog[level & 3], "pvhv: %s", msg);
}

void log_use_syslog(void)
{
    openlog("pvhvd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
    use_syslog = true;
    pvhv_log_sink(hv_sink);
}

/* put: (line) in one write under PIPE_BUF: whole on a shared pipe. */
static void put(int level, const char *line)
{
    char out[PIPE_BUF];
    int n;

    if (use_syslog) {
        syslog(level, "%s", line);
        return;
    }
    n = snprintf(out, sizeof(out), "pvhvd: %s: %s\n", level_names[level & 7],
                 line);
    if (n > (int)sizeof(out) - 1) {
        n = sizeof(out) - 1;
        out[n - 1] = '\n';
    }
    if (write(STDERR_FILENO, out, (size_t)n) < 0)
        return; /* stderr gone: nowhere to log */
}

void log_say(int level, const char *fmt, ...)
{
    char line[4096];
    va_list ap;

    if (level == LOG_DEBUG && !getenv("PVHVD_DEBUG"))
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    put(level, line);
}
