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
    PVCTL_EXIT_NODOMAIN = 5,    /* no domain of that name, id or UUID */
    PVCTL_EXIT_REFUSED = 6,     /* the daemon refused the request */
    PVCTL_EXIT_NODAEMON = 7,    /* no daemon at the socket (or it went away) */
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

/* The verbs served by pvhvd, one file each (create.c, list.c, ...). */
#define PVCTL_VERB(name)                                                       \
    int name##_cmd(int argc, char **argv);                                     \
    void name##_usage(FILE *out);
PVCTL_VERB(create)
PVCTL_VERB(list)
PVCTL_VERB(destroy)
PVCTL_VERB(shutdown)
PVCTL_VERB(reboot)
PVCTL_VERB(pause)
PVCTL_VERB(unpause)
PVCTL_VERB(console)
PVCTL_VERB(info)
PVCTL_VERB(dmesg)
PVCTL_VERB(domid)
PVCTL_VERB(domname)
PVCTL_VERB(uptime)
PVCTL_VERB(stat)
#undef PVCTL_VERB

/* shutdown.c: shutdown and reboot: control/shutdown with (reason). */
#include <stdint.h>
int shutdown_ask(int argc, char **argv, uint32_t reason, void (*usage)(FILE *));

#endif /* PVHV_TOOLSTACK_PVCTL_H */
