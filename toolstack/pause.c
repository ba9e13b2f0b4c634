/* SPDX-License-Identifier: MIT */
/* pause.c: `pvctl pause DOMAIN`: its vCPUs stop, and its time. */
#include "pvctl.h"
#include "verbs.h"

void pause_usage(FILE *out)
{
    fprintf(out,
            "Usage: pvctl pause DOMAIN\n\n"
            "Pause DOMAIN (a name, id or UUID): its vCPUs stop and its time\n"
            "stands still until 'pvctl unpause'. It keeps its memory.\n");
}

int pause_cmd(int argc, char **argv)
{
    return verb_simple(argc, argv, PVHV_CONTROL_PAUSE, pause_usage, NULL);
}
