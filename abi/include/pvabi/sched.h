/* SPDX-License-Identifier: MIT */
/* sched.h: sched_op(cmd, arg): yield, block, shutdown, poll. */
#ifndef PVABI_SCHED_H
#define PVABI_SCHED_H

#include <stdint.h>
#include "xen.h"

/* SCHEDOP_yield: arg unused; gives up the physical CPU. Returns 0. */
#define SCHEDOP_yield 0

/* SCHEDOP_block: arg unused; sleeps until an event is pending. */
#define SCHEDOP_block 1

/*
 * SCHEDOP_shutdown: IN struct sched_shutdown. Stops the whole domain; the
 * toolstack acts on `reason` (SHUTDOWN_*) as the domain's configuration
 * says. Does not return, except with -XEN_EINVAL for an unknown reason or
 * -XEN_EFAULT for a bad arg.
 */
#define SCHEDOP_shutdown 2
struct sched_shutdown {
    uint32_t reason; /* IN: SHUTDOWN_* */
};

/* SCHEDOP_poll: IN struct sched_poll; blocks until a port is pending. */
#define SCHEDOP_poll 3
struct sched_poll {
    uint64_t ports;    /* IN: guest address of evtchn_port_t[nr_ports] */
    uint32_t nr_ports; /* IN */
    uint64_t timeout;  /* IN: absolute system time in ns; 0 = none */
};

#define SCHEDOP_remote_shutdown 4
struct sched_remote_shutdown {
    domid_t domain_id; /* IN */
    uint32_t reason;   /* IN: SHUTDOWN_* */
};

#define SCHEDOP_shutdown_code 5
#define SCHEDOP_watchdog 6
#define SCHEDOP_pin_override 7

/* Shutdown reasons. */
#define SHUTDOWN_poweroff 0 /* clean stop */
#define SHUTDOWN_reboot 1   /* clean stop, start again */
#define SHUTDOWN_suspend 2
#define SHUTDOWN_crash 3 /* the guest found itself broken */
#define SHUTDOWN_watchdog 4
#define SHUTDOWN_soft_reset 5
#define SHUTDOWN_MAX 5

#endif /* PVABI_SCHED_H */
