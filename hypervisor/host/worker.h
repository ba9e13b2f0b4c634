/* SPDX-License-Identifier: MIT */
/* worker.h: a device's own thread, woken by an eventfd to do its work. */
#ifndef PVHV_HOST_WORKER_H
#define PVHV_HOST_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * A worker runs (fn)(opaque) on its own thread each time it is kicked:
 * by the guest's event on the backend's port (worker_kick as the host
 * port's notify callback), by an emulated device's exit (the ATA
 * channel's commands) or by the host side (input, timers). Kicks are
 * counted by an eventfd, so one that comes while fn runs makes fn run
 * again: fn drains its ring and re-checks it after re-arming
 * (RING_FINAL_CHECK_FOR_REQUESTS) and no kick is lost.
 */
struct worker {
    pthread_t thread;
    int efd; /* eventfd: kicks not yet taken */
    atomic_bool stop;
    bool started;
    void (*fn)(void *opaque);
    void *opaque;
    const struct platform *platform; /* confines the thread; NULL: none */
    char name[16];                   /* the thread's name, for ps and gdb */
    /* Passes of fn done, and whether one runs: for worker_kick_wait. */
    atomic_ulong passes;
    atomic_bool running;
};

/*
 * worker_start: makes (w)'s eventfd and starts its thread, which confines
 * itself through (p) (platform_sandbox_worker_thread; NULL: it runs
 * unconfined, for unit tests) and then waits for kicks.
 * Returns 0 or -errno (nothing to stop then).
 */
struct platform;
int worker_start(struct worker *w, const struct platform *p, const char *name,
                 void (*fn)(void *), void *opaque);

/* worker_kick: wakes (w); any thread, async-signal-safe (one write). */
void worker_kick(void *w);

/*
 * worker_kick_wait: wakes (w), then spins up to (ns) nanoseconds for a
 * pass of fn that began after the call (so it saw whatever the caller
 * published before it). Returns true when one ended in time. A vCPU
 * thread kicking its backend waits here a little: an answer ready when
 * its hypercall returns costs the guest no polling and no second exit,
 * and one that takes longer is left to the worker (worker_notify).
 * Spinning, not sleeping: on the development machines a thread's sleep
 * and wake cost more than a cached read takes.
 */
bool worker_kick_wait(struct worker *w, uint64_t ns);

/*
 * worker_notify: the notify callback of a backend's host port, (w) its
 * worker: the guest's event, on its vCPU thread, inside EVTCHNOP_send.
 * Kicks the worker and waits up to WORKER_NOTIFY_WAIT_NS for its pass,
 * so that work the worker finishes at once (a read the page cache holds,
 * a console line) is done when the guest's hypercall returns, as the
 * XenStore's ring kick waits (core/xenstore/ring.c); longer work goes on
 * without the guest.
 */
#define WORKER_NOTIFY_WAIT_NS 200000u
void worker_notify(void *w);

/*
 * worker_stop: runs fn a last time, ends the thread and joins it, closes
 * the eventfd. Safe on a worker never started or already stopped.
 */
void worker_stop(struct worker *w);

#endif /* PVHV_HOST_WORKER_H */
