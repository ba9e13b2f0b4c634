/* SPDX-License-Identifier: MIT */
/* pvhvd.h: what pvhvd's files share beyond the server. */
#ifndef PVHV_TOOLSTACK_PVHVD_PVHVD_H
#define PVHV_TOOLSTACK_PVHVD_PVHVD_H

/*
 * pvhvd_log_line: one line of the daemon's log at syslog (level): to
 * stderr as "pvhvd: <level>: line", or to syslog (--log syslog).
 */
void pvhvd_log_line(int level, const char *line);

#endif /* PVHV_TOOLSTACK_PVHVD_PVHVD_H */
