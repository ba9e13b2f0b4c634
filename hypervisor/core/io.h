/* SPDX-License-Identifier: MIT */
/* io.h: a domain's I/O port and MMIO ranges, each served by one handler. */
#ifndef PVHV_CORE_IO_H
#define PVHV_CORE_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct domain;
struct vcpu;

/* The address spaces through which a guest reaches devices. */
enum io_space {
    IO_SPACE_PORT, /* x86 I/O ports, 0 to 0xffff */
    IO_SPACE_MMIO, /* guest-physical addresses outside RAM and the window */
    IO_SPACES,
};

/*
 * io_fn: serves one access of (len) bytes (1, 2, 4 or 8) at (addr), the
 * port number or guest-physical address itself (not an offset), for vCPU
 * (v): a write of (data) when (is_write), else a read that fills (data).
 * One handler serves both directions (kvmtool's mmio_handler_fn); a
 * string instruction calls it once per element. (opaque) is what
 * io_register was given. Returns true if it served the access; false
 * refuses it (a size or direction the device does not decode), and the
 * access then gets the unclaimed policy (io_access). Runs on (v)'s vCPU
 * thread in its exit: it must not wait for another domain.
 */
typedef bool (*io_fn)(struct vcpu *v, uint64_t addr, uint8_t *data,
                      unsigned int len, bool is_write, void *opaque);

struct io_range {
    uint64_t base, len;
    io_fn fn;
    void *opaque;
};

/* Ranges per space and domain: room for a PC's legacy devices. */
#define IO_RANGES_MAX 32

/*
 * One space's ranges, disjoint and sorted by base, so that an exit finds
 * its range by binary search: no allocation, no lock. Zero-initialised is
 * empty. It changes only while no vCPU of its domain runs.
 */
struct io_table {
    unsigned int n;
    struct io_range range[IO_RANGES_MAX];
};

/*
 * io_register: (fn) with (opaque) serves [base, base + len) of (space) in
 * (d) (kvmtool's kvm__register_pio). Only before the domain starts (or
 * after its vCPU threads have ended): the exit path reads the table
 * without a lock. Returns 0; -EINVAL for an empty range, one that wraps,
 * ports beyond 0xffff, an address beyond 2^52, an unknown space or no
 * (fn); -EEXIST when the range overlaps a registered one or, for MMIO,
 * the domain's RAM or grant window (KVM serves those as memory, so a
 * device there would never see a read); -ENOSPC with IO_RANGES_MAX
 * ranges registered; -EBUSY while the domain runs.
 */
int io_register(struct domain *d, enum io_space space, uint64_t base,
                uint64_t len, io_fn fn, void *opaque)
    __attribute__((warn_unused_result));

/*
 * io_unregister: removes the range of (space) in (d) that starts at
 * (base), under the same condition as io_register. Returns 0, -ENOENT
 * when no range starts there, -EINVAL for an unknown space, -EBUSY while
 * the domain runs.
 */
int io_unregister(struct domain *d, enum io_space space, uint64_t base);

/*
 * io_access: (count) accesses of (len) bytes at (addr) of (space) by (v),
 * writes of (data) or reads into it (len * count bytes). The range that
 * holds (addr) serves them; where none does, or its handler refuses, the
 * rest get the unclaimed policy, the same in both spaces: reads return
 * all ones, writes are dropped, and a rate-limited warning names the
 * access (gdprintk). A guest probing for absent hardware carries on.
 */
void io_access(struct vcpu *v, enum io_space space, uint64_t addr,
               uint8_t *data, unsigned int len, unsigned int count,
               bool is_write);

/*
 * io_irq_line: sets ISA interrupt line (irq) of (d) to (level), for the
 * emulated device that drives it (the platform's interrupt controllers
 * deliver it: platform_irq_line). Returns 0, -EINVAL for a line out of
 * range (a warning names it and the domain), -ENODEV for a domain
 * without interrupt controllers (a PV domain), or -errno.
 */
int io_irq_line(struct domain *d, unsigned int irq, bool level);

/* ---- Devices ---------------------------------------------------------- */

/*
 * A device, described at the end of the file that serves it (bhyve's
 * pci_devemu): its (name), the range [base, base + len) of (space) that
 * (access) serves, and (state_size) bytes of state per domain (bhyve's
 * softc), zeroed when the device is attached and given to (access) as its
 * opaque; 0 for a device without state (opaque NULL).
 */
struct io_device {
    const char *name;
    enum io_space space;
    uint64_t base, len;
    io_fn access;
    size_t state_size;
};

/*
 * io_device_attach: gives (d) the device (dev): its state and its range,
 * under io_register's conditions. Returns 0, -ENOMEM, or io_register's
 * error. io_device_detach: takes it away again and frees its state;
 * nothing happens if (dev) is not attached to (d).
 */
int io_device_attach(struct domain *d, const struct io_device *dev)
    __attribute__((warn_unused_result));
void io_device_detach(struct domain *d, const struct io_device *dev);

/* The devices of every domain (core/domain_build.c lists them). */
extern const struct io_device debug_port_device;  /* debug_port.c */
extern const struct io_device boot_marker_device; /* boot_marker.c */

#endif /* PVHV_CORE_IO_H */
