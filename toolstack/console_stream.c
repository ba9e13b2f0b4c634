/* SPDX-License-Identifier: MIT */
/* console_stream.c: a domain's console over pvhvd's socket, interactive. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "pvctl.h"
#include "verbs.h"

#define DETACH 0x1d /* Ctrl-], as xl console */

static struct termios saved;
static bool raw;

static void restore(void)
{
    if (raw)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    raw = false;
}

/* make_raw: a terminal on stdin passes every key, Ctrl-C included. */
static void make_raw(void)
{
    struct termios t;

    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved) != 0)
        return;
    t = saved;
    cfmakeraw(&t);
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) == 0) {
        raw = true;
        atexit(restore);
    }
}

static bool write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* from_stdin: typed bytes to the guest; false at Ctrl-] (detach). */
static bool from_stdin(int sock, bool *eof)
{
    char buf[PVHV_CONTROL_DATA_MAX];
    ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
    char *stop;

    if (n <= 0) {
        *eof = true; /* no more input; output goes on */
        return true;
    }
    stop = memchr(buf, DETACH, (size_t)n);
    if (stop)
        n = stop - buf;
    if (n > 0 && control_send(sock, PVHV_CONTROL_CONSOLE_DATA, 0, buf,
                              (size_t)n, NULL, 0) < 0)
        return false;
    return !stop;
}

/*
 * from_daemon: output, or the end of a boot. Returns 1 to go on, 0 when
 * the console has ended, -1 when the connection broke.
 */
static int from_daemon(int sock, struct control_msg *m,
                       const struct pvhv_control_domain *d)
{
    const struct pvhv_control_console_end *e = (const void *)m->payload;
    struct pvctl_error err = {""};

    if (control_recv(sock, m, &err) < 0 ||
        control_reply_check(m, PVHV_CONTROL_CONSOLE, true, &err) != 0 ||
        m->hdr.status != 0)
        return -1;
    if (m->hdr.type == PVHV_CONTROL_CONSOLE_DATA)
        return write_all(STDOUT_FILENO, m->payload, m->hdr.length) ? 1 : -1;
    restore();
    fprintf(stderr, "\r\npvctl: domain '%s' (id %u) ended: %s%s\r\n", d->name,
            e->domid, e->end, e->restarting ? "; following its new boot" : "");
    if (e->restarting)
        make_raw();
    return e->restarting ? 1 : 0;
}

int verb_console(struct pvctl_session *s, const struct pvhv_control_domain *d)
{
    struct control_msg *m = malloc(sizeof(*m));
    int sock = pvctl_session_socket(s), rc = 1;
    bool eof = false;

    if (!m)
        return PVCTL_EXIT_HOST;
    make_raw();
    while (rc == 1) {
        struct pollfd p[2] = {{sock, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};

        if (poll(p, eof ? 1 : 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (p[0].revents)
            rc = from_daemon(sock, m, d);
        if (rc == 1 && !eof && p[1].revents && !from_stdin(sock, &eof))
            rc = 0; /* detached */
    }
    restore();
    free(m);
    if (rc < 0) {
        fprintf(stderr, "pvctl console: the daemon closed the connection\n");
        return PVCTL_EXIT_NODAEMON;
    }
    return PVCTL_EXIT_OK;
}
