/* SPDX-License-Identifier: MIT */
/* domain_def.h: a domain as its XML file describes it, values checked
 * (domain_xml.c loads it, domain_fields.c checks and fills it). */
#ifndef PVHV_TOOLSTACK_DOMAIN_DEF_H
#define PVHV_TOOLSTACK_DOMAIN_DEF_H

#include <stdbool.h>
#include <stdint.h>

#include "pvabi/limits.h"

/* The hypervisor's limits (pvabi/limits.h), under the toolstack's names. */
#define DOMAIN_NAME_MAX PVHV_DOMAIN_NAME_MAX /* characters */
#define DOMAIN_CMDLINE_MAX PVHV_CMDLINE_MAX  /* bytes, with the final NUL */
#define DOMAIN_PATH_MAX 4096                 /* bytes, with the final NUL */
#define DOMAIN_MEMORY_MAX PVHV_MEMORY_MAX    /* 1 TiB */
#define DOMAIN_PAGE_SIZE 4096ULL
#define DOMAIN_MAX_GRANT_FRAMES PVHV_MAX_GRANT_FRAMES
#define DOMAIN_MAX_EVENT_CHANNELS PVHV_MAX_EVENT_CHANNELS
#define DOMAIN_MAX_DISKS PVHV_MAX_DISKS
#define DOMAIN_VDEV_MAX 16 /* bytes of a disk name, with the NUL */
#define DOMAIN_SCHEMA_FILE "domain.rng"

/*
 * What pvctl does when a domain ends (libvirt on_poweroff and friends):
 * the numbers of PVHV_CONTROL_ACTION_* (pvabi/control.h).
 */
enum domain_action {
    DOMAIN_ACTION_DESTROY = 0,
    DOMAIN_ACTION_RESTART = 1,
    DOMAIN_ACTION_PRESERVE = 2, /* keep the ended domain until destroyed */
};

/*
 * A <disk type='file' device='disk'>, a raw image file, or a <disk
 * type='block'>, a block device, served as a PV disk.
 */
struct domain_disk {
    char path[DOMAIN_PATH_MAX]; /* <source file=''> or <source dev=''>,
                                 * resolved: absolute */
    char vdev[DOMAIN_VDEV_MAX]; /* <target dev=''>: xvda, hda, 51712, ... */
    uint32_t devid;             /* its device id (pvabi/io/vbd.h) */
    bool readonly;              /* <readonly/> */
    bool block;                 /* type='block': a block device */
    unsigned int source_line;   /* line of <source>, for later messages */
    unsigned int target_line;   /* line of <target> */
};

/* A domain as its XML file describes it, values checked. */
struct domain_def {
    char name[DOMAIN_NAME_MAX + 1];
    uint8_t uuid[16];
    bool uuid_generated;      /* no <uuid>: a random one was made */
    uint64_t memory;          /* <memory> in bytes, a 4 KiB multiple */
    uint64_t current_memory;  /* <currentMemory>, else memory: the RAM */
    unsigned int memory_line; /* line of <memory>, for later messages */
    unsigned int current_memory_line; /* of <currentMemory>; 0: absent */
    unsigned int vcpus;               /* <vcpu>: 1 ... PVHV_MAX_VCPUS */
    unsigned int vcpus_current;       /* <vcpu current=''>, else vcpus */
    bool placement_auto;              /* <vcpu placement='auto'> */
    char kernel[DOMAIN_PATH_MAX];     /* resolved: absolute */
    unsigned int kernel_line;         /* line of <kernel>, for later messages */
    char initrd[DOMAIN_PATH_MAX];     /* <initrd>, resolved; "" when absent */
    unsigned int initrd_line;
    char cmdline[DOMAIN_CMDLINE_MAX]; /* "" when absent */
    bool hvm; /* <os><type>hvm</type>: emulated hardware, no hypercalls */
    enum domain_action on_poweroff;  /* default destroy */
    enum domain_action on_reboot;    /* default restart */
    enum domain_action on_crash;     /* default destroy */
    bool console;                    /* <console type='pty'> (xen, port 0) */
    bool xenbus;                     /* <controller type='xenbus'> */
    unsigned int max_grant_frames;   /* 0: not given */
    unsigned int max_event_channels; /* 0: not given */
    struct domain_disk disks[DOMAIN_MAX_DISKS]; /* in document order */
    unsigned int nr_disks;
};
/* domain_action_name: "destroy", "restart" or "preserve" (domain_fields.c). */
const char *domain_action_name(enum domain_action action);

#endif /* PVHV_TOOLSTACK_DOMAIN_DEF_H */
