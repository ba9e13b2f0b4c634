/* SPDX-License-Identifier: MIT */
/* emulated.h: the emulated PC hardware of an hvm domain, one device per file.
 */
#ifndef PVHV_EMULATED_EMULATED_H
#define PVHV_EMULATED_EMULATED_H

#include <stddef.h>

#include "core/io.h"
#include "emulated/ata.h"
#include "emulated/doorbell.h"
#include "emulated/rtc.h"
#include "emulated/uart16550.h"
#include "host/worker.h"

struct domain;
struct domain_config;
struct pvhv_error;
struct disk_lock;

/* The state of an hvm domain's devices; each device's access gets it. */
struct emulated {
    struct domain *domain;
    struct uart16550 uart;
    struct ata_channel ata;
    struct cmos_rtc rtc;
    struct doorbell doorbell;
    int fd[2]; /* the ATA drives' images, our duplicates */
    struct disk_lock *lock[2];
    struct worker ata_worker; /* does the channel's disk I/O (ata_serve) */
};

/*
 * ata_io_init: the primary channel's drives from (cfg)'s "ata" devices
 * (master, slave; at most 2), each a duplicate of its descriptor, locked
 * (disk_lock.h), and the worker thread that does their I/O. The engine
 * is io_uring unless PVHV_BLK_ENGINE=sync (as for blkback); a vCPU waits
 * for the worker up to PVHV_ATA_WAIT_US microseconds (default
 * ATA_WAIT_US) after a command and in a status read while BSY. Returns 0
 * or -errno with (err) naming the disk or the variable. ata_io_fini:
 * stops the worker (what is in flight ends first), closes them. (ata_io.c)
 */
#define ATA_WAIT_US 10000
#define ATA_WAIT_US_MAX 1000000
int ata_io_init(struct emulated *e, const struct domain_config *cfg,
                struct pvhv_error *err);
void ata_io_fini(struct emulated *e);

/*
 * doorbell_attach: (e)'s doorbell, its rings going to other domains' and
 * its line ISA IRQ 10 of (e)'s domain. doorbell_fini frees it. (doorbell.c)
 */
void doorbell_attach(struct emulated *e);

/*
 * emulated_pc: the device kind (core/device_types.h) of an hvm domain's
 * PC hardware: its attach registers the emulated_devices table of
 * emulated.c (one row each) in the domain's I/O table, or refuses with
 * (err) naming the device; detach undoes it.
 */
extern const struct device_type emulated_pc;

/*
 * emulated_console_input: (len) bytes typed on (d)'s console, for its
 * UART to receive. Returns how many it took, -ENODEV for a PV domain.
 */
int emulated_console_input(struct domain *d, const char *buf, size_t len);

/* The devices, described at the end of their files (opaque: struct emulated).
 */
extern const struct io_device uart16550_device;  /* uart16550_io.c */
extern const struct io_device debug_exit_device; /* debug_exit.c */
extern const struct io_device ata_cmd_device;    /* ata_io.c */
extern const struct io_device ata_ctl_device;    /* ata_io.c */
extern const struct io_device ata_bm_device;     /* ata_io.c */
extern const struct io_device cmos_rtc_device;   /* rtc.c */
extern const struct io_device doorbell_device;   /* doorbell.c */

/*
 * acpi_pc_write (acpi_pc.c): the ACPI tables of hvm domain (d) at 0xe0000
 * (its CPUs, the I/O APIC, the 8259s), named in its hvm_start_info when
 * it booted the PVH way. Returns 0, or -ENOSPC / -EINVAL (noted in the
 * domain's log) where they cannot be written.
 */
int acpi_pc_write(struct domain *d);

#endif /* PVHV_EMULATED_EMULATED_H */
