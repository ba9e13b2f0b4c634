/* SPDX-License-Identifier: MIT */
/* domid.c: `pvctl domid NAME`: a domain's id. */
#include "pvctl.h"
#include "verbs.h"

void domid_usage(FILE *out)
{
    fprintf(out, "Usage: pvctl domid DOMAIN\n\n"
                 "Print the id of DOMAIN (a name, or a UUID).\n");
}

int domid_cmd(int argc, char **argv)
{
    return verb_simple(argc, argv, PVHV_CONTROL_FIND, domid_usage, "%.0s%u\n");
}
