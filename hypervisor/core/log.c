/* SPDX-License-Identifier: MIT */
/* log.c: the hypervisor's log, and rate-limited lines caused by guests. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"

enum log_level log_threshold = LOG_WARNING;

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
    fprintf(stderr, "pvhv: warning: PVHV_LOG=%s is not one of error, warning, info, debug; using warning\n",
            env);
}

static void log_vprint(enum log_level lvl, const char *file, const char *func,
                       int line, const char *prefix, const char *fmt,
                       va_list ap)
{
    char msg[1024];

    vsnprintf(msg, sizeof(msg), fmt, ap);
    /* One fprintf per line, so lines from vCPU threads do not interleave. */
    if (log_threshold >= LOG_DEBUG && file)
        fprintf(stderr, "pvhv: %s: %s:%s:%d: %s%s\n", level_names[lvl], file,
                func, line, prefix, msg);
    else
        fprintf(stderr, "pvhv: %s: %s%s\n", level_names[lvl], prefix, msg);
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

/*
 * Rate limit for guest-caused lines: GUEST_LOG_BURST lines per second per
 * domain. Slots are shared by domids that are equal modulo GUEST_LOG_SLOTS;
 * a slot taken over by another domain first reports what it suppressed.
 */
#define GUEST_LOG_BURST 20
#define GUEST_LOG_SLOTS 64

struct guest_log_slot {
    pthread_mutex_t lock;
    uint16_t domid;
    time_t second;
    unsigned int lines;
    unsigned long suppressed;
};

static struct guest_log_slot guest_slots[GUEST_LOG_SLOTS];
static pthread_once_t guest_slots_once = PTHREAD_ONCE_INIT;

static void guest_slots_init(void)
{
    unsigned int i;

    for (i = 0; i < GUEST_LOG_SLOTS; i++)
        pthread_mutex_init(&guest_slots[i].lock, NULL);
}

static time_t now_second(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

/*
 * guest_admit: whether a line for (domid) may be printed now. Prints the
 * "suppressed" summary of the previous window or owner when it changes.
 */
static int guest_admit(struct guest_log_slot *s, uint16_t domid)
{
    time_t now = now_second();

    if (s->domid != domid || s->second != now) {
        if (s->suppressed)
            fprintf(stderr, "pvhv: warning: d%u: suppressed %lu messages\n",
                    s->domid, s->suppressed);
        s->domid = domid;
        s->second = now;
        s->lines = 0;
        s->suppressed = 0;
    }
    if (s->lines >= GUEST_LOG_BURST) {
        s->suppressed++;
        return 0;
    }
    s->lines++;
    return 1;
}

void guest_log(uint16_t domid, const char *fmt, ...)
{
    struct guest_log_slot *s = &guest_slots[domid % GUEST_LOG_SLOTS];
    char prefix[16];
    va_list ap;
    int ok;

    pthread_once(&log_once, log_init);
    if (log_threshold < LOG_WARNING)
        return;
    pthread_once(&guest_slots_once, guest_slots_init);
    pthread_mutex_lock(&s->lock);
    ok = guest_admit(s, domid);
    pthread_mutex_unlock(&s->lock);
    if (!ok)
        return;
    snprintf(prefix, sizeof(prefix), "d%u: ", domid);
    va_start(ap, fmt);
    log_vprint(LOG_WARNING, NULL, NULL, 0, prefix, fmt, ap);
    va_end(ap);
}
