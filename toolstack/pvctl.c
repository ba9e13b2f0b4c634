/* SPDX-License-Identifier: MIT */
/* pvctl.c: the pvctl command: its verb table and main. */
#include <string.h>

#include "config.h"
#include "libpvctl/host.h"
#include "pvctl.h"

/* Every verb, in the order `pvctl help` lists them. */
static const struct pvctl_command commands[] = {
    {"help", help_cmd, help_usage,
     "Show help for pvctl or one of its commands"},
    {"run", run_cmd, run_usage,
     "Boot domains from their XML files and stay with them until they end"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const struct pvctl_command *pvctl_find(const char *name)
{
    size_t i;

    for (i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

void pvctl_usage(FILE *out)
{
    size_t i;

    fprintf(out, "Usage: pvctl [--help | --version] COMMAND [ARGS...]\n\n"
                 "Run and manage pvhv domains.\n\nCommands:\n");
    for (i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(
        out,
        "\nOptions:\n"
        "  -h, --help     print this help and exit\n"
        "  -V, --version  print the version and exit\n\n"
        "'pvctl help COMMAND' or 'pvctl COMMAND --help' describes a command.\n");
}

int pvctl_unknown(const char *name)
{
    size_t i;

    fprintf(stderr, "pvctl: '%s' is not a pvctl command; allowed:", name);
    for (i = 0; i < NCOMMANDS; i++)
        fprintf(stderr, "%s %s", i ? "," : "", commands[i].name);
    fprintf(stderr, "\nTry 'pvctl --help'.\n");
    return PVCTL_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    static char prog[64];
    const struct pvctl_command *cmd;
    const char *verb = argc > 1 ? argv[1] : NULL;

    if (!verb) {
        pvctl_usage(stderr);
        return PVCTL_EXIT_USAGE;
    }
    if (strcmp(verb, "-h") == 0 || strcmp(verb, "--help") == 0) {
        pvctl_usage(stdout);
        return PVCTL_EXIT_OK;
    }
    if (strcmp(verb, "-V") == 0 || strcmp(verb, "--version") == 0) {
        printf("pvctl (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
        return PVCTL_EXIT_OK;
    }
    if (verb[0] == '-') {
        fprintf(
            stderr,
            "pvctl: unknown option '%s'; allowed before a command: --help, --version\nTry 'pvctl --help'.\n",
            verb);
        return PVCTL_EXIT_USAGE;
    }
    cmd = pvctl_find(verb);
    if (!cmd)
        return pvctl_unknown(verb);
    /* Every domain holds descriptors: use all the host allows (no select). */
    host_raise_nofile();
    /* getopt_long prefixes its messages with argv[0]: make it say so. */
    snprintf(prog, sizeof(prog), "pvctl %s", cmd->name);
    argv[1] = prog;
    return cmd->fn(argc - 1, argv + 1);
}
