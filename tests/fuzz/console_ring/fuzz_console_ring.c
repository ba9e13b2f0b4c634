/* SPDX-License-Identifier: MIT */
/* fuzz_console_ring.c: fuzz target: the PV console ring, hostile indexes. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "core/domain.h"
#include "pvabi/io/console.h"

/*
 * The input is records "u8 op; u32 value" (5 bytes, little-endian), some
 * followed by data bytes. The guest's side sets out_prod, out_cons,
 * in_prod or in_cons to any value, or behaves (writes bytes and moves
 * out_prod; consumes in[]); the host's side takes out[]
 * (console_ring_take, the bytes then going to a domain's console through
 * its byte budget) or puts into in[] (console_ring_put). Every host step
 * is checked against a model of the ring; a mismatch aborts.
 */
enum {
    OP_OUT_PROD,  /* guest: out_prod = value */
    OP_OUT_CONS,  /* guest: out_cons = value (not its index to write) */
    OP_OUT_WRITE, /* guest: value % 64 data bytes at out_prod, then prod */
    OP_TAKE,      /* host: console_ring_take, cap = value % 4096 */
    OP_IN_PROD,   /* guest: in_prod = value (not its index to write) */
    OP_IN_CONS,   /* guest: in_cons = value */
    OP_PUT,       /* host: console_ring_put of value % 2048 data bytes */
    OP_IN_READ,   /* guest: consumes up to value bytes of in[] */
    NR_OPS
};

#define RECORD 5

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_console_ring: %s\n", what);
        abort();
    }
}

/*
 * The domain's console: the bytes of the guest's that passed, and those
 * that the hypervisor's "dropped" reports name. A guest can print text
 * like a report, so data is told from reports by where it lies: in the
 * buffer take() hands over (passing, passing_len).
 */
static uint64_t passed, reported;
static const char *passing;
static size_t passing_len;

static void sink(void *opaque, const char *buf, size_t len)
{
    unsigned long long n;
    char line[128];

    (void)opaque;
    if (buf >= passing && buf + len <= passing + passing_len) {
        passed += len;
        return;
    }
    snprintf(line, sizeof(line), "%.*s", (int)len, buf);
    check(sscanf(line, "%*[\n][pvhv: %llu bytes", &n) == 1 ||
              sscanf(line, "[pvhv: %llu bytes", &n) == 1,
          "the console got what is neither data nor a report");
    reported += n;
}

static void take(struct xencons_interface *intf, struct domain *d,
                 uint32_t value, uint64_t *offered)
{
    XENCONS_RING_IDX prod = intf->out_prod, cons = intf->out_cons;
    uint32_t avail = prod - cons, cap = value % 4096;
    char before[sizeof(intf->out)], buf[4096];
    int n;

    memcpy(before, intf->out, sizeof(before));
    n = console_ring_take(intf, buf, cap);
    check(intf->out_prod == prod, "take moved out_prod");
    if (avail > sizeof(intf->out)) {
        check(n == -EIO && intf->out_cons == cons, "overflow not refused");
        return;
    }
    check(n == (int)(avail < cap ? avail : cap), "take: wrong count");
    check(intf->out_cons == cons + (uint32_t)n, "take: out_cons");
    for (int i = 0; i < n; i++)
        check(buf[i] == before[MASK_XENCONS_IDX(cons + i, intf->out)],
              "take: a byte from the wrong place");
    check(memcmp(before, intf->out, sizeof(before)) == 0, "take wrote out[]");
    passing = buf;
    passing_len = (size_t)n;
    domain_console_write(d, buf, (size_t)n);
    passing = NULL;
    *offered += (uint64_t)n;
}

static void put(struct xencons_interface *intf, uint32_t value,
                const uint8_t *src, size_t len)
{
    XENCONS_RING_IDX prod = intf->in_prod, cons = intf->in_cons;
    uint32_t used = prod - cons, room = sizeof(intf->in) - used;
    char before[sizeof(intf->in)];
    size_t want = value % 2048 < len ? value % 2048 : len;
    int n;

    memcpy(before, intf->in, sizeof(before));
    n = console_ring_put(intf, (const char *)src, want);
    check(intf->in_cons == cons, "put moved in_cons");
    if (used > sizeof(intf->in)) {
        check(n == -EIO && intf->in_prod == prod, "overflow not refused");
        return;
    }
    check(n == (int)(want < room ? want : room), "put: wrong count");
    check(intf->in_prod == prod + (uint32_t)n, "put: in_prod");
    for (int i = 0; i < n; i++)
        before[MASK_XENCONS_IDX(prod + i, intf->in)] = (char)src[i];
    check(memcmp(before, intf->in, sizeof(before)) == 0, "put: in[] differs");
}

/* step: one record at (data), with (len) bytes after it; bytes it used. */
static size_t step(struct xencons_interface *intf, struct domain *d,
                   const uint8_t *data, size_t len, uint64_t *offered)
{
    uint8_t op = data[0] % NR_OPS;
    uint32_t value, n, i;
    size_t used = 0;

    memcpy(&value, data + 1, sizeof(value));
    data += RECORD;
    switch (op) {
    case OP_OUT_PROD:
        intf->out_prod = value;
        break;
    case OP_OUT_CONS:
        intf->out_cons = value;
        break;
    case OP_OUT_WRITE:
        n = value % 64 < len ? value % 64 : (uint32_t)len;
        for (i = 0; i < n; i++)
            intf->out[MASK_XENCONS_IDX(intf->out_prod + i, intf->out)] =
                (char)data[i];
        intf->out_prod += n;
        used = n;
        break;
    case OP_TAKE:
        take(intf, d, value, offered);
        break;
    case OP_IN_PROD:
        intf->in_prod = value;
        break;
    case OP_IN_CONS:
        intf->in_cons = value;
        break;
    case OP_PUT:
        put(intf, value, data, len);
        used = value % 2048 < len ? value % 2048 : len;
        break;
    case OP_IN_READ:
        n = intf->in_prod - intf->in_cons;
        intf->in_cons += value < n ? value : n;
        break;
    }
    return RECORD + used;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xencons_interface *intf = calloc(1, 4096);
    struct domain *d = calloc(1, sizeof(*d));
    uint64_t offered = 0;
    size_t off = 0;

    if (!intf || !d)
        abort();
    d->domid = 1;
    d->console = sink;
    passed = reported = 0;
    while (size - off >= RECORD)
        off += step(intf, d, data + off, size - off - RECORD, &offered);
    /* The budget accounts for every byte: passed, or dropped (reported
     * or not yet). */
    check(passed + domain_console_dropped(d) == offered, "budget accounting");
    check(reported <= domain_console_dropped(d), "reported undropped bytes");
    free(d);
    free(intf);
    return 0;
}
