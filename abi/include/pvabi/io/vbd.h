/* SPDX-License-Identifier: MIT */
/* vbd.h: virtual block device names and the device ids Xen's toolstack gives
 * them. */
#ifndef PVABI_IO_VBD_H
#define PVABI_IO_VBD_H

#include <stdint.h>

/*
 * A PV disk appears to the guest as /local/domain/<D>/device/vbd/<id>,
 * and every blkif request carries <id> & 0xffff as its handle. The id is
 * what Xen's toolstack (libxl) makes of the disk's name, the rules of
 * Xen's docs/misc/vbd-interface.txt:
 *
 *   name                 disk d, partition p        id
 *   xvd<L>[<p>]          d < 16 and p < 16          (202 << 8) | (d << 4) | p
 *                        otherwise, d < 2^20        (1 << 28) | (d << 8) | p
 *   d<d>p<p>             d < 2^20, p < 256          as xvd
 *   hd<L>[<p>]           d < 4, p < 64              (d < 2 ? 3 : 22) << 8 |
 *                                                   (d & 1) << 6 | p
 *   sd<L>[<p>]           d < 16, p < 16             (8 << 8) | (d << 4) | p
 *   <number>             the id itself, at most 2^31 - 1: decimal,
 *                        0x hexadecimal or 0 octal
 *
 * <L> are lowercase letters counting disks in bijective base 26: a = 0,
 * ..., z = 25, aa = 26, ab = 27, ..., zz = 701, aaa = 702. A partition
 * number is decimal without leading zeros, 1 and up (none: the whole
 * disk, p = 0). So xvda = 51712, xvdb = 51728, xvdq = 268439552
 * ((1 << 28) | (16 << 8)), xvda1 = 51713, hda = 768, hdc = 5632,
 * sda = 2048, sdb = 2064. Names that mean the same disk (xvda, d0p0,
 * 51712) give the same id.
 *
 * pvabi_vbd_devid: the id of (name), or -1 if it is none of the forms
 * above. Freestanding: the hypervisor, the toolstack and guests share it.
 */

/* pvabi_vbd__number: decimal digits at *s, no leading zero, at most max. */
static inline int pvabi_vbd__number(const char **s, uint32_t max, uint32_t *out)
{
    const char *p = *s;
    uint64_t n = 0;

    if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        n = n * 10 + (uint64_t)(*p - '0');
        if (n > max)
            return -1;
    }
    *s = p;
    *out = (uint32_t)n;
    return 0;
}

/*
 * pvabi_vbd__letters: "<prefix><letters>[<partition>]" with at most
 * (max_disk) and (max_part); 0 with (disk, part), or -1.
 */
static inline int pvabi_vbd__letters(const char *name, const char *prefix,
                                     uint32_t max_disk, uint32_t max_part,
                                     uint32_t *disk, uint32_t *part)
{
    const char *p = name;
    uint64_t d = 0;

    for (; *prefix; prefix++, p++)
        if (*p != *prefix)
            return -1;
    if (*p < 'a' || *p > 'z')
        return -1;
    for (; *p >= 'a' && *p <= 'z'; p++) {
        d = d * 26 + (uint64_t)(*p - 'a' + 1);
        if (d - 1 > max_disk)
            return -1;
    }
    *disk = (uint32_t)(d - 1);
    *part = 0;
    if (*p == '\0')
        return 0;
    if (pvabi_vbd__number(&p, max_part, part) < 0 || *part == 0 || *p)
        return -1;
    return 0;
}

/* pvabi_vbd__xvd: the id of disk (d), partition (p) in the xvd scheme. */
static inline int32_t pvabi_vbd__xvd(uint32_t d, uint32_t p)
{
    if (d < 16 && p < 16)
        return (int32_t)((202U << 8) | (d << 4) | p);
    return (int32_t)((1U << 28) | (d << 8) | p);
}

/* pvabi_vbd__id: "<number>", decimal, 0x hexadecimal or 0 octal. */
static inline int32_t pvabi_vbd__id(const char *s)
{
    uint32_t base = 10;
    uint64_t n = 0;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2]) {
        base = 16;
        s += 2;
    } else if (s[0] == '0') {
        base = 8;
    }
    if (*s == '\0')
        return -1;
    for (; *s; s++) {
        uint32_t c = (uint32_t)(unsigned char)*s, v;

        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        else
            return -1;
        if (v >= base)
            return -1;
        n = n * base + v;
        if (n > 0x7fffffffU)
            return -1;
    }
    return (int32_t)n;
}

static inline int32_t pvabi_vbd_devid(const char *name)
{
    const char *p = name;
    uint32_t d, part;

    if (!name)
        return -1;
    if (p[0] == 'd' && p[1] >= '0' && p[1] <= '9') {
        p++;
        if (pvabi_vbd__number(&p, (1U << 20) - 1, &d) < 0 || *p++ != 'p' ||
            pvabi_vbd__number(&p, 255, &part) < 0 || *p)
            return -1;
        return pvabi_vbd__xvd(d, part);
    }
    if (pvabi_vbd__letters(name, "xvd", (1U << 20) - 1, 255, &d, &part) == 0)
        return pvabi_vbd__xvd(d, part);
    if (name[0] >= '0' && name[0] <= '9')
        return pvabi_vbd__id(name);
    if (pvabi_vbd__letters(name, "hd", 3, 63, &d, &part) == 0)
        return (int32_t)(((d < 2 ? 3U : 22U) << 8) | ((d & 1) << 6) | part);
    if (pvabi_vbd__letters(name, "sd", 15, 15, &d, &part) == 0)
        return (int32_t)((8U << 8) | (d << 4) | part);
    return -1;
}

#endif /* PVABI_IO_VBD_H */
