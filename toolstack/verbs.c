/* SPDX-License-Identifier: MIT */
/* verbs.c: what the verbs that talk to pvhvd share. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "pvctl.h"
#include "verbs.h"

const char *pvctl_socket;

struct pvctl_session *verb_open(int *code)
{
    struct pvctl_error err = {""};
    struct pvctl_session *s = NULL;
    const char *path = pvctl_socket;
    int rc;

    if (!path)
        path = getenv("PVHV_SOCKET");
    if (!path || !*path)
        path = PVHV_CONTROL_SOCKET;
    rc = pvctl_session_connect(&s, path, &err);
    if (rc == 0)
        return s;
    fprintf(stderr, "pvctl: %s\n", err.msg);
    *code =
        rc == -PVCTL_SESSION_EDAEMON ? PVCTL_EXIT_NODAEMON : PVCTL_EXIT_REFUSED;
    return NULL;
}

int verb_fail(const char *prog, int rc, const struct pvctl_error *err)
{
    if (rc == 0)
        return PVCTL_EXIT_OK;
    fprintf(stderr, "%s: %s\n", prog, err->msg);
    switch (-rc) {
    case PVHV_CONTROL_ENOENT:
        return PVCTL_EXIT_NODOMAIN;
    case PVHV_CONTROL_EHOST:
    case PVHV_CONTROL_EINVAL:
        return PVCTL_EXIT_HOST;
    case PVCTL_SESSION_EDAEMON:
        return PVCTL_EXIT_NODAEMON;
    default:
        return PVCTL_EXIT_REFUSED;
    }
}

const char *verb_domain_arg(int argc, char **argv, void (*usage)(FILE *))
{
    (void)usage;
    if (argc - optind == 1)
        return argv[optind];
    fprintf(stderr,
            "%s: %s; allowed: one domain (name, id or UUID)\n"
            "Try '%s --help'.\n",
            argv[0], argc == optind ? "no domain" : "too many arguments",
            argv[0]);
    return NULL;
}

struct pvhv_control_select verb_select(const char *name)
{
    struct pvhv_control_select s;

    memset(&s, 0, sizeof(s));
    strncpy(s.domain, name, sizeof(s.domain) - 1);
    return s;
}

const char *verb_state_name(unsigned int state)
{
    static const char *const names[] = {
        [PVHV_CONTROL_STATE_RUNNING] = "running",
        [PVHV_CONTROL_STATE_BLOCKED] = "blocked",
        [PVHV_CONTROL_STATE_PAUSED] = "paused",
        [PVHV_CONTROL_STATE_SHUTDOWN] = "shutdown",
        [PVHV_CONTROL_STATE_CRASHED] = "crashed",
        [PVHV_CONTROL_STATE_DYING] = "dying",
    };

    return state < PVHV_CONTROL_STATES ? names[state] : "unknown";
}

/* help_only: parses -h/--help, the only option; 1 printed, -1 bad. */
static int help_only(int argc, char **argv, void (*usage)(FILE *))
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return 1;
        }
        fprintf(stderr, "Try '%s --help'.\n", argv[0]);
        return -1;
    }
    return 0;
}

int verb_simple(int argc, char **argv, unsigned int type, void (*usage)(FILE *),
                const char *done)
{
    struct pvctl_error err = {""};
    struct pvhv_control_select sel;
    struct pvhv_control_domain d;
    struct pvctl_session *s;
    const char *name;
    int rc, code;

    rc = help_only(argc, argv, usage);
    if (rc)
        return rc > 0 ? PVCTL_EXIT_OK : PVCTL_EXIT_USAGE;
    name = verb_domain_arg(argc, argv, usage);
    if (!name)
        return PVCTL_EXIT_USAGE;
    s = verb_open(&code);
    if (!s)
        return code;
    sel = verb_select(name);
    rc = pvctl_session_domain(s, type, &sel, sizeof(sel), NULL, 0, &d, &err);
    if (rc == 0 && done)
        printf(done, d.name, d.domid);
    pvctl_session_close(s);
    return verb_fail(argv[0], rc, &err);
}

void verb_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}
