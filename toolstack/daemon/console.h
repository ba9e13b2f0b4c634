/* SPDX-License-Identifier: MIT */
/* console.h: streams of a domain's console output to its readers. */
#ifndef PVHV_TOOLSTACK_PVHVD_CONSOLE_H
#define PVHV_TOOLSTACK_PVHVD_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mdom;
struct watch;
struct console_reader;

/*
 * console_ops: how console.c reaches a reader's connection, which it
 * does not know; handed in, with their (arg), by whoever attaches the
 * reader. One message waits there at most.
 *  send: one message (type) of (len) bytes; (last): the connection ends
 *        after it. 1 when written whole, 0 when it waits to be written
 *        (console_pump again once it is), -1 when the connection is gone
 *        (the caller of console_pump or console_attach closes it).
 *  busy: a message waits to be written, or the connection ends.
 *  close: (r) failed while console.c pumped it on its own (a domain's
 *        output or boot changed): close its connection, which detaches
 *        it.
 */
struct console_ops {
    int (*send)(void *arg, struct console_reader *r, unsigned int type,
                const void *payload, size_t len, bool last);
    bool (*busy)(void *arg, struct console_reader *r);
    void (*close)(void *arg, struct console_reader *r);
};

/* One reader of a domain's console: where it is in which boot. */
struct console_reader {
    struct console_reader *next, *prev;
    const struct console_ops *ops;
    void *arg;
    struct mdom *md; /* NULL: not attached */
    unsigned int boot;
    uint64_t pos;
    uint64_t lost;
    bool repump; /* more output waits: pump again after this round */
};

/* The daemon's readers, and a watch per domain that has readers. */
struct consoles {
    int epfd; /* the daemon's loop, where the watches go */
    struct watch *watches;
    struct console_reader *readers;
};

/* console_init: (cs) empty, its watches to go into (epfd). */
void console_init(struct consoles *cs, int epfd);

/*
 * console_attach: (r) reads (md)'s console from its current boot's first
 * byte, through (ops) with (arg). console_attach, console_pump: false
 * when (r)'s connection must be closed (the caller does it: nothing here
 * frees a reader under its caller).
 */
bool console_attach(struct consoles *cs, struct console_reader *r,
                    struct mdom *md, const struct console_ops *ops, void *arg);
void console_detach(struct consoles *cs, struct console_reader *r);
bool console_pump(struct console_reader *r);

/* console_input: (len) bytes from (r) to its domain's console. */
void console_input(struct console_reader *r, const char *buf, size_t len);

/* console_watch_event: (w)'s domain wrote: its readers read. */
void console_watch_event(struct consoles *cs, struct watch *w);

/* console_changed: a boot began or ended: watches follow, readers read. */
void console_changed(struct consoles *cs);

/* console_readers: whether a reader reads (md). */
bool console_readers(struct consoles *cs, struct mdom *md);

/*
 * console_pending, console_repump: whether a reader had more to read
 * than one round took (the loop must not wait then), and another round
 * for those readers.
 */
bool console_pending(struct consoles *cs);
void console_repump(struct consoles *cs);

#endif /* PVHV_TOOLSTACK_PVHVD_CONSOLE_H */
