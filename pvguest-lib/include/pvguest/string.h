/* SPDX-License-Identifier: MIT */
/* string.h: the C string and memory functions libpvguest provides. */
#ifndef PVGUEST_STRING_H
#define PVGUEST_STRING_H

#include <stddef.h>

/*
 * As in C99; the compiler itself emits calls to memcpy and memset.
 * memcpy and memset copy and fill 8 bytes a step (rep movsq / stosq),
 * then the last 0 to 7 bytes; memmove does too where the areas do not
 * overlap with (dst) above (src), else it copies backwards byte by byte.
 */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

/*
 * Calls of memcpy and memset go to the compiler's builtins, which
 * -ffreestanding keeps from the plain names: a size known at compile
 * time becomes a few 8-byte moves in place (a struct, a header, a small
 * fixed buffer), or rep movsq for larger ones, with no call; any other
 * size calls the functions above. Every guest instruction counts where
 * the host emulates them (pvbench's guest_insns): a call of a 16-byte
 * copy cost as much as the copy several times over. (&memcpy) still
 * names the function.
 */
#define memcpy(dst, src, n) __builtin_memcpy((dst), (src), (n))
#define memset(dst, c, n) __builtin_memset((dst), (c), (n))
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

/*
 * strtoul(s, end, base): as in C99 (leading blanks, optional '+', "0x"
 * prefix for base 16 or 0, octal for a leading 0 with base 0), without
 * errno: an overflowing value wraps.
 */
unsigned long strtoul(const char *s, char **end, int base);

#endif /* PVGUEST_STRING_H */
