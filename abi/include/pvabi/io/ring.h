/* SPDX-License-Identifier: MIT */
/* io/ring.h: the shared request/response ring of every split PV driver. */
#ifndef PVABI_IO_RING_H
#define PVABI_IO_RING_H

#include <stdint.h>

/*
 * A split driver (blkif, netif, ...) shares one page between a frontend
 * (the guest asking for I/O) and a backend (the domain serving it). The
 * page holds a header of four free-running indexes and then an array of
 * slots, each slot a union of one request and one response:
 *
 *   offset  0  req_prod   [front] requests published so far
 *   offset  4  req_event  [back]  notify me when req_prod passes this
 *   offset  8  rsp_prod   [back]  responses published so far
 *   offset 12  rsp_event  [front] notify me when rsp_prod passes this
 *   offset 16  pvt        4 bytes private to the driver (netif, tapif)
 *   offset 20  __pad[44]
 *   offset 64  ring[]     nr_ents slots, nr_ents a power of two
 *
 * Indexes are RING_IDX (uint32_t) and never wrap on purpose: they count
 * forever and wrap at 2^32 by unsigned arithmetic; a slot is idx masked by
 * nr_ents - 1. A response reuses the slot of the request it answers, so
 * there is no flow control: the frontend must never have more than
 * RING_SIZE requests outstanding (RING_FULL tells it when to stop).
 *
 * Usage (blkif, one 4 KiB page):
 *
 *   DEFINE_RING_TYPES(blkif, struct blkif_request, struct blkif_response);
 *
 *   frontend: struct blkif_front_ring fr;
 *             SHARED_RING_INIT(sring);  FRONT_RING_INIT(&fr, sring, 4096);
 *             req = RING_GET_REQUEST(&fr, fr.req_prod_pvt++); fill *req;
 *             RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&fr, notify);
 *             if (notify) send the event;
 *   backend:  struct blkif_back_ring br;  BACK_RING_INIT(&br, sring, 4096);
 *             RING_COPY_REQUEST(&br, br.req_cons++, &req); validate req;
 *             *RING_GET_RESPONSE(&br, br.rsp_prod_pvt++) = rsp;
 *             RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&br, notify);
 *
 * Both sides consume with the "final check" loop, which re-arms the
 * event index before going idle so that no notification is lost:
 *
 *   do { consume everything; RING_FINAL_CHECK_FOR_xxx(r, more); }
 *   while (more);
 *
 * Notification suppression: the producer sends an event only when its new
 * producer index passes the consumer's *_event index, i.e. only when the
 * consumer said it went idle. A busy consumer is not interrupted again.
 *
 * Against a hostile peer (a backend serving an untrusted guest):
 * copy each request out of the shared page before looking at it
 * (RING_COPY_REQUEST: the guest may rewrite it while we validate), and
 * reject a producer index that claims more requests than there are free
 * slots (RING_REQUEST_PROD_OVERFLOW).
 *
 * Usable freestanding (guests) and hosted: barriers are compiler builtins;
 * an includer may define xen_mb/xen_rmb/xen_wmb first to use its own.
 */

typedef uint32_t RING_IDX;

/*
 * Barriers. x86 is TSO: stores are not reordered with stores, loads not
 * with loads, so rmb and wmb only need to stop the compiler; mb orders a
 * store before a later load, which x86 does reorder (mfence).
 */
#ifndef xen_mb
#define xen_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif
#ifndef xen_rmb
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#endif
#ifndef xen_wmb
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#endif

/* Largest power of two <= x, for 0 < x < 2^32, as a constant expression. */
#define __RING_P2_2(x) (((x)&0x2u) ? 0x2u : ((x)&0x1u))
#define __RING_P2_4(x)                                                         \
    (((x)&0xcu) ? (__RING_P2_2((x) >> 2) << 2) : __RING_P2_2(x))
#define __RING_P2_8(x)                                                         \
    (((x)&0xf0u) ? (__RING_P2_4((x) >> 4) << 4) : __RING_P2_4(x))
#define __RING_P2_16(x)                                                        \
    (((x)&0xff00u) ? (__RING_P2_8((x) >> 8) << 8) : __RING_P2_8(x))
#define __RING_P2_32(x)                                                        \
    (((x)&0xffff0000u) ? (__RING_P2_16((x) >> 16) << 16) : __RING_P2_16(x))

/*
 * __RING_SIZE(s, size): slots in a shared ring *s of (size) bytes.
 * __CONST_RING_SIZE(name, size): the same as a constant expression, for
 * array bounds (__CONST_RING_SIZE(blkif, 4096) == 32).
 */
#define __RING_SIZE(_s, _sz)                                                   \
    (__RING_P2_32(                                                             \
        (unsigned int)(((_sz) - __builtin_offsetof(__typeof__(*(_s)), ring)) / \
                       sizeof((_s)->ring[0]))))
#define __CONST_RING_SIZE(_name, _sz)                                          \
    (__RING_P2_32(                                                             \
        (unsigned int)(((_sz) -                                                \
                        __builtin_offsetof(struct _name##_sring, ring)) /      \
                       sizeof(((struct _name##_sring *)0)->ring[0]))))

/*
 * DEFINE_RING_TYPES(name, req_t, rsp_t) declares:
 *   union name_sring_entry   one slot: { req_t req; rsp_t rsp; }
 *   struct name_sring        the shared page (layout above)
 *   struct name_front_ring   the frontend's private view
 *   struct name_back_ring    the backend's private view
 * and the typedefs name_sring_t, name_front_ring_t, name_back_ring_t.
 */
#define DEFINE_RING_TYPES(__name, __req_t, __rsp_t)                            \
    union __name##_sring_entry {                                               \
        __req_t req;                                                           \
        __rsp_t rsp;                                                           \
    };                                                                         \
    struct __name##_sring {                                                    \
        RING_IDX req_prod, req_event; /* [front], [back] */                    \
        RING_IDX rsp_prod, rsp_event; /* [back], [front] */                    \
        union {                                                                \
            struct {                                                           \
                uint8_t smartpoll_active;                                      \
            } netif;                                                           \
            struct {                                                           \
                uint8_t msg;                                                   \
            } tapif_user;                                                      \
            uint8_t pvt_pad[4];                                                \
        } pvt;                                                                 \
        uint8_t __pad[44];                                                     \
        union __name##_sring_entry ring[];                                     \
    };                                                                         \
    struct __name##_front_ring {                                               \
        RING_IDX req_prod_pvt; /* requests written, maybe unpushed */          \
        RING_IDX rsp_cons;     /* responses consumed */                        \
        unsigned int nr_ents;                                                  \
        struct __name##_sring *sring;                                          \
    };                                                                         \
    struct __name##_back_ring {                                                \
        RING_IDX rsp_prod_pvt; /* responses written, maybe unpushed */         \
        RING_IDX req_cons;     /* requests consumed */                         \
        unsigned int nr_ents;                                                  \
        struct __name##_sring *sring;                                          \
    };                                                                         \
    typedef struct __name##_sring __name##_sring_t;                            \
    typedef struct __name##_front_ring __name##_front_ring_t;                  \
    typedef struct __name##_back_ring __name##_back_ring_t

/*
 * SHARED_RING_INIT(s): the frontend, once, before granting the page:
 * no requests or responses yet, and both sides want the first event
 * (an event index of 1 fires when the producer index first reaches 1).
 */
#define SHARED_RING_INIT(_s)                                                   \
    do {                                                                       \
        unsigned int __i;                                                      \
        (_s)->req_prod = (_s)->rsp_prod = 0;                                   \
        (_s)->req_event = (_s)->rsp_event = 1;                                 \
        for (__i = 0; __i < sizeof((_s)->pvt.pvt_pad); __i++)                  \
            (_s)->pvt.pvt_pad[__i] = 0;                                        \
        for (__i = 0; __i < sizeof((_s)->__pad); __i++)                        \
            (_s)->__pad[__i] = 0;                                              \
    } while (0)

/* FRONT_RING_INIT / BACK_RING_INIT(r, s, size): a private view of *s. */
#define FRONT_RING_ATTACH(_r, _s, _i, __size)                                  \
    do {                                                                       \
        (_r)->req_prod_pvt = (_i);                                             \
        (_r)->rsp_cons = (_i);                                                 \
        (_r)->nr_ents = __RING_SIZE(_s, __size);                               \
        (_r)->sring = (_s);                                                    \
    } while (0)
#define FRONT_RING_INIT(_r, _s, __size) FRONT_RING_ATTACH(_r, _s, 0, __size)

#define BACK_RING_ATTACH(_r, _s, _i, __size)                                   \
    do {                                                                       \
        (_r)->rsp_prod_pvt = (_i);                                             \
        (_r)->req_cons = (_i);                                                 \
        (_r)->nr_ents = __RING_SIZE(_s, __size);                               \
        (_r)->sring = (_s);                                                    \
    } while (0)
#define BACK_RING_INIT(_r, _s, __size) BACK_RING_ATTACH(_r, _s, 0, __size)

/* Slots in the ring. */
#define RING_SIZE(_r) ((_r)->nr_ents)

/* Frontend: slots it may still fill (requests not yet answered count). */
#define RING_FREE_REQUESTS(_r)                                                 \
    (RING_SIZE(_r) - ((_r)->req_prod_pvt - (_r)->rsp_cons))

/* Frontend: no slot free; do not produce another request. */
#define RING_FULL(_r) (RING_FREE_REQUESTS(_r) == 0)

/* Frontend: responses published and not consumed yet. */
#define RING_HAS_UNCONSUMED_RESPONSES(_r)                                      \
    ((_r)->sring->rsp_prod - (_r)->rsp_cons)

/*
 * Backend: requests published and not consumed yet, bounded by the slots
 * its own unpushed responses leave, so that a lying req_prod cannot make
 * it consume more than RING_SIZE requests ahead of its responses.
 */
#define RING_HAS_UNCONSUMED_REQUESTS(_r)                                       \
    __extension__({                                                            \
        unsigned int __req = (_r)->sring->req_prod - (_r)->req_cons;           \
        unsigned int __rsp =                                                   \
            RING_SIZE(_r) - ((_r)->req_cons - (_r)->rsp_prod_pvt);             \
        __req < __rsp ? __req : __rsp;                                         \
    })

/* The slot of request / response (idx), as a pointer into the page. */
#define RING_GET_REQUEST(_r, _idx)                                             \
    (&((_r)->sring->ring[(_idx) & (RING_SIZE(_r) - 1)].req))
#define RING_GET_RESPONSE(_r, _idx)                                            \
    (&((_r)->sring->ring[(_idx) & (RING_SIZE(_r) - 1)].rsp))

/*
 * RING_COPY_REQUEST(r, idx, req): copies request (idx) to *req. Each byte
 * is read once through a volatile pointer, so the compiler cannot go back
 * to the shared page later: what was validated is what is used.
 */
#define RING_COPY_REQUEST(_r, _idx, _req)                                      \
    do {                                                                       \
        const volatile unsigned char *__src =                                  \
            (const volatile unsigned char *)RING_GET_REQUEST(_r, _idx);        \
        unsigned char *__dst = (unsigned char *)(_req);                        \
        unsigned int __n;                                                      \
        for (__n = 0; __n < sizeof(*(_req)); __n++)                            \
            __dst[__n] = __src[__n];                                           \
    } while (0)

/*
 * Backend: (cons) would read a slot whose previous response is not
 * pushed yet (more than RING_SIZE requests in flight).
 */
#define RING_REQUEST_CONS_OVERFLOW(_r, _cons)                                  \
    (((_cons) - (_r)->rsp_prod_pvt) >= RING_SIZE(_r))

/*
 * Backend: a req_prod value (prod) read from the page claims more
 * requests than there can be in flight: the frontend is broken or hostile.
 */
#define RING_REQUEST_PROD_OVERFLOW(_r, _prod)                                  \
    (((_prod) - (_r)->rsp_prod_pvt) > RING_SIZE(_r))

/* Frontend: the same check for a rsp_prod value read from the page. */
#define RING_RESPONSE_PROD_OVERFLOW(_r, _prod)                                 \
    (((_prod) - (_r)->rsp_cons) > RING_SIZE(_r))

/*
 * Publishing. Step 1: the slots are written (private index advanced).
 * Step 2: wmb, so the peer never sees the new index before the slots.
 * Step 3: the shared producer index is stored.
 */
#define RING_PUSH_REQUESTS(_r)                                                 \
    do {                                                                       \
        xen_wmb();                                                             \
        (_r)->sring->req_prod = (_r)->req_prod_pvt;                            \
    } while (0)

#define RING_PUSH_RESPONSES(_r)                                                \
    do {                                                                       \
        xen_wmb();                                                             \
        (_r)->sring->rsp_prod = (_r)->rsp_prod_pvt;                            \
    } while (0)

/*
 * As above, then (notify) = whether the peer must get an event: it wants
 * one when its event index lies in (old, new]. Step 4: mb between storing
 * the producer index and reading the event index. Without it the load
 * could pass the store: we would read a stale event index while the peer,
 * not seeing our new index yet, goes to sleep; the event would be lost.
 */
#define RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(_r, _notify)                       \
    do {                                                                       \
        RING_IDX __old = (_r)->sring->req_prod;                                \
        RING_IDX __new = (_r)->req_prod_pvt;                                   \
        xen_wmb();                                                             \
        (_r)->sring->req_prod = __new;                                         \
        xen_mb();                                                              \
        (_notify) = ((RING_IDX)(__new - (_r)->sring->req_event) <              \
                     (RING_IDX)(__new - __old));                               \
    } while (0)

#define RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(_r, _notify)                      \
    do {                                                                       \
        RING_IDX __old = (_r)->sring->rsp_prod;                                \
        RING_IDX __new = (_r)->rsp_prod_pvt;                                   \
        xen_wmb();                                                             \
        (_r)->sring->rsp_prod = __new;                                         \
        xen_mb();                                                              \
        (_notify) = ((RING_IDX)(__new - (_r)->sring->rsp_event) <              \
                     (RING_IDX)(__new - __old));                               \
    } while (0)

/*
 * The consumer's last look before going idle: (work) = whether anything is
 * left. When nothing is, it asks for an event on the next item (event
 * index = consumer index + 1), then, after mb, looks once more: an item
 * published between the first look and the event index store would
 * otherwise be noticed by neither side.
 */
#define RING_FINAL_CHECK_FOR_REQUESTS(_r, _work)                               \
    do {                                                                       \
        (_work) = RING_HAS_UNCONSUMED_REQUESTS(_r);                            \
        if (_work)                                                             \
            break;                                                             \
        (_r)->sring->req_event = (_r)->req_cons + 1;                           \
        xen_mb();                                                              \
        (_work) = RING_HAS_UNCONSUMED_REQUESTS(_r);                            \
    } while (0)

#define RING_FINAL_CHECK_FOR_RESPONSES(_r, _work)                              \
    do {                                                                       \
        (_work) = RING_HAS_UNCONSUMED_RESPONSES(_r);                           \
        if (_work)                                                             \
            break;                                                             \
        (_r)->sring->rsp_event = (_r)->rsp_cons + 1;                           \
        xen_mb();                                                              \
        (_work) = RING_HAS_UNCONSUMED_RESPONSES(_r);                           \
    } while (0)

#endif /* PVABI_IO_RING_H */
