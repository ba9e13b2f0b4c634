/* SPDX-License-Identifier: MIT */
/*
 * control.h: the control protocol of pvhvd, the hypervisor daemon, on its
 * UNIX socket (SOCK_STREAM; default PVHV_CONTROL_SOCKET). Domain control
 * (create, destroy, pause, ...) is not a guest hypercall: it is this.
 *
 * Every message is a struct pvhv_control_hdr and then (length) bytes of
 * payload, whose layout the type fixes (a struct below, of exactly that
 * size, or text where said). Integers are the host's byte order (the
 * socket is local). Strings are NUL-terminated within their arrays.
 *
 * Order:
 *  1. On accept, before reading anything, the daemon checks the peer's
 *     credentials (SO_PEERCRED): root, or a member of its group ("pvhv"
 *     by default). It then sends PVHV_CONTROL_HELLO: status 0 and struct
 *     pvhv_control_hello, or status -PVHV_CONTROL_EACCES with a message,
 *     and closes.
 *  2. The client sends one request; the daemon answers it with one reply
 *     (type | PVHV_CONTROL_REPLY) before it reads the next. A reply's
 *     status is 0 with the type's payload, or -PVHV_CONTROL_E* with a
 *     message for a person (text, no NUL, at most PVHV_CONTROL_TEXT_MAX).
 *  3. After a successful PVHV_CONTROL_CONSOLE reply (or CREATE with
 *     PVHV_CONTROL_CREATE_CONSOLE) the connection carries the console:
 *     PVHV_CONTROL_CONSOLE_DATA both ways (output to the client, input to
 *     the guest), and PVHV_CONTROL_CONSOLE_END when the boot ends. The
 *     client detaches by closing.
 *
 * A message that is malformed (bad magic, version, length for its type,
 * string not terminated, value out of range), larger than
 * PVHV_CONTROL_MSG_MAX, unknown, or out of order gets an error reply, or
 * the connection is closed when no reply can be framed (bad magic, too
 * long). A request whose bytes stop coming for PVHV_CONTROL_TIMEOUT_S
 * closes the connection. Nothing half-received has any effect.
 *
 * Descriptors: CREATE carries the domain's kernel and disk images as
 * SCM_RIGHTS on its first byte: kernel first, then one per disk in order,
 * then its initial ramdisk when it has one (initrd is not "").
 * The daemon opens no path for a client.
 */
#ifndef PVABI_CONTROL_H
#define PVABI_CONTROL_H

#include <stdint.h>

#include "pvabi/limits.h"

#define PVHV_CONTROL_MAGIC 0x64687670u /* "pvhd" */
#define PVHV_CONTROL_VERSION 2         /* bumped on any material change */
#define PVHV_CONTROL_SOCKET "/run/pvhv/pvhvd.sock"
#define PVHV_CONTROL_GROUP "pvhv"
#define PVHV_CONTROL_MSG_MAX 65536 /* header included */
#define PVHV_CONTROL_TEXT_MAX 1024 /* an error message */
#define PVHV_CONTROL_DATA_MAX 4096 /* one CONSOLE_DATA or DMESG piece */
#define PVHV_CONTROL_FDS_MAX 18 /* kernel + PVHV_CONTROL_DISKS_MAX + initrd */
#define PVHV_CONTROL_DISKS_MAX PVHV_MAX_DISKS
#define PVHV_CONTROL_TIMEOUT_S 10

struct pvhv_control_hdr {
    uint32_t magic;   /* PVHV_CONTROL_MAGIC */
    uint16_t version; /* PVHV_CONTROL_VERSION */
    uint16_t type;    /* PVHV_CONTROL_*, | PVHV_CONTROL_REPLY in replies */
    uint32_t length;  /* payload bytes after the header */
    int32_t status;   /* replies: 0 or -PVHV_CONTROL_E*; requests: 0 */
};

#define PVHV_CONTROL_REPLY 0x8000u

/*
 * `enum pvhv_control_type { // PVHV_CONTROL_* => payload of request / reply
 */
#define PVHV_CONTROL_HELLO 1   /* - / pvhv_control_hello (unasked) */
#define PVHV_CONTROL_CREATE 2  /* pvhv_control_create / pvhv_control_domain */
#define PVHV_CONTROL_LIST 3    /* pvhv_control_list / pvhv_control_list_reply */
#define PVHV_CONTROL_DESTROY 4 /* pvhv_control_select / pvhv_control_domain */
#define PVHV_CONTROL_SHUTDOWN                                                  \
    5                          /* pvhv_control_shutdown / pvhv_control_domain */
#define PVHV_CONTROL_PAUSE 6   /* pvhv_control_select / pvhv_control_domain */
#define PVHV_CONTROL_UNPAUSE 7 /* pvhv_control_select / pvhv_control_domain */
#define PVHV_CONTROL_CONSOLE 8 /* pvhv_control_select / pvhv_control_domain */
#define PVHV_CONTROL_CONSOLE_DATA 9 /* bytes (both ways, no reply) */
#define PVHV_CONTROL_CONSOLE_END 10 /* - / pvhv_control_console_end */
#define PVHV_CONTROL_DMESG 11       /* pvhv_control_select / text */
#define PVHV_CONTROL_INFO 12        /* - (empty) / pvhv_control_info */
#define PVHV_CONTROL_FIND 13  /* pvhv_control_select / pvhv_control_domain */
#define PVHV_CONTROL_TYPES 14 /* one past the last type */
/* } */

/*
 * Error codes: -status of a reply. The message says what and why; the
 * code says whose fault (string table: PVHV_CONTROL_ERROR_NAMES).
 */
#define PVHV_CONTROL_EPROTO 1   /* malformed message (length, string, value) */
#define PVHV_CONTROL_EVERSION 2 /* a protocol version this daemon lacks */
#define PVHV_CONTROL_ETYPE 3    /* unknown message type */
#define PVHV_CONTROL_EORDER 4   /* not expected now (a reply type, data ...) */
#define PVHV_CONTROL_ETOOBIG 5  /* longer than PVHV_CONTROL_MSG_MAX */
#define PVHV_CONTROL_EACCES 6   /* peer not root nor in the daemon's group */
#define PVHV_CONTROL_ENOENT 7   /* no such domain */
#define PVHV_CONTROL_EEXIST 8   /* a domain of that name or UUID exists */
#define PVHV_CONTROL_EINVAL 9   /* a value the hypervisor refuses */
#define PVHV_CONTROL_ESTATE 10  /* not in that state (pause a paused one) */
#define PVHV_CONTROL_EHOST 11   /* the host could not (memory, KVM, files) */
#define PVHV_CONTROL_ELIMIT 12  /* too many clients or domains */
#define PVHV_CONTROL_ENOTSUP 13 /* not served (the guest cannot hear it) */
#define PVHV_CONTROL_ERRORS 14
#define PVHV_CONTROL_ERROR_NAMES                                               \
    {                                                                          \
        "ok", "malformed message", "protocol version not served",              \
            "unknown message type", "message out of order",                    \
            "message too long", "permission denied", "no such domain",         \
            "domain exists", "invalid value", "not in that state",             \
            "host error", "limit reached", "not supported",                    \
    }

/* PVHV_CONTROL_HELLO: the daemon greets; the client checks the version. */
struct pvhv_control_hello {
    uint32_t version; /* PVHV_CONTROL_VERSION of the daemon */
    uint32_t pid;     /* the daemon's */
    uint32_t msg_max; /* PVHV_CONTROL_MSG_MAX */
    uint32_t pad;
};

/* A domain named by name, numeric id or UUID (8-4-4-4-12 hex). */
struct pvhv_control_select {
    char domain[64];
};

/* Actions on a domain's end (libvirt on_poweroff, on_reboot, on_crash). */
#define PVHV_CONTROL_ACTION_DESTROY 0
#define PVHV_CONTROL_ACTION_RESTART 1
#define PVHV_CONTROL_ACTION_PRESERVE 2

struct pvhv_control_disk {
    char vdev[8];     /* "xvda" ... */
    uint8_t readonly; /* 0 or 1 */
    uint8_t block;    /* 0: image file; 1: block device */
    uint8_t pad[6];
    char path[1024]; /* for messages only: the daemon never opens it */
};

/*
 * PVHV_CONTROL_CREATE: makes and starts a domain; the reply comes once
 * it runs (or, with PAUSED, once it is made, paused). Descriptors: the
 * kernel, then nr_disks images (see top). NOTES: 1. The client has
 * validated the domain's XML; the daemon checks every value again. 2. A
 * name or UUID in use is refused (EEXIST). 3. On any error nothing of
 * the domain is left. 4. CONSOLE switches the connection to the console
 * from the domain's first byte.
 */
#define PVHV_CONTROL_CREATE_PAUSED 1u
#define PVHV_CONTROL_CREATE_CONSOLE 2u
/* <os><type>hvm</type>: emulated PC only. */
#define PVHV_CONTROL_CREATE_HVM 4u
#define PVHV_CONTROL_EXEC_DEFAULT 0
#define PVHV_CONTROL_EXEC_NATIVE 1

struct pvhv_control_create {
    /* IN parameters */
    char name[64];
    uint8_t uuid[16];
    uint64_t memory;        /* bytes, a multiple of 4 KiB: the RAM */
    uint64_t target_memory; /* bytes the balloon keeps; 0: memory */
    uint32_t vcpus;         /* 1 ... 32 */
    uint32_t flags;         /* PVHV_CONTROL_CREATE_* */
    uint8_t on_poweroff, on_reboot, on_crash; /* PVHV_CONTROL_ACTION_* */
    uint8_t exec_mode;                        /* PVHV_CONTROL_EXEC_* */
    uint32_t max_grant_frames;                /* 0: default */
    uint32_t max_event_channels;              /* 0: default */
    uint32_t nr_disks;                        /* 0 ... PVHV_CONTROL_DISKS_MAX */
    char xml[1024];    /* for messages: the file it came from */
    char kernel[1024]; /* for messages: the kernel's path */
    char cmdline[4096];
    struct pvhv_control_disk disks[PVHV_CONTROL_DISKS_MAX];
    char initrd[1024]; /* for messages: its path; "": none */
};

/* States, as xl list shows them (r b p s c d). */
#define PVHV_CONTROL_STATE_RUNNING 0
#define PVHV_CONTROL_STATE_BLOCKED 1
#define PVHV_CONTROL_STATE_PAUSED 2
#define PVHV_CONTROL_STATE_SHUTDOWN 3
#define PVHV_CONTROL_STATE_CRASHED 4
#define PVHV_CONTROL_STATE_DYING 5
#define PVHV_CONTROL_STATES 6

/* One domain, as list, find and the domain verbs answer. */
struct pvhv_control_domain {
    /* OUT parameters */
    char name[64];
    uint8_t uuid[16];
    uint32_t domid;  /* of the current boot */
    uint32_t state;  /* PVHV_CONTROL_STATE_* */
    uint64_t memory; /* bytes */
    uint32_t vcpus;
    uint32_t boots;      /* 1, plus a restart each */
    uint64_t cpu_ns;     /* vCPU time of this boot */
    uint64_t created_ns; /* CLOCK_REALTIME when this boot was made */
    uint64_t exits;      /* of this boot */
    uint64_t hypercalls;
    uint64_t console_dropped;
    uint8_t on_poweroff, on_reboot, on_crash, exec_mode;
    uint32_t nr_disks;
    char end[64]; /* how the last boot ended; "" while it runs */
    char kernel[256];
    char cmdline[256]; /* cut to fit */
};

/* PVHV_CONTROL_LIST: the domains with id >= start, in id order. */
struct pvhv_control_list {
    uint32_t start;
    uint32_t pad;
};

#define PVHV_CONTROL_LIST_MAX 64 /* entries per reply */
struct pvhv_control_list_reply {
    uint32_t count; /* entries that follow */
    uint32_t next;  /* start of the next page; 0: this is the last */
    struct pvhv_control_domain domains[]; /* count of them */
};

/* PVHV_CONTROL_SHUTDOWN: control/shutdown; the guest decides. */
#define PVHV_CONTROL_SHUTDOWN_POWEROFF 0
#define PVHV_CONTROL_SHUTDOWN_REBOOT 1
struct pvhv_control_shutdown {
    struct pvhv_control_select sel;
    uint32_t reason; /* PVHV_CONTROL_SHUTDOWN_* */
    uint32_t pad;
};

/* PVHV_CONTROL_CONSOLE_END: the boot whose console this was ended. */
struct pvhv_control_console_end {
    uint32_t domid;
    uint32_t restarting; /* 1: a new boot follows (on_reboot=restart ...) */
    char end[64];        /* "poweroff", "crash", "destroyed", ... */
};

/* PVHV_CONTROL_INFO: the daemon and its hypervisor. */
struct pvhv_control_info {
    char version[32]; /* pvhv's */
    uint32_t pid;
    uint32_t domains;
    uint64_t started_ns;             /* CLOCK_REALTIME */
    uint64_t host_memory, host_free; /* bytes */
    uint32_t native_usable;
    uint32_t pad;
    char native_why[256];
};

#endif /* PVABI_CONTROL_H */
