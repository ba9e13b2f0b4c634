/* SPDX-License-Identifier: MIT */
/* loop.c: pvhvd's epoll set: descriptors in and out, and its clock. */
#include <errno.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <time.h>

#include "loop.h"

int loop_watch(int epfd, int fd, uint32_t events, struct tag *t)
{
    struct epoll_event ev = {.events = events, .data.ptr = t};

    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == 0 ? 0 : -errno;
}

int loop_change(int epfd, int fd, uint32_t events, struct tag *t)
{
    struct epoll_event ev = {.events = events, .data.ptr = t};

    return epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev) == 0 ? 0 : -errno;
}

void loop_unwatch(int epfd, int fd)
{
    epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
}

uint64_t loop_now_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}
