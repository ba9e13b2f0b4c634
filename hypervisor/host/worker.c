/* SPDX-License-Identifier: MIT */
/* worker.c: a device's own thread, woken by an eventfd to do its work. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "host/worker.h"
#include "core/log.h"
#include "host/loop.h"
#include "core/platform.h"

/* Says once per process if workers cannot be confined. */
static void confine(const struct platform *p)
{
    static atomic_flag warned = ATOMIC_FLAG_INIT;
    int rc = p ? platform_sandbox_worker_thread(p) : 0;

    if (rc < 0 && !atomic_flag_test_and_set(&warned))
        pr_warn("cannot confine backend worker threads with seccomp (%s); "
                "they run without the sandbox",
                strerror(-rc));
}

static void *worker_main(void *opaque)
{
    struct worker *w = opaque;
    uint64_t n;

    confine(w->platform);
    for (;;) {
        ssize_t r = read(w->efd, &n, sizeof(n));

        if (r < 0 && errno == EINTR)
            continue;
        /* A last pass after stop: work kicked before it is not lost. */
        atomic_store(&w->running, true);
        w->fn(w->opaque);
        atomic_store(&w->running, false);
        atomic_fetch_add(&w->passes, 1);
        if (atomic_load(&w->stop))
            return NULL;
    }
}

int worker_start(struct worker *w, const struct platform *p, const char *name,
                 void (*fn)(void *), void *opaque)
{
    int rc;

    memset(w, 0, sizeof(*w));
    w->platform = p;
    w->fn = fn;
    w->opaque = opaque;
    snprintf(w->name, sizeof(w->name), "%s", name);
    w->efd = eventfd(0, EFD_CLOEXEC);
    if (w->efd < 0)
        return -errno;
    rc = pthread_create(&w->thread, NULL, worker_main, w);
    if (rc != 0) {
        close(w->efd);
        w->efd = -1;
        return -rc;
    }
    pthread_setname_np(w->thread, w->name);
    w->started = true;
    return 0;
}

void worker_kick(void *opaque)
{
    struct worker *w = opaque;
    uint64_t one = 1;

    /* A worker never started has no eventfd (its efd may read 0). */
    if (!w->started)
        return;
    /* Fails only when the counter would overflow: it is nonzero then. */
    if (write(w->efd, &one, sizeof(one)) < 0)
        return;
}

bool worker_kick_wait(struct worker *w, uint64_t ns)
{
    /* A pass under way may have looked before the caller published. */
    unsigned long target =
        atomic_load(&w->passes) + 1 + (atomic_load(&w->running) ? 1 : 0);
    uint64_t until = host_now_ns() + ns;

    if (!w->started)
        return false;
    worker_kick(w);
    /* Spun, not slept: a sleep and its wake cost more than the wait. */
    while (atomic_load(&w->passes) < target) {
        if (host_now_ns() >= until)
            return false;
        __builtin_ia32_pause();
    }
    return true;
}

void worker_notify(void *w)
{
    worker_kick_wait(w, WORKER_NOTIFY_WAIT_NS);
}

void worker_stop(struct worker *w)
{
    if (!w->started)
        return;
    atomic_store(&w->stop, true);
    worker_kick(w);
    pthread_join(w->thread, NULL);
    close(w->efd);
    w->efd = -1;
    w->started = false;
}
