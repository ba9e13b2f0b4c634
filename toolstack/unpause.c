/* SPDX-License-Identifier: MIT */
/* unpause.c: `pvctl unpause DOMAIN`: a paused domain runs again. */
#include "pvctl.h"
#include "verbs.h"

void unpause_usage(FILE *out)
{
    fprintf(
        out,
        "Usage: pvctl unpause DOMAIN\n\n"
        "Run the paused DOMAIN (a name, id or UUID) again; its time goes on\n"
        "from where it stood.\n");
}

int unpause_cmd(int argc, char **argv)
{
    return verb_simple(argc, argv, PVHV_CONTROL_UNPAUSE, unpause_usage, NULL);
}
