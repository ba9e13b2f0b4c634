/* SPDX-License-Identifier: MIT */
/* fuzz_xenbus.c: fuzz target: a frontend's XenStore writes driving a vbd's
 * xenbus handshake. */
#define _GNU_SOURCE /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../fuzz_domain.h"
#include "backends/backend.h"
#include "core/xenstore/xenstore.h"
#include "pvabi/io/xenbus.h"
#include "pvhv.h"

/*
 * Guest 1 gets one vbd, xvda, through the real build step (step_disks:
 * its XenStore directories, the InitWait state, the watch on the
 * frontend's state), over a memfd disk. Then the input is records, at
 * most 64:
 *   uint8_t key; uint8_t len; char value[len];
 * key % 8: 0..3 write the frontend key state, ring-ref, event-channel or
 * protocol (values are written as text, as a guest writes them); 4
 * removes state; 5 removes the whole frontend directory; 6 writes value
 * into the ring page at offset 16 * value[0] (the frontend queueing
 * requests before it connects); 7 writes feature-persistent. A valid
 * ring exists for the finding: grant ref RING_REF (writable, guest
 * frame 1) and an unbound port offered to domain 0. At the end the
 * backend state must be one of the XenbusState values; after the device
 * is destroyed, no grant may stay mapped.
 */
#define RING_REF FUZZ_GRANTS
#define RING_GFN 1
#define MAX_RECORDS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const keys[] = {"state", "ring-ref", "event-channel",
                                   "protocol"};

static int disk_fd(void)
{
    static int fd = -1;

    if (fd < 0) {
        fd = memfd_create("fuzz-xenbus-disk", MFD_CLOEXEC);
        if (fd < 0 || ftruncate(fd, 64 * 512) < 0)
            abort();
    }
    return fd;
}

static void apply(struct xenstore *xs, struct domain *d, const char *fe,
                  uint8_t key, const char *value, size_t len)
{
    char path[160];

    switch (key % 8) {
    case 4:
        snprintf(path, sizeof(path), "%s/state", fe);
        xenstore_rm(xs, path);
        return;
    case 5:
        xenstore_rm(xs, fe);
        return;
    case 6:
        if (len > 0) {
            size_t off = (size_t)(uint8_t)value[0] * 16;
            size_t n = len < 4096 - off ? len : 4096 - off;

            memcpy(d->ram.host + RING_GFN * 4096 + off, value, n);
        }
        return;
    case 7:
        snprintf(path, sizeof(path), "%s/feature-persistent", fe);
        break;
    default:
        snprintf(path, sizeof(path), "%s/%s", fe, keys[key % 8]);
        break;
    }
    xenstore_write(xs, path, value);
}

/* The backend publishes only XenbusState values. */
static void check_state(struct xenstore *xs, const char *be)
{
    char path[160], *v;

    snprintf(path, sizeof(path), "%s/state", be);
    if (xenstore_read(xs, path, &v, NULL) != 0)
        abort();
    long s = strtol(v, NULL, 10);
    if (s < XenbusStateUnknown || s > XenbusStateReconfigured) {
        fprintf(stderr, "fuzz: backend state '%s'\n", v);
        abort();
    }
    free(v);
}

static void run_records(struct fuzz_world *w, struct xenbus_dev *dev,
                        const uint8_t *data, size_t size)
{
    char fe[sizeof(dev->fe_path)], value[256];
    size_t off = 0;

    memcpy(fe, dev->fe_path, sizeof(fe));
    for (unsigned int n = 0; n < MAX_RECORDS && size - off >= 2; n++) {
        uint8_t key = data[off], len = data[off + 1];

        off += 2;
        if (len > size - off)
            len = (uint8_t)(size - off);
        memcpy(value, data + off, len);
        value[len] = '\0';
        off += len;
        apply(w->hv.xs, w->guest, fe, key, value, len);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_world w;
    struct evtchn_alloc_unbound op = {.dom = DOMID_SELF, .remote_dom = 0};
    struct domain_device disk = {.type = "vbd",
                                 .origin = "fuzz",
                                 .file = pvhv_file_fd(disk_fd(), "fuzz.img"),
                                 .params.disk = {.vdev = "xvda"}};
    struct domain_config cfg = {.devices = &disk, .nr_devices = 1};
    struct pvhv_error err = {""};
    struct domain *d;

    fuzz_world_init(&w);
    d = w.guest;
    if (xenstore_create(&w.hv.xs) != 0 ||
        xenstore_domain_introduce(w.hv.xs, d->domid, d->name,
                                  (const uint8_t[16]){0}) != 0)
        abort();
    fuzz_grant(d, RING_REF, RING_GFN, false);
    if (evtchn_alloc_unbound(d, &op) != 0)
        abort();
    d->backends = calloc(1, sizeof(*d->backends));
    if (!d->backends || step_disks(d, &cfg, &err) != 0) {
        fprintf(stderr, "fuzz: step_disks: %s\n", err.msg);
        abort();
    }
    run_records(&w, d->backends->devs[0], data, size);
    check_state(w.hv.xs, d->backends->devs[0]->be_path);

    unstep_disks(d);
    fuzz_no_grant_in_use(d);
    free(d->backends);
    d->backends = NULL;
    xenstore_domain_release(w.hv.xs, d->domid);
    xenstore_destroy(w.hv.xs);
    fuzz_world_fini(&w);
    return 0;
}
