/* SPDX-License-Identifier: MIT */
/* loop.h: the host event loop: descriptors, tasks, timers, signals. */
#ifndef PVHV_HOST_LOOP_H
#define PVHV_HOST_LOOP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * One loop per hypervisor instance (struct pvhv's loop), one thread, an
 * epoll set. Any part registers with it what it waits for, and the loop
 * thread calls back:
 *   - a descriptor (host_fd_add): the XenStore socket and its clients;
 *     later the control socket (pvhvd: a listening socket, then one
 *     client descriptor each, EPOLLIN | EPOLLRDHUP), a console client
 *     (the pty or socket of `pvctl console`, EPOLLIN, and EPOLLOUT while
 *     output waits) and a gdb stub (its TCP or UNIX socket, the same way);
 *   - a task (host_task_post): work another thread hands over, run soon
 *     on the loop thread, once however often it was posted meanwhile (a
 *     guest's notification of its XenStore ring, a backend's kick);
 *   - a timer (host_timer_arm): a one-shot deadline on CLOCK_MONOTONIC,
 *     fired in deadline order (vCPU timers, retries, timeouts);
 *   - signals (host_signals_add): for the daemon, through a signalfd.
 * Callbacks run one at a time on the loop thread, with no lock of the
 * loop held: a callback may add, change and remove anything, its own
 * handle included. A callback must not block: every other callback waits
 * for it.
 *
 * Removal is synchronous: once host_fd_remove, host_task_free or
 * host_timer_cancel/free returns, the callback is not running and will
 * not run again (called from the loop thread, the running callback may
 * be the caller itself: that is allowed, and it is not waited for).
 * Posting a task, arming and cancelling a timer take the loop's mutex and
 * at most write an eventfd: a vCPU thread may call them inside its
 * sandbox (platform/kvm/sandbox.c allows futex and write).
 */
struct host_loop;
struct host_fd;
struct host_task;
struct host_timer;
struct host_signals;

/* What the loop thread calls: (events) are epoll's (EPOLLIN, ...). */
typedef void (*host_fd_fn)(void *opaque, uint32_t events);
typedef void (*host_fn)(void *opaque);
typedef void (*host_signal_fn)(void *opaque, int signo);

/*
 * host_loop_start: makes a loop and starts its thread (all signals but
 * the synchronous ones blocked there). Returns 0 and the loop in (loop),
 * or -errno.
 */
int host_loop_start(struct host_loop **loop);

/*
 * host_loop_stop: ends the loop's thread once the callback running, if
 * any, returns; what is pending (posted tasks, due timers, ready
 * descriptors) is dropped, not run. From then on no callback runs;
 * posting and arming do nothing, removing and freeing work and wait for
 * nothing, adding fails (-ESHUTDOWN). Not from the loop thread. Idempotent.
 * host_loop_free: stops (loop) if running and frees it; every handle must
 * have been removed or freed before.
 */
void host_loop_stop(struct host_loop *loop);
void host_loop_free(struct host_loop *loop);

/* host_loop_current: whether the calling thread is (loop)'s. */
bool host_loop_current(const struct host_loop *loop);

/*
 * host_loop_run: calls (fn)(opaque) on the loop thread and waits until it
 * returned; tasks posted before run first (a test's barrier: a no-op).
 * On the loop thread, or once the loop has stopped, it calls (fn) at
 * once, in the caller's thread. An owner tears down what its callbacks
 * use this way, with no callback of it running alongside.
 */
void host_loop_run(struct host_loop *loop, host_fn fn, void *opaque);

/*
 * host_fd_add: calls (fn)(opaque, events) on the loop thread when (fd) is
 * ready for (events) (EPOLLIN, EPOLLOUT, EPOLLET, ...; EPOLLERR and
 * EPOLLHUP are always reported). The descriptor stays the caller's: it
 * closes it after host_fd_remove. Returns 0 and the handle in (h), or
 * -errno (from epoll_ctl, -ENOMEM, -ESHUTDOWN).
 * host_fd_modify: the events (h) waits for from now on; 0 or -errno.
 * host_fd_remove: unregisters and frees (h) (synchronous, see above).
 */
int host_fd_add(struct host_loop *loop, int fd, uint32_t events, host_fd_fn fn,
                void *opaque, struct host_fd **h);
int host_fd_modify(struct host_fd *h, uint32_t events);
void host_fd_remove(struct host_fd *h);

/*
 * host_task_new: a task that calls (fn)(opaque) on the loop thread each
 * time it is posted. Returns 0 and the task in (t), or -ENOMEM.
 * host_task_post: (t) runs soon, once, however often it is posted until
 * it starts; posted while it runs, it runs again after. Tasks run in the
 * order of their posting. Any thread.
 * host_task_free: unposts and frees (t) (synchronous, see above).
 */
int host_task_new(struct host_loop *loop, host_fn fn, void *opaque,
                  struct host_task **t);
void host_task_post(struct host_task *t);
void host_task_free(struct host_task *t);

/*
 * host_timer_new: a one-shot timer calling (fn)(opaque) on the loop
 * thread; disarmed. Returns 0 and the timer in (t), or -ENOMEM.
 * host_timer_arm: (t) fires at (when_ns), CLOCK_MONOTONIC nanoseconds
 * (now or past: at once), replacing any earlier arming. Timers fire in
 * the order of their deadlines, those of equal deadline in the order
 * they were armed. Any thread; it never allocates.
 * host_timer_cancel: disarms (t) (synchronous, see above).
 * host_timer_free: disarms and frees (t).
 */
int host_timer_new(struct host_loop *loop, host_fn fn, void *opaque,
                   struct host_timer **t);
void host_timer_arm(struct host_timer *t, uint64_t when_ns);
void host_timer_cancel(struct host_timer *t);
void host_timer_free(struct host_timer *t);

/* host_now_ns: CLOCK_MONOTONIC in nanoseconds, the timers' clock. */
uint64_t host_now_ns(void);

/*
 * host_signals_add: calls (fn)(opaque, signo) on the loop thread for each
 * signal of (set) that arrives, through a signalfd. The signals must be
 * blocked in every thread of the process (pthread_sigmask before any
 * thread starts, this loop's included), or a thread that does not block
 * them takes them instead. Optional: an embedding program may handle
 * its signals itself. Returns 0 and the handle in (s), or -errno.
 * host_signals_remove: unregisters (s) (synchronous) and closes its
 * signalfd.
 */
int host_signals_add(struct host_loop *loop, const sigset_t *set,
                     host_signal_fn fn, void *opaque, struct host_signals **s);
void host_signals_remove(struct host_signals *s);

#endif /* PVHV_HOST_LOOP_H */
