/* SPDX-License-Identifier: MIT */
/* verbs.h: what the verbs that talk to pvhvd share. */
#ifndef PVHV_TOOLSTACK_VERBS_H
#define PVHV_TOOLSTACK_VERBS_H

#include <stdbool.h>
#include <stdio.h>

#include "libpvctl/session.h"

/* The daemon's socket: --socket, else $PVHV_SOCKET, else the default. */
extern const char *pvctl_socket;

/*
 * verb_open: a session with the daemon, or NULL with the reason said and
 * (*code) the exit status (7: no daemon, 6: refused).
 */
struct pvctl_session *verb_open(int *code);

/*
 * verb_fail: says "pvctl VERB: message" for the session result (rc) and
 * returns the exit status it means (pvctl(1)): 5 no such domain, 3 the
 * host could not, 7 the daemon is gone, 6 refused; 0 for rc 0.
 */
int verb_fail(const char *prog, int rc, const struct pvctl_error *err);

/*
 * verb_domain_args: the one DOMAIN of (argc, argv) after options parsed
 * by getopt (optind); says the problem and returns NULL otherwise.
 */
const char *verb_domain_arg(int argc, char **argv, void (*usage)(FILE *));

/*
 * verb_simple: for `pvctl VERB [-h] DOMAIN`: sends (type) for DOMAIN and
 * returns the exit status; (done), if given, is printed on success with
 * the domain's name and id.
 */
int verb_simple(int argc, char **argv, unsigned int type, void (*usage)(FILE *),
                const char *done);

/* verb_select: a selector for (name), cut to fit. */
struct pvhv_control_select verb_select(const char *name);

/* verb_state_name: "running", "blocked", ... for PVHV_CONTROL_STATE_*. */
const char *verb_state_name(unsigned int state);

/*
 * verb_console: carries the console of the session's socket after a
 * CONSOLE (or CREATE -c) reply for (d) until its boot ends for good or
 * Ctrl-] is typed. Returns the exit status.
 */
int verb_console(struct pvctl_session *s, const struct pvhv_control_domain *d);

/* verb_json_string: (s) as a JSON string to (out). */
void verb_json_string(FILE *out, const char *s);

#endif /* PVHV_TOOLSTACK_VERBS_H */
