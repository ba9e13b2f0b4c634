/* SPDX-License-Identifier: MIT */
/* list.c: `pvctl list [-l] [--json] [DOMAIN...]`: the domains, as xl lists. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <uuid/uuid.h>

#include "pvctl.h"
#include "verbs.h"

void list_usage(FILE *out)
{
    fprintf(
        out,
        "Usage: pvctl list [OPTIONS] [DOMAIN...]\n"
        "\n"
        "List the domains of the pvhv daemon (or those named: name, id or UUID),\n"
        "as xl does: Name, ID, Mem (MiB), VCPUs, State, Time(s) (the CPU time its\n"
        "vCPUs used). State is one letter of rbpscd in its place: running,\n"
        "blocked (every vCPU waits for an event), paused, shutdown, crashed\n"
        "(both kept by <on_*>preserve</on_*>), dying (being destroyed or between\n"
        "two boots).\n"
        "\n"
        "Options:\n"
        "  -l, --long   more about each: UUID, boots, uptime, actions, kernel and\n"
        "               command line (as JSON, with --json or alone)\n"
        "      --json   a JSON array, one object per domain; its keys are stable\n"
        "               (pvctl(1) lists them)\n"
        "  -h, --help   print this help and exit\n");
}

static const struct option opts[] = {
    {"long", no_argument, NULL, 'l'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct list {
    bool json, lng;
    int argc;
    char **argv; /* the domains named, if any */
    unsigned int shown;
    bool *matched;
};

static const char *const actions[] = {"destroy", "restart", "preserve"};

static const char *action(unsigned int a)
{
    return a < 3 ? actions[a] : "unknown";
}

static uint64_t now_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_REALTIME, &t);
    return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static void json_one(const struct list *l, const struct pvhv_control_domain *d)
{
    char uuid[37];
    uint64_t now = now_ns();

    uuid_unparse_lower(d->uuid, uuid);
    printf("%s\n  {\"name\": ", l->shown ? "," : "");
    verb_json_string(stdout, d->name);
    printf(", \"domid\": %u, \"uuid\": \"%s\", \"state\": \"%s\", "
           "\"memory_kib\": %" PRIu64 ", \"vcpus\": %u, \"cpu_time_s\": %.3f",
           d->domid, uuid, verb_state_name(d->state), d->memory >> 10, d->vcpus,
           (double)d->cpu_ns / 1e9);
    if (l->lng) {
        printf(", \"boots\": %u, \"uptime_s\": %.3f, \"end\": ", d->boots,
               d->created_ns && now > d->created_ns
                   ? (double)(now - d->created_ns) / 1e9
                   : 0.0);
        verb_json_string(stdout, d->end);
        printf(", \"on_poweroff\": \"%s\", \"on_reboot\": \"%s\", "
               "\"on_crash\": \"%s\", \"exec\": \"%s\", \"disks\": %u, "
               "\"exits\": %" PRIu64 ", \"hypercalls\": %" PRIu64
               ", \"kernel\": ",
               action(d->on_poweroff), action(d->on_reboot),
               action(d->on_crash), d->exec_mode ? "native" : "default",
               d->nr_disks, d->exits, d->hypercalls);
        verb_json_string(stdout, d->kernel);
        printf(", \"cmdline\": ");
        verb_json_string(stdout, d->cmdline);
    }
    printf("}");
}

static void table_one(const struct pvhv_control_domain *d)
{
    char st[7] = "------";

    if (d->state < PVHV_CONTROL_STATES)
        st[d->state] = "rbpscd"[d->state];
    printf("%-40s %5u %5" PRIu64 " %5u     %s  %8.1f\n", d->name, d->domid,
           d->memory >> 20, d->vcpus, st, (double)d->cpu_ns / 1e9);
}

/* wanted: whether (d) is one of those named (all when none is). */
static bool wanted(struct list *l, const struct pvhv_control_domain *d)
{
    char id[16], uuid[37];
    bool hit = l->argc == 0;

    snprintf(id, sizeof(id), "%u", d->domid);
    uuid_unparse_lower(d->uuid, uuid);
    for (int i = 0; i < l->argc; i++)
        if (!strcmp(l->argv[i], d->name) || !strcmp(l->argv[i], id) ||
            !strcasecmp(l->argv[i], uuid))
            hit = l->matched[i] = true;
    return hit;
}

static bool one(void *ctx, const struct pvhv_control_domain *d)
{
    struct list *l = ctx;

    if (!wanted(l, d))
        return true;
    if (l->json)
        json_one(l, d);
    else
        table_one(d);
    l->shown++;
    return true;
}

int list_cmd(int argc, char **argv)
{
    struct list l = {0};
    struct pvctl_error err = {""};
    struct pvctl_session *s;
    int c, code = PVCTL_EXIT_OK, rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, "lh", opts, NULL)) != -1) {
        if (c == 'l')
            l.lng = true;
        else if (c == 'j')
            l.json = true;
        else if (c == 'h') {
            list_usage(stdout);
            return PVCTL_EXIT_OK;
        } else {
            fprintf(stderr, "Try '%s --help'.\n", argv[0]);
            return PVCTL_EXIT_USAGE;
        }
    }
    l.json |= l.lng; /* xl list -l: JSON */
    l.argc = argc - optind;
    l.argv = argv + optind;
    l.matched = calloc((size_t)l.argc + 1, sizeof(bool));
    s = l.matched ? verb_open(&code) : NULL;
    if (!s) {
        free(l.matched);
        return l.matched ? code : PVCTL_EXIT_HOST;
    }
    if (l.json)
        printf("[");
    else
        printf("%-40s %5s %5s %5s     %s  %8s\n", "Name", "ID", "Mem", "VCPUs",
               "State", "Time(s)");
    rc = pvctl_session_list(s, one, &l, &err);
    if (l.json)
        printf("%s]\n", l.shown ? "\n" : "");
    code = verb_fail(argv[0], rc, &err);
    for (int i = 0; code == PVCTL_EXIT_OK && i < l.argc; i++)
        if (!l.matched[i]) {
            fprintf(stderr, "%s: no domain '%s' (name, id or UUID)\n", argv[0],
                    l.argv[i]);
            code = PVCTL_EXIT_NODOMAIN;
        }
    free(l.matched);
    pvctl_session_close(s);
    return code;
}
