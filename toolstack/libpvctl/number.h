/* SPDX-License-Identifier: MIT */
/* number.h: strict decimal numbers and libvirt memory units. */
#ifndef PVHV_TOOLSTACK_NUMBER_H
#define PVHV_TOOLSTACK_NUMBER_H

#include <stddef.h>
#include <stdint.h>

/* The memory units libvirt documents, in the order error messages list them. */
#define NUMBER_UNITS_ALLOWED                                                   \
    "b, bytes, KB, k, KiB, MB, M, MiB, GB, G, GiB, TB, T, TiB"

/*
 * number_parse_u64: parses (text) as a decimal number made of the digits
 * 0-9 only: no sign, no spaces, no suffix. Returns 0 and the number in
 * (val), or -EINVAL / -ERANGE with (why) set to the problem as a phrase that
 * follows the quoted value ("is not a number", "is negative", "has trailing
 * characters 'x'", "is empty", "is too large").
 */
int number_parse_u64(const char *text, uint64_t *val, char *why, size_t len);

/*
 * number_scale_memory: multiplies (value) by libvirt unit (unit) (NULL means
 * KiB, libvirt's default) into (bytes). Returns 0, -EINVAL for a unit not in
 * NUMBER_UNITS_ALLOWED (names are case-sensitive, as documented by libvirt),
 * or -ERANGE when the product does not fit in 64 bits.
 */
int number_scale_memory(uint64_t value, const char *unit, uint64_t *bytes);

#endif /* PVHV_TOOLSTACK_NUMBER_H */
