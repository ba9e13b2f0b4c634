/* SPDX-License-Identifier: MIT */
/* console.c: `pvctl console DOMAIN`: attach to a domain's console. */
#include <getopt.h>
#include <string.h>

#include "pvctl.h"
#include "verbs.h"

void console_usage(FILE *out)
{
    fprintf(
        out,
        "Usage: pvctl console DOMAIN\n"
        "\n"
        "Attach to the console of DOMAIN (a name, id or UUID): what its guest\n"
        "printed since it booted (as much as the daemon keeps, 64 KiB by\n"
        "default), then what it prints; what you type reaches the guest's\n"
        "console. Ctrl-] detaches. Several consoles may attach to one domain.\n"
        "It ends when the domain does; a domain that restarts is followed into\n"
        "its new boot. A domain kept after its end (<on_crash>preserve</on_crash>)\n"
        "shows what it printed.\n");
}

int console_cmd(int argc, char **argv)
{
    struct pvctl_error err = {""};
    struct pvhv_control_select sel;
    struct pvhv_control_domain d;
    struct pvctl_session *s;
    const char *name;
    int code, rc;

    if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        console_usage(stdout);
        return PVCTL_EXIT_OK;
    }
    optind = 1;
    name = verb_domain_arg(argc, argv, console_usage);
    if (!name)
        return PVCTL_EXIT_USAGE;
    s = verb_open(&code);
    if (!s)
        return code;
    sel = verb_select(name);
    rc = pvctl_session_domain(s, PVHV_CONTROL_CONSOLE, &sel, sizeof(sel), NULL,
                              0, &d, &err);
    code = verb_fail(argv[0], rc, &err);
    if (code == PVCTL_EXIT_OK)
        code = verb_console(s, &d);
    pvctl_session_close(s);
    return code;
}
