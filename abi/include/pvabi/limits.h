/* SPDX-License-Identifier: MIT */
/* limits.h: the most a domain may have, in the hypervisor and its API. */
#ifndef PVABI_LIMITS_H
#define PVABI_LIMITS_H

/*
 * One place for every limit: the hypervisor refuses a domain over them,
 * the toolstack's XML parser and the control protocol check them before
 * asking it, and pvctl.1 and ABI.md quote them.
 */
#define PVHV_MAX_VCPUS 32            /* per domain */
#define PVHV_MAX_DISKS 16            /* per domain */
#define PVHV_MAX_GRANT_FRAMES 63     /* per domain */
#define PVHV_MAX_EVENT_CHANNELS 4095 /* per domain: the 2-level ABI's ports */
#define PVHV_DOMAIN_NAME_MAX 63      /* characters of a domain's name */
#define PVHV_CMDLINE_MAX 4096        /* bytes of a command line, with its NUL */
#define PVHV_MEMORY_MAX (1ULL << 40) /* bytes of a domain's RAM: 1 TiB */
#define PVHV_CONSOLE_BUFFER_MAX (16u << 20) /* bytes of kept console or log */

#endif /* PVABI_LIMITS_H */
