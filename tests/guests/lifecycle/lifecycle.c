/* SPDX-License-Identifier: MIT */
/*
 * lifecycle.c: a guest for the toolstack's lifecycle tests. Says
 * "READY domid=N", then, for ever: echoes each line typed on its console
 * as "echo: <line>"; with tick=MS on the command line, prints
 * "tick N t=<system time in ms>" every MS ms of its own time (a paused
 * domain's time stands still, so no tick is missed or doubled); with
 * crash=N as well, crashes after its N-th tick. It powers off or reboots
 * when the toolstack asks (control/shutdown), as libpvguest does; with
 * deaf=1, it stops watching control/shutdown first (a guest the
 * toolstack cannot ask).
 */

#include "../testguest.h"

#define POLL_NS (20 * NSEC_PER_MSEC)

static char line[128];
static size_t line_len;

/* echo_input: what was typed, a line at a time; a full line is cut. */
static void echo_input(void)
{
    char buf[64];
    size_t n, i;

    while ((n = console_read(buf, sizeof(buf))) > 0)
        for (i = 0; i < n; i++) {
            char c = buf[i];

            if (c == '\r' || c == '\n' || line_len == sizeof(line) - 1) {
                line[line_len] = '\0';
                if (line_len > 0 || c != '\n')
                    printf("echo: %s\n", line);
                line_len = 0;
                continue;
            }
            line[line_len++] = c;
        }
}

int main(void)
{
    unsigned long tick = test_option("tick", 0);
    unsigned long crash_after = test_option("crash", 0);
    uint64_t next = monotonic_ns() + tick * NSEC_PER_MSEC;
    unsigned long ticks = 0;

    if (test_option("deaf", 0) && shutdown_ignore() < 0)
        crash("cannot stop watching control/shutdown");
    printf("READY domid=%u\n", (unsigned int)pvguest_domid());
    for (;;) {
        echo_input();
        if (tick && monotonic_ns() >= next) {
            printf("tick %lu t=%lu\n", ticks,
                   (unsigned long)(monotonic_ns() / NSEC_PER_MSEC));
            next += tick * NSEC_PER_MSEC;
            if (crash_after && ++ticks >= crash_after)
                crash("crash=N ticks reached");
            if (!crash_after)
                ticks++;
        }
        sleep_ns(POLL_NS);
    }
}
