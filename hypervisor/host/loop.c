/* SPDX-License-Identifier: MIT */
/* loop.c: the host loop: epoll, an eventfd for tasks, timers on one timerfd. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "host/loop.h"

/*
 * One mutex guards the loop's state: the posted tasks (a FIFO), the armed
 * timers (a binary min-heap on (deadline, arming order)), and `running`,
 * the handle whose callback the loop thread is in. A callback runs with
 * the mutex dropped; removing a handle waits on `done` while it is the
 * one running (unless the remover is the loop thread). A removed
 * descriptor may still sit in the batch epoll_wait returned: while one is
 * processed (`polling`), removed descriptors are kept as zombies and
 * freed before the next wait.
 *
 * Wake-ups: posting a task, or arming a timer that becomes the first,
 * writes the eventfd, once until the loop reads it (`woken`). The loop
 * sets the timerfd to the first deadline before each wait.
 */
#define LOOP_EVENTS 32

struct host_fd {
    struct host_loop *loop;
    int fd;
    host_fd_fn fn;
    void *opaque;
    bool dead;
    struct host_fd *next_zombie;
};

struct host_task {
    struct host_loop *loop;
    host_fn fn;
    void *opaque;
    struct host_task *next; /* in loop->tasks, while posted */
    bool posted;
};

struct host_timer {
    struct host_loop *loop;
    host_fn fn;
    void *opaque;
    uint64_t when, seq;
    unsigned int slot; /* in loop->heap, while armed */
    bool armed;
};

struct host_signals {
    struct host_fd *h;
    int fd;
    host_signal_fn fn;
    void *opaque;
};

struct host_loop {
    pthread_t thread;
    _Atomic bool started; /* the thread runs (or ran, until joined) */
    int epfd, wakefd, timerfd;
    pthread_mutex_t lock;
    pthread_cond_t done; /* a callback returned, or the thread ended */
    const void *running; /* the handle whose callback runs */
    bool stopping, ended, woken, polling;
    struct host_task *tasks, **tasks_tail;
    unsigned int nr_posted;
    struct host_timer **heap;
    unsigned int nr_armed, nr_timers, heap_cap;
    uint64_t seq;
    uint64_t timerfd_at; /* the deadline the timerfd is set to; 0: none */
    struct host_fd *zombies;
};

uint64_t host_now_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

bool host_loop_current(const struct host_loop *loop)
{
    return atomic_load(&loop->started) &&
           pthread_equal(pthread_self(), loop->thread);
}

/* The loop's own errors: the log API is core's, which sits above us. */
static void loop_error(const char *what, int err)
{
    fprintf(stderr, "pvhv: error: host loop: %s: %s\n", what, strerror(err));
}

static void wake_locked(struct host_loop *loop)
{
    uint64_t one = 1;

    if (loop->woken)
        return;
    loop->woken = true;
    if (write(loop->wakefd, &one, sizeof(one)) != sizeof(one))
        loop_error("eventfd write", errno);
}

/* Until (h)'s callback is over; the loop thread's own is not waited for. */
static void wait_idle_locked(struct host_loop *loop, const void *h)
{
    while (loop->running == h && !host_loop_current(loop))
        pthread_cond_wait(&loop->done, &loop->lock);
}

/* Calls (fn)(opaque) for handle (h) with the lock dropped; lock held. */
static void call_locked(struct host_loop *loop, const void *h, host_fn fn,
                        void *opaque)
{
    loop->running = h;
    pthread_mutex_unlock(&loop->lock);
    fn(opaque);
    pthread_mutex_lock(&loop->lock);
    loop->running = NULL;
    pthread_cond_broadcast(&loop->done);
}

/* ---- Timers: a min-heap on (when, seq) --------------------------------- */

static bool earlier(const struct host_timer *a, const struct host_timer *b)
{
    return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void heap_put(struct host_loop *loop, unsigned int i,
                     struct host_timer *t)
{
    loop->heap[i] = t;
    t->slot = i;
}

static void sift_up(struct host_loop *loop, unsigned int i)
{
    struct host_timer *t = loop->heap[i];

    while (i > 0 && earlier(t, loop->heap[(i - 1) / 2])) {
        heap_put(loop, i, loop->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    heap_put(loop, i, t);
}

static void sift_down(struct host_loop *loop, unsigned int i)
{
    struct host_timer *t = loop->heap[i];
    unsigned int k;

    while ((k = 2 * i + 1) < loop->nr_armed) {
        if (k + 1 < loop->nr_armed && earlier(loop->heap[k + 1], loop->heap[k]))
            k++;
        if (!earlier(loop->heap[k], t))
            break;
        heap_put(loop, i, loop->heap[k]);
        i = k;
    }
    heap_put(loop, i, t);
}

static void heap_remove(struct host_loop *loop, struct host_timer *t)
{
    unsigned int i = t->slot;
    struct host_timer *last = loop->heap[--loop->nr_armed];

    t->armed = false;
    if (last == t)
        return;
    heap_put(loop, i, last);
    sift_up(loop, i);
    sift_down(loop, last->slot);
}

int host_timer_new(struct host_loop *loop, host_fn fn, void *opaque,
                   struct host_timer **out)
{
    struct host_timer *t = calloc(1, sizeof(*t));
    int rc = 0;

    if (!t)
        return -ENOMEM;
    t->loop = loop;
    t->fn = fn;
    t->opaque = opaque;
    pthread_mutex_lock(&loop->lock);
    /* Room for every timer: arming never allocates. */
    if (loop->nr_timers == loop->heap_cap) {
        unsigned int cap = loop->heap_cap ? 2 * loop->heap_cap : 16;
        void *heap = realloc(loop->heap, cap * sizeof(*loop->heap));

        if (heap) {
            loop->heap = heap;
            loop->heap_cap = cap;
        } else {
            rc = -ENOMEM;
        }
    }
    if (!rc)
        loop->nr_timers++;
    pthread_mutex_unlock(&loop->lock);
    if (rc)
        free(t);
    else
        *out = t;
    return rc;
}

void host_timer_arm(struct host_timer *t, uint64_t when_ns)
{
    struct host_loop *loop = t->loop;

    pthread_mutex_lock(&loop->lock);
    if (t->armed)
        heap_remove(loop, t);
    t->when = when_ns ? when_ns : 1;
    t->seq = ++loop->seq;
    t->armed = true;
    heap_put(loop, loop->nr_armed++, t);
    sift_up(loop, t->slot);
    /* The loop thread sets the timerfd itself before it waits again. */
    if (t->slot == 0 && !host_loop_current(loop) &&
        (!loop->timerfd_at || t->when < loop->timerfd_at))
        wake_locked(loop);
    pthread_mutex_unlock(&loop->lock);
}

void host_timer_cancel(struct host_timer *t)
{
    struct host_loop *loop = t->loop;

    pthread_mutex_lock(&loop->lock);
    if (t->armed)
        heap_remove(loop, t);
    wait_idle_locked(loop, t);
    pthread_mutex_unlock(&loop->lock);
}

void host_timer_free(struct host_timer *t)
{
    struct host_loop *loop;

    if (!t)
        return;
    loop = t->loop;
    host_timer_cancel(t);
    pthread_mutex_lock(&loop->lock);
    loop->nr_timers--;
    pthread_mutex_unlock(&loop->lock);
    free(t);
}

/* The timerfd follows the first deadline (0 disarms it). */
static void timerfd_update_locked(struct host_loop *loop)
{
    uint64_t want = loop->nr_armed ? loop->heap[0]->when : 0;
    struct itimerspec its = {
        .it_value = {.tv_sec = (time_t)(want / 1000000000ULL),
                     .tv_nsec = (long)(want % 1000000000ULL)},
    };

    if (want == loop->timerfd_at)
        return;
    if (timerfd_settime(loop->timerfd, TFD_TIMER_ABSTIME, &its, NULL) == 0)
        loop->timerfd_at = want;
    else
        loop_error("timerfd_settime", errno);
}

/*
 * Fires the timers due now, first deadline first; at most as many as were
 * armed, so that a timer re-armed for the past cannot hold the loop.
 */
static void run_timers(struct host_loop *loop)
{
    uint64_t now = host_now_ns();
    unsigned int n;
    struct host_timer *t;

    pthread_mutex_lock(&loop->lock);
    for (n = loop->nr_armed; n && !loop->stopping && loop->nr_armed; n--) {
        t = loop->heap[0];
        if (t->when > now)
            break;
        heap_remove(loop, t);
        call_locked(loop, t, t->fn, t->opaque);
    }
    pthread_mutex_unlock(&loop->lock);
}

/* ---- Tasks ------------------------------------------------------------- */

int host_task_new(struct host_loop *loop, host_fn fn, void *opaque,
                  struct host_task **out)
{
    struct host_task *t = calloc(1, sizeof(*t));

    if (!t)
        return -ENOMEM;
    t->loop = loop;
    t->fn = fn;
    t->opaque = opaque;
    *out = t;
    return 0;
}

static void task_post_locked(struct host_loop *loop, struct host_task *t)
{
    if (t->posted || loop->stopping || loop->ended)
        return;
    t->posted = true;
    t->next = NULL;
    *loop->tasks_tail = t;
    loop->tasks_tail = &t->next;
    loop->nr_posted++;
    wake_locked(loop);
}

void host_task_post(struct host_task *t)
{
    pthread_mutex_lock(&t->loop->lock);
    task_post_locked(t->loop, t);
    pthread_mutex_unlock(&t->loop->lock);
}

static void task_unpost_locked(struct host_loop *loop, struct host_task *t)
{
    struct host_task **pp;

    if (!t->posted)
        return;
    for (pp = &loop->tasks; *pp != t; pp = &(*pp)->next)
        ;
    *pp = t->next;
    if (loop->tasks_tail == &t->next)
        loop->tasks_tail = pp;
    t->posted = false;
    loop->nr_posted--;
}

void host_task_free(struct host_task *t)
{
    struct host_loop *loop;

    if (!t)
        return;
    loop = t->loop;
    pthread_mutex_lock(&loop->lock);
    task_unpost_locked(loop, t);
    wait_idle_locked(loop, t);
    pthread_mutex_unlock(&loop->lock);
    free(t);
}

/*
 * Runs the tasks posted before this round, in order: one that posts
 * itself again runs in the next round, after the descriptors ready then.
 */
static void run_tasks(struct host_loop *loop)
{
    unsigned int n;
    struct host_task *t;

    pthread_mutex_lock(&loop->lock);
    for (n = loop->nr_posted; n && !loop->stopping && loop->tasks; n--) {
        t = loop->tasks;
        task_unpost_locked(loop, t);
        call_locked(loop, t, t->fn, t->opaque);
    }
    pthread_mutex_unlock(&loop->lock);
}

static void drop_tasks_locked(struct host_loop *loop)
{
    while (loop->tasks)
        task_unpost_locked(loop, loop->tasks);
}

struct run_call {
    host_fn fn;
    void *opaque;
    bool done;
};

static void run_call(void *opaque)
{
    struct run_call *c = opaque;

    c->fn(c->opaque);
    c->done = true;
}

void host_loop_run(struct host_loop *loop, host_fn fn, void *opaque)
{
    struct run_call c = {fn, opaque, false};
    struct host_task t = {.loop = loop, .fn = run_call, .opaque = &c};

    if (host_loop_current(loop)) {
        fn(opaque);
        return;
    }
    /*
     * On our stack: posted last, so run after what was posted before. A
     * stopping loop refuses it, or drops it: its thread's end is awaited,
     * and then (fn) runs here, alone as it would have run there.
     */
    pthread_mutex_lock(&loop->lock);
    task_post_locked(loop, &t);
    while (t.posted || loop->running == &t ||
           (!c.done && atomic_load(&loop->started) && !loop->ended))
        pthread_cond_wait(&loop->done, &loop->lock);
    pthread_mutex_unlock(&loop->lock);
    if (!c.done)
        fn(opaque);
}

/* ---- Descriptors ------------------------------------------------------- */

int host_fd_add(struct host_loop *loop, int fd, uint32_t events, host_fd_fn fn,
                void *opaque, struct host_fd **out)
{
    struct host_fd *h = calloc(1, sizeof(*h));
    struct epoll_event ev = {.events = events, .data.ptr = h};
    int rc = 0;

    if (!h)
        return -ENOMEM;
    h->loop = loop;
    h->fd = fd;
    h->fn = fn;
    h->opaque = opaque;
    pthread_mutex_lock(&loop->lock);
    if (loop->stopping)
        rc = -ESHUTDOWN;
    else if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
        rc = -errno;
    pthread_mutex_unlock(&loop->lock);
    if (rc)
        free(h);
    else
        *out = h;
    return rc;
}

int host_fd_modify(struct host_fd *h, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.ptr = h};

    return epoll_ctl(h->loop->epfd, EPOLL_CTL_MOD, h->fd, &ev) ? -errno : 0;
}

void host_fd_remove(struct host_fd *h)
{
    struct host_loop *loop;

    if (!h)
        return;
    loop = h->loop;
    pthread_mutex_lock(&loop->lock);
    if (epoll_ctl(loop->epfd, EPOLL_CTL_DEL, h->fd, NULL) != 0)
        loop_error("epoll_ctl(EPOLL_CTL_DEL)", errno);
    h->dead = true;
    wait_idle_locked(loop, h);
    if (loop->polling) {
        h->next_zombie = loop->zombies;
        loop->zombies = h;
    } else {
        free(h);
    }
    pthread_mutex_unlock(&loop->lock);
}

static void zombies_free_locked(struct host_loop *loop)
{
    struct host_fd *h;

    while ((h = loop->zombies)) {
        loop->zombies = h->next_zombie;
        free(h);
    }
}

/* A ready descriptor: its callback, unless it was removed meanwhile. */
static void fd_ready(struct host_loop *loop, struct host_fd *h, uint32_t events)
{
    host_fd_fn fn;
    void *opaque;

    pthread_mutex_lock(&loop->lock);
    if (!h->dead && !loop->stopping) {
        fn = h->fn;
        opaque = h->opaque;
        loop->running = h;
        pthread_mutex_unlock(&loop->lock);
        fn(opaque, events);
        pthread_mutex_lock(&loop->lock);
        loop->running = NULL;
        pthread_cond_broadcast(&loop->done);
    }
    pthread_mutex_unlock(&loop->lock);
}

/* ---- Signals ----------------------------------------------------------- */

static void signals_ready(void *opaque, uint32_t events)
{
    struct host_signals *s = opaque;
    struct signalfd_siginfo si[16];
    host_signal_fn fn = s->fn;
    void *arg = s->opaque;
    ssize_t n = read(s->fd, si, sizeof(si));

    (void)events;
    /* Copies first: (fn) may remove (s). The rest comes at the next wait. */
    for (ssize_t i = 0; n > 0 && i < n / (ssize_t)sizeof(si[0]); i++)
        fn(arg, (int)si[i].ssi_signo);
}

int host_signals_add(struct host_loop *loop, const sigset_t *set,
                     host_signal_fn fn, void *opaque, struct host_signals **out)
{
    struct host_signals *s = calloc(1, sizeof(*s));
    int rc;

    if (!s)
        return -ENOMEM;
    s->fn = fn;
    s->opaque = opaque;
    s->fd = signalfd(-1, set, SFD_NONBLOCK | SFD_CLOEXEC);
    rc = s->fd < 0 ? -errno
                   : host_fd_add(loop, s->fd, EPOLLIN, signals_ready, s, &s->h);
    if (rc) {
        if (s->fd >= 0)
            close(s->fd);
        free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void host_signals_remove(struct host_signals *s)
{
    if (!s)
        return;
    host_fd_remove(s->h);
    close(s->fd);
    free(s);
}

/* ---- The thread -------------------------------------------------------- */

static void wake_read(struct host_loop *loop)
{
    uint64_t v;

    pthread_mutex_lock(&loop->lock);
    loop->woken = false;
    if (read(loop->wakefd, &v, sizeof(v)) < 0 && errno != EAGAIN)
        loop_error("eventfd read", errno);
    pthread_mutex_unlock(&loop->lock);
}

static void timerfd_read(struct host_loop *loop)
{
    uint64_t v;

    pthread_mutex_lock(&loop->lock);
    loop->timerfd_at = 0; /* it fired: it is disarmed */
    if (read(loop->timerfd, &v, sizeof(v)) < 0 && errno != EAGAIN)
        loop_error("timerfd read", errno);
    pthread_mutex_unlock(&loop->lock);
}

static void dispatch(struct host_loop *loop, const struct epoll_event *evs,
                     int n)
{
    for (int i = 0; i < n; i++) {
        if (evs[i].data.ptr == &loop->wakefd)
            wake_read(loop);
        else if (evs[i].data.ptr == &loop->timerfd)
            timerfd_read(loop);
        else
            fd_ready(loop, evs[i].data.ptr, evs[i].events);
    }
    run_tasks(loop);
    run_timers(loop);
}

static void *loop_thread(void *arg)
{
    struct host_loop *loop = arg;
    struct epoll_event evs[LOOP_EVENTS];
    int n;

    pthread_mutex_lock(&loop->lock);
    while (!loop->stopping) {
        loop->polling = false;
        zombies_free_locked(loop);
        timerfd_update_locked(loop);
        loop->polling = true;
        pthread_mutex_unlock(&loop->lock);
        n = epoll_wait(loop->epfd, evs, LOOP_EVENTS, -1);
        if (n < 0 && errno != EINTR) {
            loop_error("epoll_wait", errno);
            pthread_mutex_lock(&loop->lock);
            break;
        }
        dispatch(loop, evs, n < 0 ? 0 : n);
        pthread_mutex_lock(&loop->lock);
    }
    /* What was posted is dropped (host_loop_run's calls then run there). */
    loop->polling = false;
    drop_tasks_locked(loop);
    loop->ended = true;
    pthread_cond_broadcast(&loop->done);
    pthread_mutex_unlock(&loop->lock);
    return NULL;
}

static int loop_fds(struct host_loop *loop)
{
    struct epoll_event wake = {.events = EPOLLIN, .data.ptr = &loop->wakefd};
    struct epoll_event tick = {.events = EPOLLIN, .data.ptr = &loop->timerfd};

    loop->epfd = epoll_create1(EPOLL_CLOEXEC);
    loop->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    loop->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (loop->epfd < 0 || loop->wakefd < 0 || loop->timerfd < 0 ||
        epoll_ctl(loop->epfd, EPOLL_CTL_ADD, loop->wakefd, &wake) != 0 ||
        epoll_ctl(loop->epfd, EPOLL_CTL_ADD, loop->timerfd, &tick) != 0)
        return -errno;
    return 0;
}

/* The thread starts with every signal blocked but those of its faults. */
static int loop_thread_start(struct host_loop *loop)
{
    static const int own[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL,
                              SIGTRAP, SIGSYS, SIGABRT};
    sigset_t all, old;
    int rc;

    sigfillset(&all);
    for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
        sigdelset(&all, own[i]);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    rc = -pthread_create(&loop->thread, NULL, loop_thread, loop);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc == 0)
        atomic_store(&loop->started, true);
    return rc;
}

int host_loop_start(struct host_loop **out)
{
    struct host_loop *loop = calloc(1, sizeof(*loop));
    int rc;

    if (!loop)
        return -ENOMEM;
    pthread_mutex_init(&loop->lock, NULL);
    pthread_cond_init(&loop->done, NULL);
    loop->tasks_tail = &loop->tasks;
    loop->epfd = loop->wakefd = loop->timerfd = -1;
    rc = loop_fds(loop);
    if (rc == 0)
        rc = loop_thread_start(loop);
    if (rc) {
        host_loop_free(loop);
        return rc;
    }
    *out = loop;
    return 0;
}

void host_loop_stop(struct host_loop *loop)
{
    pthread_mutex_lock(&loop->lock);
    loop->stopping = true;
    if (atomic_load(&loop->started))
        wake_locked(loop);
    pthread_mutex_unlock(&loop->lock);
    if (!atomic_load(&loop->started))
        return;
    pthread_join(loop->thread, NULL);
    atomic_store(&loop->started, false);
}

void host_loop_free(struct host_loop *loop)
{
    if (!loop)
        return;
    host_loop_stop(loop);
    zombies_free_locked(loop);
    if (loop->epfd >= 0)
        close(loop->epfd);
    if (loop->wakefd >= 0)
        close(loop->wakefd);
    if (loop->timerfd >= 0)
        close(loop->timerfd);
    pthread_cond_destroy(&loop->done);
    pthread_mutex_destroy(&loop->lock);
    free(loop->heap);
    free(loop);
}
