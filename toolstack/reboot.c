/* SPDX-License-Identifier: MIT */
/* reboot.c: `pvctl reboot [-w] DOMAIN`: ask the guest to reboot. */
#include "pvctl.h"
#include "verbs.h"

void reboot_usage(FILE *out)
{
    fprintf(
        out,
        "Usage: pvctl reboot [OPTIONS] DOMAIN\n"
        "\n"
        "Ask the guest of DOMAIN to reboot, through control/shutdown. Its\n"
        "<on_reboot> then applies: restart (the default) boots it again with the\n"
        "same configuration, name and UUID, and a new id.\n"
        "\n"
        "Options: -w, --wait and --timeout SECONDS, as pvctl shutdown.\n");
}

int reboot_cmd(int argc, char **argv)
{
    return shutdown_ask(argc, argv, PVHV_CONTROL_SHUTDOWN_REBOOT, reboot_usage);
}
