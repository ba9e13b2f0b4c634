/* SPDX-License-Identifier: MIT */
/* printf.c: the formatter behind printf, snprintf and vsnprintf. */

#include "internal.h"

/* Length modifiers. */
enum fmt_length { LEN_HH, LEN_H, LEN_INT, LEN_L, LEN_LL, LEN_Z };

/* One conversion specification: %[flags][width][.precision][length]conv */
struct fmt_spec {
    int left;      /* '-': pad on the right */
    int zero;      /* '0': pad numbers with zeros */
    int width;     /* minimum field width */
    int precision; /* -1 when absent; used by %s */
    enum fmt_length length;
    char conv;
};

static void sink_putc(struct fmt_sink *sink, char c)
{
    sink->total++;
    if (sink->flush) {
        if (sink->pos == sink->size)
            sink->flush(sink);
        sink->buf[sink->pos++] = c;
    } else if (sink->pos + 1 < sink->size) {
        /* The last byte stays free for the NUL. */
        sink->buf[sink->pos++] = c;
    }
}

/*
 * (n) characters at once, as sink_putc() would put them one by one:
 * literal text and strings are copied 8 bytes a step, where a call per
 * character cost some twenty guest instructions each.
 */
static void sink_write(struct fmt_sink *sink, const char *s, size_t n)
{
    size_t room, k;

    sink->total += n;
    while (n > 0) {
        if (sink->flush) {
            if (sink->pos == sink->size)
                sink->flush(sink);
            room = sink->size - sink->pos;
        } else if (sink->pos + 1 < sink->size) {
            room = sink->size - 1 - sink->pos;
        } else {
            return; /* full: the rest is only counted */
        }
        k = n < room ? n : room;
        memcpy(sink->buf + sink->pos, s, k);
        sink->pos += k;
        s += k;
        n -= k;
    }
}

static void sink_pad(struct fmt_sink *sink, char c, int n)
{
    while (n-- > 0)
        sink_putc(sink, c);
}

static const char *parse_number(const char *p, int *out, va_list *ap)
{
    if (*p == '*') {
        *out = va_arg(*ap, int);
        return p + 1;
    }
    *out = 0;
    while (*p >= '0' && *p <= '9')
        *out = *out * 10 + (*p++ - '0');
    return p;
}

static const char *parse_length(const char *p, enum fmt_length *length)
{
    *length = LEN_INT;
    if (p[0] == 'h') {
        *length = p[1] == 'h' ? LEN_HH : LEN_H;
        return p + (p[1] == 'h' ? 2 : 1);
    }
    if (p[0] == 'l') {
        *length = p[1] == 'l' ? LEN_LL : LEN_L;
        return p + (p[1] == 'l' ? 2 : 1);
    }
    if (p[0] == 'z') {
        *length = LEN_Z;
        return p + 1;
    }
    return p;
}

/* Parses what follows a '%'; returns the first character after it. */
static const char *parse_spec(const char *p, struct fmt_spec *spec, va_list *ap)
{
    spec->left = spec->zero = 0;
    spec->precision = -1;
    for (;; p++) {
        if (*p == '-')
            spec->left = 1;
        else if (*p == '0')
            spec->zero = 1;
        else
            break;
    }
    p = parse_number(p, &spec->width, ap);
    if (spec->width < 0) {
        spec->left = 1;
        spec->width = -spec->width;
    }
    if (*p == '.') {
        p = parse_number(p + 1, &spec->precision, ap);
        if (spec->precision < 0)
            spec->precision = -1;
    }
    p = parse_length(p, &spec->length);
    spec->conv = *p;
    return *p ? p + 1 : p;
}

static unsigned long long fetch_unsigned(const struct fmt_spec *spec,
                                         va_list *ap)
{
    switch (spec->length) {
    case LEN_HH:
        return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_H:
        return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_L:
        return va_arg(*ap, unsigned long);
    case LEN_LL:
        return va_arg(*ap, unsigned long long);
    case LEN_Z:
        return va_arg(*ap, size_t);
    default:
        return va_arg(*ap, unsigned int);
    }
}

static long long fetch_signed(const struct fmt_spec *spec, va_list *ap)
{
    switch (spec->length) {
    case LEN_HH:
        return (signed char)va_arg(*ap, int);
    case LEN_H:
        return (short)va_arg(*ap, int);
    case LEN_L:
        return va_arg(*ap, long);
    case LEN_LL:
        return va_arg(*ap, long long);
    case LEN_Z:
        return (long long)va_arg(*ap, size_t);
    default:
        return va_arg(*ap, int);
    }
}

/* Writes (v) in (base) with an optional '-' and prefix, padded to width. */
static void put_number(struct fmt_sink *sink, const struct fmt_spec *spec,
                       unsigned long long v, int negative, unsigned int base,
                       const char *prefix)
{
    const char *set =
        spec->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    char digits[24];
    int n = 0, len, pad;

    do {
        digits[n++] = set[v % base];
        v /= base;
    } while (v);
    len = n + negative + (int)strlen(prefix);
    pad = spec->width > len ? spec->width - len : 0;
    if (!spec->left && !spec->zero)
        sink_pad(sink, ' ', pad);
    if (negative)
        sink_putc(sink, '-');
    while (*prefix)
        sink_putc(sink, *prefix++);
    if (!spec->left && spec->zero)
        sink_pad(sink, '0', pad);
    while (n > 0)
        sink_putc(sink, digits[--n]);
    if (spec->left)
        sink_pad(sink, ' ', pad);
}

static void put_string(struct fmt_sink *sink, const struct fmt_spec *spec,
                       const char *s)
{
    size_t max = spec->precision >= 0 ? (size_t)spec->precision : (size_t)-1;
    int len, pad;

    if (!s)
        s = "(null)";
    len = (int)strnlen(s, max);
    pad = spec->width > len ? spec->width - len : 0;
    if (!spec->left)
        sink_pad(sink, ' ', pad);
    sink_write(sink, s, (size_t)len);
    if (spec->left)
        sink_pad(sink, ' ', pad);
}

static void put_conversion(struct fmt_sink *sink, const struct fmt_spec *spec,
                           va_list *ap)
{
    long long sv;
    char c;

    switch (spec->conv) {
    case 'd':
    case 'i':
        sv = fetch_signed(spec, ap);
        put_number(sink, spec,
                   sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv,
                   sv < 0, 10, "");
        break;
    case 'u':
        put_number(sink, spec, fetch_unsigned(spec, ap), 0, 10, "");
        break;
    case 'x':
    case 'X':
        put_number(sink, spec, fetch_unsigned(spec, ap), 0, 16, "");
        break;
    case 'p':
        put_number(sink, spec, (uintptr_t)va_arg(*ap, void *), 0, 16, "0x");
        break;
    case 's':
        put_string(sink, spec, va_arg(*ap, const char *));
        break;
    case 'c':
        c = (char)va_arg(*ap, int);
        sink_pad(sink, ' ', spec->left ? 0 : spec->width - 1);
        sink_putc(sink, c);
        sink_pad(sink, ' ', spec->left ? spec->width - 1 : 0);
        break;
    case '%':
        sink_putc(sink, '%');
        break;
    default:
        /* Unknown conversion: show it as written, to make the bug visible. */
        sink_putc(sink, '%');
        if (spec->conv)
            sink_putc(sink, spec->conv);
        break;
    }
}

void fmt_format(struct fmt_sink *sink, const char *fmt, va_list ap)
{
    struct fmt_spec spec;
    va_list args;

    /* A va_list parameter cannot be passed on by address: copy it. */
    va_copy(args, ap);
    while (*fmt) {
        if (*fmt != '%') {
            const char *end = fmt;

            while (*end && *end != '%')
                end++;
            sink_write(sink, fmt, (size_t)(end - fmt));
            fmt = end;
            continue;
        }
        fmt = parse_spec(fmt + 1, &spec, &args);
        put_conversion(sink, &spec, &args);
    }
    va_end(args);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct fmt_sink sink = {.buf = buf, .size = size, .flush = NULL};

    fmt_format(&sink, fmt, ap);
    if (size > 0)
        buf[sink.pos] = '\0';
    return (int)sink.total;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
