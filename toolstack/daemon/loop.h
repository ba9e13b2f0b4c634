/* SPDX-License-Identifier: MIT */
/* loop.h: pvhvd's epoll set and clock, for every part of the daemon. */
#ifndef PVHV_TOOLSTACK_PVHVD_LOOP_H
#define PVHV_TOOLSTACK_PVHVD_LOOP_H

#include <stdint.h>

/* What an epoll event is about: its data.ptr points to one of these. */
enum tag_kind { TAG_LISTEN, TAG_SIGNAL, TAG_WAKE, TAG_CLIENT, TAG_WATCH };
struct tag {
    enum tag_kind kind;
    void *ptr;
};

/* loop_watch: adds (fd) to (epfd) for (events), with (t); 0 or -errno. */
int loop_watch(int epfd, int fd, uint32_t events, struct tag *t);

/* loop_change: (fd), in (epfd) already, now waits for (events). */
int loop_change(int epfd, int fd, uint32_t events, struct tag *t);

/* loop_unwatch: (fd) out of (epfd), before it is closed. */
void loop_unwatch(int epfd, int fd);

/* loop_now_ns: CLOCK_MONOTONIC, which the daemon's deadlines count on. */
uint64_t loop_now_ns(void);

#endif /* PVHV_TOOLSTACK_PVHVD_LOOP_H */
