/* SPDX-License-Identifier: MIT */
/* uptime.c: `pvctl uptime [DOMAIN...]`: how long each domain has run. */
#include <string.h>
#include <time.h>

#include <uuid/uuid.h>

#include "pvctl.h"
#include "verbs.h"

void uptime_usage(FILE *out)
{
    fprintf(
        out,
        "Usage: pvctl uptime [DOMAIN...]\n\n"
        "Print how long each domain (or those named) has been up since its\n"
        "current boot was made, as xl uptime: Name, ID, Uptime\n"
        "([D days, ]H:MM:SS).\n");
}

struct up {
    int argc;
    char **argv;
    unsigned int shown;
};

static bool one(void *ctx, const struct pvhv_control_domain *d)
{
    struct up *u = ctx;
    struct timespec t;
    char id[16], uuid[37];
    uint64_t s = 0, now;
    bool hit = u->argc == 0;

    snprintf(id, sizeof(id), "%u", d->domid);
    uuid_unparse_lower(d->uuid, uuid);
    for (int i = 0; i < u->argc; i++)
        hit |= !strcmp(u->argv[i], d->name) || !strcmp(u->argv[i], id) ||
               !strcasecmp(u->argv[i], uuid);
    if (!hit)
        return true;
    clock_gettime(CLOCK_REALTIME, &t);
    now = (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
    if (d->created_ns && now > d->created_ns)
        s = (now - d->created_ns) / 1000000000ULL;
    printf("%-40s %5u ", d->name, d->domid);
    if (s >= 86400)
        printf("%llu day%s, ", (unsigned long long)(s / 86400),
               s / 86400 == 1 ? "" : "s");
    printf("%2u:%02u:%02u\n", (unsigned int)(s % 86400 / 3600),
           (unsigned int)(s % 3600 / 60), (unsigned int)(s % 60));
    u->shown++;
    return true;
}

int uptime_cmd(int argc, char **argv)
{
    struct up u = {argc - 1, argv + 1, 0};
    struct pvctl_error err = {""};
    struct pvctl_session *s;
    int code, rc;

    if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        uptime_usage(stdout);
        return PVCTL_EXIT_OK;
    }
    s = verb_open(&code);
    if (!s)
        return code;
    printf("%-40s %5s Uptime\n", "Name", "ID");
    rc = pvctl_session_list(s, one, &u, &err);
    code = verb_fail(argv[0], rc, &err);
    if (code == PVCTL_EXIT_OK && u.argc && !u.shown) {
        fprintf(stderr, "%s: no such domain\n", argv[0]);
        code = PVCTL_EXIT_NODOMAIN;
    }
    pvctl_session_close(s);
    return code;
}
