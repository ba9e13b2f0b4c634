/* SPDX-License-Identifier: MIT */
/* domain_xml.h: load a libvirt-style domain XML file into a domain_def. */
#ifndef PVHV_TOOLSTACK_DOMAIN_XML_H
#define PVHV_TOOLSTACK_DOMAIN_XML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvabi/limits.h"
#include "pvctl_error.h"

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

/*
 * domain_xml_load: reads (path), checks it against the schema and fills
 * (def). (path) is opened once, without blocking (a FIFO is refused, not
 * waited on), and must be a regular file. The schema DOMAIN_SCHEMA_FILE
 * is searched in the folders that domain_xml_schema_dirs lists. Returns 0;
 * -EINVAL when the file is not a valid domain (err: "file:line: <element>:
 * message; allowed: ...") or not a regular file; -EISDIR for a folder;
 * -errno from open when (path) cannot be read (EMFILE and ENFILE name the
 * limit); -ENOPKG when no schema is found (a broken installation: err
 * lists the paths tried); -ENOMEM.
 */
int domain_xml_load(const char *path, struct domain_def *def,
                    struct pvctl_error *err);

/*
 * domain_xml_load_from: as domain_xml_load, searching the schema in the
 * (ndirs) folders (dirs) only.
 */
int domain_xml_load_from(const char *path, const char *const *dirs,
                         size_t ndirs, struct domain_def *def,
                         struct pvctl_error *err);

/*
 * domain_xml_schema_dirs: fills (dirs) with up to (max) folders to search for
 * the schema, in order: $PVHV_DATADIR when set and not empty, the installed
 * PVHV_PKGDATADIR, then the source tree PVHV_SRCDATADIR. Returns the count.
 */
size_t domain_xml_schema_dirs(const char **dirs, size_t max);

/* domain_xml_action_name: "destroy", "restart" or "preserve". */
const char *domain_xml_action_name(enum domain_action action);

#endif /* PVHV_TOOLSTACK_DOMAIN_XML_H */
