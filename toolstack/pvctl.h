/* SPDX-License-Identifier: MIT */
/* pvctl.h: the pvctl command table and what its verbs share. */
#ifndef PVHV_TOOLSTACK_PVCTL_H
#define PVHV_TOOLSTACK_PVCTL_H

#include <stdio.h>

/* Exit statuses, as pvctl(1) documents them. */
enum pvctl_exit {
    PVCTL_EXIT_OK = 0,          /* the domain powered off; help printed */
    PVCTL_EXIT_CRASH = 1,       /* the domain crashed */
    PVCTL_EXIT_USAGE = 2,       /* bad command line or invalid domain XML */
    PVCTL_EXIT_HOST = 3,        /* the domain could not be created or run */
    PVCTL_EXIT_INTERRUPTED = 4, /* a signal: a domain did not stop in time */
};

/* One verb: `pvctl <name> ...` calls fn with argv[0] = "pvctl <name>". */
struct pvctl_command {
    const char *name;
    int (*fn)(int argc, char **argv); /* returns an enum pvctl_exit */
    void (*usage)(FILE *out);         /* its full help */
    const char *summary;              /* one line for `pvctl help` */
};

/* pvctl_find: the command called (name), or NULL. */
const struct pvctl_command *pvctl_find(const char *name);

/* pvctl_usage: pvctl's own help, the commands listed from the table. */
void pvctl_usage(FILE *out);

/*
 * pvctl_unknown: tells (on stderr) that (name) is not a command, listing the
 * commands. Returns PVCTL_EXIT_USAGE.
 */
int pvctl_unknown(const char *name);

/* help.c */
int help_cmd(int argc, char **argv);
void help_usage(FILE *out);

/* run.c */
int run_cmd(int argc, char **argv);
void run_usage(FILE *out);

#endif /* PVHV_TOOLSTACK_PVCTL_H */
