/* SPDX-License-Identifier: MIT */
/*
 * check_xenstore_socket.c: the XenStore socket under clients that do not
 * read: a pipeline of reads, a stuck watcher; a full descriptor table;
 * the socket's mode; refused clients. The store and the host loop serving
 * its socket run in the test process (each test forks, as Check does by
 * default), the clients too, speaking xs_wire over the real socket.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pvabi/xs_wire.h"
#include "pvhv.h"
#include "core/xenstore/xenstore.h"
#include "host/loop.h"

static struct host_loop *loop;
static struct xenstore *xs;
static struct xenstore_socket *sock;
static char dir[64], sock_path[128], log_path[128];

/* The process's stderr goes to a file, so the tests can count log lines. */
static void log_to_file(void)
{
    int fd;

    snprintf(log_path, sizeof(log_path), "%s/log", dir);
    fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(dup2(fd, STDERR_FILENO), STDERR_FILENO);
    close(fd);
    setvbuf(stderr, NULL, _IONBF, 0);
}

/* Lines of the log that contain (what). */
static unsigned int log_count(const char *what)
{
    char line[2048];
    unsigned int n = 0;
    FILE *f = fopen(log_path, "r");

    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof(line), f))
        n += strstr(line, what) != NULL;
    fclose(f);
    return n;
}

static void store_start(void)
{
    struct pvhv_error err = {""};

    ck_assert_int_eq(host_loop_start(&loop), 0);
    ck_assert_int_eq(xenstore_create(&xs), 0);
    ck_assert_msg(xenstore_socket_start(xs, loop, sock_path, &sock, err.msg,
                                        sizeof(err.msg)) == 0,
                  "%s", err.msg);
}

static void store_stop(void)
{
    xenstore_socket_stop(sock);
    xenstore_destroy(xs);
    host_loop_free(loop);
    sock = NULL;
    xs = NULL;
    loop = NULL;
}

static void setup(void)
{
    strcpy(dir, "/tmp/check_xs_socket.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(sock_path, sizeof(sock_path), "%s/sock", dir);
    log_to_file();
}

static void setup_started(void)
{
    setup();
    store_start();
}

static void teardown(void)
{
    if (xs)
        store_stop();
    unlink(log_path);
    rmdir(dir);
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The process's resident set, in KiB. */
static long rss_kib(void)
{
    char line[256];
    long kib = -1;
    FILE *f = fopen("/proc/self/status", "r");

    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "VmRSS: %ld", &kib) == 1)
            break;
    fclose(f);
    ck_assert_int_gt(kib, 0);
    return kib;
}

static int cl_connect(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    ck_assert_int_ge(fd, 0);
    strcpy(sa.sun_path, sock_path);
    ck_assert_msg(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0,
                  "connect %s: %s", sock_path, strerror(errno));
    return fd;
}

/* One message (header + payload) of (type) in (buf); its length. */
static size_t msg(char *buf, uint32_t type, uint32_t req_id, const void *p,
                  size_t len)
{
    struct xsd_sockmsg h = {type, req_id, 0, (uint32_t)len};

    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), p, len);
    return sizeof(h) + len;
}

static void send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

        ck_assert_msg(n > 0, "send: %s", strerror(errno));
        p += n;
        len -= (size_t)n;
    }
}

/* Reads exactly (len) bytes within (timeout) seconds: 1, 0 at EOF, -1. */
static int recv_all(int fd, void *buf, size_t len, double timeout)
{
    double end = now() + timeout;
    char *p = buf;

    while (len) {
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        int ms = (int)((end - now()) * 1000);
        ssize_t n;

        if (ms <= 0 || poll(&pf, 1, ms) <= 0)
            return -1;
        n = recv(fd, p, len, 0);
        if (n <= 0)
            return n < 0 && errno != ECONNRESET ? -1 : 0;
        p += n;
        len -= (size_t)n;
    }
    return 1;
}

/* The next message other than a watch event; payload in (out), 4097 B. */
static struct xsd_sockmsg cl_reply(int fd, char *out)
{
    struct xsd_sockmsg h;

    do {
        ck_assert_int_eq(recv_all(fd, &h, sizeof(h), 5), 1);
        ck_assert_uint_le(h.len, XENSTORE_PAYLOAD_MAX);
        ck_assert_int_eq(recv_all(fd, out, h.len, 5), 1);
        out[h.len] = '\0';
    } while (h.type == XS_WATCH_EVENT);
    return h;
}

/* XS_READ of (path) on a fresh connection; the value in (out). */
static void fresh_read(const char *path, char *out)
{
    char buf[256];
    int fd = cl_connect();
    struct xsd_sockmsg h;

    send_all(fd, buf, msg(buf, XS_READ, 1, path, strlen(path) + 1));
    h = cl_reply(fd, out);
    ck_assert_uint_eq(h.type, XS_READ);
    close(fd);
}

/*
 * A client pipelines reads of a 2048-byte value and reads nothing: the
 * store stops reading its requests (its send blocks), keeps serving
 * others, and answers every request once the client reads. N reads are
 * 840 KB, several times what the socket's buffers hold; their replies
 * are 82 MB.
 */
START_TEST(test_pipelined_reads)
{
    enum { REQ = 16 + 5, N = 40000 };
    static char value[2049], reqs[N * REQ], out[XENSTORE_PAYLOAD_MAX + 1];
    size_t off = 0, i, answered = 0;
    long rss0;
    int fd;

    memset(value, 'v', 2048);
    ck_assert_int_eq(xenstore_write(xs, "/big", value), 0);
    for (i = 0; i < N; i++)
        msg(reqs + i * REQ, XS_READ, (uint32_t)i, "/big", 5);
    fd = cl_connect();
    fcntl(fd, F_SETFL, O_NONBLOCK);
    rss0 = rss_kib();
    while (off < sizeof(reqs)) {
        struct pollfd pf = {.fd = fd, .events = POLLOUT};
        ssize_t n = send(fd, reqs + off, sizeof(reqs) - off, MSG_NOSIGNAL);

        if (n > 0) {
            off += (size_t)n;
            continue;
        }
        ck_assert_int_eq(errno, EAGAIN);
        if (poll(&pf, 1, 300) == 0)
            break; /* no room for 300 ms: the store stopped reading */
    }
    ck_assert_msg(off < sizeof(reqs),
                  "the store took all %d reads (%zu MiB of replies) unread", N,
                  (size_t)N * 2064 >> 20);
    ck_assert_int_lt(rss_kib() - rss0, 16 * 1024);
    /* Another client is served meanwhile. */
    fresh_read("/big", out);
    ck_assert_str_eq(out, value);
    /* Reading resumes the pipeline: every read is answered, in order. */
    while (answered < N) {
        struct pollfd pf = {
            .fd = fd, .events = POLLIN | (off < sizeof(reqs) ? POLLOUT : 0)};
        struct xsd_sockmsg h;
        ssize_t n;

        ck_assert_int_eq(poll(&pf, 1, 5000), 1);
        if (pf.revents & POLLIN) {
            h = cl_reply(fd, out);
            ck_assert_uint_eq(h.type, XS_READ);
            ck_assert_uint_eq(h.req_id, answered);
            ck_assert_uint_eq(h.len, 2048);
            answered++;
        } else if ((n = send(fd, reqs + off, sizeof(reqs) - off,
                             MSG_NOSIGNAL)) > 0) {
            off += (size_t)n;
        }
    }
    ck_assert_uint_eq(answered, N);
    close(fd);
    ck_assert_uint_eq(log_count("xenstore"), 0);
}
END_TEST

/* The client's end of a connection the store closed: EOF after its data. */
static bool closed_by_store(int fd)
{
    char buf[65536];
    struct pollfd pf = {.fd = fd, .events = POLLRDHUP};
    ssize_t n;

    if (poll(&pf, 1, 0) != 1)
        return false;
    while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
        ;
    return n == 0 || (n < 0 && errno == ECONNRESET);
}

/*
 * A client watches "/" and never reads while another writes nodes with
 * long names: past the output cap the watcher is disconnected, with one
 * log line; the writer and new clients are served throughout.
 */
START_TEST(test_stuck_watcher)
{
    static char path[2100], pay[2200], buf[4200], out[XENSTORE_PAYLOAD_MAX + 1];
    int w = cl_connect(), d = cl_connect();
    unsigned int i;
    long rss0;

    send_all(w, buf, msg(buf, XS_WATCH, 1, "/\0all", 6));
    memset(path, 'p', sizeof(path) - 1);
    path[0] = '/';
    rss0 = rss_kib();
    for (i = 0; i < 5000 && !closed_by_store(w); i++) {
        size_t len;

        snprintf(path + 2000, 100, "/%u", i);
        len = strlen(path) + 1;
        memcpy(pay, path, len);
        pay[len] = 'x';
        send_all(d, buf, msg(buf, XS_WRITE, i, pay, len + 1));
        ck_assert_uint_eq(cl_reply(d, out).type, XS_WRITE);
    }
    /* Its kernel buffer and the cap hold ~1000 events of 2 KiB at most. */
    ck_assert_msg(i < 1000, "the watcher is still connected after %u events",
                  i);
    ck_assert_int_lt(rss_kib() - rss0, 16 * 1024);
    fresh_read("/local/domain/0/name", out);
    ck_assert_str_eq(out, "Domain-0");
    ck_assert_uint_eq(log_count("xenstore: disconnected a client"), 1);
    close(w);
    close(d);
}
END_TEST

/*
 * With the descriptor table full the socket's loop cannot accept: it
 * must not spin on the listening socket, and must accept the waiting
 * client once descriptors free.
 */
START_TEST(test_emfile)
{
    enum { LIMIT = 64 };
    struct rlimit rl = {LIMIT, LIMIT};
    struct rusage r0, r1;
    int fill[LIMIT], nfill = 0, fd, null, i;
    char buf[64], out[XENSTORE_PAYLOAD_MAX + 1];
    double cpu;

    fd = cl_connect(); /* accepted: the socket's loop is running */
    close(fd);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_ge(null, 0);
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
    while (nfill < LIMIT && (fill[nfill] = dup(null)) >= 0)
        nfill++;
    ck_assert_int_eq(errno, EMFILE);
    {
        struct sockaddr_un sa = {.sun_family = AF_UNIX};

        strcpy(sa.sun_path, sock_path);
        ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    }
    getrusage(RUSAGE_SELF, &r0);
    usleep(1000000);
    getrusage(RUSAGE_SELF, &r1);
    cpu = (double)(r1.ru_utime.tv_sec - r0.ru_utime.tv_sec) +
          (double)(r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) +
          (double)(r1.ru_utime.tv_usec - r0.ru_utime.tv_usec) / 1e6 +
          (double)(r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1e6;
    for (i = 0; i < nfill; i++)
        close(fill[i]);
    close(null);
    ck_assert_msg(cpu < 0.2, "%.3f s of CPU in 1 s with accept failing", cpu);
    /* Descriptors are free again: the waiting client is served. */
    send_all(fd, buf, msg(buf, XS_READ, 1, "/local/domain/0/name", 21));
    ck_assert_uint_eq(cl_reply(fd, out).type, XS_READ);
    ck_assert_str_eq(out, "Domain-0");
    close(fd);
    ck_assert_uint_le(log_count("xenstore: cannot accept"), 10);
    ck_assert_uint_ge(log_count("xenstore: cannot accept"), 1);
}
END_TEST

/* The socket is 0600 whatever the umask. */
START_TEST(test_mode)
{
    static const mode_t masks[] = {0, 022, 0277};
    struct stat st;

    for (unsigned int i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
        mode_t old = umask(masks[i]);

        store_start();
        umask(old);
        ck_assert_int_eq(lstat(sock_path, &st), 0);
        ck_assert_msg(S_ISSOCK(st.st_mode) && (st.st_mode & 07777) == 0600,
                      "umask %03o: mode %o", (unsigned int)masks[i],
                      (unsigned int)st.st_mode);
        store_stop();
    }
}
END_TEST

/* Another user's clients are refused, with a rate-limited warning. */
START_TEST(test_refused_rate_limit)
{
    pid_t pid;
    int status;

    if (geteuid() != 0)
        return; /* needs another uid: root only */
    /* As an administrator might: let others reach the socket. */
    ck_assert_int_eq(chmod(dir, 0711), 0);
    ck_assert_int_eq(chmod(sock_path, 0666), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(2);
        for (int i = 0; i < 200; i++) {
            struct sockaddr_un sa = {.sun_family = AF_UNIX};
            int fd = socket(AF_UNIX, SOCK_STREAM, 0);
            char c;

            strcpy(sa.sun_path, sock_path);
            if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
                _exit(3);
            if (read(fd, &c, 1) != 0) /* refused: closed at once */
                _exit(4);
            close(fd);
        }
        _exit(0);
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_int_eq(status, 0);
    ck_assert_uint_ge(log_count("xenstore: refused a client of uid 65534"), 1);
    ck_assert_uint_le(log_count("xenstore: refused a client of uid 65534"), 10);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("xenstore_socket");
    TCase *clients = tcase_create("clients"), *host = tcase_create("host");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(clients, setup_started, teardown);
    tcase_add_test(clients, test_pipelined_reads);
    tcase_add_test(clients, test_stuck_watcher);
    tcase_add_test(clients, test_emfile);
    tcase_add_test(clients, test_refused_rate_limit);
    tcase_set_timeout(clients, 60);
    suite_add_tcase(s, clients);
    tcase_add_checked_fixture(host, setup, teardown);
    tcase_add_test(host, test_mode);
    suite_add_tcase(s, host);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
