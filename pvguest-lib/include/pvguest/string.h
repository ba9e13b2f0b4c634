/* SPDX-License-Identifier: MIT */
/* string.h: the C string and memory functions libpvguest provides. */
#ifndef PVGUEST_STRING_H
#define PVGUEST_STRING_H

#include <stddef.h>

/* As in C99; the compiler itself emits calls to memcpy and memset. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
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
