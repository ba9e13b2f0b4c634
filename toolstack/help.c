/* SPDX-License-Identifier: MIT */
/* help.c: `pvctl help [COMMAND]`. */
#include <string.h>

#include "pvctl.h"

void help_usage(FILE *out)
{
    fprintf(out, "Usage: pvctl help [COMMAND]\n\n"
                 "Print pvctl's help, or the help of COMMAND.\n");
}

int help_cmd(int argc, char **argv)
{
    const struct pvctl_command *cmd;

    if (argc == 1) {
        pvctl_usage(stdout);
        return PVCTL_EXIT_OK;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        help_usage(stdout);
        return PVCTL_EXIT_OK;
    }
    if (argc > 2) {
        fprintf(stderr,
                "pvctl help: too many arguments; allowed: one command name\n");
        return PVCTL_EXIT_USAGE;
    }
    cmd = pvctl_find(argv[1]);
    if (!cmd)
        return pvctl_unknown(argv[1]);
    cmd->usage(stdout);
    return PVCTL_EXIT_OK;
}
