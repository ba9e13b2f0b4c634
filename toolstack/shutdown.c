/* SPDX-License-Identifier: MIT */
/* shutdown.c: `pvctl shutdown [-w] DOMAIN`: ask the guest to power off. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pvctl.h"
#include "verbs.h"

#define WAIT_DEFAULT 60 /* s */

void shutdown_usage(FILE *out)
{
    fprintf(
        out,
        "Usage: pvctl shutdown [OPTIONS] DOMAIN\n"
        "\n"
        "Ask the guest of DOMAIN (a name, id or UUID) to power off, through its\n"
        "XenStore node control/shutdown, as Xen's toolstack does; the guest\n"
        "decides. Its <on_poweroff> then applies. Returns at once unless -w.\n"
        "\n"
        "Options:\n"
        "  -w, --wait             wait until that boot of the domain has ended\n"
        "      --timeout SECONDS  with -w, give up after this long (default %d):\n"
        "                         the guest did not act on the request\n"
        "  -h, --help             print this help and exit\n"
        "\n"
        "Exit status: 0 asked (with -w: it ended); 1 with -w, it did not end in\n"
        "time; 5 no such domain; 6 it is not running; 7 no daemon.\n",
        WAIT_DEFAULT);
}

static const struct option opts[] = {
    {"wait", no_argument, NULL, 'w'},
    {"timeout", required_argument, NULL, 't'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* gone: boot (id) of (name) is no more (or ended, preserved). */
static bool gone(struct pvctl_session *s, const char *name, unsigned int id)
{
    struct pvhv_control_select sel = verb_select(name);
    struct pvctl_error err = {""};
    struct pvhv_control_domain d;
    int rc = pvctl_session_domain(s, PVHV_CONTROL_FIND, &sel, sizeof(sel), NULL,
                                  0, &d, &err);

    return rc != 0 || d.domid != id || d.state >= PVHV_CONTROL_STATE_SHUTDOWN;
}

static int wait_end(struct pvctl_session *s, const char *prog,
                    const struct pvhv_control_domain *d, unsigned long timeout)
{
    struct timespec tick = {0, 50 * 1000 * 1000};
    unsigned long i, ticks = timeout * 20;

    for (i = 0; i < ticks; i++) {
        if (gone(s, d->name, d->domid))
            return PVCTL_EXIT_OK;
        nanosleep(&tick, NULL);
    }
    fprintf(stderr,
            "%s: domain '%s' (id %u) still runs %lu s after the request: its "
            "guest may not act on control/shutdown ('pvctl destroy %s' ends "
            "it)\n",
            prog, d->name, d->domid, timeout, d->name);
    return PVCTL_EXIT_CRASH;
}

int shutdown_ask(int argc, char **argv, uint32_t reason, void (*usage)(FILE *))
{
    struct pvhv_control_shutdown req;
    struct pvctl_error err = {""};
    struct pvhv_control_domain d;
    unsigned long timeout = WAIT_DEFAULT;
    struct pvctl_session *s;
    bool wait = false;
    const char *name;
    char *end;
    int c, code, rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, "wh", opts, NULL)) != -1) {
        if (c == 'w') {
            wait = true;
        } else if (c == 't') {
            timeout = strtoul(optarg, &end, 10);
            if (*end || !*optarg || timeout == 0 || timeout > 86400) {
                fprintf(stderr,
                        "%s: --timeout: '%s'; allowed: 1 to 86400 "
                        "seconds\n",
                        argv[0], optarg);
                return PVCTL_EXIT_USAGE;
            }
        } else if (c == 'h') {
            usage(stdout);
            return PVCTL_EXIT_OK;
        } else {
            fprintf(stderr, "Try '%s --help'.\n", argv[0]);
            return PVCTL_EXIT_USAGE;
        }
    }
    name = verb_domain_arg(argc, argv, usage);
    if (!name)
        return PVCTL_EXIT_USAGE;
    s = verb_open(&code);
    if (!s)
        return code;
    memset(&req, 0, sizeof(req));
    req.sel = verb_select(name);
    req.reason = reason;
    rc = pvctl_session_domain(s, PVHV_CONTROL_SHUTDOWN, &req, sizeof(req), NULL,
                              0, &d, &err);
    code = verb_fail(argv[0], rc, &err);
    if (code == PVCTL_EXIT_OK && wait)
        code = wait_end(s, argv[0], &d, timeout);
    pvctl_session_close(s);
    return code;
}

int shutdown_cmd(int argc, char **argv)
{
    return shutdown_ask(argc, argv, PVHV_CONTROL_SHUTDOWN_POWEROFF,
                        shutdown_usage);
}
