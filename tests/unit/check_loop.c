/* SPDX-License-Identifier: MIT */
/* check_loop.c: the host loop: descriptors, removal, tasks, timers, stop. */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "host/loop.h"

#define MS 1000000ULL
#define WAIT_MS 5000 /* longer than any callback may take to come */

static struct host_loop *loop;

static void setup(void)
{
    ck_assert_int_eq(host_loop_start(&loop), 0);
}

static void teardown(void)
{
    host_loop_free(loop);
    loop = NULL;
}

static void nothing(void *opaque)
{
    (void)opaque;
}

/* Returns once the loop ran every task posted before. */
static void flush(void)
{
    host_loop_run(loop, nothing, NULL);
}

/* A plain read, for readable assertion messages. */
static int load(atomic_int *v)
{
    return atomic_load(v);
}

/* Waits up to WAIT_MS for (*v) to reach (want); returns its value. */
static int wait_for(atomic_int *v, int want)
{
    uint64_t end = host_now_ns() + WAIT_MS * MS;

    while (atomic_load(v) < want && host_now_ns() < end)
        usleep(1000);
    return atomic_load(v);
}

static void sem_wait_ms(sem_t *s, unsigned int ms)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    ck_assert_int_eq(sem_timedwait(s, &ts), 0);
}

/* A pipe made readable, and what its callback saw. */
struct pipe_fd {
    int fds[2];
    struct host_fd *h;
    atomic_int calls;
    uint32_t events;
    struct pipe_fd *other; /* the descriptor this callback removes */
    bool remove_self;
    bool drain; /* reads what is there */
};

static void pipe_open(struct pipe_fd *p)
{
    ck_assert_int_eq(pipe2(p->fds, O_NONBLOCK | O_CLOEXEC), 0);
}

static void pipe_close(struct pipe_fd *p)
{
    close(p->fds[0]);
    close(p->fds[1]);
}

static void pipe_poke(struct pipe_fd *p)
{
    ck_assert_int_eq(write(p->fds[1], "x", 1), 1);
}

static void on_pipe(void *opaque, uint32_t events)
{
    struct pipe_fd *p = opaque;

    char buf[16];

    p->events = events;
    atomic_fetch_add(&p->calls, 1);
    while (p->drain && read(p->fds[0], buf, sizeof(buf)) > 0)
        ;
    if (p->other && p->other->h) {
        host_fd_remove(p->other->h);
        p->other->h = NULL;
    }
    if (p->remove_self) {
        host_fd_remove(p->h);
        p->h = NULL;
    }
}

START_TEST(test_fd_ready)
{
    struct pipe_fd p = {0};

    pipe_open(&p);
    ck_assert_int_eq(
        host_fd_add(loop, p.fds[0], EPOLLIN | EPOLLET, on_pipe, &p, &p.h), 0);
    pipe_poke(&p);
    ck_assert_int_eq(wait_for(&p.calls, 1), 1);
    ck_assert_uint_eq(p.events & EPOLLIN, EPOLLIN);
    /* Edge-triggered: unread, it is not reported again... */
    usleep(20000);
    ck_assert_int_eq(load(&p.calls), 1);
    /* ...until it changes, or host_fd_modify looks at it again. */
    ck_assert_int_eq(host_fd_modify(p.h, EPOLLIN | EPOLLET | EPOLLONESHOT), 0);
    ck_assert_int_eq(wait_for(&p.calls, 2), 2);
    host_fd_remove(p.h);
    pipe_close(&p);
}
END_TEST

/* A callback removes its own descriptor: it is never called again. */
START_TEST(test_remove_self_in_callback)
{
    struct pipe_fd p = {.remove_self = true};

    pipe_open(&p);
    ck_assert_int_eq(host_fd_add(loop, p.fds[0], EPOLLIN, on_pipe, &p, &p.h),
                     0);
    pipe_poke(&p);
    ck_assert_int_eq(wait_for(&p.calls, 1), 1);
    pipe_poke(&p); /* level-triggered and unread: would fire at once */
    usleep(50000);
    ck_assert_int_eq(load(&p.calls), 1);
    ck_assert_ptr_null(p.h);
    pipe_close(&p);
}
END_TEST

/* Holds the loop thread in a task until released. */
struct gate {
    sem_t in, out;
    struct host_task *t;
};

static void gate_fn(void *opaque)
{
    struct gate *g = opaque;

    sem_post(&g->in);
    sem_wait_ms(&g->out, WAIT_MS);
}

static void gate_init(struct gate *g)
{
    ck_assert_int_eq(sem_init(&g->in, 0, 0), 0);
    ck_assert_int_eq(sem_init(&g->out, 0, 0), 0);
    ck_assert_int_eq(host_task_new(loop, gate_fn, g, &g->t), 0);
}

/* Returns once the loop thread waits in the gate. */
static void gate_close(struct gate *g)
{
    host_task_post(g->t);
    sem_wait_ms(&g->in, WAIT_MS);
}

static void gate_open(struct gate *g)
{
    sem_post(&g->out);
}

static void gate_free(struct gate *g)
{
    host_task_free(g->t);
    sem_destroy(&g->in);
    sem_destroy(&g->out);
}

/*
 * Two descriptors ready in one batch; the first called removes the other,
 * whose event the loop holds already: it must not be called.
 */
START_TEST(test_callback_removes_another)
{
    struct pipe_fd a = {.drain = true}, b = {.drain = true};
    struct gate g;
    int calls;

    gate_init(&g);
    a.other = &b;
    b.other = &a;
    pipe_open(&a);
    pipe_open(&b);
    ck_assert_int_eq(host_fd_add(loop, a.fds[0], EPOLLIN, on_pipe, &a, &a.h),
                     0);
    ck_assert_int_eq(host_fd_add(loop, b.fds[0], EPOLLIN, on_pipe, &b, &b.h),
                     0);
    gate_close(&g); /* the loop waits in the gate: both become ready */
    pipe_poke(&a);
    pipe_poke(&b);
    gate_open(&g);
    flush();
    usleep(50000);
    calls = load(&a.calls) + load(&b.calls);
    ck_assert_int_eq(calls, 1);
    host_fd_remove(a.h);
    host_fd_remove(b.h);
    gate_free(&g);
    pipe_close(&a);
    pipe_close(&b);
}
END_TEST

/* A callback that takes a while. */
struct slow {
    struct pipe_fd p;
    sem_t entered, release;
    atomic_int finished;
};

static void on_slow(void *opaque, uint32_t events)
{
    struct slow *s = opaque;

    (void)events;
    sem_post(&s->entered);
    sem_wait_ms(&s->release, WAIT_MS);
    usleep(20000);
    atomic_store(&s->finished, 1);
}

static void *release_later(void *opaque)
{
    struct slow *s = opaque;

    usleep(50000);
    sem_post(&s->release);
    return NULL;
}

/* Removal from another thread waits for the running callback to end. */
START_TEST(test_remove_waits_for_callback)
{
    struct slow s = {0};
    pthread_t t;

    sem_init(&s.entered, 0, 0);
    sem_init(&s.release, 0, 0);
    pipe_open(&s.p);
    ck_assert_int_eq(
        host_fd_add(loop, s.p.fds[0], EPOLLIN, on_slow, &s, &s.p.h), 0);
    pipe_poke(&s.p);
    sem_wait_ms(&s.entered, WAIT_MS);
    ck_assert_int_eq(pthread_create(&t, NULL, release_later, &s), 0);
    host_fd_remove(s.p.h);
    ck_assert_int_eq(load(&s.finished), 1);
    pthread_join(t, NULL);
    pipe_close(&s.p);
    sem_destroy(&s.entered);
    sem_destroy(&s.release);
}
END_TEST

/* Tasks: run in posting order, once however often posted before. */
struct rec {
    int order[16];
    atomic_int n;
};

struct rec_task {
    struct rec *rec;
    int id;
    struct host_task *t;
    bool free_self;
};

static void on_task(void *opaque)
{
    struct rec_task *rt = opaque;
    int i = atomic_fetch_add(&rt->rec->n, 1);

    if (i < 16)
        rt->rec->order[i] = rt->id;
    if (rt->free_self) {
        host_task_free(rt->t);
        rt->t = NULL;
    }
}

/* Where host_loop_run ran a call: 1 on the loop thread, 2 elsewhere. */
static void on_where(void *opaque)
{
    atomic_store((atomic_int *)opaque, host_loop_current(loop) ? 1 : 2);
}

START_TEST(test_tasks_order_and_coalesce)
{
    struct rec rec = {0};
    struct rec_task rt[3];
    struct gate g;

    gate_init(&g);
    for (int i = 0; i < 3; i++) {
        rt[i] = (struct rec_task){.rec = &rec, .id = i};
        ck_assert_int_eq(host_task_new(loop, on_task, &rt[i], &rt[i].t), 0);
    }
    gate_close(&g);
    host_task_post(rt[2].t);
    host_task_post(rt[0].t);
    host_task_post(rt[2].t); /* posted already: no second run */
    host_task_post(rt[1].t);
    gate_open(&g);
    flush();
    ck_assert_int_eq(load(&rec.n), 3);
    ck_assert_int_eq(rec.order[0], 2);
    ck_assert_int_eq(rec.order[1], 0);
    ck_assert_int_eq(rec.order[2], 1);
    /* A task freed before it ran never runs; one frees itself running. */
    gate_close(&g);
    host_task_post(rt[0].t);
    host_task_post(rt[1].t);
    host_task_free(rt[0].t);
    rt[1].free_self = true;
    gate_open(&g);
    flush();
    ck_assert_int_eq(load(&rec.n), 4);
    ck_assert_int_eq(rec.order[3], 1);
    ck_assert_ptr_null(rt[1].t);
    host_task_free(rt[2].t);
    gate_free(&g);
}
END_TEST

START_TEST(test_run_on_loop)
{
    atomic_int where = 0;

    host_loop_run(loop, on_where, &where);
    ck_assert_int_eq(load(&where), 1);
    host_loop_stop(loop);
    host_loop_run(loop, on_where, &where);
    ck_assert_int_eq(load(&where), 2);
}
END_TEST

/* Timers: each records its id and the time it fired. */
struct rec_timer {
    struct rec *rec;
    int id;
    uint64_t when, fired;
    struct host_timer *t;
    int rearm; /* times it arms itself again, 1 ms on */
};

static void on_timer(void *opaque)
{
    struct rec_timer *rt = opaque;
    int i = atomic_fetch_add(&rt->rec->n, 1);

    rt->fired = host_now_ns();
    if (i < 16)
        rt->rec->order[i] = rt->id;
    if (rt->rearm-- > 0)
        host_timer_arm(rt->t, host_now_ns() + MS);
}

START_TEST(test_timers_fire_in_order)
{
    static const unsigned int ms[] = {60, 20, 40, 20, 80, 10};
    static const int want[] = {5, 1, 3, 2, 0, 4};
    struct rec rec = {0};
    struct rec_timer rt[6];
    uint64_t now = host_now_ns();

    for (int i = 0; i < 6; i++) {
        rt[i] = (struct rec_timer){.rec = &rec, .id = i};
        ck_assert_int_eq(host_timer_new(loop, on_timer, &rt[i], &rt[i].t), 0);
        rt[i].when = now + ms[i] * MS;
        host_timer_arm(rt[i].t, rt[i].when);
    }
    /* 3 and 1 fall due together: in the order they were armed, 1 then 3. */
    host_timer_arm(rt[3].t, rt[3].when);
    ck_assert_int_eq(wait_for(&rec.n, 6), 6);
    for (int i = 0; i < 6; i++) {
        ck_assert_int_eq(rec.order[i], want[i]);
        ck_assert_uint_ge(rt[i].fired, rt[i].when);
    }
    for (int i = 0; i < 6; i++)
        host_timer_free(rt[i].t);
}
END_TEST

START_TEST(test_timer_rearm_cancel)
{
    struct rec rec = {0};
    struct rec_timer a = {.rec = &rec, .id = 1, .rearm = 3};
    struct rec_timer b = {.rec = &rec, .id = 2};
    uint64_t now = host_now_ns();

    ck_assert_int_eq(host_timer_new(loop, on_timer, &a, &a.t), 0);
    ck_assert_int_eq(host_timer_new(loop, on_timer, &b, &b.t), 0);
    /* Armed late, then earlier from another thread: the earlier counts. */
    host_timer_arm(b.t, now + 3600 * 1000 * MS);
    host_timer_arm(b.t, now + 10 * MS);
    ck_assert_int_eq(wait_for(&rec.n, 1), 1);
    ck_assert_uint_lt(b.fired, now + 3600 * 1000 * MS);
    /* A cancelled timer does not fire; one that re-arms fires again. */
    host_timer_arm(b.t, host_now_ns() + 20 * MS);
    host_timer_cancel(b.t);
    host_timer_arm(a.t, 0); /* in the past: at once */
    ck_assert_int_eq(wait_for(&rec.n, 5), 5);
    usleep(50000);
    ck_assert_int_eq(load(&rec.n), 5);
    for (int i = 1; i < 5; i++)
        ck_assert_int_eq(rec.order[i], 1);
    host_timer_free(a.t);
    host_timer_free(b.t);
}
END_TEST

struct stopper {
    pthread_t thread;
    atomic_int done;
};

static void *stop_loop(void *opaque)
{
    struct stopper *s = opaque;

    host_loop_stop(loop);
    atomic_store(&s->done, 1);
    return NULL;
}

/*
 * A stop while the loop is in a callback, with a task posted, a timer due
 * and a descriptor ready: it waits for the callback, then none runs.
 */
START_TEST(test_stop_with_callbacks_pending)
{
    struct rec rec = {0};
    struct rec_task rt = {.rec = &rec, .id = 1};
    struct rec_timer tm = {.rec = &rec, .id = 2};
    struct pipe_fd p = {0};
    struct stopper st = {0};
    struct slow s = {0};

    sem_init(&s.entered, 0, 0);
    sem_init(&s.release, 0, 0);
    pipe_open(&s.p);
    pipe_open(&p);
    ck_assert_int_eq(host_task_new(loop, on_task, &rt, &rt.t), 0);
    ck_assert_int_eq(host_timer_new(loop, on_timer, &tm, &tm.t), 0);
    ck_assert_int_eq(host_fd_add(loop, p.fds[0], EPOLLIN, on_pipe, &p, &p.h),
                     0);
    ck_assert_int_eq(
        host_fd_add(loop, s.p.fds[0], EPOLLIN, on_slow, &s, &s.p.h), 0);
    pipe_poke(&s.p);
    sem_wait_ms(&s.entered, WAIT_MS); /* the loop is in on_slow */
    host_task_post(rt.t);
    host_timer_arm(tm.t, host_now_ns());
    pipe_poke(&p);
    ck_assert_int_eq(pthread_create(&st.thread, NULL, stop_loop, &st), 0);
    usleep(50000);
    ck_assert_int_eq(load(&st.done), 0); /* on_slow still runs */
    sem_post(&s.release);
    pthread_join(st.thread, NULL);
    ck_assert_int_eq(load(&s.finished), 1);
    ck_assert_int_eq(load(&rec.n), 0);
    ck_assert_int_eq(load(&p.calls), 0);
    /* Stopped: posting does nothing, adding fails, a call runs here. */
    host_task_post(rt.t);
    flush();
    ck_assert_int_eq(load(&rec.n), 0);
    ck_assert_int_eq(host_fd_add(loop, p.fds[1], EPOLLOUT, on_pipe, &p, &p.h),
                     -ESHUTDOWN);
    host_fd_remove(p.h);
    host_fd_remove(s.p.h);
    host_timer_free(tm.t);
    host_task_free(rt.t);
    pipe_close(&p);
    pipe_close(&s.p);
    sem_destroy(&s.entered);
    sem_destroy(&s.release);
}
END_TEST

static atomic_int got_signo;

static void on_signal(void *opaque, int signo)
{
    (void)opaque;
    atomic_store(&got_signo, signo);
}

START_TEST(test_signals)
{
    struct host_signals *s;
    sigset_t set;

    /* Blocked in this thread and (started after it) the loop's. */
    host_loop_free(loop);
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, &set, NULL), 0);
    ck_assert_int_eq(host_loop_start(&loop), 0);
    ck_assert_int_eq(host_signals_add(loop, &set, on_signal, NULL, &s), 0);
    ck_assert_int_eq(kill(getpid(), SIGUSR1), 0);
    ck_assert_int_eq(wait_for(&got_signo, SIGUSR1), SIGUSR1);
    host_signals_remove(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("loop");
    TCase *fds = tcase_create("descriptors");
    TCase *work = tcase_create("tasks and timers");
    TCase *end = tcase_create("stop and signals");

    tcase_add_checked_fixture(fds, setup, teardown);
    tcase_add_test(fds, test_fd_ready);
    tcase_add_test(fds, test_remove_self_in_callback);
    tcase_add_test(fds, test_callback_removes_another);
    tcase_add_test(fds, test_remove_waits_for_callback);
    suite_add_tcase(s, fds);
    tcase_add_checked_fixture(work, setup, teardown);
    tcase_add_test(work, test_tasks_order_and_coalesce);
    tcase_add_test(work, test_run_on_loop);
    tcase_add_test(work, test_timers_fire_in_order);
    tcase_add_test(work, test_timer_rearm_cancel);
    suite_add_tcase(s, work);
    tcase_add_checked_fixture(end, setup, teardown);
    tcase_add_test(end, test_stop_with_callbacks_pending);
    tcase_add_test(end, test_signals);
    suite_add_tcase(s, end);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
