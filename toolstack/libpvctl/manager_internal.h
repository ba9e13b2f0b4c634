/* SPDX-License-Identifier: MIT */
/* manager_internal.h: what manager.c and manager_boot.c share. */
#ifndef PVHV_TOOLSTACK_MANAGER_INTERNAL_H
#define PVHV_TOOLSTACK_MANAGER_INTERNAL_H

#include "manager.h"

struct manager {
    struct manager_opts o;
    struct mdom *list; /* the owner's; records' threads never walk it */
    unsigned int count;
};

struct mdom {
    struct manager *m;
    struct mdom *next;
    struct pvhv_control_create spec;
    int fds[PVHV_CONTROL_FDS_MAX];
    unsigned int nfds;
    bool own_fds;
    struct pvhv_disk disks[PVHV_CONTROL_DISKS_MAX];
    struct mdom_console con;
    pthread_t thread;
    bool thread_started;
    bool paused_start; /* the first boot starts paused */

    pthread_mutex_t lock;
    pthread_cond_t cond; /* started, stop, done */
    struct domain *d;    /* the boot between create and destroy */
    unsigned int id;     /* of the current (or last) boot */
    bool stop;           /* ending for good: never boot again */
    bool preserved;      /* d has ended, kept until stop */
    bool started;        /* the first boot started, or failed to */
    bool done;           /* the thread has ended */
    int start_rc;        /* of the first boot: 0 or -errno */
    char start_err[PVHV_ERR_MAX];
    unsigned long boots;
    uint64_t created_ns; /* CLOCK_REALTIME of the current boot */
    char end[64];        /* how the last boot ended */
    struct pvhv_stats total;
    /* The kept output of the last boot that ended, for its readers. */
    struct {
        char *data;
        uint64_t start; /* position of data[0] */
        size_t len;
        unsigned int id; /* 0: none */
        char end[64];    /* how it ended */
    } last;

    /* Written by the thread, read once done. */
    int code;
    char summary[PVHV_ERR_MAX + 64];
};

/* manager_boot.c: the record's thread. */
void *mdom_thread(void *opaque);

/*
 * mdom_create_boot: makes the next boot of (md), not started, published
 * in md->d unless (md) is ending. Returns 0, 1 when ending, -errno with
 * (err) set (and said, and the summary set).
 */
int mdom_create_boot(struct mdom *md, struct pvhv_error *err);

/* mdom_say: a line through the manager's say, printf-style. */
void mdom_say(struct manager *m, bool status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* PVHV_TOOLSTACK_MANAGER_INTERNAL_H */
