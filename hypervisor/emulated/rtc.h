/* SPDX-License-Identifier: MIT */
/* rtc.h: the register model of the PC's CMOS real-time clock (MC146818A). */
#ifndef PVHV_EMULATED_RTC_H
#define PVHV_EMULATED_RTC_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define RTC_PORT_INDEX 0x70 /* bit 7: NMI disable (ignored) */
#define RTC_PORT_DATA 0x71
#define RTC_REGS 128 /* indexes 0 to 127; the index port keeps 7 bits */

/* Registers (datasheet names; RTC_CENTURY as on IBM PCs and ACPI's FADT). */
enum rtc_reg {
    RTC_SECONDS = 0x00,
    RTC_SECONDS_ALARM = 0x01,
    RTC_MINUTES = 0x02,
    RTC_MINUTES_ALARM = 0x03,
    RTC_HOURS = 0x04,
    RTC_HOURS_ALARM = 0x05,
    RTC_WEEKDAY = 0x06, /* 1 = Sunday */
    RTC_DAY = 0x07,
    RTC_MONTH = 0x08,
    RTC_YEAR = 0x09, /* 0 to 99 */
    RTC_REG_A = 0x0a,
    RTC_REG_B = 0x0b,
    RTC_REG_C = 0x0c,
    RTC_REG_D = 0x0d,
    RTC_NVRAM = 0x0e, /* 114 bytes of RAM to 0x7f */
    RTC_CENTURY = 0x32,
};

#define RTC_A_UIP 0x80    /* update in progress: the time is about to change */
#define RTC_A_DV_RUN 0x20 /* divider chain 010: 32.768 kHz, running */
#define RTC_B_SET 0x80    /* updates stopped: the guest sets the time */
#define RTC_B_PIE 0x40
#define RTC_B_AIE 0x20
#define RTC_B_UIE 0x10
#define RTC_B_DM 0x04 /* binary (else BCD) */
#define RTC_B_24H 0x02
#define RTC_C_IRQF 0x80
#define RTC_C_UF 0x10
#define RTC_D_VRT 0x80    /* valid RAM and time: the battery is fine */
#define RTC_UIP_NS 244000 /* UIP is set this long before each update */

/*
 * One RTC. The time is the host's CLOCK_REALTIME (or (now_ns), given:
 * nanoseconds since 1970 UTC) plus an offset the guest's writes set; the
 * time registers are computed from it at each read, in BCD or binary
 * (register B's DM) and 24-hour or 12-hour form (B's 24/12; bit 7 of the
 * hours = PM), the way they read on the chip. With B's SET, updates stop:
 * the time stays as read or written until SET is cleared, when it runs on
 * from there. Register C's UF is set by each second that went by since C
 * was last read (IRQF with UIE); no periodic or alarm flag is raised and
 * no interrupt line is driven. Register D reads VRT, always.
 */
struct cmos_rtc {
    pthread_mutex_t lock;
    uint64_t (*now_ns)(void *opaque);
    void *opaque;
    uint8_t index;
    uint8_t reg_a, reg_b;
    int64_t offset_s;      /* guest time - host time, whole seconds */
    int64_t held_s;        /* the time while B's SET stops updates */
    int64_t c_read_s;      /* the second in which C was last read */
    uint8_t ram[RTC_REGS]; /* NVRAM and the alarm registers */
};

/*
 * cmos_rtc_init: an RTC in its power-on state (24-hour BCD, the divider
 * running, the time the host's); (now_ns) NULL: CLOCK_REALTIME.
 * cmos_rtc_fini frees it.
 */
void cmos_rtc_init(struct cmos_rtc *r, uint64_t (*now_ns)(void *),
                   void *opaque);
void cmos_rtc_fini(struct cmos_rtc *r);

/*
 * cmos_rtc_read, cmos_rtc_write: the guest's byte access to the index
 * (RTC_PORT_INDEX: writes only; reads 0xff) or data (RTC_PORT_DATA) port;
 * another port reads 0xff and writes nothing.
 */
uint8_t cmos_rtc_read(struct cmos_rtc *r, unsigned int port);
void cmos_rtc_write(struct cmos_rtc *r, unsigned int port, uint8_t val);

#endif /* PVHV_EMULATED_RTC_H */
