/* SPDX-License-Identifier: MIT */
/* backend.h: PV backends the hypervisor serves as domain 0 (console, vbd). */
#ifndef PVHV_BACKENDS_BACKEND_H
#define PVHV_BACKENDS_BACKEND_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/device_types.h"
#include "pvabi/io/xenbus.h"

struct domain;
struct domain_config;
struct pvhv_error;
struct xenstore_watch;
struct xencons_interface;
struct xenbus_dev;

/*
 * A backend is a module (Solo5 hvt_module_ops): what one kind of device
 * does at each point of its life. The xenbus handshake that calls
 * connect and disconnect is xenbus.c's table, common to all.
 *
 * setup: makes the instance for (dev) from the domain's configuration
 * (priv already set by the caller) and publishes the backend's keys;
 * may refuse with (err) filled. Runs while the domain is built.
 * connect: the frontend is ready: reads its keys, attaches the ring and
 * the port. Returns 0 or -errno (the device then goes Closing).
 * disconnect: detaches ring and port; the instance stays, ready for a
 * later connect. Safe when not connected.
 * release: frees the instance; no callback runs any more.
 */
struct backend_ops {
    const char *name; /* XenStore device type: "vbd", ... */
    int (*setup)(struct xenbus_dev *dev, struct pvhv_error *err);
    int (*connect)(struct xenbus_dev *dev);
    void (*disconnect)(struct xenbus_dev *dev);
    void (*release)(struct xenbus_dev *dev);
};

/* One split device of a domain and its side of the handshake. */
struct xenbus_dev {
    struct domain *d; /* the frontend's domain */
    const struct backend_ops *ops;
    unsigned int devid;
    char fe_path[80];        /* /local/domain/<D>/device/<type>/<id> */
    char be_path[96];        /* /local/domain/0/backend/<type>/<D>/<id> */
    pthread_mutex_t lock;    /* serialises handshake transitions */
    enum xenbus_state state; /* ours, as published in be_path/state */
    struct xenstore_watch *watch;
    void *priv; /* the backend's instance */
};

/* Per domain: d->backends. */
struct backend_list {
    struct console_back *console;
    struct xenbus_dev *devs[16]; /* PVHV_MAX_DISKS */
    unsigned int nr_devs;
};

/* The backends, as device kinds the domain build attaches
 * (core/device_types.h), rows of pvhv.c's backend_types[]. */
extern const struct device_type console_backend; /* console.c */
extern const struct device_type vbd_backend;     /* blkback.c */

/* Their attach and detach: */

/*
 * step_console: the PV console, for the device list's "console" entry
 * (pvhv.c lists one for every PV domain; a second is refused): binds a host
 * port to a new guest port (HVM_PARAM_CONSOLE_EVTCHN), clears the ring page at
 * HVM_PARAM_CONSOLE_PFN and writes /local/domain/<D>/console/{ring-ref,
 * port, type, limit, output}. Needs "events" and "xenstore".
 * unstep_console: closes it and frees d->backends.
 */
int step_console(struct domain *d, const struct domain_config *cfg,
                 struct pvhv_error *err);
void unstep_console(struct domain *d);

/*
 * step_disks: one vbd per "vbd" entry of the device list (blkback.c), in
 * list order: checks the image's descriptor, keeps a duplicate of it,
 * locks the image (disk_lock.c) and publishes the device; the guest finds
 * it in InitWait. Needs the console (d->backends), "xenstore" and
 * "grants". unstep_disks: detaches, unlocks and closes them all, removing
 * their XenStore directories.
 */
int step_disks(struct domain *d, const struct domain_config *cfg,
               struct pvhv_error *err);
void unstep_disks(struct domain *d);

/* xenbus.c: the device lifecycle shared by every backend. */

/*
 * xenbus_dev_create: makes the device (type ops->name, (devid)) of (d)
 * with instance (priv): creates the frontend directory (owned by the
 * guest, readable by domain 0: backend, backend-id, state = 1) and the
 * backend one (owned by domain 0, readable by the guest: frontend,
 * frontend-id, state = 1), runs ops->setup, goes InitWait and watches the
 * frontend's state. Returns 0 and the device in (*out), or -errno with
 * (err) filled (ops->release has then run).
 */
int xenbus_dev_create(struct domain *d, const struct backend_ops *ops,
                      unsigned int devid, void *priv, struct xenbus_dev **out,
                      struct pvhv_error *err);

/*
 * xenbus_dev_destroy: stops watching, disconnects, removes both
 * directories, runs ops->release and frees (dev). NULL is fine.
 */
void xenbus_dev_destroy(struct xenbus_dev *dev);

/*
 * xenbus_dev_printf: writes printf-style (fmt) to <be_path>/<key>.
 * xenbus_dev_read_uint: reads <fe_path>/<key> as a decimal number fitting
 * (max). Both return 0 or -errno (-EINVAL: not a number in range).
 */
int xenbus_dev_printf(struct xenbus_dev *dev, const char *key, const char *fmt,
                      ...) __attribute__((format(printf, 3, 4)));
int xenbus_dev_read_uint(struct xenbus_dev *dev, const char *key, uint64_t max,
                         uint64_t *val);

/*
 * xenbus_next_state: the handshake table. For our state (be) and the
 * frontend's (fe): whether to connect or disconnect first, and the state
 * to go to. Returns false when the pair needs nothing. Exposed for tests.
 */
enum xenbus_action { XB_NONE, XB_CONNECT, XB_DISCONNECT };
bool xenbus_next_state(enum xenbus_state be, enum xenbus_state fe,
                       enum xenbus_action *action, enum xenbus_state *next);

/* console.c: the console ring itself, pure, for the backend and tests. */

/*
 * console_ring_take: copies up to (cap) bytes the guest queued in out[]
 * of (intf) to (buf) and frees them in the ring. Returns the count, or
 * -EIO when out_prod - out_cons exceeds the ring (a broken guest).
 * console_ring_put: queues up to (len) bytes of (buf) in in[] for the
 * guest. Returns how many fit, or -EIO likewise.
 */
int console_ring_take(struct xencons_interface *intf, char *buf, size_t cap);
int console_ring_put(struct xencons_interface *intf, const char *buf,
                     size_t len);

/*
 * console_backend_input: queues (len) bytes of input for (d)'s console
 * (pvctl console, later); the console's worker moves them into in[] as
 * room allows and notifies the guest (1 KiB may wait). Returns the bytes
 * queued (fewer when 1 KiB waits already), -ENODEV without a console, -EIO when
 * the guest broke the ring. Any thread.
 */
int console_backend_input(struct domain *d, const char *buf, size_t len);

#endif /* PVHV_BACKENDS_BACKEND_H */
