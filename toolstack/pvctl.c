/* SPDX-License-Identifier: MIT */
/* pvctl.c: the pvctl command: its verb table and main. */
#include <string.h>

#include "config.h"
#include "libpvctl/host.h"
#include "pvctl.h"
#include "verbs.h"

/* Every verb, in the order `pvctl help` lists them. */
static const struct pvctl_command commands[] = {
    {"help", help_cmd, help_usage,
     "Show help for pvctl or one of its commands"},
    {"run", run_cmd, run_usage,
     "Boot domains from their XML files and stay with them until they end"},
    {"create", create_cmd, create_usage,
     "Create a domain in the pvhv daemon from its XML file"},
    {"list", list_cmd, list_usage, "List the daemon's domains"},
    {"destroy", destroy_cmd, destroy_usage, "Stop a domain at once"},
    {"shutdown", shutdown_cmd, shutdown_usage,
     "Ask a domain to power off (control/shutdown)"},
    {"reboot", reboot_cmd, reboot_usage, "Ask a domain to reboot"},
    {"pause", pause_cmd, pause_usage,
     "Pause a domain: its vCPUs and time stop"},
    {"unpause", unpause_cmd, unpause_usage, "Run a paused domain again"},
    {"console", console_cmd, console_usage,
     "Attach to a domain's console (Ctrl-] detaches)"},
    {"info", info_cmd, info_usage, "Show the daemon, hypervisor and host"},
    {"dmesg", dmesg_cmd, dmesg_usage, "Show the hypervisor's log of a domain"},
    {"domid", domid_cmd, domid_usage, "Print a domain's id"},
    {"domname", domname_cmd, domname_usage, "Print a domain's name"},
    {"uptime", uptime_cmd, uptime_usage, "Show how long domains have run"},
    {"stat", stat_cmd, stat_usage,
     "Show domains' vCPU time, exits and hypercalls a second, top-style"},
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

    fprintf(out, "Usage: pvctl [--help | --version] [--socket PATH] COMMAND "
                 "[ARGS...]\n\n"
                 "Run and manage pvhv domains.\n\nCommands:\n");
    for (i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(
        out,
        "\nOptions:\n"
        "  -h, --help     print this help and exit\n"
        "  -V, --version  print the version and exit\n"
        "  -s, --socket PATH\n"
        "                 the pvhv daemon's socket (default: $PVHV_SOCKET, else\n"
        "                 " PVHV_CONTROL_SOCKET ")\n\n"
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
    const char *verb;

    /* pvctl's own option, before the verb: the daemon's socket. */
    while (argc > 2 &&
           (strcmp(argv[1], "--socket") == 0 || strcmp(argv[1], "-s") == 0)) {
        pvctl_socket = argv[2];
        argv[2] = argv[0];
        argc -= 2;
        argv += 2;
    }
    verb = argc > 1 ? argv[1] : NULL;

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
            "pvctl: unknown option '%s'; allowed before a command: --help, --version, --socket PATH\nTry 'pvctl --help'.\n",
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
