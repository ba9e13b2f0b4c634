/* SPDX-License-Identifier: MIT */
/* dmesg.c: `pvctl dmesg DOMAIN`: the hypervisor's log of a domain. */
#include <stdlib.h>
#include <string.h>

#include "pvctl.h"
#include "verbs.h"

void dmesg_usage(FILE *out)
{
    fprintf(
        out,
        "Usage: pvctl dmesg DOMAIN\n\n"
        "Print the hypervisor's log of DOMAIN (a name, id or UUID), its\n"
        "current boot: what the guest did wrong, how it ended, and what it\n"
        "wrote with the console_io hypercall (the last 16 KiB).\n");
}

int dmesg_cmd(int argc, char **argv)
{
    struct control_msg *reply = malloc(sizeof(*reply));
    struct pvctl_error err = {""};
    struct pvhv_control_select sel;
    struct pvctl_session *s;
    int code, rc;

    if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        dmesg_usage(stdout);
        free(reply);
        return PVCTL_EXIT_OK;
    }
    if (argc != 2 || argv[1][0] == '-' || !reply) {
        fprintf(stderr, "%s: allowed: one domain (name, id or UUID)\n",
                argv[0]);
        free(reply);
        return PVCTL_EXIT_USAGE;
    }
    s = verb_open(&code);
    if (!s) {
        free(reply);
        return code;
    }
    sel = verb_select(argv[1]);
    rc = pvctl_session_call(s, PVHV_CONTROL_DMESG, &sel, sizeof(sel), NULL, 0,
                            reply, &err);
    if (rc == 0)
        fwrite(reply->payload, 1, reply->hdr.length, stdout);
    code = verb_fail(argv[0], rc, &err);
    pvctl_session_close(s);
    free(reply);
    return code;
}
