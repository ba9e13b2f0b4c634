/* SPDX-License-Identifier: MIT */
/* info.c: `pvctl info`: the daemon, its hypervisor and host. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pvctl.h"
#include "verbs.h"

void info_usage(FILE *out)
{
    fprintf(out, "Usage: pvctl info\n\n"
                 "Print what the pvhv daemon says of itself and its host, one\n"
                 "'key : value' a line, as xl info does.\n");
}

int info_cmd(int argc, char **argv)
{
    struct control_msg *reply = malloc(sizeof(*reply));
    const struct pvhv_control_info *i = (const void *)reply->payload;
    struct pvctl_error err = {""};
    struct pvctl_session *s = NULL;
    int code = PVCTL_EXIT_USAGE, rc;

    if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        info_usage(stdout);
        code = PVCTL_EXIT_OK;
    } else if (argc != 1 || !reply) {
        fprintf(stderr, "%s: takes no argument\n", argv[0]);
    } else if ((s = verb_open(&code)) != NULL) {
        rc = pvctl_session_call(s, PVHV_CONTROL_INFO, NULL, 0, NULL, 0, reply,
                                &err);
        code = verb_fail(argv[0], rc, &err);
        if (code == PVCTL_EXIT_OK)
            printf("pvhv_version           : %s\n"
                   "pvhvd_pid              : %u\n"
                   "socket                 : %s\n"
                   "nr_domains             : %u\n"
                   "total_memory           : %" PRIu64 "\n"
                   "free_memory            : %" PRIu64 "\n"
                   "native_exec            : %s%s%s\n",
                   i->version, i->pid,
                   pvctl_socket            ? pvctl_socket
                   : getenv("PVHV_SOCKET") ? getenv("PVHV_SOCKET")
                                           : PVHV_CONTROL_SOCKET,
                   i->domains, i->host_memory >> 20, i->host_free >> 20,
                   i->native_usable ? "usable" : "unusable",
                   i->native_usable ? "" : ": ", i->native_why);
    }
    pvctl_session_close(s);
    free(reply);
    return code;
}
