/* SPDX-License-Identifier: MIT */
/* host.h: what pvctl needs to know of its host: file limits, memory. */
#ifndef PVHV_TOOLSTACK_HOST_H
#define PVHV_TOOLSTACK_HOST_H

#include <stddef.h>
#include <stdint.h>

/*
 * host_raise_nofile: raises this process's soft RLIMIT_NOFILE to its hard
 * limit (as systemd advises servers that use no select()): each domain
 * holds several descriptors (its files, its VM, vCPUs and memory), and
 * the usual soft limit of 1024 ends a run near 250 domains. Returns the
 * soft limit now in force, or -errno (the limit is then as it was).
 */
long host_raise_nofile(void);

/*
 * host_strerror: strerror(errnum), except that EMFILE and ENFILE say
 * which limit was reached and its value, so that a message reads as
 * "too many open files" rather than as a fault of the file being opened.
 * Writes to (buf) of (len) bytes when needed. Returns the text.
 */
const char *host_strerror(int errnum, char *buf, size_t len);

/*
 * host_note_fd_limit: when a call that failed with (rc) ran out of
 * descriptors, appends "; " and host_strerror's text, which names the
 * limit, to the message (msg) of (len) bytes (pvhv's error, say). Runs
 * out: rc is -EMFILE or -ENFILE, or (msg) holds strerror's text of one
 * of them (a caller that reported it under another errno).
 */
void host_note_fd_limit(int rc, char *msg, size_t len);

/* The host's memory, in bytes, as /proc/meminfo tells it. */
struct host_memory {
    uint64_t total;     /* MemTotal: all RAM */
    uint64_t available; /* MemAvailable: what can be had without swapping */
    uint64_t swap;      /* SwapTotal */
};

/*
 * host_memory_read: fills (m) from /proc/meminfo. Returns 0, or -errno
 * (-ENODATA when a field is missing).
 */
int host_memory_read(struct host_memory *m);

/*
 * host_size_text: (bytes) for a person: below 1 GiB, or a whole number of
 * GiB, TiB or PiB, exact in the largest binary unit that divides it
 * ("64 TiB", "768 MiB", "4097 KiB"); else in GiB with one decimal
 * ("23.5 GiB"). Writes to (buf) of (len) bytes; returns (buf).
 */
const char *host_size_text(uint64_t bytes, char *buf, size_t len);

#endif /* PVHV_TOOLSTACK_HOST_H */
