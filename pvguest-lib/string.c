/* SPDX-License-Identifier: MIT */
/* string.c: the C library's string and memory functions, freestanding. */

#include "internal.h"

/*
 * memcpy, memmove and memset use the string instructions: short, fast on
 * current CPUs, and out of reach of gcc's loop-idiom recognition, which
 * would otherwise turn a byte loop here into a call to this very function.
 * 8 bytes a step: where the host emulates guest instructions, each step
 * of a rep costs about as much as an instruction, so rep movsb took 4,096
 * steps for a page and rep movsq takes 512. The names are in parentheses:
 * <pvguest/string.h> makes memcpy and memset macros.
 */
void *(memcpy)(void *dst, const void *src, size_t n)
{
    void *d = dst;
    size_t words = n / 8, rest = n % 8;

    __asm__ volatile("rep movsq\n\t"
                     "movq %3, %%rcx\n\t"
                     "rep movsb"
                     : "+D"(d), "+S"(src), "+c"(words)
                     : "r"(rest)
                     : "memory");
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (d <= s || d >= s + n)
        return (memcpy)(dst, src, n);
    /* Overlap with dst above src: copy backwards, from the last byte. */
    d += n - 1;
    s += n - 1;
    __asm__ volatile("std; rep movsb; cld"
                     : "+D"(d), "+S"(s), "+c"(n)
                     :
                     : "memory");
    return dst;
}

void *(memset)(void *dst, int c, size_t n)
{
    void *d = dst;
    size_t words = n / 8, rest = n % 8;
    uint64_t v = (uint8_t)c * 0x0101010101010101ULL;

    __asm__ volatile("rep stosq\n\t"
                     "movq %2, %%rcx\n\t"
                     "rep stosb"
                     : "+D"(d), "+c"(words)
                     : "r"(rest), "a"(v)
                     : "memory");
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (; n > 0; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    const char *p = s;

    while (*p)
        p++;
    return p - s;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n > 0; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            break;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

unsigned long strtoul(const char *s, char **end, int base)
{
    const char *p = s, *digits;
    unsigned long v = 0;
    int negative = 0;

    while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        p++;
    if (*p == '+' || *p == '-')
        negative = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' &&
        (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }
    for (digits = p; digit_value(*p) < base; p++)
        v = v * base + digit_value(*p);
    if (end)
        *end = (char *)(p == digits ? s : p);
    return negative ? -v : v;
}
