/* SPDX-License-Identifier: MIT */
/* pvhvd.c: the hypervisor daemon: its options and main. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "libpvctl/host.h"
#include "log.h"
#include "server.h"

#define GRACE_DEFAULT 30 /* s: systemd's stop timeout is 90 */
#define CLIENTS_DEFAULT 256
#define CONSOLE_BUFFER_DEFAULT (64 * 1024)

static void usage(FILE *out)
{
    fprintf(
        out,
        "Usage: pvhvd [OPTIONS]\n"
        "\n"
        "The pvhv hypervisor as a daemon: it hosts domains in its process and\n"
        "serves pvctl on a UNIX socket. Domains end with it: SIGTERM (systemctl\n"
        "stop) asks each to power off and destroys those still running after\n"
        "the grace period.\n"
        "\n"
        "Options:\n"
        "  -d, --daemon           detach: run in the background (logs to syslog)\n"
        "  -s, --socket PATH      listen on PATH (default %s)\n"
        "  -g, --group NAME       members of NAME may connect, besides root\n"
        "                         (default %s)\n"
        "      --log WHERE        stderr or syslog (default: stderr; syslog\n"
        "                         with --daemon)\n"
        "      --grace SECONDS    on SIGTERM, wait this long for the domains\n"
        "                         to power off (default %d)\n"
        "      --max-clients N    connections at once (default %d)\n"
        "      --max-restarts N   restarts of a domain (default: no limit)\n"
        "      --console-buffer BYTES\n"
        "                         console output kept per domain (default %d)\n"
        "  -h, --help             print this help and exit\n"
        "  -V, --version          print the version and exit\n",
        PVHV_CONTROL_SOCKET, PVHV_CONTROL_GROUP, GRACE_DEFAULT, CLIENTS_DEFAULT,
        CONSOLE_BUFFER_DEFAULT);
}

enum { OPT_LOG = 0x100, OPT_GRACE, OPT_CLIENTS, OPT_RESTARTS, OPT_BUFFER };

static const struct option options[] = {
    {"daemon", no_argument, NULL, 'd'},
    {"socket", required_argument, NULL, 's'},
    {"group", required_argument, NULL, 'g'},
    {"log", required_argument, NULL, OPT_LOG},
    {"grace", required_argument, NULL, OPT_GRACE},
    {"max-clients", required_argument, NULL, OPT_CLIENTS},
    {"max-restarts", required_argument, NULL, OPT_RESTARTS},
    {"console-buffer", required_argument, NULL, OPT_BUFFER},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* number: (s) as a count within [min, max]; false (said) otherwise. */
static bool number(const char *opt, const char *s, unsigned long min,
                   unsigned long max, unsigned long *out)
{
    char *end;

    errno = 0;
    *out = strtoul(s, &end, 10);
    if (s[0] >= '0' && s[0] <= '9' && !*end && !errno && *out >= min &&
        *out <= max)
        return true;
    fprintf(stderr, "pvhvd: --%s: '%s' is not a number; allowed: %lu to %lu\n",
            opt, s, min, max);
    return false;
}

/* parse: 0, 1 (help or version printed), or 2 (usage error, said). */
static int parse(int argc, char **argv, struct server_opts *o, bool *detach,
                 const char **log)
{
    unsigned long v;
    int c;

    while ((c = getopt_long(argc, argv, "ds:g:hV", options, NULL)) != -1) {
        switch (c) {
        case 'd':
            *detach = true;
            break;
        case 's':
            o->socket = optarg;
            break;
        case 'g':
            o->group = optarg;
            break;
        case OPT_LOG:
            if (strcmp(optarg, "stderr") && strcmp(optarg, "syslog")) {
                fprintf(stderr, "pvhvd: --log: '%s'; allowed: stderr, syslog\n",
                        optarg);
                return 2;
            }
            *log = optarg;
            break;
        case OPT_GRACE:
            if (!number("grace", optarg, 0, 86400, &o->grace))
                return 2;
            break;
        case OPT_CLIENTS:
            if (!number("max-clients", optarg, 1, 65536, &v))
                return 2;
            o->max_clients = (unsigned int)v;
            break;
        case OPT_RESTARTS:
            if (!number("max-restarts", optarg, 0, ULONG_MAX - 1,
                        &o->max_restarts))
                return 2;
            break;
        case OPT_BUFFER:
            if (!number("console-buffer", optarg, 4096, 16 << 20, &v))
                return 2;
            o->console_buffer = v;
            break;
        case 'h':
            usage(stdout);
            return 1;
        case 'V':
            printf("pvhvd (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
            return 1;
        default:
            fprintf(stderr, "Try 'pvhvd --help'.\n");
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr,
                "pvhvd: unexpected argument '%s'\nTry 'pvhvd --help'.\n",
                argv[optind]);
        return 2;
    }
    return 0;
}

/* detach_now: the classic double fork; stdio to /dev/null. */
static int detach_now(void)
{
    pid_t pid = fork();
    int fd;

    if (pid < 0)
        return -errno;
    if (pid > 0)
        _exit(0);
    if (setsid() < 0)
        return -errno;
    pid = fork();
    if (pid < 0)
        return -errno;
    if (pid > 0)
        _exit(0);
    if (chdir("/") != 0)
        return -errno;
    fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
        dup2(fd, STDIN_FILENO);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        if (fd > STDERR_FILENO)
            close(fd);
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct server_opts o = {
        .socket = PVHV_CONTROL_SOCKET,
        .group = PVHV_CONTROL_GROUP,
        .grace = GRACE_DEFAULT,
        .max_clients = CLIENTS_DEFAULT,
        .max_restarts = ULONG_MAX,
        .console_buffer = CONSOLE_BUFFER_DEFAULT,
    };
    const char *log = NULL;
    bool detach = false;
    int rc = parse(argc, argv, &o, &detach, &log);

    if (rc)
        return rc == 1 ? 0 : 2;
    /* The default socket's folder is ours to make. */
    if (strcmp(o.socket, PVHV_CONTROL_SOCKET) == 0 &&
        mkdir("/run/pvhv", 0755) && errno != EEXIST) {
        fprintf(stderr, "pvhvd: cannot make /run/pvhv: %s\n", strerror(errno));
        return 3;
    }
    if (log ? strcmp(log, "syslog") == 0 : detach)
        log_use_syslog();
    if (detach && detach_now() < 0) {
        fprintf(stderr, "pvhvd: cannot detach: %s\n", strerror(errno));
        return 3;
    }
    host_raise_nofile();
    o.notify = getenv("NOTIFY_SOCKET") != NULL;
    rc = server_run(&o);
    return rc == 0 ? 0 : 3;
}
