/* SPDX-License-Identifier: MIT */
/* domname.c: `pvctl domname ID`: a domain's name. */
#include "pvctl.h"
#include "verbs.h"

void domname_usage(FILE *out)
{
    fprintf(out, "Usage: pvctl domname DOMAIN\n\n"
                 "Print the name of DOMAIN (an id, or a UUID).\n");
}

int domname_cmd(int argc, char **argv)
{
    return verb_simple(argc, argv, PVHV_CONTROL_FIND, domname_usage, "%s\n");
}
