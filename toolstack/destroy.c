/* SPDX-License-Identifier: MIT */
/* destroy.c: `pvctl destroy DOMAIN`: stop a domain at once. */
#include "pvctl.h"
#include "verbs.h"

void destroy_usage(FILE *out)
{
    fprintf(
        out,
        "Usage: pvctl destroy DOMAIN\n\n"
        "Stop DOMAIN (a name, id or UUID) at once, without the guest's\n"
        "cooperation (\"pulling the plug\"), and end it for good: it is not\n"
        "restarted, whatever its <on_*> say.\n");
}

int destroy_cmd(int argc, char **argv)
{
    return verb_simple(argc, argv, PVHV_CONTROL_DESTROY, destroy_usage, NULL);
}
