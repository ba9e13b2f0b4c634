/* SPDX-License-Identifier: MIT */
/* xenstore_test.h: a capturing XenStore transport and request helpers for the
 * Check suites. */
#ifndef PVHV_TESTS_XENSTORE_TEST_H
#define PVHV_TESTS_XENSTORE_TEST_H

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvabi/xs_wire.h"
#include "core/xenstore/xenstore.h"

/* A connection whose output lands in memory; watch events are set apart. */
struct tconn {
    struct xenstore_conn *conn;
    char *out;
    size_t len, rd, cap;
    char events[1 << 16]; /* "path token\n" per event, in order */
    size_t ev_len;
    uint32_t req_id;
    size_t accept;          /* bytes write takes per call; 0: all */
    bool block;             /* write takes nothing */
    unsigned int overflows; /* ops->overflow calls */
};

static inline ssize_t tconn_write(void *opaque, const void *buf, size_t len)
{
    struct tconn *t = opaque;

    if (t->block)
        return 0;
    if (t->accept && len > t->accept)
        len = t->accept;
    if (t->len + len > t->cap) {
        t->cap = (t->len + len) * 2;
        t->out = realloc(t->out, t->cap);
        ck_assert_ptr_nonnull(t->out);
    }
    memcpy(t->out + t->len, buf, len);
    t->len += len;
    return (ssize_t)len;
}

static inline void tconn_overflow(void *opaque)
{
    ((struct tconn *)opaque)->overflows++;
}

static const struct xenstore_conn_ops tconn_ops __attribute__((unused)) = {
    .write = tconn_write,
    .overflow = tconn_overflow,
};

static inline struct tconn *tconn_new(struct xenstore *xs, uint16_t domid,
                                      bool priv)
{
    struct tconn *t = calloc(1, sizeof(*t));

    ck_assert_ptr_nonnull(t);
    t->conn = xenstore_conn_new(xs, domid, priv, &tconn_ops, t);
    ck_assert_ptr_nonnull(t->conn);
    return t;
}

static inline void tconn_free(struct tconn *t)
{
    xenstore_conn_free(t->conn);
    free(t->out);
    free(t);
}

/*
 * Sends one request: 0 when the connection took all of it, else what
 * xenstore_conn_input returned (the bytes it took, or -errno).
 */
static inline int tc_send(struct tconn *t, uint32_t type, uint32_t req_id,
                          uint32_t tx, const void *p, size_t len)
{
    struct xsd_sockmsg h = {type, req_id, tx, (uint32_t)len};
    char buf[sizeof(h) + 8192];
    ssize_t n;

    ck_assert_uint_le(len, 8192);
    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), p, len);
    n = xenstore_conn_input(t->conn, buf, sizeof(h) + len);
    return n == (ssize_t)(sizeof(h) + len) ? 0 : (int)n;
}

/* Takes the next message; false if none. (data) holds 4097 bytes. */
static inline bool tc_pop(struct tconn *t, struct xsd_sockmsg *h, char *data)
{
    if (t->len - t->rd < sizeof(*h))
        return false;
    memcpy(h, t->out + t->rd, sizeof(*h));
    ck_assert_uint_le(h->len, XENSTORE_PAYLOAD_MAX);
    ck_assert_uint_ge(t->len - t->rd, sizeof(*h) + h->len);
    memcpy(data, t->out + t->rd + sizeof(*h), h->len);
    data[h->len] = '\0';
    t->rd += sizeof(*h) + h->len;
    return true;
}

/* Moves pending watch events to t->events; returns the next other message. */
static inline bool tc_next_reply(struct tconn *t, struct xsd_sockmsg *h,
                                 char *data)
{
    while (tc_pop(t, h, data)) {
        if (h->type != XS_WATCH_EVENT)
            return true;
        ck_assert_uint_eq(h->req_id, 0);
        t->ev_len += (size_t)snprintf(t->events + t->ev_len,
                                      sizeof(t->events) - t->ev_len, "%s %s\n",
                                      data, data + strlen(data) + 1);
        ck_assert_uint_lt(t->ev_len, sizeof(t->events));
    }
    return false;
}

/* The events seen so far, then forgets them. */
static inline const char *tc_events(struct tconn *t)
{
    static char copy[sizeof(((struct tconn *)0)->events)];
    struct xsd_sockmsg h;
    char data[XENSTORE_PAYLOAD_MAX + 1];

    ck_assert(!tc_next_reply(t, &h, data));
    memcpy(copy, t->events, t->ev_len + 1);
    t->ev_len = 0;
    t->events[0] = '\0';
    return copy;
}

static inline int tc_errno(const char *name)
{
    static const struct xsd_errors names[] = XSD_ERRORS_INIT;
    unsigned int i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(names[i].errstring, name) == 0)
            return names[i].errnum;
    ck_abort_msg("unknown error name %s", name);
    return 0;
}

/*
 * One request and its reply: returns 0 and the payload in (out) (4097
 * bytes, NUL added; may be NULL) and its length in (*olen), or -errno for
 * an XS_ERROR reply. Checks the echoed header.
 */
static inline int tc_call(struct tconn *t, uint32_t type, uint32_t tx,
                          const void *p, size_t len, char *out, size_t *olen)
{
    char data[XENSTORE_PAYLOAD_MAX + 1];
    struct xsd_sockmsg h;
    uint32_t id = ++t->req_id;

    ck_assert_int_eq(tc_send(t, type, id, tx, p, len), 0);
    ck_assert_msg(tc_next_reply(t, &h, data), "no reply to type %u", type);
    ck_assert_uint_eq(h.req_id, id);
    ck_assert_uint_eq(h.tx_id, tx);
    if (out)
        memcpy(out, data, h.len + 1);
    if (olen)
        *olen = h.len;
    if (h.type == XS_ERROR)
        return -tc_errno(data);
    ck_assert_uint_eq(h.type, type);
    return 0;
}

/* Joins NUL-terminated strings (ended by NULL) into (buf); returns length. */
static inline size_t tc_join(char *buf, ...)
{
    const char *s;
    size_t len = 0;
    va_list ap;

    va_start(ap, buf);
    while ((s = va_arg(ap, const char *))) {
        memcpy(buf + len, s, strlen(s) + 1);
        len += strlen(s) + 1;
    }
    va_end(ap);
    return len;
}

/* Requests with string arguments, each NUL-terminated. */
#define tc_req(t, type, tx, out, olen, ...)                                    \
    ({                                                                         \
        char _b[8192];                                                         \
        size_t _l = tc_join(_b, __VA_ARGS__, NULL);                            \
        tc_call((t), (type), (tx), _b, _l, (out), (olen));                     \
    })

static inline int tc_write(struct tconn *t, uint32_t tx, const char *path,
                           const char *val)
{
    char b[8192];
    size_t pl = strlen(path) + 1, vl = strlen(val);

    memcpy(b, path, pl);
    memcpy(b + pl, val, vl);
    return tc_call(t, XS_WRITE, tx, b, pl + vl, NULL, NULL);
}

/* XS_READ into a static buffer: returns it, or NULL setting *err. */
static inline const char *tc_read(struct tconn *t, uint32_t tx,
                                  const char *path, int *err)
{
    static char out[XENSTORE_PAYLOAD_MAX + 1];
    int rc = tc_req(t, XS_READ, tx, out, NULL, path);

    if (err)
        *err = rc;
    return rc ? NULL : out;
}

/* XS_TRANSACTION_START; returns the id. */
static inline uint32_t tc_tx_start(struct tconn *t)
{
    char out[XENSTORE_PAYLOAD_MAX + 1];

    ck_assert_int_eq(tc_call(t, XS_TRANSACTION_START, 0, "", 1, out, NULL), 0);
    return (uint32_t)strtoul(out, NULL, 10);
}

static inline int tc_tx_end(struct tconn *t, uint32_t tx, bool commit)
{
    return tc_req(t, XS_TRANSACTION_END, tx, NULL, NULL, commit ? "T" : "F");
}

static const uint8_t test_uuid[16]
    __attribute__((unused)) = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
                               0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
#define TEST_UUID "12345678-9abc-def0-0123-456789abcdef"

#endif /* PVHV_TESTS_XENSTORE_TEST_H */
