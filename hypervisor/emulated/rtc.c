/* SPDX-License-Identifier: MIT */
/* rtc.c: the CMOS real-time clock at ports 0x70-0x71: time, registers A-D,
 * NVRAM. */
#include <string.h>
#include <time.h>

#include "core/domain.h"
#include "emulated/emulated.h"
#include "emulated/rtc.h"

#define NS 1000000000LL

static uint64_t realtime_ns(void *opaque)
{
    struct timespec t;

    (void)opaque;
    clock_gettime(CLOCK_REALTIME, &t);
    return (uint64_t)t.tv_sec * NS + (uint64_t)t.tv_nsec;
}

void cmos_rtc_init(struct cmos_rtc *r, uint64_t (*now_ns)(void *), void *opaque)
{
    memset(r, 0, sizeof(*r));
    pthread_mutex_init(&r->lock, NULL);
    r->now_ns = now_ns ? now_ns : realtime_ns;
    r->opaque = opaque;
    r->reg_a = RTC_A_DV_RUN | 0x06; /* 1024 Hz periodic rate */
    r->reg_b = RTC_B_24H;
    r->c_read_s = (int64_t)(r->now_ns(r->opaque) / NS);
    /* The C library reads its time zone once, on the first conversion,
     * even for gmtime_r and timegm: done here, so a vCPU thread's first
     * RTC read opens no file (its sandbox refuses openat). */
    tzset();
}

void cmos_rtc_fini(struct cmos_rtc *r)
{
    pthread_mutex_destroy(&r->lock);
}

/* The guest's time now, in seconds since 1970 UTC. */
static int64_t guest_time(const struct cmos_rtc *r, int64_t host_s)
{
    return r->reg_b & RTC_B_SET ? r->held_s : host_s + r->offset_s;
}

/* In the register's format: BCD unless DM, as register B says now. */
static uint8_t encode(const struct cmos_rtc *r, int v)
{
    return r->reg_b & RTC_B_DM ? (uint8_t)v : (uint8_t)((v / 10) << 4 | v % 10);
}

/* The other way; a BCD digit above 9 counts as its value (no crash). */
static int decode(const struct cmos_rtc *r, uint8_t v)
{
    return r->reg_b & RTC_B_DM ? v : (v >> 4) * 10 + (v & 0x0f);
}

static uint8_t hours_out(const struct cmos_rtc *r, int h)
{
    if (r->reg_b & RTC_B_24H)
        return encode(r, h);
    /* 12-hour: 12 AM, 1 AM ... 12 PM, 1 PM ...; bit 7 = PM */
    return (uint8_t)(encode(r, h % 12 ? h % 12 : 12) | (h >= 12 ? 0x80 : 0));
}

static int hours_in(const struct cmos_rtc *r, uint8_t v)
{
    if (r->reg_b & RTC_B_24H)
        return decode(r, v);
    return decode(r, v & 0x7f) % 12 + (v & 0x80 ? 12 : 0);
}

static bool is_time_reg(unsigned int idx)
{
    switch (idx) {
    case RTC_SECONDS:
    case RTC_MINUTES:
    case RTC_HOURS:
    case RTC_WEEKDAY:
    case RTC_DAY:
    case RTC_MONTH:
    case RTC_YEAR:
    case RTC_CENTURY:
        return true;
    }
    return false;
}

/* time_reg: time register (idx) of the time (t). */
static uint8_t time_reg(const struct cmos_rtc *r, unsigned int idx, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (!gmtime_r(&tt, &tm))
        return 0;
    switch (idx) {
    case RTC_SECONDS:
        return encode(r, tm.tm_sec);
    case RTC_MINUTES:
        return encode(r, tm.tm_min);
    case RTC_HOURS:
        return hours_out(r, tm.tm_hour);
    case RTC_WEEKDAY:
        return encode(r, tm.tm_wday + 1);
    case RTC_DAY:
        return encode(r, tm.tm_mday);
    case RTC_MONTH:
        return encode(r, tm.tm_mon + 1);
    case RTC_YEAR:
        return encode(r, (tm.tm_year + 1900) % 100);
    default: /* RTC_CENTURY */
        return encode(r, (tm.tm_year + 1900) / 100 % 100);
    }
}

/*
 * set_time_reg: the guest wrote (v) to time register (idx): the time
 * changes in that field, the others kept (an out-of-range value carries
 * over, as timegm() normalises it). The weekday follows the date: a
 * write to it is ignored.
 */
static void set_time_reg(struct cmos_rtc *r, unsigned int idx, uint8_t v,
                         int64_t host_s)
{
    time_t tt = (time_t)guest_time(r, host_s);
    struct tm tm;
    int year;

    if (idx == RTC_WEEKDAY || !gmtime_r(&tt, &tm))
        return;
    year = tm.tm_year + 1900;
    switch (idx) {
    case RTC_SECONDS:
        tm.tm_sec = decode(r, v);
        break;
    case RTC_MINUTES:
        tm.tm_min = decode(r, v);
        break;
    case RTC_HOURS:
        tm.tm_hour = hours_in(r, v);
        break;
    case RTC_DAY:
        tm.tm_mday = decode(r, v);
        break;
    case RTC_MONTH:
        tm.tm_mon = decode(r, v) - 1;
        break;
    case RTC_YEAR:
        tm.tm_year = year / 100 * 100 + decode(r, v) % 100 - 1900;
        break;
    default: /* RTC_CENTURY */
        tm.tm_year = decode(r, v) * 100 + year % 100 - 1900;
        break;
    }
    int64_t t = (int64_t)timegm(&tm);
    if (r->reg_b & RTC_B_SET)
        r->held_s = t;
    else
        r->offset_s = t - host_s;
}

static uint8_t read_reg(struct cmos_rtc *r, unsigned int idx)
{
    uint64_t now = r->now_ns(r->opaque);
    int64_t host_s = (int64_t)(now / NS);
    uint8_t c;

    if (is_time_reg(idx))
        return time_reg(r, idx, guest_time(r, host_s));
    switch (idx) {
    case RTC_REG_A:
        /* UIP: the last 244 us before each update, while it runs. */
        if (!(r->reg_b & RTC_B_SET) && (r->reg_a & 0x70) == RTC_A_DV_RUN &&
            now % NS >= (uint64_t)(NS - RTC_UIP_NS))
            return r->reg_a | RTC_A_UIP;
        return r->reg_a;
    case RTC_REG_B:
        return r->reg_b;
    case RTC_REG_C:
        /* Read-only, cleared by reading: UF for each update since. */
        c = !(r->reg_b & RTC_B_SET) && host_s > r->c_read_s ? RTC_C_UF : 0;
        if ((c & RTC_C_UF) && (r->reg_b & RTC_B_UIE))
            c |= RTC_C_IRQF;
        r->c_read_s = host_s;
        return c;
    case RTC_REG_D:
        return RTC_D_VRT;
    }
    return r->ram[idx % RTC_REGS];
}

static void write_reg(struct cmos_rtc *r, unsigned int idx, uint8_t val)
{
    int64_t host_s = (int64_t)(r->now_ns(r->opaque) / NS);

    if (is_time_reg(idx)) {
        set_time_reg(r, idx, val, host_s);
        return;
    }
    switch (idx) {
    case RTC_REG_A:
        r->reg_a = val & (uint8_t)~RTC_A_UIP; /* UIP is read-only */
        break;
    case RTC_REG_B:
        /* SET stops the clock where it is; clearing it runs on from the
         * time held (and written meanwhile). */
        if ((val & RTC_B_SET) && !(r->reg_b & RTC_B_SET))
            r->held_s = host_s + r->offset_s;
        else if (!(val & RTC_B_SET) && (r->reg_b & RTC_B_SET))
            r->offset_s = r->held_s - host_s;
        r->reg_b = val;
        break;
    case RTC_REG_C:
    case RTC_REG_D:
        break; /* read-only */
    default:
        r->ram[idx % RTC_REGS] = val;
        break;
    }
}

uint8_t cmos_rtc_read(struct cmos_rtc *r, unsigned int port)
{
    uint8_t v;

    if (port != RTC_PORT_DATA)
        return 0xff; /* the index port is write-only */
    pthread_mutex_lock(&r->lock);
    v = read_reg(r, r->index);
    pthread_mutex_unlock(&r->lock);
    return v;
}

void cmos_rtc_write(struct cmos_rtc *r, unsigned int port, uint8_t val)
{
    pthread_mutex_lock(&r->lock);
    if (port == RTC_PORT_INDEX)
        r->index = val & (RTC_REGS - 1); /* bit 7, NMI disable: ignored */
    else if (port == RTC_PORT_DATA)
        write_reg(r, r->index, val);
    pthread_mutex_unlock(&r->lock);
}

/* Byte accesses only, as the chip decodes them; wider ones are refused. */
static bool rtc_io(struct vcpu *v, uint64_t port, uint8_t *data,
                   unsigned int len, bool is_write, void *opaque)
{
    struct emulated *e = opaque;

    (void)v;
    if (len != 1)
        return false;
    if (is_write)
        cmos_rtc_write(&e->rtc, (unsigned int)port, data[0]);
    else
        data[0] = cmos_rtc_read(&e->rtc, (unsigned int)port);
    return true;
}

const struct io_device cmos_rtc_device = {
    .name = "CMOS RTC",
    .space = IO_SPACE_PORT,
    .base = RTC_PORT_INDEX,
    .len = 2,
    .access = rtc_io,
};
