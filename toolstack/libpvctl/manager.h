/* SPDX-License-Identifier: MIT */
/* manager.h: domains over their lifecycle: boots, ends, actions, restarts. */
#ifndef PVHV_TOOLSTACK_MANAGER_H
#define PVHV_TOOLSTACK_MANAGER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pvabi/control.h"
#include "pvctl_error.h"
#include "pvhv.h"

/*
 * The manager keeps the domains of one hypervisor instance from their
 * creation to their end for good, for `pvctl run` (embedded) and pvhvd
 * alike: each domain is a record (struct mdom) made from a create request
 * (struct pvhv_control_create: plain data) and its descriptors, and a
 * thread that boots it, waits for its end and applies <on_poweroff>,
 * <on_reboot> or <on_crash>: destroy (the record ends), restart (a new
 * boot: same name, UUID and files, a new id), preserve (the ended boot is
 * kept, shut down or crashed, until destroyed).
 *
 * One thread, the owner, makes, finds, acts on and frees records; the
 * records' threads only boot them. A record is freed only by the owner
 * (manager_remove), so a pointer the owner holds stays valid.
 */
struct manager;
struct mdom;

/* The exit statuses the end of a record comes to (pvctl(1)). */
enum manager_code {
    MANAGER_OK = 0,          /* powered off (or rebooted, destroyed) */
    MANAGER_CRASH = 1,       /* crashed, or would restart too often */
    MANAGER_HOST = 3,        /* could not be created or run */
    MANAGER_INTERRUPTED = 4, /* destroyed by the toolstack */
};

struct manager_opts {
    struct pvhv *hv;
    unsigned long max_restarts; /* per record; ULONG_MAX: no limit */
    bool stats;                 /* say each record's counts at its end */
    size_t console_buffer;      /* kept console output per boot (0: none) */
    size_t log_buffer;          /* kept log per boot (0: none) */
    /*
     * say: a line (several, for a crash's registers) for the user, without
     * "pvctl: " and the final newline; (status) lines are the ones
     * `pvctl run --quiet` leaves out. changed: a record's boot began or
     * ended, or its thread ended (mdom_done). Both run on records'
     * threads and the owner's.
     */
    void (*say)(void *opaque, bool status, const char *text);
    void (*changed)(void *opaque, struct mdom *md);
    void *opaque;
};

/*
 * A record's console, where output is not only kept (console_buffer):
 * (write) as pvhv_domain_config.console (NULL: stdout), (flush) called
 * when a boot's vCPUs are gone.
 */
struct mdom_console {
    void (*write)(void *opaque, const char *buf, size_t len);
    void (*flush)(void *opaque);
    void *opaque;
};

/* manager_new: a manager with (o) (copied). NULL when out of memory. */
struct manager *manager_new(const struct manager_opts *o);

/* manager_free: frees (m), which must hold no record. */
void manager_free(struct manager *m);

/*
 * manager_add: makes the record of (spec), checked with
 * control_create_check, and its first boot, not started: the kernel is
 * (fds)[0], disk i is (fds)[1 + i]; the record owns them (closes them when
 * freed) if (own_fds). Refuses a name or UUID in use. Returns 0 and the
 * record in (*out), or -PVHV_CONTROL_E* with (err) naming the problem
 * (EEXIST, EINVAL: the hypervisor refused a value, EHOST: the host could
 * not, the message saying why); nothing is left then (own fds closed).
 */
int manager_add(struct manager *m, const struct pvhv_control_create *spec,
                const int *fds, unsigned int nfds, bool own_fds,
                const struct mdom_console *con, struct mdom **out,
                struct pvctl_error *err);

/*
 * manager_start: starts (md)'s thread, which boots it (paused, if
 * (paused)) and goes on until it ends for good; returns once the first
 * boot has started or failed to. Returns 0, or -PVHV_CONTROL_EHOST (the
 * record then ends at once; err says why).
 */
int manager_start(struct manager *m, struct mdom *md, bool paused,
                  struct pvctl_error *err);

/*
 * manager_remove: frees (md): its thread must have ended (mdom_done), or
 * never started. A first boot never started is destroyed.
 */
void manager_remove(struct manager *m, struct mdom *md);

/* manager_find: the record (sel) names (resolve.h rules), or NULL. */
struct mdom *manager_find(struct manager *m, const char *sel);

/* manager_count: how many records (m) holds. */
unsigned int manager_count(struct manager *m);

/*
 * manager_each: calls (fn) for every record, in domain id order, from
 * the first whose id is at least (start); stops when (fn) returns false.
 */
void manager_each(struct manager *m, uint32_t start,
                  bool (*fn)(void *ctx, struct mdom *md), void *ctx);

/* mdom_done: (md)'s thread has ended: it is ready for manager_remove. */
bool mdom_done(struct mdom *md);

/* mdom_code, mdom_summary: how (md) ended, once done (manager_code). */
int mdom_code(struct mdom *md);
const char *mdom_summary(struct mdom *md);

/* mdom_name, mdom_id: its name; the id of its current (or last) boot. */
const char *mdom_name(struct mdom *md);
unsigned int mdom_id(struct mdom *md);

/* mdom_describe: (md) now, as list shows it. */
void mdom_describe(struct mdom *md, struct pvhv_control_domain *out);

/*
 * mdom_shutdown: asks (md)'s running boot to power off or reboot
 * ((reason) "poweroff", "reboot") through control/shutdown; (ending)
 * also marks it as ending for good (no restart). Returns 1 when a boot
 * was asked, 0 when none runs, -EOPNOTSUPP (not ending) when its guest
 * cannot hear the request (pvhv_domain_hears_shutdown), or -errno
 * (reported).
 */
int mdom_shutdown(struct mdom *md, const char *reason, bool ending);

/*
 * mdom_destroy: ends (md) for good: its running or preserved boot is
 * stopped at once. Returns 1 when one was, else 0.
 */
int mdom_destroy(struct mdom *md);

/*
 * mdom_pause / mdom_unpause: pvhv_domain_pause of its running boot.
 * Return 0, or -PVHV_CONTROL_ESTATE (no running boot, already paused /
 * not paused).
 */
int mdom_pause(struct mdom *md);
int mdom_unpause(struct mdom *md);

/*
 * mdom_console_fd: a duplicate (the caller's to close) of the kept
 * console's eventfd of the current boot (pvhv_console_fd), its id in
 * (*id); -1 when no boot with a kept console exists.
 */
int mdom_console_fd(struct mdom *md, unsigned int *id);

/*
 * mdom_console_read: pvhv_console_read of boot (id), if it is still the
 * current one, or of what the last boot that ended left, if (id) was
 * that one; (*ended) says that the boot has ended and (*pos) is past its
 * last byte. Returns the bytes copied, or 0.
 */
size_t mdom_console_read(struct mdom *md, unsigned int id, uint64_t *pos,
                         char *buf, size_t len, uint64_t *lost, bool *ended);

/* mdom_console_input: pvhv_console_input of the running boot (-ENODEV). */
int mdom_console_input(struct mdom *md, const char *buf, size_t len);

/*
 * mdom_dmesg: the kept log of the current boot, its last (len) bytes at
 * most, into (buf). Returns the bytes.
 */
size_t mdom_dmesg(struct mdom *md, char *buf, size_t len);

/* mdom_preserved: its last boot ended and is kept (<on_*>preserve). */
bool mdom_preserved(struct mdom *md);

/*
 * mdom_boot_end: how boot (id) of (md) ended ("poweroff", "crash", ...;
 * "destroyed" when not known), into (buf) of (len) bytes.
 */
void mdom_boot_end(struct mdom *md, unsigned int id, char *buf, size_t len);

/* mdom_stats: the counts of every boot that ended, summed (--stats). */
void mdom_stats(struct mdom *md, struct pvhv_stats *st);

#endif /* PVHV_TOOLSTACK_MANAGER_H */
