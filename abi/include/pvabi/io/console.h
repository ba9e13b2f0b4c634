/* SPDX-License-Identifier: MIT */
/* io/console.h: the PV console ring page. */
#ifndef PVABI_IO_CONSOLE_H
#define PVABI_IO_CONSOLE_H

#include <stdint.h>

/*
 * The console page is a reserved page of the guest (HVM_PARAM_CONSOLE_PFN)
 * notified through HVM_PARAM_CONSOLE_EVTCHN; both are ready at boot. It
 * holds two byte rings with free-running indexes, wrapping at 2^32:
 *
 *   out[] guest -> console: guest writes bytes, then out_prod;
 *                           hypervisor reads, then out_cons
 *   in[]  console -> guest: hypervisor writes bytes, then in_prod;
 *                           guest reads, then in_cons
 *
 * A producer writes the bytes at MASK_XENCONS_IDX(prod, ring), then a write
 * barrier, then the new prod, then sends an event; it never lets
 * prod - cons exceed sizeof(ring). A consumer reads prod, a read barrier,
 * the bytes, then stores cons (after a full barrier) and sends an event.
 * XenStore: /local/domain/<D>/console/{ring-ref (the pfn), port,
 * type ("xenconsoled"), limit, output}.
 */
typedef uint32_t XENCONS_RING_IDX;

#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

struct xencons_interface {
    char in[1024];             /* [HV] bytes for the guest */
    char out[2048];            /* [GST] bytes from the guest */
    XENCONS_RING_IDX in_cons;  /* [GST] */
    XENCONS_RING_IDX in_prod;  /* [HV] */
    XENCONS_RING_IDX out_cons; /* [HV] */
    XENCONS_RING_IDX out_prod; /* [GST] */
    /*
     * [HV] XENCONSOLE_CONNECTED, or XENCONSOLE_RECONNECT while the
     * backend re-attaches (newer Xen; absent from Xen <= 4.17 headers).
     */
    uint32_t connection;
};

#define XENCONSOLE_CONNECTED 0
#define XENCONSOLE_RECONNECT 1

#endif /* PVABI_IO_CONSOLE_H */
